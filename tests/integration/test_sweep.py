"""The lost hand-off: an order stored but never queued is re-queued by the sweep, and decided once;
an order the worker never decides is announced again less and less often."""

import json
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Unpack, cast

import pytest

from devstack.lambda_events import LambdaContext, sqs_event
from pedidos.data.keys import PENDING_WORK_SHARDS, order_key, shard_of
from pedidos.messaging import OrderEventPublisher
from pedidos.models import Order, PlaceOrderRequest
from pedidos_api import ordering
from pedidos_api.identity import Principal
from pedidos_worker import dependencies
from pedidos_worker.handlers.orders_queue import handler as worker_handler
from pedidos_worker.sweep import SweepIncomplete, requeue_stragglers

if TYPE_CHECKING:
    from types_boto3_sqs import SQSClient
    from types_boto3_sqs.type_defs import SendMessageRequestTypeDef, SendMessageResultTypeDef

GRACE = timedelta(minutes=3)
ADMIN = {"customer": "admin-1", "admin": True}


class RefusingSqs:
    """SQS during an outage: every send fails after the order is written."""

    def send_message(self, **request: object) -> None:
        raise ConnectionError("SQS is unreachable")


@pytest.fixture
def broken_publisher(lambda_environment) -> OrderEventPublisher:
    # Stands in for the SQS client: the publisher calls send_message alone.
    return OrderEventPublisher(cast("SQSClient", RefusingSqs()), lambda_environment["ORDERS_QUEUE_URL"])


@pytest.fixture
def drain(local_aws, lambda_environment):
    """Takes every message off the orders queue, so each test sees only its own."""
    sqs, url = local_aws.client("sqs"), lambda_environment["ORDERS_QUEUE_URL"]

    def take() -> list[str]:
        bodies = []
        while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
            for message in messages:
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
                bodies.append(message["Body"])
        return bodies

    take()
    return take


def later(minutes: int):
    return lambda: datetime.now(UTC) + timedelta(minutes=minutes)


def sweep(minutes_later: int) -> int:
    return requeue_stragglers(dependencies.pending_work(), dependencies.publisher(), GRACE, limit=1000, clock=later(minutes_later)).requeued


def product(call_api, new_sku, stock: int) -> str:
    sku = new_sku()
    call_api("POST", "/products", body={"sku": sku, "name": "Thing", "price_cents": 100, "stock": stock}, **ADMIN)
    return sku


def placed_while_sqs_is_down(publisher: OrderEventPublisher, sku: str, quantity: int, customer: str, correlation_id: str) -> Order:
    """An order stored by the API whose OrderPlaced event never reached the queue."""
    request = PlaceOrderRequest.model_validate({"lines": [{"sku": sku, "quantity": quantity}]})
    return ordering.place_order(
        request, Principal(customer), correlation_id, orders=dependencies.orders(), publisher=publisher, currency="EUR"
    )


def test_an_order_whose_event_was_lost_is_requeued_then_decided_once(call_api, new_sku, broken_publisher, drain):
    sku = product(call_api, new_sku, stock=5)
    order = placed_while_sqs_is_down(broken_publisher, sku, 2, "lost-1", "corr-lost")
    assert dependencies.orders().get(order.id).status == "PENDING"
    assert drain() == []

    assert sweep(minutes_later=1) == 0  # within the grace period: the event may still be on its way
    assert sweep(minutes_later=4) >= 1
    [requeued] = [json.loads(body) for body in drain() if json.loads(body)["order_id"] == order.id]
    assert (requeued["type"], requeued["correlation_id"]) == ("OrderPlaced", "corr-lost")

    # The re-queued event, and then the original one turning up late after all.
    worker_handler(sqs_event([json.dumps(requeued)]), LambdaContext())
    worker_handler(sqs_event([json.dumps({**requeued, "event_id": "the-original"})]), LambdaContext())
    assert dependencies.orders().get(order.id).status == "CONFIRMED"
    assert dependencies.products().get(sku).stock == 3
    assert order.id not in [owed.order_id for owed in dependencies.pending_work().owed_work("AWAITING_DECISION", later(10)(), 1000)]


def test_a_lost_cancellation_is_requeued_and_restocks_once(call_api, new_sku, broken_publisher, drain):
    sku = product(call_api, new_sku, stock=5)
    placed = call_api("POST", "/orders", body={"lines": [{"sku": sku, "quantity": 4}]}, customer="lost-2").json()
    [placement] = [body for body in drain() if json.loads(body)["order_id"] == placed["id"]]
    worker_handler(sqs_event([placement]), LambdaContext())
    assert dependencies.products().get(sku).stock == 1

    ordering.cancel_order(placed["id"], Principal("lost-2"), "corr-cancel", orders=dependencies.orders(), publisher=broken_publisher)
    assert sweep(minutes_later=4) >= 1
    [cancellation] = [body for body in drain() if json.loads(body)["order_id"] == placed["id"]]
    assert json.loads(cancellation)["type"] == "OrderCancelled"
    worker_handler(sqs_event([cancellation, cancellation]), LambdaContext())
    assert dependencies.products().get(sku).stock == 5
    owed = [each.order_id for each in dependencies.pending_work().owed_work("AWAITING_RESTOCK", later(10)(), 1000)]
    assert placed["id"] not in owed


def test_a_cancelled_pending_order_leaves_the_sweeps_view_once_handled(call_api, new_sku, drain):
    sku = product(call_api, new_sku, stock=5)
    placed = call_api("POST", "/orders", body={"lines": [{"sku": sku, "quantity": 1}]}, customer="lost-3").json()
    call_api("POST", f"/orders/{placed['id']}/cancel", customer="lost-3")
    events = [body for body in drain() if json.loads(body)["order_id"] == placed["id"]]
    worker_handler(sqs_event(events), LambdaContext())
    for awaiting in ("AWAITING_DECISION", "AWAITING_RESTOCK"):
        assert placed["id"] not in [each.order_id for each in dependencies.pending_work().owed_work(awaiting, later(10)(), 1000)]
    assert dependencies.products().get(sku).stock == 5


def test_an_order_never_decided_is_announced_again_ever_less_often(call_api, new_sku, broken_publisher, drain):
    sku = product(call_api, new_sku, stock=5)
    order = placed_while_sqs_is_down(broken_publisher, sku, 1, "stuck-1", "corr-stuck")

    def announced_at(minutes_later: int) -> bool:
        sweep(minutes_later)
        return order.id in [json.loads(body)["order_id"] for body in drain()]

    # The worker never takes the events: the waits after each announcement are 3, 6, 12 minutes.
    schedule = {4: True, 5: False, 6: False, 8: True, 13: False, 15: True, 26: False, 28: True}
    assert {minutes: announced_at(minutes) for minutes in schedule} == schedule
    [owed] = [each for each in dependencies.pending_work().owed_work("AWAITING_DECISION", later(60)(), 1000) if each.order_id == order.id]
    assert owed.requeues == 4


def test_a_cancellation_owed_a_restock_starts_a_count_of_its_own(call_api, new_sku, broken_publisher, drain):
    sku = product(call_api, new_sku, stock=5)
    order = placed_while_sqs_is_down(broken_publisher, sku, 1, "stuck-2", "corr-stuck-2")
    sweep(minutes_later=4)
    ordering.cancel_order(order.id, Principal("stuck-2"), "corr-stuck-2", orders=dependencies.orders(), publisher=broken_publisher)
    drain()
    [owed] = [each for each in dependencies.pending_work().owed_work("AWAITING_RESTOCK", later(60)(), 1000) if each.order_id == order.id]
    assert owed.requeues == 0



class SqsRefusingOne:
    """SQS that refuses the messages about one order and delivers the rest."""

    def __init__(self, sqs: "SQSClient", order_id: str) -> None:
        self.sqs, self.order_id = sqs, order_id

    def send_message(self, **request: "Unpack[SendMessageRequestTypeDef]") -> "SendMessageResultTypeDef":
        if json.loads(request["MessageBody"])["order_id"] == self.order_id:
            raise ConnectionError("SQS refused this one")
        return self.sqs.send_message(**request)


def test_an_order_announced_for_weeks_neither_stops_the_sweep_nor_hides_one_lost_after_it(
    call_api, new_sku, broken_publisher, drain, local_aws, lambda_environment
):
    sku = product(call_api, new_sku, stock=5)
    stuck = placed_while_sqs_is_down(broken_publisher, sku, 1, "stuck-3", "corr-stuck-3")
    # Where 30 days of announcements the worker never acted on leave an order: 120 re-queues.
    local_aws.client("dynamodb").update_item(
        TableName=lambda_environment["TABLE_NAME"],
        Key=order_key(stuck.id),
        UpdateExpression="SET requeues = :count",
        ExpressionAttributeValues={":count": {"N": "120"}},
    )
    lost = placed_while_sqs_is_down(broken_publisher, sku, 1, "lost-4", "corr-lost-4")

    sweep(minutes_later=4)
    announced = [json.loads(body)["order_id"] for body in drain()]
    assert stuck.id in announced and lost.id in announced


def test_a_refused_announcement_does_not_stop_the_run(call_api, new_sku, broken_publisher, drain, local_aws, lambda_environment):
    sku = product(call_api, new_sku, stock=5)
    refused = placed_while_sqs_is_down(broken_publisher, sku, 1, "lost-5", "corr-lost-5")
    lost = placed_while_sqs_is_down(broken_publisher, sku, 1, "lost-6", "corr-lost-6")
    refusing = cast("SQSClient", SqsRefusingOne(local_aws.client("sqs"), refused.id))
    publisher = OrderEventPublisher(refusing, lambda_environment["ORDERS_QUEUE_URL"])

    with pytest.raises(SweepIncomplete) as incomplete:
        requeue_stragglers(dependencies.pending_work(), publisher, GRACE, limit=1000, clock=later(4))
    assert incomplete.value.outcome.failed == 1
    assert lost.id in [json.loads(body)["order_id"] for body in drain()]
    # The refused one is tried again once its wait has passed.
    assert sweep(minutes_later=4 + 7) >= 1
    assert refused.id in [json.loads(body)["order_id"] for body in drain()]


def test_the_sweep_finds_lost_orders_in_every_shard_of_the_pending_work_index(call_api, new_sku, broken_publisher, drain, local_aws, lambda_environment):
    sku = product(call_api, new_sku, stock=10_000)
    lost: dict[int, list[str]] = {}
    while len(lost) < PENDING_WORK_SHARDS:  # orders until every shard holds at least one
        order = placed_while_sqs_is_down(broken_publisher, sku, 1, "lost-everywhere", "corr-everywhere")
        lost.setdefault(shard_of(order.id, PENDING_WORK_SHARDS), []).append(order.id)
    [order_id, *_] = lost[0]
    stored = local_aws.client("dynamodb").get_item(TableName=lambda_environment["TABLE_NAME"], Key=order_key(order_id))["Item"]
    assert stored["GSI3PK"] == {"S": "AWAITING_DECISION#00"}

    sweep(minutes_later=4)
    announced = {json.loads(body)["order_id"] for body in drain()}
    assert {order_id for orders in lost.values() for order_id in orders} <= announced
