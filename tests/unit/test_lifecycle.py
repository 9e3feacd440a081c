"""The order lifecycle, as pure code: which transitions exist, and what each status change is conditional on."""

import itertools

import pytest

from pedidos.models import OrderStatus

PENDING, CONFIRMED, REJECTED, CANCELLED = OrderStatus.PENDING, OrderStatus.CONFIRMED, OrderStatus.REJECTED, OrderStatus.CANCELLED
# SPEC: PENDING -> CONFIRMED | REJECTED (the worker decides); PENDING | CONFIRMED -> CANCELLED. No other transition exists.
SPEC_TRANSITIONS = {(PENDING, CONFIRMED), (PENDING, REJECTED), (PENDING, CANCELLED), (CONFIRMED, CANCELLED)}


@pytest.mark.parametrize(("source", "target"), list(itertools.product(OrderStatus, repeat=2)))
def test_exactly_the_specs_transitions_exist(source, target):
    assert source.can_become(target) == ((source, target) in SPEC_TRANSITIONS)


def test_each_status_change_is_conditional_on_the_statuses_it_may_come_from():
    assert OrderStatus.that_can_become(CANCELLED) == (PENDING, CONFIRMED)
    assert OrderStatus.that_can_become(CONFIRMED) == (PENDING,)
    assert OrderStatus.that_can_become(REJECTED) == (PENDING,)
    assert OrderStatus.that_can_become(PENDING) == ()


def test_decided_and_cancelled_orders_are_final():
    assert not any(REJECTED.can_become(status) or CANCELLED.can_become(status) for status in OrderStatus)
