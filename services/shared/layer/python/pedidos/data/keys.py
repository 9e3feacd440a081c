"""The single table's key layout: where each item lives, and under which index keys it is found.

| item    | PK              | SK      | GSI1PK (by-owner)   | GSI1SK            | GSI2PK (by-owner-status)      | GSI3PK / GSI3SK (pending work)  |
|---------|-----------------|---------|---------------------|-------------------|-------------------------------|---------------------------------|
| product | PRODUCT#<sku>   | PRODUCT | -                   | -                 | -                             | -                               |
| stock   | PRODUCT#<sku>#STOCK#<n> | STOCK | -           | -                 | -                             | -                               |
| order   | ORDER#<id>      | ORDER   | CUSTOMER#<customer> | <created_at>#<id> | CUSTOMER#<customer>#<status>  | AWAITING_*#<shard> / <since>#<id> |

A stock bucket holds part of a hot product's stock (``stock``): each bucket has a partition
key of its own, as one partition key takes about 1,000 write units a second however many
sort keys it holds. A product is also under GSI4 (the catalog listing): GSI4PK = PRODUCTS, GSI4SK = <sku>.

GSI1 lists a customer's orders newest first; GSI2 does the same for one status.
GSI3 is sparse: an order is in it, under AWAITING_DECISION or AWAITING_RESTOCK
and one of PENDING_WORK_SHARDS shards picked by its id, by the time it got there
(moved later by each re-announcement), only while the worker still owes it work,
so the sweep finds stragglers without a scan. GSI4 lists the catalog by sku and
projects only the keys: a stock change, the catalog's most frequent write, never
writes it (the listing reads the page's products from the table). All four are
Query-only: nothing ever scans the table.
"""

import hashlib
from datetime import datetime
from typing import Any

from pedidos.clock import rfc3339
from pedidos.data.table import Item, to_attributes
from pedidos.models import OrderStatus

BY_OWNER_INDEX = "GSI1"
BY_OWNER_STATUS_INDEX = "GSI2"
PENDING_WORK_INDEX = "GSI3"
CATALOG_INDEX = "GSI4"
KEY_ATTRIBUTES = ("PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK", "GSI3PK", "GSI3SK", "GSI4PK", "GSI4SK")

CATALOG_PARTITION = "PRODUCTS"
AWAITING_DECISION = "AWAITING_DECISION"
AWAITING_RESTOCK = "AWAITING_RESTOCK"
# Every order enters GSI3 when placed (1 write unit) and leaves it when decided, in the
# confirming transaction (2): 3 index write units an order, 16,000 WCU/s at 5,000 orders a
# second plus the flash sale's 333 (`make capacity`). One partition key takes 1,000 WCU/s;
# 64 shards keep each at ~250, a quarter of it, and under half of it up to ~10,000 orders a
# second (the hash spreads orders evenly: at that rate a shard's count varies by ~1%). The
# sweep reads every shard, so more shards cost only more sweep queries (2 x 64 a run, one
# run every 2 minutes: about 1 query a second).
PENDING_WORK_SHARDS = 64


def shard_of(key: str, shards: int) -> int:
    """A stable shard for ``key`` among ``shards``: the same in every process and release,
    unlike ``hash()``, which Python salts per process."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big") % shards


def pending_work_partition(awaiting: str, order_id: str) -> str:
    """The GSI3 partition key an order owed ``awaiting`` work waits under."""
    return pending_work_shard(awaiting, shard_of(order_id, PENDING_WORK_SHARDS))


def pending_work_shard(awaiting: str, shard: int) -> str:
    return f"{awaiting}#{shard:02d}"


def product_key(sku: str) -> Item:
    return to_attributes({"PK": f"PRODUCT#{sku}", "SK": "PRODUCT"})


def stock_bucket_key(sku: str, bucket: int) -> Item:
    return to_attributes({"PK": f"PRODUCT#{sku}#STOCK#{bucket:02d}", "SK": "STOCK"})


def order_key(order_id: str) -> Item:
    return to_attributes({"PK": f"ORDER#{order_id}", "SK": "ORDER"})


def owner_partition(customer_id: str) -> str:
    return f"CUSTOMER#{customer_id}"


def status_partition(customer_id: str, status: OrderStatus) -> str:
    return f"CUSTOMER#{customer_id}#{status}"


def in_time_order(moment: datetime, order_id: str) -> str:
    """A sort key ordering orders by ``moment``, then id: RFC 3339 timestamps sort as strings."""
    return f"{rfc3339(moment)}#{order_id}"


def without_keys(values: dict[str, Any]) -> dict[str, Any]:
    """An item's own attributes, without where it is kept."""
    return {name: value for name, value in values.items() if name not in KEY_ATTRIBUTES}
