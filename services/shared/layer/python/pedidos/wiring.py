"""The real dependencies, built once per process from the settings on first use.

Handlers pass these to the domain functions; tests pass their own instead.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from pedidos import clients
from pedidos.data import OrderRepository, PendingWork, ProductRepository
from pedidos.messaging import OrderEventPublisher
from pedidos.settings import idempotency_settings, resource_settings

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer


@cache
def products() -> ProductRepository:
    return ProductRepository(clients.dynamodb(), resource_settings().table_name)


@cache
def orders() -> OrderRepository:
    return OrderRepository(clients.dynamodb(), resource_settings().table_name)


@cache
def pending_work() -> PendingWork:
    return PendingWork(clients.dynamodb(), resource_settings().table_name)


@cache
def publisher() -> OrderEventPublisher:
    return OrderEventPublisher(clients.sqs(), resource_settings().orders_queue_url)


@cache
def idempotency_store() -> DynamoDBPersistenceLayer:
    """The store of ``Idempotency-Key`` records, over the shared client.

    One per process, like the clients: Powertools hooks every store it builds
    into the client's requests, so a store per request would leave one more
    hook on every later DynamoDB call. It guards one function, placing an
    order; Powertools configures a store for the first function it guards, so
    a second guarded function would need a store of its own.
    """
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

    return DynamoDBPersistenceLayer(
        table_name=idempotency_settings().table_name, boto3_client=clients.dynamodb()
    )
