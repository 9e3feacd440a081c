"""The order use cases of the API: place, read, list and cancel."""

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function
from aws_lambda_powertools.utilities.idempotency.persistence.base import BasePersistenceLayer
from aws_lambda_powertools.utilities.idempotency.serialization.pydantic import PydanticSerializer
from aws_lambda_powertools.utilities.typing import LambdaContext

from pedidos.clock import utc_now
from pedidos.errors import NotFound
from pedidos.models import EventType, Order, OrderPage, OrderStatus, PlaceOrderRequest
from pedidos.observability import logger, metrics
from pedidos.ports import Clock, EventPublisher, OrderReader, OrderStore
from pedidos_api.identity import Principal
from pedidos_api.pagination import CursorCodec


def place_order(
    request: PlaceOrderRequest,
    caller: Principal,
    correlation_id: str,
    *,
    orders: OrderStore,
    publisher: EventPublisher,
    currency: str,
    clock: Clock = utc_now,
) -> Order:
    """Store the order PENDING, then hand it to the worker.

    The order is accepted once stored: if the hand-off fails, the order stays
    PENDING and the scheduled sweep queues it again, so the caller still gets
    its 202 and nothing is lost.
    """
    now = clock()
    order = Order(
        id=str(uuid.uuid4()),
        customer_id=caller.subject,
        status=OrderStatus.PENDING,
        lines=[line.model_dump() for line in request.lines],
        currency=currency,
        created_at=now,
        updated_at=now,
        version=1,
    )
    orders.create(order, correlation_id)
    logger.info("order placed", order_id=order.id, lines=len(order.lines))
    metrics.add_metric(name="OrdersPlaced", unit="Count", value=1)
    _announce(EventType.ORDER_PLACED, order, correlation_id, publisher, now)
    return order


def get_order(order_id: str, caller: Principal, orders: OrderReader) -> Order:
    order = orders.get(order_id)
    if order.customer_id != caller.subject and not caller.is_admin:
        # Another customer's order is indistinguishable from a missing one.
        raise NotFound("order", order_id)
    return order


def list_orders(
    caller: Principal,
    customer_id: str | None,
    status: OrderStatus | None,
    limit: int,
    cursor: str | None,
    orders: OrderStore,
    cursors: CursorCodec,
) -> OrderPage:
    """The caller's orders, newest first; an admin may name another customer."""
    if customer_id is not None and customer_id != caller.subject:
        caller.require_admin()
    owner = customer_id or caller.subject
    listing = f"orders/{owner}/{status or '*'}"
    page = orders.list_for_customer(owner, status, limit, cursors.decode(cursor, listing))
    return OrderPage(items=page.items, next_cursor=cursors.encode(page.last_key, listing))


def cancel_order(
    order_id: str,
    caller: Principal,
    correlation_id: str,
    *,
    orders: OrderStore,
    publisher: EventPublisher,
    clock: Clock = utc_now,
) -> Order:
    now = clock()
    cancelled = orders.cancel(get_order(order_id, caller, orders), now)
    metrics.add_metric(name="OrdersCancelled", unit="Count", value=1)
    _announce(EventType.ORDER_CANCELLED, cancelled, correlation_id, publisher, now)
    return cancelled


def _announce(kind: EventType, order: Order, correlation_id: str, publisher: EventPublisher, now: datetime) -> None:
    try:
        publisher.announce(kind, order.id, order.customer_id, correlation_id, now)
    except Exception:
        # The state change is stored; the sweep re-announces what was not delivered.
        logger.exception("event not handed to the queue", order_id=order.id, event_type=str(kind))
        metrics.add_metric(name="EventHandOffFailures", unit="Count", value=1)


def place_order_once(
    request: PlaceOrderRequest,
    caller: Principal,
    correlation_id: str,
    idempotency_key: str | None,
    *,
    lambda_context: LambdaContext,
    persistence: BasePersistenceLayer,
    ttl_seconds: int,
    orders: OrderStore,
    publisher: EventPublisher,
    currency: str,
) -> Order:
    """``place_order`` at most once per customer and ``Idempotency-Key`` (every time without a key).

    A repeat with the same body returns the first order; a repeat with another
    body raises IdempotencyValidationError; one that arrives while the first is
    still running raises IdempotencyAlreadyInProgressError.
    """
    if idempotency_key is None:
        return place_order(request, caller, correlation_id, orders=orders, publisher=publisher, currency=currency)
    config = IdempotencyConfig(
        event_key_jmespath="[customer_id, key]",
        payload_validation_jmespath="lines",
        expires_after_seconds=ttl_seconds,
    )
    # A request that dies mid-way frees its key when the invocation would have timed out.
    config.register_lambda_context(lambda_context)

    def place(attempt: dict[str, Any]) -> Order:
        return place_order(request, caller, correlation_id, orders=orders, publisher=publisher, currency=currency)

    # Powertools types the guarded function as Any; it returns what ``place`` does.
    place_once: Callable[..., Order] = idempotent_function(
        place, data_keyword_argument="attempt", persistence_store=persistence, config=config, output_serializer=PydanticSerializer
    )

    attempt = {"customer_id": caller.subject, "key": idempotency_key, "lines": request.model_dump(mode="json")["lines"]}
    return place_once(attempt=attempt)
