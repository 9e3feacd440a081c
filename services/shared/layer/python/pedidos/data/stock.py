"""Where a product's stock lives, and how a quantity is taken from it or given back.

A product's stock is on its own item, or, for a product an administrator marked hot
(``stock_buckets`` > 1), split over that many bucket items with partition keys of their
own (``keys.stock_bucket_key``): one item takes about 1,000 write units a second, so a
product confirmed more often than one item can take spreads its takes over its buckets.
A take goes to the order's home bucket (a stable hash of its id), conditional on that
bucket holding the quantity; if it does not, the quantity is taken from the buckets that
hold it, in the same transaction as the order's status, each take conditional on its own
bucket. A product's stock is the sum of its buckets; its version is its item's plus the
number of stock moves its buckets took since an administrator last wrote them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pedidos.data.keys import product_key, shard_of, stock_bucket_key
from pedidos.data.table import Item, batch_get, from_attributes, to_attributes

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient
    from types_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

# A transaction takes at most 100 items.
TRANSACTION_ITEMS = 100


@dataclass(frozen=True)
class Take:
    """``quantity`` units of ``sku`` from bucket ``bucket`` (None: from the product's own item)."""

    sku: str
    bucket: int | None
    quantity: int


def home_bucket(order_id: str, buckets: int) -> int:
    """The bucket of a product's ``buckets`` an order takes from first and gives back to."""
    return shard_of(order_id, buckets)


def split(quantity: int, stocks: Sequence[int], home: int) -> list[int] | None:
    """How much to take from each bucket holding ``stocks``: all from ``home`` if it holds the
    quantity, else all from the fullest bucket that does, else from the fullest buckets down,
    as few as can cover it; None when all of them together hold less than ``quantity``."""
    if sum(stocks) < quantity:
        return None
    takes = [0] * len(stocks)
    if stocks[home] >= quantity:
        takes[home] = quantity
        return takes
    left = quantity
    for bucket in sorted(range(len(stocks)), key=lambda each: -stocks[each]):
        takes[bucket] = min(left, stocks[bucket])
        left -= takes[bucket]
        if not left:
            break
    return takes


def shares(stock: int, buckets: int) -> list[int]:
    """``stock`` spread over ``buckets`` as evenly as whole units allow."""
    return [stock // buckets + (1 if bucket < stock % buckets else 0) for bucket in range(buckets)]


def move(table: str, take: Take, giving: bool, count_version: bool = True) -> TransactWriteItemTypeDef:
    """The transaction item that takes ``take`` (conditional on the stock covering it) or gives it back."""
    key = product_key(take.sku) if take.bucket is None else stock_bucket_key(take.sku, take.bucket)
    update = f"SET stock = stock {'+' if giving else '-'} :quantity" + (" ADD version :one" if count_version else "")
    values: dict[str, Any] = {":quantity": take.quantity}
    if count_version:
        values[":one"] = 1
    return {
        "Update": {
            "TableName": table,
            "Key": key,
            "UpdateExpression": update,
            # A product's item has `stock` only while its stock is on it, and a bucket only while it is
            # one: a move planned before an administrator split or joined the stock fails here.
            "ConditionExpression": "attribute_exists(stock)" if giving else "stock >= :quantity",
            "ExpressionAttributeValues": to_attributes(values),
        }
    }


@dataclass(frozen=True)
class Buckets:
    """A product's buckets as read: each one's stock and version (the moves it took), None if absent."""

    stocks: tuple[int, ...]
    versions: tuple[int | None, ...]

    @property
    def stock(self) -> int:
        return sum(self.stocks)

    @property
    def moves(self) -> int:
        return sum(version or 0 for version in self.versions)


def home_take(order_id: str, sku: str, buckets: int, quantity: int) -> Take:
    """``quantity`` of ``sku`` from where an order takes it first and gives it back to: its home bucket
    of a product whose stock is in ``buckets``, the product's own item while the stock is on it (1)."""
    return Take(sku, home_bucket(order_id, buckets) if buckets > 1 else None, quantity)


def split_takes(sku: str, quantity: int, home: int, stocks: Sequence[int]) -> tuple[Take, ...] | None:
    """``quantity`` of ``sku`` from buckets holding ``stocks``, every one of them as read (``split``);
    None when together they hold less."""
    plan = split(quantity, stocks, home)
    return None if plan is None else tuple(Take(sku, bucket, each) for bucket, each in enumerate(plan) if each)


def read_bucket_stocks(client: DynamoDBClient, table: str, wanted: Sequence[tuple[str, int]], consistent: bool) -> dict[tuple[str, int], int]:
    """The stock of each bucket in ``wanted`` (sku, bucket), 0 for one that is not there: one read unit
    a bucket (half of one eventually consistent), as each is far under 4 KB."""
    found = _read_bucket_items(client, table, wanted, consistent)
    return {key: found[key]["stock"] if key in found else 0 for key in wanted}


def read_buckets(client: DynamoDBClient, table: str, wanted: dict[str, int], consistent: bool) -> dict[str, Buckets]:
    """All the buckets of each sku in ``wanted`` (sku -> how many)."""
    found = _read_bucket_items(client, table, [(sku, bucket) for sku, count in wanted.items() for bucket in range(count)], consistent)
    return {
        sku: Buckets(
            tuple(found[(sku, bucket)]["stock"] if (sku, bucket) in found else 0 for bucket in range(count)),
            tuple(found[(sku, bucket)]["version"] if (sku, bucket) in found else None for bucket in range(count)),
        )
        for sku, count in wanted.items()
    }


def _read_bucket_items(client: DynamoDBClient, table: str, wanted: Sequence[tuple[str, int]], consistent: bool) -> dict[tuple[str, int], dict[str, Any]]:
    items = batch_get(client, table, [stock_bucket_key(sku, bucket) for sku, bucket in wanted], consistent)
    return {(values["sku"], values["bucket"]): values for values in map(from_attributes, items)}


def read_layouts(client: DynamoDBClient, table: str, skus: list[str], consistent: bool) -> dict[str, int]:
    """How many buckets hold each product's stock (1: its own item, or no such product)."""
    items = batch_get(
        client, table, [product_key(sku) for sku in skus], consistent,
        projection="PK, sku, stock_buckets, #stock", names={"#stock": "stock"},
    )
    return dict.fromkeys(skus, 1) | {values["sku"]: split_over(values) for values in map(from_attributes, items)}


def split_over(product: dict[str, Any]) -> int:
    """How many buckets hold a product's stock, from its item's values: none (1) while the stock is on its item."""
    return 1 if "stock" in product else int(product["stock_buckets"])


def bucket_item(sku: str, bucket: int, stock: int) -> Item:
    """A bucket as an administrator's change writes it: its share of the stock, no moves yet."""
    return to_attributes({**from_attributes(stock_bucket_key(sku, bucket)), "sku": sku, "bucket": bucket, "stock": stock, "version": 0})
