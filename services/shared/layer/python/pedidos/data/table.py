"""The single table's key layout and the (de)serialisation every repository shares.

Layout (one table, three entity shapes):

| item    | PK              | SK      | GSI1PK (by-owner)   | GSI1SK            | GSI2PK (by-owner-status)      |
|---------|-----------------|---------|---------------------|-------------------|-------------------------------|
| product | PRODUCT#<sku>   | PRODUCT | PRODUCTS            | <sku>             | -                             |
| order   | ORDER#<id>      | ORDER   | CUSTOMER#<customer> | <created_at>#<id> | CUSTOMER#<customer>#<status>  |

An order also carries GSI3PK (AWAITING_DECISION | AWAITING_RESTOCK) and GSI3SK
(<since>#<id>) while the worker owes it work, and ``requeues``, how many times
the sweep has announced it again.

GSI1 lists the catalog by sku and a customer's orders newest first; GSI2 does
the same for one status. GSI3 is sparse: an order is in it, under
AWAITING_DECISION or AWAITING_RESTOCK and by the time it got there (moved
later by each re-announcement), only while the worker still owes it work, so
the sweep finds stragglers without a scan.
All three are Query-only: nothing ever scans the table.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

T = TypeVar("T")

BY_OWNER_INDEX = "GSI1"
BY_OWNER_STATUS_INDEX = "GSI2"
PENDING_WORK_INDEX = "GSI3"
KEY_ATTRIBUTES = ("PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK", "GSI3PK", "GSI3SK")

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


@dataclass(frozen=True)
class ItemsPage(Generic[T]):
    items: list[T]
    last_key: dict[str, str] | None


def to_attributes(values: dict[str, Any]) -> dict[str, dict]:
    return {name: _serializer.serialize(value) for name, value in values.items() if value is not None}


def to_attribute(value: Any) -> dict:
    return _serializer.serialize(value)


def from_attributes(item: dict[str, dict]) -> dict[str, Any]:
    return {name: _plain(_deserializer.deserialize(value)) for name, value in item.items()}


def _plain(value: Any) -> Any:
    """DynamoDB numbers come back as Decimal; every number Pedidos stores is whole."""
    if isinstance(value, Decimal):
        return int(value)
    if isinstance(value, list):
        return [_plain(each) for each in value]
    if isinstance(value, dict):
        return {name: _plain(each) for name, each in value.items()}
    return value


def without_keys(values: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if name not in KEY_ATTRIBUTES}


def start_key(last_key: dict[str, str] | None) -> dict[str, Any]:
    return {"ExclusiveStartKey": to_attributes(last_key)} if last_key else {}


def last_key(response: dict[str, Any]) -> dict[str, str] | None:
    key = response.get("LastEvaluatedKey")
    return from_attributes(key) if key else None


def is_condition_failure(error: Exception) -> bool:
    return isinstance(error, ClientError) and error.response["Error"]["Code"] == "ConditionalCheckFailedException"
