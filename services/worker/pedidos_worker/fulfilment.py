"""The worker's rules: decide a pending order, give a cancelled order's stock back.

Every step is safe to repeat: decisions are conditional writes on the order's
status and the stock moves in the same transaction, so a redelivered or
concurrent message finds the work done and changes nothing.
"""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from typing import TypeVar

from pedidos.clock import utc_now
from pedidos.data import Offer, StockShortage, Take
from pedidos.errors import Contended, TotalTooLarge
from pedidos.models import EventType, Order, OrderEvent, OrderLine, OrderStatus, RejectionReason
from pedidos.observability import logger, metrics
from pedidos.ports import Clock, OrderDecisionStore, ProductLookup

# Another order may take the last units between our read and our transaction, and a first,
# eventually consistent read may be stale; re-deciding on a strong read settles it within a few rounds.
MAX_DECISION_ROUNDS = 5
# Contention (transactions on one popular product conflicting, throttling) is waited out here,
# with exponential backoff and full jitter, rather than failed back to SQS, where each try
# costs a receive toward the dead-letter queue and a 3-minute visibility timeout. At most
# 1.5 s of waiting an event, over all its steps: a batch of 10 stays well inside the worker's
# 30 s, and less when the invocation has less time left (``Patience.within``).
CONTENTION_FIRST_WAIT_SECONDS = 0.025
CONTENTION_WAIT_BUDGET_SECONDS = 1.5
# What an event's last step may still take after its last wait: a few requests, each at most
# botocore's 5 s read timeout in the worst case, usually milliseconds.
FINISHING_SECONDS = 5.0
T = TypeVar("T")
# How the worker waits out contention (time.sleep) and draws each jittered wait (random.uniform); tests pass their own.
Pause = Callable[[float], None]
Draw = Callable[[float, float], float]


@dataclass
class Patience:
    """How long one event may still wait out contention, shared by all its steps, and how it waits."""

    seconds: float = CONTENTION_WAIT_BUDGET_SECONDS
    pause: Pause = time.sleep
    draw: Draw = random.uniform

    @classmethod
    def within(cls, remaining_seconds: float) -> "Patience":
        """The budget, or what the invocation's ``remaining_seconds`` leave after the event's last step."""
        return cls(max(0.0, min(CONTENTION_WAIT_BUDGET_SECONDS, remaining_seconds - FINISHING_SECONDS)))

    def retried(self, attempt: Callable[[], T]) -> T:
        """``attempt()``, tried again after a jittered, doubling wait while it is Contended and patience lasts."""
        ceiling = CONTENTION_FIRST_WAIT_SECONDS
        while True:
            try:
                return attempt()
            except Contended:
                wait = self.draw(0, ceiling)
                if wait > self.seconds:
                    raise  # SQS retries the message later
                logger.info("contended; trying again", wait_seconds=round(wait, 3))
                self.pause(wait)
                self.seconds, ceiling = self.seconds - wait, ceiling * 2


class UnknownEvent(Exception):
    """An event this worker cannot act on; it is retried, then dead-lettered."""


class Outcome(StrEnum):
    """What applying one event did."""

    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    ALREADY_DECIDED = "already decided"  # a repeated event: the order had left PENDING before
    DECIDED_ELSEWHERE = "decided elsewhere"  # another worker decided it between our read and our write
    STOCK_RELEASED = "stock released"
    NOTHING_TO_RELEASE = "nothing to release"  # never confirmed, or given back already


# The decisions counted as business metrics, by name.
_DECISION_METRICS = {Outcome.CONFIRMED: "OrdersConfirmed", Outcome.REJECTED: "OrdersRejected"}


def handle(
    event: OrderEvent, orders: OrderDecisionStore, products: ProductLookup, clock: Clock = utc_now, patience: Patience | None = None
) -> Outcome:
    """Apply one event, waiting out contention as long as ``patience`` lasts (the budget by default)."""
    patience = patience or Patience()
    order = orders.get(event.order_id)
    if event.type is EventType.ORDER_PLACED:
        outcome = decide(order, orders, products, clock, patience)
    elif event.type is EventType.ORDER_CANCELLED:
        released = patience.retried(partial(orders.release_stock, order, clock()))
        outcome = Outcome.STOCK_RELEASED if released else Outcome.NOTHING_TO_RELEASE
    else:  # pragma: no cover - the model admits no other type
        raise UnknownEvent(event.type)
    if outcome in _DECISION_METRICS:
        metrics.add_metric(name=_DECISION_METRICS[outcome], unit="Count", value=1)
        latency = (clock() - event.occurred_at).total_seconds() * 1000
        metrics.add_metric(name="DecisionLatency", unit="Milliseconds", value=latency)
    return outcome


def decide(order: Order, orders: OrderDecisionStore, products: ProductLookup, clock: Clock, patience: Patience | None = None) -> Outcome:
    """Confirm ``order`` with its stock reserved, or reject it with the reason.

    The first read is eventually consistent and reads only the order's home bucket of a hot
    product, as most orders find what they need there; the takes are conditional, so a
    stale read costs a round, never stock. A rejection rests on a strongly consistent read
    of all the stock, and so does every round after a take found less than it needed.
    """
    patience, consistent = patience or Patience(), False
    for _ in range(MAX_DECISION_ROUNDS):
        if order.status is not OrderStatus.PENDING:
            return Outcome.ALREADY_DECIDED
        try:
            lines, total, takes = _reservation(order, patience.retried(partial(products.offers_for, order, consistent)))
        except _Refused as refused:
            if not consistent:
                consistent = True
                continue
            return _reject(order, refused.reason, refused.skus, orders, clock)
        try:
            confirmed = patience.retried(partial(orders.confirm, order, lines, total, clock(), takes))
        except StockShortage as shortage:
            logger.info("stock changed while deciding; deciding again", order_id=order.id, skus=shortage.skus)
            order, consistent = orders.get(order.id), True
            continue
        return Outcome.CONFIRMED if confirmed else Outcome.DECIDED_ELSEWHERE
    raise RuntimeError(f"order {order.id} could not be decided in {MAX_DECISION_ROUNDS} rounds; will retry")


class _Refused(Exception):
    """Why an order cannot be confirmed on the offers read."""

    def __init__(self, reason: RejectionReason, skus: list[str]) -> None:
        super().__init__(reason)
        self.reason, self.skus = reason, skus


def _reservation(order: Order, offers: dict[str, Offer]) -> tuple[list[OrderLine], int, list[Take]]:
    """The order's priced lines, total and stock takes on ``offers``; _Refused when it cannot be confirmed."""
    skus = list(order.quantities)
    if unknown := [sku for sku in skus if sku not in offers]:
        raise _Refused(RejectionReason.UNKNOWN_PRODUCT, unknown)
    if short := [sku for sku in skus if offers[sku].takes is None]:
        raise _Refused(RejectionReason.OUT_OF_STOCK, short)
    try:
        lines, total = order.priced({sku: offers[sku].price_cents for sku in skus})
    except TotalTooLarge:
        raise _Refused(RejectionReason.TOTAL_TOO_LARGE, skus) from None
    return lines, total, [take for sku in skus for take in offers[sku].takes or ()]


def _reject(order: Order, reason: RejectionReason, skus: list[str], orders: OrderDecisionStore, clock: Clock) -> Outcome:
    return Outcome.REJECTED if orders.reject(order, reason, skus, clock()) else Outcome.DECIDED_ELSEWHERE
