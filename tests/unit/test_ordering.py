"""The API's order use cases on in-memory fakes: who may read, list and cancel which order."""

from datetime import UTC, datetime

import pytest

from pedidos.data import ItemsPage
from pedidos.errors import InvalidTransition, NotFound
from pedidos.models import EventType, Order, OrderStatus, PlaceOrderRequest
from pedidos.ports import EventPublisher, OrderStore
from pedidos_api import ordering
from pedidos_api.identity import Forbidden, Principal
from pedidos_api.pagination import CursorCodec

NOW = datetime(2026, 1, 1, tzinfo=UTC)
ALICE, BOB, ADMIN = Principal("alice"), Principal("bob"), Principal("root", is_admin=True)


def order_of(customer: str, status: OrderStatus = OrderStatus.PENDING) -> Order:
    return Order(
        id=f"order-of-{customer}", customer_id=customer, status=status, lines=[{"sku": "A", "quantity": 1}],
        currency="EUR", created_at=NOW, updated_at=NOW, version=1,
    )


class Orders(OrderStore):
    """Orders by id, and the listings asked for."""

    def __init__(self, *stored: Order) -> None:
        self.stored = {order.id: order for order in stored}
        self.listed: list[tuple[str, OrderStatus | None]] = []

    def create(self, order: Order, correlation_id: str) -> None:
        self.stored[order.id] = order

    def get(self, order_id: str) -> Order:
        if order_id not in self.stored:
            raise NotFound("order", order_id)
        return self.stored[order_id]

    def list_for_customer(self, customer_id: str, status: OrderStatus | None, limit: int, after: dict[str, str] | None) -> ItemsPage[Order]:
        self.listed.append((customer_id, status))
        mine = [order for order in self.stored.values() if order.customer_id == customer_id and status in (None, order.status)]
        return ItemsPage(mine[:limit], None)

    def cancel(self, order: Order, now: datetime) -> Order:
        if not order.status.can_become(OrderStatus.CANCELLED):
            raise InvalidTransition(order.id, order.status, OrderStatus.CANCELLED)
        self.stored[order.id] = order.model_copy(update={"status": OrderStatus.CANCELLED})
        return self.stored[order.id]


class Publisher(EventPublisher):
    """Records announcements; with ``refusing``, fails each as an unreachable queue would."""

    def __init__(self, refusing: bool = False) -> None:
        self.announced: list[tuple[EventType, str]] = []
        self.refusing = refusing

    def announce(self, kind: EventType, order_id: str, customer_id: str, correlation_id: str, now: datetime) -> None:
        if self.refusing:
            raise ConnectionError("SQS refused the message")
        self.announced.append((kind, order_id))


CURSORS = CursorCodec("k" * 32)
A_LINE = PlaceOrderRequest(lines=[{"sku": "A", "quantity": 2}])


def test_a_placed_order_is_stored_pending_for_the_caller_then_announced():
    orders, publisher = Orders(), Publisher()
    placed = ordering.place_order(A_LINE, ALICE, "corr", orders=orders, publisher=publisher, currency="EUR", clock=lambda: NOW)
    assert orders.stored == {placed.id: placed}
    assert (placed.customer_id, placed.status, placed.currency, placed.created_at, placed.version) == ("alice", OrderStatus.PENDING, "EUR", NOW, 1)
    assert [(line.sku, line.quantity, line.unit_price_cents) for line in placed.lines] == [("A", 2, None)]  # priced by the worker
    assert publisher.announced == [(EventType.ORDER_PLACED, placed.id)]


def test_an_order_whose_event_the_queue_refuses_is_still_accepted_and_stored():
    orders = Orders()
    placed = ordering.place_order(A_LINE, ALICE, "corr", orders=orders, publisher=Publisher(refusing=True), currency="EUR", clock=lambda: NOW)
    assert orders.stored == {placed.id: placed}  # pending-work keeps it for the sweep to announce again


def test_an_owner_and_an_admin_read_an_order_and_anyone_else_finds_none():
    orders = Orders(order_of("alice"))
    assert ordering.get_order("order-of-alice", ALICE, orders).customer_id == "alice"
    assert ordering.get_order("order-of-alice", ADMIN, orders).customer_id == "alice"
    with pytest.raises(NotFound):  # another customer's order is indistinguishable from a missing one
        ordering.get_order("order-of-alice", BOB, orders)


def test_a_customer_lists_their_own_orders_and_only_an_admin_names_another_customer():
    orders = Orders(order_of("alice"))
    assert [each.id for each in ordering.list_orders(ALICE, None, None, 20, None, orders, CURSORS).items] == ["order-of-alice"]
    assert ordering.list_orders(ALICE, "alice", None, 20, None, orders, CURSORS).items  # naming oneself is fine
    with pytest.raises(Forbidden):
        ordering.list_orders(BOB, "alice", None, 20, None, orders, CURSORS)
    assert [each.id for each in ordering.list_orders(ADMIN, "alice", OrderStatus.PENDING, 20, None, orders, CURSORS).items] == ["order-of-alice"]
    assert orders.listed == [("alice", None), ("alice", None), ("alice", OrderStatus.PENDING)]


def test_only_the_owner_or_an_admin_cancels_and_the_cancellation_is_announced():
    orders, publisher = Orders(order_of("alice")), Publisher()
    with pytest.raises(NotFound):
        ordering.cancel_order("order-of-alice", BOB, "corr", orders=orders, publisher=publisher, clock=lambda: NOW)
    assert orders.stored["order-of-alice"].status is OrderStatus.PENDING and publisher.announced == []

    cancelled = ordering.cancel_order("order-of-alice", ADMIN, "corr", orders=orders, publisher=publisher, clock=lambda: NOW)
    assert cancelled.status is OrderStatus.CANCELLED
    assert publisher.announced == [(EventType.ORDER_CANCELLED, "order-of-alice")]
    with pytest.raises(InvalidTransition):
        ordering.cancel_order("order-of-alice", ALICE, "corr", orders=orders, publisher=publisher, clock=lambda: NOW)
