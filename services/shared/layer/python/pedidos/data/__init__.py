"""DynamoDB data access: the only package that talks to DynamoDB."""

from pedidos.data.catalog import Offer, ProductRepository
from pedidos.data.orders import OrderRepository, StockShortage
from pedidos.data.pending_work import AWAITING_DECISION, AWAITING_RESTOCK, OwedWork, PendingWork
from pedidos.data.stock import Take
from pedidos.data.table import ItemsPage

__all__ = [
    "AWAITING_DECISION",
    "AWAITING_RESTOCK",
    "ItemsPage",
    "Offer",
    "OrderRepository",
    "OwedWork",
    "PendingWork",
    "ProductRepository",
    "StockShortage",
    "Take",
]
