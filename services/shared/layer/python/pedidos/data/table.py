"""The (de)serialisation and paging every repository shares; the key layout is in ``keys``."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

T = TypeVar("T")

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


def start_key(last_key: dict[str, str] | None) -> dict[str, Any]:
    return {"ExclusiveStartKey": to_attributes(last_key)} if last_key else {}


def last_key(response: dict[str, Any]) -> dict[str, str] | None:
    key = response.get("LastEvaluatedKey")
    return from_attributes(key) if key else None


def is_condition_failure(error: Exception) -> bool:
    return isinstance(error, ClientError) and error.response["Error"]["Code"] == "ConditionalCheckFailedException"
