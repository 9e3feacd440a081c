"""DynamoDB capacity, counted the way DynamoDB bills and throttles it, from the requests a client makes.

A ``CapacityLedger`` hooks a boto3 DynamoDB client: for every request it records
which table or index each read and write lands on, under which partition key,
and for how many capacity units. The rules (DynamoDB developer guide, "Read/write
capacity mode" and "Managing settings on provisioned capacity tables"):

- a write costs 1 unit per KB of the larger of the item before and after, rounded
  up; a failed conditional write costs the same; a transactional write costs 2x;
- every global secondary index an item enters, changes in, or leaves is written too:
  1 write for a put, a delete, or an update in place, 2 when its key changes; an update
  that changes none of the attributes the index projects (its keys, the table's, and its
  INCLUDE list; all of them for ALL) does not write it, and an index write is sized by
  the projected attributes;
- a strongly consistent read costs 1 unit per 4 KB rounded up (a transactional read
  2x); an eventually consistent read half that (index queries always are); a Query is
  priced on the total size of the items it reads, rounded up once;
- an item's size is the UTF-8 length of each attribute's name plus its value's size.

What the items were before and after a write is read from the table around the
request with a client of its own, which the ledger does not count.
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

WRITE_UNIT_BYTES = 1024
READ_UNIT_BYTES = 4096


@dataclass(frozen=True)
class Place:
    """Where a request's units land: the table or one of its indexes, and the partition key value."""

    target: str  # "table" or the index name
    partition: str


@dataclass
class CapacityLedger:
    """Read and write units per place, summed over every request seen."""

    table_name: str
    indexes: dict[str, str]  # index name -> its partition key attribute
    peek: Any  # a client of its own, to read items around a write
    # index name -> the attributes it projects, keys included; an index not named projects ALL
    projections: dict[str, frozenset[str]] = field(default_factory=dict)
    key_attributes: tuple[str, ...] = ("PK", "SK")  # the table's primary key
    writes: Counter[Place] = field(default_factory=Counter)
    # An eventually consistent read costs half a unit per 4 KB: reads are fractional, where a Counter counts whole ones.
    reads: defaultdict[Place, float] = field(default_factory=lambda: defaultdict(float))
    requests: Counter[str] = field(default_factory=Counter)
    _before: list[tuple[dict, dict | None, int]] = field(default_factory=list)
    _query: Place = Place("table", "")
    _consistent: bool = True

    def attach(self, client: Any) -> None:
        client.meta.events.register("before-parameter-build.dynamodb", self._before_call)
        client.meta.events.register("after-call.dynamodb", self._after_call)

    # -- hooks ---------------------------------------------------------------
    def _before_call(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        self.requests[model.name] += 1
        self._before = [(key, self._item(key), multiplier) for key, multiplier in self._written_keys(model.name, params)]
        if model.name == "GetItem":
            self._consistent = bool(params.get("ConsistentRead"))
        if model.name == "BatchGetItem":
            self._consistent = bool(params["RequestItems"].get(self.table_name, {}).get("ConsistentRead"))
        if model.name == "Query":
            # Every query Pedidos makes names its partition key's value first.
            self._query = Place(params.get("IndexName", "table"), _value(next(iter(params["ExpressionAttributeValues"].values()))))

    def _after_call(self, http_response: Any, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        for key, before, multiplier in self._before:
            self._count_write(before, self._item(key), multiplier)
        self._before = []
        if model.name in ("GetItem", "BatchGetItem", "Query"):
            self._count_read(model.name, parsed)

    # -- writes --------------------------------------------------------------
    def _written_keys(self, operation: str, params: dict[str, Any]) -> list[tuple[dict, int]]:
        if params.get("TableName") not in (None, self.table_name) and operation != "TransactWriteItems":
            return []
        if operation == "PutItem":
            return [({name: params["Item"][name] for name in self.key_attributes}, 1)]
        if operation in ("UpdateItem", "DeleteItem"):
            return [(params["Key"], 1)]
        if operation == "TransactWriteItems":
            keys = []
            for entry in params["TransactItems"]:
                [(kind, request)] = entry.items()
                if request["TableName"] != self.table_name or kind == "ConditionCheck":
                    continue
                keys.append(({name: request["Item"][name] for name in self.key_attributes} if kind == "Put" else request["Key"], 2))
            return keys
        return []

    def _count_write(self, before: dict | None, after: dict | None, multiplier: int) -> None:
        item = after or before
        if item is None:  # a failed conditional put of an item that never existed: one unit
            return
        units = math.ceil(max(item_size(before), item_size(after)) / WRITE_UNIT_BYTES) or 1
        self.writes[Place("table", _value(item[self.key_attributes[0]]))] += units * multiplier
        for index, attribute in self.indexes.items():
            old, new = (before or {}).get(attribute), (after or {}).get(attribute)
            old_view, new_view = self._view(index, before), self._view(index, after)
            if old is not None and new != old:
                self.writes[Place(index, _value(old))] += math.ceil(item_size(old_view) / WRITE_UNIT_BYTES) * multiplier
            if new is not None and (new != old or old_view != new_view):
                self.writes[Place(index, _value(new))] += math.ceil(item_size(new_view) / WRITE_UNIT_BYTES) * multiplier

    def _view(self, index: str, item: dict | None) -> dict | None:
        """What ``index`` holds of ``item``."""
        projected = self.projections.get(index)
        if item is None or projected is None:
            return item
        return {name: value for name, value in item.items() if name in projected}

    # -- reads ---------------------------------------------------------------
    def _count_read(self, operation: str, parsed: dict[str, Any]) -> None:
        share = 1 if self._consistent else 0.5
        if operation == "GetItem" and "Item" in parsed:
            self.reads[Place("table", _value(parsed["Item"]["PK"]))] += math.ceil(item_size(parsed["Item"]) / READ_UNIT_BYTES) * share
        elif operation == "BatchGetItem":
            for item in parsed.get("Responses", {}).get(self.table_name, []):
                self.reads[Place("table", _value(item["PK"]))] += math.ceil(item_size(item) / READ_UNIT_BYTES) * share
        elif operation == "Query":
            size = sum(item_size(item) for item in parsed.get("Items", []))
            # Index queries read eventually consistent: half a unit per 4 KB, at least half a unit.
            self.reads[self._query] += max(math.ceil(size / READ_UNIT_BYTES), 1) * (0.5 if self._query.target != "table" else 1)

    def _item(self, key: dict) -> dict | None:
        return self.peek.get_item(TableName=self.table_name, Key=key, ConsistentRead=True).get("Item")


def _value(attribute: dict) -> str:
    [(_, value)] = attribute.items()
    return str(value)


def item_size(item: dict | None) -> int:
    """An item's size in bytes as DynamoDB counts it."""
    if not item:
        return 0
    return sum(len(name.encode()) + _attribute_size(value) for name, value in item.items())


def _attribute_size(attribute: dict) -> int:
    [(kind, value)] = attribute.items()
    if kind == "S":
        return len(value.encode())
    if kind == "N":
        digits = len(str(Decimal(value)).lstrip("-").replace(".", "").lstrip("0")) or 1
        return math.ceil(digits / 2) + 1
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "B":
        return len(value)
    if kind == "L":
        return 3 + sum(1 + _attribute_size(each) for each in value)
    if kind == "M":
        return 3 + sum(1 + len(name.encode()) + _attribute_size(each) for name, each in value.items())
    if kind in ("SS", "NS", "BS"):
        return sum(_attribute_size({kind[0]: each}) for each in value)
    raise ValueError(f"unknown attribute type {kind}")
