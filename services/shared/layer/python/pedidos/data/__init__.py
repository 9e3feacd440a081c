"""DynamoDB data access: the only package that talks to DynamoDB."""

from pedidos.data.catalog import ProductRepository
from pedidos.data.orders import AWAITING_DECISION, AWAITING_RESTOCK, OrderRepository, OwedWork, StockShortage
from pedidos.data.table import ItemsPage

__all__ = [
    "AWAITING_DECISION",
    "AWAITING_RESTOCK",
    "ItemsPage",
    "OrderRepository",
    "OwedWork",
    "ProductRepository",
    "StockShortage",
]
