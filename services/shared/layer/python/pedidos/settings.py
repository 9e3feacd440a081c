"""Typed settings, read from the environment once, on first use.

Importing any handler never needs the environment; the first call that needs a
setting reads all of them, validates them, and keeps the result for the warm
life of the process.
"""

import os
from functools import cache

from pydantic import BaseModel, ConfigDict, Field


class ResourceSettings(BaseModel):
    """Names of the AWS resources that the shared service owns."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    table_name: str = Field(alias="TABLE_NAME", min_length=3)
    orders_queue_url: str = Field(alias="ORDERS_QUEUE_URL", min_length=1)
    currency: str = Field(alias="CURRENCY", default="EUR", pattern=r"^[A-Z]{3}$")


class IdempotencySettings(BaseModel):
    """Where the API keeps ``Idempotency-Key`` records, and for how long."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    table_name: str = Field(alias="IDEMPOTENCY_TABLE_NAME", min_length=3)
    ttl_seconds: int = Field(alias="IDEMPOTENCY_TTL_SECONDS", default=86_400, ge=86_400)


@cache
def resource_settings() -> ResourceSettings:
    return ResourceSettings.model_validate(os.environ)


@cache
def idempotency_settings() -> IdempotencySettings:
    return IdempotencySettings.model_validate(os.environ)
