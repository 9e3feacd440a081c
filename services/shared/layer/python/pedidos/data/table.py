"""The (de)serialisation, paging and batch reads every repository shares; the key layout is in ``keys``."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Generic, TypeAlias, TypeGuard, TypeVar

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from pedidos.errors import Contended

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient
    from types_boto3_dynamodb.type_defs import (
        AttributeValueTypeDef,
        KeysAndAttributesTypeDef,
        KeysAndAttributesUnionTypeDef,
        QueryOutputTypeDef,
    )

T = TypeVar("T")
# An item, or a key, as DynamoDB's API carries it: each attribute as {"S": ...}, {"N": ...}...
Item: TypeAlias = "dict[str, AttributeValueTypeDef]"

# A BatchGetItem takes at most 100 keys.
BATCH_ITEMS = 100
# Keys a throttled partition left unread are asked again after a jittered, doubling wait
# (botocore retries a throttled request, not the keys a batch left over): at most 0.35 s,
# short, as the worker waits out the Contended that follows within its own budget.
UNREAD_RETRIES = 3
_UNREAD_FIRST_WAIT_SECONDS = 0.05

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


@dataclass(frozen=True)
class ItemsPage(Generic[T]):
    items: list[T]
    last_key: dict[str, str] | None


def to_attributes(values: dict[str, Any]) -> Item:
    return {name: _serializer.serialize(value) for name, value in values.items() if value is not None}


def to_attribute(value: Any) -> AttributeValueTypeDef:
    return _serializer.serialize(value)


def from_attributes(item: Mapping[str, AttributeValueTypeDef]) -> dict[str, Any]:
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


def last_key(response: QueryOutputTypeDef) -> dict[str, str] | None:
    key = response.get("LastEvaluatedKey")
    return from_attributes(key) if key else None


def is_condition_failure(error: Exception) -> TypeGuard[ClientError]:
    return isinstance(error, ClientError) and error.response["Error"]["Code"] == "ConditionalCheckFailedException"


def item_at_refusal(error: ClientError) -> Item | None:
    """The item as a refused write found it, when it asked for ``ReturnValuesOnConditionCheckFailure``."""
    # DynamoDB returns it beside the error; botocore's type for the error response does not declare it.
    response: Mapping[str, Any] = error.response
    item: Item | None = response.get("Item")
    return item


def batch_get(
    client: DynamoDBClient,
    table: str,
    keys: Sequence[Item],
    consistent: bool,
    projection: str | None = None,
    names: dict[str, str] | None = None,
    pause: Callable[[float], None] = time.sleep,
) -> list[Item]:
    """The items at ``keys`` that exist, in BatchGetItem requests of up to 100 keys, in no set order;
    only the attributes ``projection`` names, if given. Contended when a throttled partition keeps
    leaving keys unread."""
    found: list[Item] = []
    for start in range(0, len(keys), BATCH_ITEMS):
        request: KeysAndAttributesTypeDef = {"Keys": list(keys[start : start + BATCH_ITEMS]), "ConsistentRead": consistent}
        if projection is not None:
            request["ProjectionExpression"] = projection
        if names is not None:
            request["ExpressionAttributeNames"] = names
        pending: dict[str, KeysAndAttributesUnionTypeDef] = {table: request}
        for attempt in range(UNREAD_RETRIES + 1):
            response = client.batch_get_item(RequestItems=pending)
            found += response["Responses"].get(table, [])
            pending = dict(response.get("UnprocessedKeys") or {})
            if not pending:
                break
            if attempt < UNREAD_RETRIES:
                pause(random.uniform(0, _UNREAD_FIRST_WAIT_SECONDS * 2**attempt))
        else:
            raise Contended(f"{table}: keys left unread by {UNREAD_RETRIES + 1} batch reads")
    return found
