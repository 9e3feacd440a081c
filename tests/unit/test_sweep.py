"""The sweep's schedule on an in-memory pending-work index, with a simulated clock.

The index keeps owed orders by the time they are counted as waiting since, oldest
first, as GSI3 does; `wait_again` moves an order in it only from where it was read.
"""

from datetime import UTC, datetime, timedelta

import pytest

from pedidos.clock import rfc3339
from pedidos.data import AWAITING_DECISION, OwedWork
from pedidos.models import EventType
from pedidos.ports import EventPublisher, PendingWorkStore
from pedidos_worker.sweep import LONGEST_WAIT, SweepIncomplete, requeue_stragglers, wait_after

GRACE = timedelta(minutes=3)
START = datetime(2026, 1, 1, tzinfo=UTC)
RUN_EVERY = timedelta(minutes=2)


class PendingWork(PendingWorkStore):
    """The pending-work index of one table: order id -> (awaiting, since key, requeues)."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[str, str, int]] = {}

    def lose(self, order_id: str, at: datetime) -> None:
        """An order stored at ``at`` whose event never reached the queue."""
        self.entries[order_id] = (AWAITING_DECISION, f"{rfc3339(at)}#{order_id}", 0)

    def owed_work(self, awaiting: str, since_before: datetime, limit: int) -> list[OwedWork]:
        cutoff = rfc3339(since_before)
        owed = sorted((key, order_id, requeues) for order_id, (kind, key, requeues) in self.entries.items() if kind == awaiting and key < cutoff)
        return [OwedWork(order_id, "customer", "corr", requeues, key, awaiting) for key, order_id, requeues in owed[:limit]]

    def wait_again(self, owed: OwedWork, waiting_since: datetime) -> bool:
        kind, key, requeues = self.entries[owed.order_id]
        if (kind, key) != (owed.index_partition, owed.index_key):
            return False
        self.entries[owed.order_id] = (kind, f"{rfc3339(waiting_since)}#{owed.order_id}", requeues + 1)
        return True


class Queue(EventPublisher):
    """Records announcements; refuses those of the orders named in ``refused``."""

    def __init__(self, refused: tuple[str, ...] = ()) -> None:
        self.announced: list[tuple[str, datetime]] = []
        self.refused = refused

    def announce(self, kind: EventType, order_id: str, customer_id: str, correlation_id: str, now: datetime) -> None:
        if order_id in self.refused:
            raise ConnectionError("SQS refused the message")
        self.announced.append((order_id, now))


def run_every_two_minutes(index: PendingWork, queue: Queue, since: datetime, until: datetime) -> None:
    now = since
    while now <= until:
        requeue_stragglers(index, queue, GRACE, clock=lambda moment=now: moment)  # type: ignore[misc]
        now += RUN_EVERY


def test_an_order_never_decided_for_thirty_days_does_not_stop_the_sweep_finding_a_new_one():
    index, queue = PendingWork(), Queue()
    index.lose("never-decided", START)
    end = START + timedelta(days=30)

    run_every_two_minutes(index, queue, START, end)
    announcements = [moment for order_id, moment in queue.announced if order_id == "never-decided"]
    # 3, 6, 12 ... minutes apart, then every 6 hours: about four a day once capped, not 720.
    assert 120 <= len(announcements) <= 130
    assert max(later - earlier for earlier, later in zip(announcements, announcements[1:], strict=False)) <= LONGEST_WAIT + RUN_EVERY

    index.lose("lost-today", end)
    run_every_two_minutes(index, queue, end + RUN_EVERY, end + GRACE + 2 * RUN_EVERY)
    assert "lost-today" in [order_id for order_id, _ in queue.announced]


def test_one_order_that_cannot_be_announced_does_not_stop_the_others():
    index, queue = PendingWork(), Queue(refused=("refused",))
    index.lose("refused", START)
    index.lose("fine", START + timedelta(seconds=1))

    with pytest.raises(SweepIncomplete) as incomplete:
        requeue_stragglers(index, queue, GRACE, clock=lambda: START + 2 * GRACE)
    # The run went on past the refused one, then failed, which the sweep's errors alarm counts.
    assert (incomplete.value.outcome.requeued, incomplete.value.outcome.failed) == (1, 1)
    assert [order_id for order_id, _ in queue.announced] == ["fine"]
    # The refused one was moved on before the announcement: it is tried again after its wait.
    assert index.entries["refused"][2] == 1


@pytest.mark.parametrize("requeues", [0, 1, 7, 39, 60, 10**6, 10**18])
@pytest.mark.parametrize("grace", [timedelta(seconds=30), GRACE, LONGEST_WAIT, 2 * LONGEST_WAIT])
def test_the_wait_is_bounded_for_any_count(requeues, grace):
    assert min(grace, LONGEST_WAIT) <= wait_after(requeues, grace) <= LONGEST_WAIT


def test_the_wait_doubles_up_to_six_hours():
    assert [wait_after(requeues, GRACE) for requeues in (0, 1, 2, 3)] == [GRACE, 2 * GRACE, 4 * GRACE, 8 * GRACE]
    assert wait_after(7, GRACE) == LONGEST_WAIT == timedelta(hours=6)
    assert wait_after(6, GRACE) == 64 * GRACE
