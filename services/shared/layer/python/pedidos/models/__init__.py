"""The single description of products, orders, events and API errors."""

from pedidos.models.events import EventType, OrderEvent
from pedidos.models.orders import (
    Order,
    OrderLine,
    OrderLineRequest,
    OrderPage,
    OrderStatus,
    PlaceOrderRequest,
    RejectionReason,
)
from pedidos.models.problems import FieldError, Problem
from pedidos.models.products import Product, ProductChanges, ProductPage, ProductRequest

__all__ = [
    "EventType",
    "FieldError",
    "Order",
    "OrderEvent",
    "OrderLine",
    "OrderLineRequest",
    "OrderPage",
    "OrderStatus",
    "PlaceOrderRequest",
    "Problem",
    "Product",
    "ProductChanges",
    "ProductPage",
    "ProductRequest",
    "RejectionReason",
]
