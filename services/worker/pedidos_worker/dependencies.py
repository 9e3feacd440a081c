"""The worker's composition root: the real dependencies, built once per process on first use.

Handlers pass these to the domain functions; tests pass their own instead.
"""

from functools import cache

from pedidos import clients
from pedidos.data import OrderRepository, PendingWork, ProductRepository
from pedidos.messaging import OrderEventPublisher
from pedidos_worker.settings import shared_resources


@cache
def orders() -> OrderRepository:
    return OrderRepository(clients.dynamodb(), shared_resources().table_name)


@cache
def products() -> ProductRepository:
    return ProductRepository(clients.dynamodb(), shared_resources().table_name)


@cache
def pending_work() -> PendingWork:
    return PendingWork(clients.dynamodb(), shared_resources().table_name)


@cache
def publisher() -> OrderEventPublisher:
    return OrderEventPublisher(clients.sqs(), shared_resources().orders_queue_url)
