"""The worker's rules: decide a pending order, give a cancelled order's stock back.

Every step is safe to repeat: decisions are conditional writes on the order's
status and the stock moves in the same transaction, so a redelivered or
concurrent message finds the work done and changes nothing.
"""


from pedidos.clock import Clock, utc_now
from pedidos.data import OrderRepository, ProductRepository, StockShortage
from pedidos.errors import TotalTooLarge
from pedidos.models import EventType, Order, OrderEvent, OrderStatus, RejectionReason
from pedidos.observability import logger, metrics

# Another order may take the last units between our read and our transaction;
# re-deciding with fresh stock settles it within a few rounds.
MAX_DECISION_ROUNDS = 5


class UnknownEvent(Exception):
    """An event this worker cannot act on; it is retried, then dead-lettered."""


def handle(event: OrderEvent, orders: OrderRepository, products: ProductRepository, clock: Clock = utc_now) -> str:
    """Apply one event; returns what happened, for the logs."""
    order = orders.get(event.order_id)
    if event.type is EventType.ORDER_PLACED:
        outcome = decide(order, orders, products, clock)
    elif event.type is EventType.ORDER_CANCELLED:
        outcome = "stock released" if orders.release_stock(order, clock()) else "nothing to release"
    else:  # pragma: no cover - the model admits no other type
        raise UnknownEvent(event.type)
    if outcome in (OrderStatus.CONFIRMED, OrderStatus.REJECTED):
        metrics.add_metric(name=f"Orders{outcome.title()}", unit="Count", value=1)
        latency = (clock() - event.occurred_at).total_seconds() * 1000
        metrics.add_metric(name="DecisionLatency", unit="Milliseconds", value=latency)
    return str(outcome)


def decide(order: Order, orders: OrderRepository, products: ProductRepository, clock: Clock) -> str:
    """Confirm ``order`` with its stock reserved, or reject it with the reason."""
    for _ in range(MAX_DECISION_ROUNDS):
        if order.status is not OrderStatus.PENDING:
            return f"already {order.status}"
        skus = list(order.quantities)
        catalog = products.get_many(skus)
        unknown = [sku for sku in skus if sku not in catalog]
        if unknown:
            return _reject(order, RejectionReason.UNKNOWN_PRODUCT, unknown, orders, clock)
        short = [sku for sku, quantity in order.quantities.items() if catalog[sku].stock < quantity]
        if short:
            return _reject(order, RejectionReason.OUT_OF_STOCK, short, orders, clock)
        try:
            lines, total = order.priced({sku: catalog[sku].price_cents for sku in skus})
        except TotalTooLarge:
            return _reject(order, RejectionReason.TOTAL_TOO_LARGE, skus, orders, clock)
        try:
            confirmed = orders.confirm(order, lines, total, clock())
        except StockShortage as shortage:
            logger.info("stock changed while deciding; deciding again", order_id=order.id, skus=shortage.skus)
            order = orders.get(order.id)
            continue
        return OrderStatus.CONFIRMED if confirmed else "decided elsewhere"
    raise RuntimeError(f"order {order.id} could not be decided in {MAX_DECISION_ROUNDS} rounds; will retry")


def _reject(order: Order, reason: RejectionReason, skus: list[str], orders: OrderRepository, clock: Clock) -> str:
    return OrderStatus.REJECTED if orders.reject(order, reason, skus, clock()) else "decided elsewhere"
