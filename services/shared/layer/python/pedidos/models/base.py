"""Field types and the base model every request, resource and event shares."""

from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, PlainSerializer

from pedidos.clock import rfc3339

# Strict integers: "10" or true in a JSON body is a type error, not a number.
# Upper bounds keep every amount far inside DynamoDB's number range.
Cents = Annotated[int, Field(strict=True, ge=0, le=100_000_000_000, description="Amount in integer cents.")]
Units = Annotated[int, Field(strict=True, ge=0, le=1_000_000_000, description="Available units.")]
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
