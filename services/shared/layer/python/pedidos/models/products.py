"""A catalog product and the requests that create or change one."""

from typing import Annotated

from pydantic import Field, model_validator

from pedidos.limits import MAX_STOCK_BUCKETS
from pedidos.models.base import Cents, Model, Sku, StockLevel, Units

ProductName = Annotated[str, Field(min_length=1, max_length=200, description="Display name.")]
# data/stock.py: a hot product's stock split over items with partition keys of their own.
StockBuckets = Annotated[
    int,
    Field(
        strict=True,
        ge=1,
        le=MAX_STOCK_BUCKETS,
        description="How many items the stock is split over: 1 keeps it on the product; more, for a product confirmed "
        "more often than one item takes (~500 a second), spreads its stock moves over that many.",
    ),
]


class ProductRequest(Model):
    """Body of ``POST /products``."""

    sku: Sku
    name: ProductName
    price_cents: Cents
    stock: Units
    stock_buckets: StockBuckets = 1


class ProductChanges(Model):
    """Body of ``PATCH /products/{sku}``: the fields to change, at least one."""

    name: ProductName | None = None
    price_cents: Cents | None = None
    stock: Units | None = None
    stock_buckets: StockBuckets | None = None

    @model_validator(mode="after")
    def _changes_something(self) -> "ProductChanges":
        if not self.model_fields_set:
            raise ValueError("give at least one of name, price_cents, stock, stock_buckets")
        if any(getattr(self, name) is None for name in self.model_fields_set):
            raise ValueError("name, price_cents, stock and stock_buckets cannot be null")
        return self


class Product(Model):
    """A product of the catalog, as stored and as returned."""

    sku: Sku
    name: ProductName
    price_cents: Cents
    stock: StockLevel
    stock_buckets: StockBuckets = 1
    version: Annotated[int, Field(ge=1, description="Set by the server, +1 on every change.")]


class ProductPage(Model):
    """One page of ``GET /products``."""

    items: list[Product]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")
