"""The sweep: an accepted order never waits for the worker forever.

If the API stored a change but its event never reached the queue (the process
died, SQS refused), the order waits in the pending-work index. The sweep
announces such orders again once they have waited past a grace period. It is
safe when the original event turns up after all: the worker's rules apply a
decision or a restock once, whatever the number of events.

Each further announcement of the same order waits twice as long as the one
before, up to ``LONGEST_WAIT``: an event the worker can never apply, or a
backlog longer than the grace period, would otherwise put another copy on the
queue every run, feeding the backlog and filling the dead-letter queue.
"""

from datetime import timedelta

from pedidos.clock import Clock, utc_now
from pedidos.data import AWAITING_DECISION, AWAITING_RESTOCK, OrderRepository
from pedidos.messaging import OrderEventPublisher
from pedidos.models import EventType
from pedidos.observability import logger, metrics

EVENT_FOR = {AWAITING_DECISION: EventType.ORDER_PLACED, AWAITING_RESTOCK: EventType.ORDER_CANCELLED}
LONGEST_WAIT = timedelta(hours=6)


def wait_after(requeues: int, grace: timedelta) -> timedelta:
    """How long an order announced again ``requeues`` times before waits for its next one."""
    return min(grace * 2**requeues, LONGEST_WAIT)


def requeue_stragglers(
    orders: OrderRepository,
    publisher: OrderEventPublisher,
    grace: timedelta,
    limit: int = 100,
    clock: Clock = utc_now,
) -> int:
    """Announces again every order owed work for longer than its wait; returns how many."""
    now = clock()
    requeued = 0
    for awaiting, kind in EVENT_FOR.items():
        for owed in orders.owed_work(awaiting, since_before=now - grace, limit=limit):
            wait = wait_after(owed.requeues, grace)
            # Counted as waiting since `now + wait - grace`, the order is owed again once `wait` has
            # passed. Recorded before announcing: a failed announcement is retried after the wait,
            # and two sweeps never announce the same order at once.
            if not orders.wait_again(owed, awaiting, waiting_since=now + wait - grace):
                continue
            publisher.announce(kind, owed.order, owed.correlation_id, now)
            logger.warning("re-queued an order the worker never got", order_id=owed.order.id, awaiting=awaiting,
                           correlation_id=owed.correlation_id, requeues=owed.requeues + 1, next_in_seconds=int(wait.total_seconds()))
            requeued += 1
    metrics.add_metric(name="OrdersRequeued", unit="Count", value=requeued)
    return requeued
