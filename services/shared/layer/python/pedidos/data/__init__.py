"""DynamoDB data access: the only package that talks to DynamoDB."""

from pedidos.data.catalog import ProductRepository
from pedidos.data.orders import OrderRepository, StockShortage
from pedidos.data.table import ItemsPage

__all__ = ["ItemsPage", "OrderRepository", "ProductRepository", "StockShortage"]
