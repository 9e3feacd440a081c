"""Faults in the worker, against the local endpoint: throttling, poison, crashes between steps."""

import io
import json
import time
import uuid

import pytest
from botocore.exceptions import ClientError

from devstack.lambda_events import LambdaContext, order_event, sqs_event
from devstack.provision import queue_attributes
from devstack.queue_delivery import EventSourceMapping, QueueDelivery
from infra.definitions import resolved_config
from pedidos import clients
from pedidos.models import EventType
from pedidos_worker import dependencies
from pedidos_worker.handlers.orders_queue import handler as worker_handler

ADMIN = {"customer": "admin-1", "admin": True}


def placed_event(order: dict) -> str:
    return order_event(EventType.ORDER_PLACED, order["id"], order["customer_id"], f"corr-{order['id'][:8]}").model_dump_json()


@pytest.fixture
def order_for(call_api, new_sku):
    def make(stock: int = 10, quantity: int = 1) -> tuple[dict, str]:
        sku = new_sku()
        call_api("POST", "/products", body={"sku": sku, "name": "Thing", "price_cents": 100, "stock": stock}, **ADMIN)
        return call_api("POST", "/orders", body={"lines": [{"sku": sku, "quantity": quantity}]}, customer="faulty").json(), sku

    return make


@pytest.fixture
def throttle_orders():
    """Makes DynamoDB throttle every transaction that touches the given orders."""
    throttled: set[str] = set()
    events = clients.dynamodb().meta.events

    def throttle(params: dict, **_: object) -> None:
        keys = {item["Update"]["Key"]["PK"]["S"] for item in params.get("TransactItems", [])}
        if keys & {f"ORDER#{order_id}" for order_id in throttled}:
            raise ClientError({"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "throttled"}}, "TransactWriteItems")

    events.register("before-parameter-build.dynamodb.TransactWriteItems", throttle)
    yield throttled
    events.unregister("before-parameter-build.dynamodb.TransactWriteItems", throttle)


def test_a_throttled_record_is_retried_alone_and_its_batch_completes(order_for, throttle_orders):
    (slow, slow_sku), (fast, fast_sku) = order_for(), order_for()
    throttle_orders.add(slow["id"])
    batch = sqs_event([placed_event(slow), placed_event(fast)])
    response = worker_handler(batch, LambdaContext())
    assert response["batchItemFailures"] == [{"itemIdentifier": batch["Records"][0]["messageId"]}]
    assert dependencies.orders().get(fast["id"]).status == "CONFIRMED"
    assert dependencies.orders().get(slow["id"]).status == "PENDING"

    throttle_orders.clear()  # the throttling passes; SQS delivers the record again
    assert worker_handler({"Records": [batch["Records"][0]]}, LambdaContext()) == {"batchItemFailures": []}
    assert dependencies.orders().get(slow["id"]).status == "CONFIRMED"
    assert dependencies.products().get(slow_sku).stock == dependencies.products().get(fast_sku).stock == 9


def test_a_worker_that_dies_after_the_transaction_changes_nothing_on_redelivery(order_for):
    order, sku = order_for(stock=5, quantity=2)
    record = sqs_event([placed_event(order)])
    worker_handler(record, LambdaContext())
    # The process died before SQS heard back: the message comes back, and only the
    # order's own state says it was handled.
    assert worker_handler(record, LambdaContext()) == {"batchItemFailures": []}
    assert dependencies.products().get(sku).stock == 3
    assert dependencies.orders().get(order["id"]).version == 2


class InProcessWorker:
    """The Lambda Invoke API, answered by the real worker handler in this process."""

    def invoke(self, FunctionName: str, Payload: bytes) -> dict:  # the boto3 API
        result = worker_handler(json.loads(Payload), LambdaContext())
        return {"Payload": io.BytesIO(json.dumps(result).encode())}


@pytest.fixture
def fast_queue(local_aws):
    """The orders queue and its dead-letter queue as shared defines them, with a 1 s visibility timeout."""
    resources = resolved_config("shared")["resources"]["Resources"]
    sqs = local_aws.client("sqs")
    suffix = uuid.uuid4().hex[:8]
    dead = sqs.create_queue(QueueName=f"dlq-{suffix}")["QueueUrl"]
    dead_arn = sqs.get_queue_attributes(QueueUrl=dead, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    attributes = queue_attributes(resources["OrdersQueue"]["Properties"], {"OrdersDeadLetterQueue": dead_arn})
    url = sqs.create_queue(QueueName=f"orders-{suffix}", Attributes={**attributes, "VisibilityTimeout": "1"})["QueueUrl"]
    return sqs, url, dead, json.loads(attributes["RedrivePolicy"])["maxReceiveCount"]


@pytest.mark.parametrize("poison", ["not json", json.dumps({"type": "OrderShipped", "version": 1}), "unknown-order"])
def test_a_poison_message_is_dead_lettered_after_5_receives_without_holding_up_the_queue(order_for, fast_queue, poison):
    sqs, url, dead, max_receives = fast_queue
    assert max_receives == 5
    if poison == "unknown-order":
        poison = placed_event({"id": str(uuid.uuid4()), "customer_id": "nobody"})
    sqs.send_message(QueueUrl=url, MessageBody=poison)
    good, _ = order_for()
    sqs.send_message(QueueUrl=url, MessageBody=placed_event(good))
    mapping = EventSourceMapping(function_name="worker", queue_url=url, queue_arn="arn:aws:sqs:eu-west-1:123456789012:orders", region="eu-west-1")
    delivery = QueueDelivery(sqs, InProcessWorker(), mapping)

    delivery.deliver_once()
    assert dependencies.orders().get(good["id"]).status == "CONFIRMED"  # decided in the first round, beside the poison
    deadline = time.monotonic() + 30
    while not sqs.receive_message(QueueUrl=dead, VisibilityTimeout=0).get("Messages") and time.monotonic() < deadline:
        time.sleep(1.1)
        delivery.deliver_once()
    [dead_letter] = sqs.receive_message(QueueUrl=dead, AttributeNames=["ApproximateReceiveCount"]).get("Messages", [])
    assert dead_letter["Body"] == poison
    assert sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0).get("Messages") is None
