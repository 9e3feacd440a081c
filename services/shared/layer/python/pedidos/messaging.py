"""The SQS publisher: the only module that talks to SQS."""

from typing import Any

from pedidos.models import OrderEvent


class OrderEventPublisher:
    def __init__(self, client: Any, queue_url: str) -> None:
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
