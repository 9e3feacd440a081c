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

One order that cannot be announced never stops a run: the run goes on with the
others and fails only at its end (SweepIncomplete), so the function's errors
alarm tells of it.
"""

from dataclasses import dataclass
from datetime import timedelta

from pedidos.clock import utc_now
from pedidos.data import AWAITING_DECISION, AWAITING_RESTOCK
from pedidos.models import EventType
from pedidos.observability import logger, metrics
from pedidos.ports import Clock, EventPublisher, PendingWorkStore

EVENT_FOR = {AWAITING_DECISION: EventType.ORDER_PLACED, AWAITING_RESTOCK: EventType.ORDER_CANCELLED}
LONGEST_WAIT = timedelta(hours=6)


@dataclass(frozen=True)
class SweepOutcome:
    requeued: int
    failed: int


class SweepIncomplete(Exception):
    """Some owed orders could not be announced again; the next run tries them after their wait."""

    def __init__(self, outcome: SweepOutcome) -> None:
        super().__init__(f"{outcome.failed} owed orders could not be re-queued ({outcome.requeued} were)")
        self.outcome = outcome


def wait_after(requeues: int, grace: timedelta) -> timedelta:
    """How long an order announced again ``requeues`` times before waits for its next one.

    The doublings stop at the first that reaches the cap: any count, however large, then
    costs the same and never overflows a ``timedelta``.
    """
    doublings = min(requeues, (LONGEST_WAIT // grace).bit_length())
    return min(grace * (1 << doublings), LONGEST_WAIT)


def requeue_stragglers(
    pending: PendingWorkStore,
    publisher: EventPublisher,
    grace: timedelta,
    limit: int = 10,
    clock: Clock = utc_now,
) -> SweepOutcome:
    """Announces again every order owed work for longer than its wait, at most ``limit`` from
    each shard of each kind a run: 2 x 64 x 10 = 1,280, each a conditional write and an SQS
    send, fit the function's 60 s; a larger backlog is worked through run after run.

    Raises SweepIncomplete, once every other owed order was announced, when some could not be.
    """
    now = clock()
    requeued = failed = 0
    for awaiting, kind in EVENT_FOR.items():
        for owed in pending.owed_work(awaiting, since_before=now - grace, limit=limit):
            wait = wait_after(owed.requeues, grace)
            try:
                # Counted as waiting since `now + wait - grace`, the order is owed again once `wait`
                # has passed. Recorded before announcing: a failed announcement is retried after the
                # wait, and two sweeps never announce the same order at once.
                if not pending.wait_again(owed, waiting_since=now + wait - grace):
                    continue  # the worker, or another sweep, got to it first
                publisher.announce(kind, owed.order_id, owed.customer_id, owed.correlation_id, now)
            except Exception:
                logger.exception("could not re-queue an owed order; the next run tries again", order_id=owed.order_id)
                failed += 1
                continue
            logger.warning("re-queued an order the worker never got", order_id=owed.order_id, awaiting=awaiting,
                           correlation_id=owed.correlation_id, requeues=owed.requeues + 1, next_in_seconds=int(wait.total_seconds()))
            requeued += 1
    metrics.add_metric(name="OrdersRequeued", unit="Count", value=requeued)
    metrics.add_metric(name="RequeueFailures", unit="Count", value=failed)
    outcome = SweepOutcome(requeued, failed)
    if failed:
        # A failed invocation is what the sweep's errors alarm counts.
        raise SweepIncomplete(outcome)
    return outcome
