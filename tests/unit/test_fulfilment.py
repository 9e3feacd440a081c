"""The worker's rules on in-memory repositories: what it decides, and when it decides again."""

from datetime import UTC, datetime

import pytest

from pedidos.data import Offer, StockShortage, Take
from pedidos.errors import Contended
from pedidos.limits import MAX_CENTS
from pedidos.models import EventType, Order, OrderEvent, OrderLine, OrderStatus, RejectionReason
from pedidos.ports import OrderDecisionStore, ProductLookup
from pedidos_worker import fulfilment
from pedidos_worker.fulfilment import Outcome, Patience

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def order(**lines: int) -> Order:
    return Order(
        id="o-1",
        customer_id="c-1",
        status=OrderStatus.PENDING,
        lines=[{"sku": sku, "quantity": quantity} for sku, quantity in lines.items()],
        currency="EUR",
        created_at=NOW,
        updated_at=NOW,
        version=1,
    )


class Catalog(ProductLookup):
    """Products with the given stock on their own items, priced 100, 200, ... cents in the order's
    order, or all at ``price``; ``stale`` makes eventually consistent reads see none of it."""

    def __init__(self, price: int | None = None, **stock: int) -> None:
        self.stock, self.price, self.stale = stock, price, False
        self.reads: list[bool] = []  # whether each read was strongly consistent

    def offers_for(self, order: Order, consistent: bool) -> dict[str, Offer]:
        self.reads.append(consistent)
        seen = self.stock if consistent or not self.stale else dict.fromkeys(self.stock, 0)
        return {
            sku: Offer(self.price or 100 * (index + 1), (Take(sku, None, quantity),) if seen[sku] >= quantity else None)
            for index, (sku, quantity) in enumerate(order.quantities.items())
            if sku in seen
        }


class Orders(OrderDecisionStore):
    """Records decisions and restocks; ``shortages`` makes the next confirmations find the stock gone."""

    def __init__(self, pending: Order, shortages: int = 0) -> None:
        self.current, self.shortages = pending, shortages
        self.confirmed: tuple[dict[str, int | None], int] | None = None
        self.takes: list[Take] = []
        self.rejected: tuple[str, list[str]] | None = None
        self.released: list[str] = []

    def get(self, order_id: str) -> Order:
        return self.current

    def confirm(self, pending: Order, lines: list[OrderLine], total_cents: int, now: datetime, takes: list[Take]) -> bool:
        if self.shortages:
            self.shortages -= 1
            raise StockShortage([line.sku for line in lines])
        self.confirmed = ({line.sku: line.unit_price_cents for line in lines}, total_cents)
        self.takes = takes
        return True

    def reject(self, pending: Order, reason: RejectionReason, skus: list[str], now: datetime) -> bool:
        self.rejected = (reason, skus)
        return True

    def release_stock(self, cancelled: Order, now: datetime) -> bool:
        """Gives the stock back once, as the real one's condition on ``stock_released_at`` does."""
        if cancelled.id in self.released:
            return False
        self.released.append(cancelled.id)
        return True


def event(kind: EventType) -> OrderEvent:
    return OrderEvent(type=kind, event_id="e-1", order_id="o-1", customer_id="c-1", occurred_at=NOW, correlation_id="corr")


def test_a_placed_event_decides_the_order_and_a_cancelled_one_gives_its_stock_back_once():
    orders = Orders(order(A=1))
    assert fulfilment.handle(event(EventType.ORDER_PLACED), orders, Catalog(A=1), lambda: NOW) == Outcome.CONFIRMED
    assert fulfilment.handle(event(EventType.ORDER_CANCELLED), orders, Catalog(A=1), lambda: NOW) == Outcome.STOCK_RELEASED
    assert fulfilment.handle(event(EventType.ORDER_CANCELLED), orders, Catalog(A=1), lambda: NOW) == Outcome.NOTHING_TO_RELEASE
    assert orders.released == ["o-1"]


def test_an_order_with_the_stock_is_confirmed_at_the_catalog_prices_on_one_eventually_consistent_read():
    orders, catalog = Orders(order(A=2, B=1)), Catalog(A=5, B=1)
    assert fulfilment.decide(orders.current, orders, catalog, lambda: NOW) == Outcome.CONFIRMED
    assert orders.confirmed == ({"A": 100, "B": 200}, 2 * 100 + 1 * 200)
    assert orders.takes == [Take("A", None, 2), Take("B", None, 1)]
    assert catalog.reads == [False]


def test_a_rejection_rests_on_a_strongly_consistent_read():
    orders, catalog = Orders(order(A=2)), Catalog(A=1)
    assert fulfilment.decide(orders.current, orders, catalog, lambda: NOW) == Outcome.REJECTED
    assert catalog.reads == [False, True]
    unknown, catalog = Orders(order(GHOST=1)), Catalog(A=1)
    assert fulfilment.decide(unknown.current, unknown, catalog, lambda: NOW) == Outcome.REJECTED
    assert unknown.rejected == ("UNKNOWN_PRODUCT", ["GHOST"]) and catalog.reads == [False, True]


def test_a_stale_read_that_shows_too_little_stock_is_read_again_strongly_and_confirmed():
    orders, catalog = Orders(order(A=2)), Catalog(A=2)
    catalog.stale = True
    assert fulfilment.decide(orders.current, orders, catalog, lambda: NOW) == Outcome.CONFIRMED
    assert orders.rejected is None and catalog.reads == [False, True]


def test_an_order_whose_total_would_exceed_what_an_order_may_hold_is_rejected_with_that_reason():
    lines = {f"S{index}": 1000 for index in range(50)}
    orders = Orders(order(**lines))
    assert fulfilment.decide(orders.current, orders, Catalog(price=MAX_CENTS, **lines), lambda: NOW) == Outcome.REJECTED
    assert orders.rejected == ("TOTAL_TOO_LARGE", list(lines))
    assert orders.confirmed is None


def test_an_order_whose_total_is_exactly_what_an_order_may_hold_is_confirmed():
    orders = Orders(order(A=1000))
    assert fulfilment.decide(orders.current, orders, Catalog(price=MAX_CENTS // 1000, A=1000), lambda: NOW) == Outcome.CONFIRMED
    assert orders.confirmed == ({"A": MAX_CENTS // 1000}, MAX_CENTS)


def test_unknown_products_are_named_before_stock_is_considered():
    orders = Orders(order(A=9, GHOST=1))
    assert fulfilment.decide(orders.current, orders, Catalog(A=1), lambda: NOW) == Outcome.REJECTED
    assert orders.rejected == ("UNKNOWN_PRODUCT", ["GHOST"])


def test_every_short_sku_is_named():
    orders = Orders(order(A=2, B=3, C=1))
    fulfilment.decide(orders.current, orders, Catalog(A=1, B=2, C=1), lambda: NOW)
    assert orders.rejected == ("OUT_OF_STOCK", ["A", "B"])


def test_stock_taken_between_reading_and_reserving_is_decided_again_on_strong_reads():
    orders, catalog = Orders(order(A=1), shortages=2), Catalog(A=1)
    assert fulfilment.decide(orders.current, orders, catalog, lambda: NOW) == Outcome.CONFIRMED
    assert catalog.reads == [False, True, True]


def test_an_order_that_cannot_be_settled_is_left_for_a_retry():
    orders = Orders(order(A=1), shortages=fulfilment.MAX_DECISION_ROUNDS)
    with pytest.raises(RuntimeError):
        fulfilment.decide(orders.current, orders, Catalog(A=1), lambda: NOW)
    assert orders.confirmed is None and orders.rejected is None


def test_a_decided_order_is_left_alone():
    decided = order(A=1).model_copy(update={"status": OrderStatus.CANCELLED})
    orders = Orders(decided)
    assert fulfilment.decide(decided, orders, Catalog(A=1), lambda: NOW) == Outcome.ALREADY_DECIDED
    assert orders.confirmed is None and orders.rejected is None


class ContendedOrders(Orders):
    """Orders whose next ``contended`` transactions meet another transaction on the same items."""

    def __init__(self, pending: Order, contended: int) -> None:
        super().__init__(pending)
        self.contended = contended

    def confirm(self, pending: Order, lines: list[OrderLine], total_cents: int, now: datetime, takes: list[Take]) -> bool:
        if self.contended:
            self.contended -= 1
            raise Contended("TransactionConflict")
        return super().confirm(pending, lines, total_cents, now, takes)


def test_contention_is_waited_out_with_growing_jittered_waits_inside_the_worker():
    orders, waits = ContendedOrders(order(A=1), contended=4), list[float]()
    outcome = fulfilment.decide(orders.current, orders, Catalog(A=1), lambda: NOW, Patience(pause=waits.append, draw=lambda low, high: high))
    assert outcome == Outcome.CONFIRMED
    assert waits == [0.025, 0.05, 0.1, 0.2]  # each wait's ceiling doubles; draw picks within it


def test_contention_past_the_budget_fails_the_message_back_to_sqs():
    orders, waits = ContendedOrders(order(A=1), contended=100), list[float]()
    with pytest.raises(Contended):
        fulfilment.decide(orders.current, orders, Catalog(A=1), lambda: NOW, Patience(pause=waits.append, draw=lambda low, high: high))
    assert sum(waits) <= fulfilment.CONTENTION_WAIT_BUDGET_SECONDS
    assert orders.confirmed is None


class ContendedCatalog(Catalog):
    """A catalog whose next ``contended`` reads are throttled."""

    def __init__(self, contended: int, **stock: int) -> None:
        super().__init__(**stock)
        self.contended = contended

    def offers_for(self, order: Order, consistent: bool) -> dict[str, Offer]:
        if self.contended:
            self.contended -= 1
            raise Contended("ProvisionedThroughputExceeded")
        return super().offers_for(order, consistent)


def test_a_throttled_read_is_waited_out_too_from_the_same_budget_as_the_transaction():
    orders, waits = ContendedOrders(order(A=1), contended=2), list[float]()
    patience = Patience(pause=waits.append, draw=lambda low, high: high)
    assert fulfilment.decide(orders.current, orders, ContendedCatalog(3, A=1), lambda: NOW, patience) == Outcome.CONFIRMED
    # Each step's waits start again from the first, and every wait comes out of the event's one budget.
    assert waits == [0.025, 0.05, 0.1, 0.025, 0.05]
    assert patience.seconds == pytest.approx(fulfilment.CONTENTION_WAIT_BUDGET_SECONDS - sum(waits))


def test_an_event_waits_no_longer_than_the_invocation_has_left_after_its_last_step():
    assert Patience.within(30).seconds == fulfilment.CONTENTION_WAIT_BUDGET_SECONDS
    assert Patience.within(fulfilment.FINISHING_SECONDS + 0.5).seconds == pytest.approx(0.5)
    assert Patience.within(1).seconds == 0
    orders, waits = ContendedOrders(order(A=1), contended=1), list[float]()
    with pytest.raises(Contended):
        fulfilment.decide(orders.current, orders, Catalog(A=1), lambda: NOW, Patience(0, pause=waits.append))
    assert waits == []
