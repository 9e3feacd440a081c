"""The SQS publisher: the only module that talks to SQS."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from pedidos.models import EventType, OrderEvent

if TYPE_CHECKING:
    from types_boto3_sqs import SQSClient


class OrderEventPublisher:
    def __init__(self, client: SQSClient, queue_url: str) -> None:
        self._client = client
        self._queue_url = queue_url

    def publish(self, event: OrderEvent) -> None:
        self._client.send_message(
            QueueUrl=self._queue_url,
            MessageBody=event.model_dump_json(),
            # Repeated as attributes so consumers and tooling can route or trace
            # a message without parsing its body.
            MessageAttributes={
                "type": {"DataType": "String", "StringValue": str(event.type)},
                "correlation_id": {"DataType": "String", "StringValue": event.correlation_id},
            },
        )

    def announce(self, kind: EventType, order_id: str, customer_id: str, correlation_id: str, now: datetime) -> None:
        """Publishes a new event of ``kind`` about an order."""
        event = OrderEvent(
            type=kind,
            event_id=str(uuid.uuid4()),
            order_id=order_id,
            customer_id=customer_id,
            occurred_at=now,
            correlation_id=correlation_id,
        )
        self.publish(event)
