"""The shared stack's resources that both services use, under the variable names both read.

Only the type lives here: each service's settings module reads it from the
environment, lazily and once, beside the settings that are that service's alone.
"""

from pydantic import BaseModel, ConfigDict, Field


class SharedResources(BaseModel):
    """The orders table and the orders queue, which the shared stack creates and names."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    table_name: str = Field(alias="TABLE_NAME", min_length=3)
    orders_queue_url: str = Field(alias="ORDERS_QUEUE_URL", min_length=1)
