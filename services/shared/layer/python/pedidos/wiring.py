"""The real dependencies, built once per process from the settings on first use.

Handlers pass these to the domain functions; tests pass their own instead.
"""

from functools import cache

from pedidos import clients
from pedidos.data import OrderRepository, ProductRepository
from pedidos.messaging import OrderEventPublisher
from pedidos.settings import idempotency_settings, resource_settings


@cache
def products() -> ProductRepository:
    return ProductRepository(clients.dynamodb(), resource_settings().table_name)


@cache
def orders() -> OrderRepository:
    return OrderRepository(clients.dynamodb(), resource_settings().table_name)


@cache
def publisher() -> OrderEventPublisher:
    return OrderEventPublisher(clients.sqs(), resource_settings().orders_queue_url)


def new_idempotency_store():  # noqa: ANN201 - the Powertools type is imported lazily on purpose
    """A fresh idempotency store over the shared client.

    Not cached: Powertools configures a store once, for the first function it
    guards, so two guarded functions sharing one store would share its key
    settings too.
    """
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

    return DynamoDBPersistenceLayer(
        table_name=idempotency_settings().table_name, boto3_client=clients.dynamodb()
    )
