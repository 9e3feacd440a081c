"""The single table's key layout: where each item lives, and under which index keys it is found.

| item    | PK              | SK      | GSI1PK (by-owner)   | GSI1SK            | GSI2PK (by-owner-status)      | GSI3PK / GSI3SK (pending work)  |
|---------|-----------------|---------|---------------------|-------------------|-------------------------------|---------------------------------|
| product | PRODUCT#<sku>   | PRODUCT | PRODUCTS            | <sku>             | -                             | -                               |
| order   | ORDER#<id>      | ORDER   | CUSTOMER#<customer> | <created_at>#<id> | CUSTOMER#<customer>#<status>  | AWAITING_* / <since>#<id>       |

GSI1 lists the catalog by sku and a customer's orders newest first; GSI2 does
the same for one status. GSI3 is sparse: an order is in it, under
AWAITING_DECISION or AWAITING_RESTOCK and by the time it got there (moved
later by each re-announcement), only while the worker still owes it work, so
the sweep finds stragglers without a scan. All three are Query-only: nothing
ever scans the table.
"""

from datetime import datetime
from typing import Any

from pedidos.clock import rfc3339
from pedidos.data.table import Item, to_attributes
from pedidos.models import OrderStatus

BY_OWNER_INDEX = "GSI1"
BY_OWNER_STATUS_INDEX = "GSI2"
PENDING_WORK_INDEX = "GSI3"
KEY_ATTRIBUTES = ("PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK", "GSI3PK", "GSI3SK")

CATALOG_PARTITION = "PRODUCTS"
AWAITING_DECISION = "AWAITING_DECISION"
AWAITING_RESTOCK = "AWAITING_RESTOCK"


def product_key(sku: str) -> Item:
    return to_attributes({"PK": f"PRODUCT#{sku}", "SK": "PRODUCT"})


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
