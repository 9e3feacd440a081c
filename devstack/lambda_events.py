"""Lambda events shaped as AWS sends them, and the context Lambda passes beside them.

The one description of these shapes: every test layer invokes the handlers with
them, the benchmark times the handlers on them, and the local event source mapping
(devstack/queue_delivery.py) and schedules hand them to the worker under
serverless offline. Event bodies come from the shared models (``OrderEvent``).
"""

import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from pydantic import BaseModel

from pedidos.models import EventType, OrderEvent

REGION = "eu-west-1"
ACCOUNT = "123456789012"
ORDERS_QUEUE_ARN = f"arn:aws:sqs:{REGION}:{ACCOUNT}:pedidos-local-orders"
METHOD_ARN = f"arn:aws:execute-api:{REGION}:{ACCOUNT}:local/local/GET/orders"


@dataclass
class LambdaContext:
    function_name: str = "pedidos-tests"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:pedidos-tests"
    aws_request_id: str = "00000000-0000-0000-0000-000000000000"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 10_000


def api_event(
    method: str,
    url: str,
    *,
    body: Any = None,
    customer: str | None = None,
    admin: bool = False,
    authorizer_context: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A REST API proxy event as API Gateway sends it after the token authorizer allowed ``customer``:
    the context the authorizer returned (``authorizer_context``, or the one it returns for ``customer``
    and ``admin``) with the ``principalId`` and latency API Gateway adds; none without a customer.
    A model body is sent as its JSON, any other body that is not a string as JSON."""
    parts = urlsplit(url)
    query = {name: values[-1] for name, values in parse_qs(parts.query).items()} or None
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    if isinstance(body, BaseModel):
        body = body.model_dump_json()
    elif body is not None and not isinstance(body, str):
        body = json.dumps(body)
    authorizer = None
    if customer is not None:
        context = authorizer_context or {"customer_id": customer, "admin": "true" if admin else "false"}
        authorizer = {"principalId": customer, **context, "integrationLatency": 1}
    return {
        "resource": parts.path,
        "path": parts.path,
        "httpMethod": method,
        "headers": all_headers,
        "multiValueHeaders": {name: [value] for name, value in all_headers.items()},
        "queryStringParameters": query,
        "multiValueQueryStringParameters": {name: [value] for name, value in (query or {}).items()} or None,
        "pathParameters": None,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": parts.path,
            "httpMethod": method,
            "path": f"/local{parts.path}",
            "stage": "local",
            "requestId": str(uuid.uuid4()),
            "accountId": ACCOUNT,
            "apiId": "local",
            "identity": {"sourceIp": "127.0.0.1"},
            "authorizer": authorizer,
        },
        "body": body,
        "isBase64Encoded": False,
    }


def token_authorizer_event(authorization: str, method_arn: str = METHOD_ARN) -> dict[str, str]:
    """What API Gateway sends a TOKEN authorizer: the Authorization header's value, as the client sent it."""
    return {"type": "TOKEN", "authorizationToken": authorization, "methodArn": method_arn}


def order_event(kind: EventType | str, order_id: str, customer_id: str, correlation_id: str = "corr-local") -> OrderEvent:
    """A new event about an order, as the API publishes it."""
    return OrderEvent(
        type=kind, event_id=str(uuid.uuid4()), order_id=order_id, customer_id=customer_id,
        occurred_at=datetime.now(UTC), correlation_id=correlation_id,
    )


def sqs_event(bodies: Iterable[str | OrderEvent], queue_arn: str = ORDERS_QUEUE_ARN) -> dict[str, Any]:
    """A batch from the SQS event source mapping, one record per body, each received once."""
    return {
        "Records": [
            _sqs_record(
                body if isinstance(body, str) else body.model_dump_json(),
                message_id=str(uuid.uuid4()),
                receipt_handle=f"handle-{uuid.uuid4().hex}",
                attributes={"ApproximateReceiveCount": "1"},
                message_attributes={},
                queue_arn=queue_arn,
            )
            for body in bodies
        ]
    }


def received_messages_event(messages: Iterable[dict[str, Any]], queue_arn: str, region: str = REGION) -> dict[str, Any]:
    """The batch the event source mapping invokes a function with for messages it received
    (ReceiveMessage's shape: attributes and message attributes asked for with ``All``)."""
    return {
        "Records": [
            _sqs_record(
                message["Body"],
                message_id=message["MessageId"],
                receipt_handle=message["ReceiptHandle"],
                attributes=message.get("Attributes", {}),
                message_attributes={
                    name: {
                        "stringValue": value.get("StringValue"),
                        "binaryValue": value.get("BinaryValue"),
                        "stringListValues": [],
                        "binaryListValues": [],
                        "dataType": value["DataType"],
                    }
                    for name, value in message.get("MessageAttributes", {}).items()
                },
                queue_arn=queue_arn,
                region=region,
            )
            for message in messages
        ]
    }


def _sqs_record(
    body: str, *, message_id: str, receipt_handle: str, attributes: dict[str, str], message_attributes: dict[str, Any],
    queue_arn: str, region: str = REGION,
) -> dict[str, Any]:
    return {
        "messageId": message_id,
        "receiptHandle": receipt_handle,
        "body": body,
        "attributes": attributes,
        "messageAttributes": message_attributes,
        "md5OfBody": hashlib.md5(body.encode(), usedforsecurity=False).hexdigest(),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": region,
    }


def scheduled_event(rule_name: str) -> dict[str, Any]:
    """What the EventBridge rule ``rule_name`` sends its target when its schedule fires."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": ACCOUNT,
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": REGION,
        "resources": [f"arn:aws:events:{REGION}:{ACCOUNT}:rule/{rule_name}"],
        "detail": {},
    }
