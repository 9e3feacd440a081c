"""Delivers events to the worker as AWS does: the SQS event source mapping, and schedules.

The SQS event source mapping:

- batches of up to ``batchSize`` messages, waiting up to ``maximumBatchingWindow``;
- with ``ReportBatchItemFailures``, only the messages the function did not
  report as failed are deleted; a failed invocation deletes none;
- what is not deleted comes back after the queue's visibility timeout, and the
  queue's own redrive policy moves it to the dead-letter queue after 5 receives.

The worker runs under ``serverless offline``; this invokes it through the
Lambda Invoke API that serverless offline serves.
"""

import json
import logging
import threading
from dataclasses import dataclass
from typing import Any

from devstack.lambda_events import received_messages_event, scheduled_event

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class EventSourceMapping:
    function_name: str
    queue_url: str
    queue_arn: str
    region: str
    batch_size: int = 10
    batching_window_seconds: int = 0
    report_batch_item_failures: bool = True


class QueueDelivery:
    def __init__(self, sqs: Any, lambda_client: Any, mapping: EventSourceMapping) -> None:
        self._sqs = sqs
        self._lambda = lambda_client
        self._mapping = mapping

    def deliver_once(self) -> tuple[int, int]:
        """Receives one batch and invokes the function; returns (delivered, deleted)."""
        messages = self._sqs.receive_message(
            QueueUrl=self._mapping.queue_url,
            MaxNumberOfMessages=self._mapping.batch_size,
            WaitTimeSeconds=max(1, self._mapping.batching_window_seconds),
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not messages:
            return 0, 0
        event = received_messages_event(messages, self._mapping.queue_arn, self._mapping.region)
        done = self._invoke(event, {message["MessageId"] for message in messages})
        to_delete = [message for message in messages if message["MessageId"] in done]
        if to_delete:
            self._sqs.delete_message_batch(
                QueueUrl=self._mapping.queue_url,
                Entries=[{"Id": str(index), "ReceiptHandle": message["ReceiptHandle"]} for index, message in enumerate(to_delete)],
            )
        return len(messages), len(to_delete)

    def _invoke(self, event: dict[str, Any], message_ids: set[str]) -> set[str]:
        """The ids of the messages the function handled."""
        try:
            response = self._lambda.invoke(FunctionName=self._mapping.function_name, Payload=json.dumps(event).encode())
            payload = json.loads(response["Payload"].read() or b"null")
        except Exception:
            logger.exception("worker invocation failed; the whole batch will be redelivered")
            return set()
        if response.get("FunctionError") or not isinstance(payload, dict) or "errorType" in payload:
            logger.error("worker reported an error; the whole batch will be redelivered: %s", payload)
            return set()
        if not self._mapping.report_batch_item_failures:
            return message_ids
        failures = payload.get("batchItemFailures") or []
        failed = {failure.get("itemIdentifier") for failure in failures}
        if None in failed or "" in failed or not failed <= message_ids:
            # AWS treats a malformed failure report as the whole batch failing.
            return set()
        return message_ids - failed

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                self.deliver_once()
            except Exception:
                logger.exception("queue delivery round failed; retrying")
                stop.wait(1)


def rate_seconds(expression: str) -> int:
    """Seconds between runs of an EventBridge ``rate(N unit)`` schedule."""
    amount, unit = expression.removeprefix("rate(").removesuffix(")").split()
    return int(amount) * {"minute": 60, "minutes": 60, "hour": 3600, "hours": 3600, "day": 86400, "days": 86400}[unit]


class Schedule:
    """Invokes a function on its schedule, as an EventBridge rule would."""

    def __init__(self, lambda_client: Any, function_name: str, every_seconds: int) -> None:
        self._lambda = lambda_client
        self._function_name = function_name
        self._every = every_seconds

    def run(self, stop: threading.Event) -> None:
        while not stop.wait(self._every):
            try:
                self._lambda.invoke(FunctionName=self._function_name, Payload=json.dumps(scheduled_event(self._function_name)).encode())
            except Exception:
                logger.exception("scheduled invocation of %s failed", self._function_name)
