"""The local event source mapping deletes exactly what AWS's would."""

import io
import json
import threading
from typing import Any

from devstack.queue_delivery import EventSourceMapping, QueueDelivery, Schedule

MAPPING = EventSourceMapping(function_name="worker", queue_url="q", queue_arn="arn:q", region="eu-west-1", batch_size=10)


class FakeQueue:
    def __init__(self, count: int) -> None:
        self.messages = [
            {"MessageId": f"m{n}", "ReceiptHandle": f"r{n}", "Body": "{}", "MD5OfBody": "", "MessageAttributes": {"type": {"DataType": "String", "StringValue": "OrderPlaced"}}}
            for n in range(count)
        ]
        self.deleted: list[str] = []

    def receive_message(self, **request) -> dict:
        assert request["MaxNumberOfMessages"] == 10
        return {"Messages": self.messages}

    def delete_message_batch(self, QueueUrl: str, Entries: list[dict]) -> None:  # the boto3 API
        self.deleted += [entry["ReceiptHandle"] for entry in Entries]


class FakeFunction:
    def __init__(self, reply: object, function_error: str | None = None) -> None:
        self.reply, self.function_error = reply, function_error
        self.events: list[dict[str, Any]] = []  # the payloads it was invoked with

    def invoke(self, FunctionName: str, Payload: bytes) -> dict:  # the boto3 API
        self.events.append(json.loads(Payload))
        response: dict[str, object] = {"Payload": io.BytesIO(json.dumps(self.reply).encode())}
        if self.function_error:
            response["FunctionError"] = self.function_error
        return response


def test_only_the_messages_not_reported_as_failed_are_deleted():
    queue, function = FakeQueue(3), FakeFunction({"batchItemFailures": [{"itemIdentifier": "m1"}]})
    assert QueueDelivery(queue, function, MAPPING).deliver_once() == (3, 2)
    assert queue.deleted == ["r0", "r2"]
    [record, *_] = function.events[0]["Records"]
    assert record["eventSource"] == "aws:sqs"
    assert record["messageAttributes"]["type"]["stringValue"] == "OrderPlaced"


def test_a_failed_invocation_or_a_malformed_report_deletes_nothing():
    for function in (
        FakeFunction({"errorMessage": "boom"}, function_error="Unhandled"),
        FakeFunction({"errorType": "BatchProcessingError", "errorMessage": "All records failed"}),
        FakeFunction({"batchItemFailures": [{"itemIdentifier": "not-in-batch"}]}),
        FakeFunction({"batchItemFailures": [{}]}),
        FakeFunction(None),
    ):
        queue = FakeQueue(2)
        QueueDelivery(queue, function, MAPPING).deliver_once()
        assert queue.deleted == []


def test_a_full_success_deletes_the_batch():
    queue = FakeQueue(2)
    QueueDelivery(queue, FakeFunction({"batchItemFailures": []}), MAPPING).deliver_once()
    assert queue.deleted == ["r0", "r1"]


def test_a_schedule_sends_what_an_eventbridge_rule_sends():
    stop = threading.Event()

    class OnceFunction(FakeFunction):
        def invoke(self, FunctionName: str, Payload: bytes) -> dict:
            stop.set()
            return super().invoke(FunctionName, Payload)

    function = OnceFunction({"requeued": 0})
    Schedule(function, "pedidos-local-sweep", every_seconds=0).run(stop)
    [event] = function.events
    assert (event["source"], event["detail-type"]) == ("aws.events", "Scheduled Event")
    assert event["resources"] == ["arn:aws:events:eu-west-1:123456789012:rule/pedidos-local-sweep"]
