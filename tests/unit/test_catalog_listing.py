"""The pending-work shards, and the catalog listing's cursor and page cache, on fakes."""

import uuid
from collections import Counter
from functools import partial

import pytest

from pedidos.data import ItemsPage
from pedidos.data.keys import PENDING_WORK_SHARDS, pending_work_partition, shard_of
from pedidos.models import Product
from pedidos.ports import ProductListing
from pedidos_api import catalog
from pedidos_api.page_cache import PageCache
from pedidos_api.pagination import CursorCodec, InvalidCursor

CODEC = CursorCodec("k" * 32)


def test_an_orders_shard_is_the_same_in_every_process_and_release():
    # Pinned: a different hash would move owed orders where the sweep no longer looks.
    assert pending_work_partition("AWAITING_DECISION", "order-1") == "AWAITING_DECISION#61"
    assert pending_work_partition("AWAITING_RESTOCK", "order-1") == "AWAITING_RESTOCK#61"
    assert shard_of("SKU-00001", 64) == 47


def test_orders_spread_evenly_over_the_shards():
    counts = Counter(shard_of(str(uuid.uuid4()), PENDING_WORK_SHARDS) for _ in range(64_000))
    assert set(counts) == set(range(PENDING_WORK_SHARDS))
    # 1,000 expected a shard; a binomial spread of ~31: 20% either way is ~6 standard deviations.
    assert 800 < min(counts.values()) and max(counts.values()) < 1200


class Catalog(ProductListing):
    """A catalog of products by sku, answering ``list_page`` as the index does; counts its reads."""

    def __init__(self, skus: list[str]) -> None:
        self.products = {sku: Product(sku=sku, name=sku, price_cents=1, stock=1, version=1) for sku in sorted(skus)}
        self.reads: list[str | None] = []

    def list_page(self, limit: int, after_sku: str | None) -> ItemsPage[Product]:
        self.reads.append(after_sku)
        following = [sku for sku in self.products if after_sku is None or sku > after_sku]
        page = following[:limit]
        return ItemsPage([self.products[sku] for sku in page], {"sku": page[-1]} if len(following) > limit else None)


def listed(products: Catalog, limit: int, pages: PageCache) -> list[str]:
    skus, cursor = [], None
    while True:
        page = catalog.list_products(limit, cursor, products, CODEC, pages)
        skus += [item.sku for item in page.items]
        if (cursor := page.next_cursor) is None:
            return skus


@pytest.mark.parametrize("limit", [1, 3, 7, 100])
def test_the_cursor_walks_the_catalog_in_sku_order_each_product_once(limit):
    products = Catalog([f"SKU-{n:03d}" for n in (5, 1, 9, 3, 7, 2, 8)])
    assert listed(products, limit, PageCache(0)) == sorted(products.products)


@pytest.mark.parametrize(
    "position, listing",
    [
        ({"PK": "PRODUCT#A", "SK": "PRODUCT", "GSI1PK": "PRODUCTS", "GSI1SK": "A"}, "products"),  # before GSI4
        ({"sku": "A"}, "orders/alice/*"),
        ({"after": "A"}, catalog.CATALOG_LISTING),
        ({"sku": 3}, catalog.CATALOG_LISTING),
    ],
)
def test_a_cursor_not_naming_a_sku_of_this_listing_is_refused(position, listing):
    with pytest.raises(InvalidCursor):
        catalog.list_products(5, CODEC.encode(position, listing), Catalog(["A", "B"]), CODEC, PageCache(2))


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_page_is_read_once_per_instance_while_it_is_kept():
    clock, products = Clock(), Catalog(["A", "B", "C"])
    pages: PageCache = PageCache(2, clock=clock)
    first = catalog.list_products(2, None, products, CODEC, pages)
    clock.now = 1.9
    assert catalog.list_products(2, None, products, CODEC, pages) == first
    assert catalog.list_products(2, first.next_cursor, products, CODEC, pages).items[0].sku == "C"
    assert products.reads == [None, "B"]
    clock.now = 2.0
    catalog.list_products(2, None, products, CODEC, pages)
    assert products.reads == [None, "B", None]


def test_without_seconds_nothing_is_kept_and_past_capacity_the_oldest_goes():
    reads = Counter[str]()

    def read(key: str) -> str:
        reads[key] += 1
        return key

    none_kept: PageCache = PageCache(0)
    for _ in range(3):
        none_kept.get("a", lambda: read("a"))
    assert reads["a"] == 3
    small: PageCache = PageCache(60, capacity=2, clock=Clock())
    for key in ("x", "y", "z", "y", "x"):
        small.get(key, partial(read, key))
    assert (reads["x"], reads["y"], reads["z"]) == (2, 1, 1)
