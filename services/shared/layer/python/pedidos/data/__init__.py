"""DynamoDB data access: the only package that talks to DynamoDB."""

from pedidos.data.catalog import ProductRepository
from pedidos.data.orders import OrderRepository, StockShortage
from pedidos.data.pending_work import AWAITING_DECISION, AWAITING_RESTOCK, OwedWork, PendingWork
from pedidos.data.table import ItemsPage

__all__ = [
    "AWAITING_DECISION",
    "AWAITING_RESTOCK",
    "ItemsPage",
    "OrderRepository",
    "OwedWork",
    "PendingWork",
    "ProductRepository",
    "StockShortage",
]
