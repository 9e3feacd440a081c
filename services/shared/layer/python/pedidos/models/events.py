"""The events carried by the orders queue, one per message."""

from enum import StrEnum
from typing import Literal

from pydantic import Field

from pedidos.models.base import Model, Timestamp


class EventType(StrEnum):
    ORDER_PLACED = "OrderPlaced"
    ORDER_CANCELLED = "OrderCancelled"


class OrderEvent(Model):
    type: EventType
    version: Literal[1] = 1
    event_id: str = Field(min_length=1)
    order_id: str = Field(min_length=1)
    customer_id: str = Field(min_length=1)
    occurred_at: Timestamp
    correlation_id: str = Field(min_length=1)
