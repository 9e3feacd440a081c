"""Field types and the base model every request, resource and event shares."""

from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, PlainSerializer

from pedidos.clock import rfc3339
from pedidos.limits import MAX_CENTS, MAX_STOCK_SET

# Strict integers: "10" or true in a JSON body is a type error, not a number.
Cents = Annotated[int, Field(strict=True, ge=0, le=MAX_CENTS, description="Amount in integer cents.")]
# What an administrator may set a product's stock to.
Units = Annotated[int, Field(strict=True, ge=0, le=MAX_STOCK_SET, description="Available units.")]
# What a product may hold: a cancelled order gives its units back on top of whatever an
# administrator set since, so the stock read back has no upper bound of its own; only
# an administrator's value is bounded.
StockLevel = Annotated[
    int, Field(strict=True, ge=0, description="Available units; cancellations give units back, possibly above what an administrator may set.")
]
SKU_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
Sku = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        pattern=SKU_PATTERN,
        description="Stock keeping unit: 1-64 characters of A-Z a-z 0-9 - _.",
        examples=["MUG-RED"],
    ),
]
Timestamp = Annotated[
    AwareDatetime,
    PlainSerializer(rfc3339, return_type=str),
    Field(description="RFC 3339 UTC timestamp."),
]


class Model(BaseModel):
    """Closed models: an unknown field is an error, and instances never change."""

    model_config = ConfigDict(extra="forbid", frozen=True)
