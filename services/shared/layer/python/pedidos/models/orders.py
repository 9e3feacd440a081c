"""An order, its lines and the request that places one."""

from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated

from pydantic import Field, field_validator

from pedidos.errors import TotalTooLarge
from pedidos.limits import MAX_CENTS
from pedidos.models.base import Cents, Model, Sku, Timestamp

Quantity = Annotated[int, Field(strict=True, ge=1, le=1000, description="Units ordered, 1-1000.")]


class OrderStatus(StrEnum):
    PENDING = "PENDING"
    CONFIRMED = "CONFIRMED"
    REJECTED = "REJECTED"
    CANCELLED = "CANCELLED"

    def can_become(self, status: "OrderStatus") -> bool:
        return status in _TRANSITIONS[self]

    @classmethod
    def that_can_become(cls, status: "OrderStatus") -> tuple["OrderStatus", ...]:
        """The statuses an order may move to ``status`` from: what a status change is conditional on."""
        return tuple(each for each in cls if each.can_become(status))


# The lifecycle (SPEC), the one place it is written: the worker decides a pending order;
# its customer or an admin cancels a pending or confirmed one. No other transition exists.
_TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.PENDING: frozenset({OrderStatus.CONFIRMED, OrderStatus.REJECTED, OrderStatus.CANCELLED}),
    OrderStatus.CONFIRMED: frozenset({OrderStatus.CANCELLED}),
    OrderStatus.REJECTED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
}


class RejectionReason(StrEnum):
    OUT_OF_STOCK = "OUT_OF_STOCK"
    UNKNOWN_PRODUCT = "UNKNOWN_PRODUCT"
    # The priced lines add up to more than an order may hold (MAX_CENTS).
    TOTAL_TOO_LARGE = "TOTAL_TOO_LARGE"


class OrderLineRequest(Model):
    sku: Sku
    quantity: Quantity


class PlaceOrderRequest(Model):
    """Body of ``POST /orders``."""

    lines: Annotated[list[OrderLineRequest], Field(min_length=1, max_length=50)]

    @field_validator("lines")
    @classmethod
    def _each_sku_once(cls, lines: list[OrderLineRequest]) -> list[OrderLineRequest]:
        skus = [line.sku for line in lines]
        repeated = sorted({sku for sku in skus if skus.count(sku) > 1})
        if repeated:
            raise ValueError(f"each sku may appear once; repeated: {', '.join(repeated)}")
        return lines


class OrderLine(Model):
    sku: Sku
    quantity: Quantity
    unit_price_cents: Cents | None = Field(default=None, description="Set when the order is confirmed.")


class Order(Model):
    """An order, as stored and as returned."""

    id: str = Field(description="Opaque, server-made identifier.")
    customer_id: str = Field(description="The `sub` of the token that placed the order.")
    status: OrderStatus
    lines: list[OrderLine]
    currency: str = Field(description="ISO 4217 code, one per deployment.", examples=["EUR"])
    total_cents: Cents | None = Field(default=None, description="Set when the order is confirmed.")
    rejection_reason: RejectionReason | None = Field(
        default=None,
        description="Set when the order is rejected: a sku is unknown or short of stock, or the total would exceed what an order may hold.",
    )
    rejected_skus: list[Sku] | None = Field(default=None, description="The skus the rejection concerns.")
    created_at: Timestamp
    updated_at: Timestamp
    version: Annotated[int, Field(ge=1, description="Set by the server, +1 on every change.")]

    @property
    def quantities(self) -> dict[str, int]:
        return {line.sku: line.quantity for line in self.lines}

    def priced(self, unit_prices: Mapping[str, int]) -> tuple[list[OrderLine], int]:
        """Its lines at ``unit_prices``, and their total.

        Raises TotalTooLarge past what an order may hold, the bound of ``total_cents``:
        each price and quantity is bounded, their sum over 50 lines is not.
        """
        total = sum(line.quantity * unit_prices[line.sku] for line in self.lines)
        if total > MAX_CENTS:
            raise TotalTooLarge(total, MAX_CENTS)
        return [line.model_copy(update={"unit_price_cents": unit_prices[line.sku]}) for line in self.lines], total


class OrderPage(Model):
    """One page of ``GET /orders``, newest first."""

    items: list[Order]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")
