"""A few demo products, so a fresh `make dev` has something to order."""

from typing import Any

from infra.definitions import resolved_config
from pedidos.data import ProductRepository
from pedidos.errors import AlreadyExists
from pedidos.models import ProductRequest

DEMO_PRODUCTS = [
    ProductRequest(sku="MUG-RED", name="Red mug", price_cents=1250, stock=100),
    ProductRequest(sku="MUG-BLUE", name="Blue mug", price_cents=1250, stock=40),
    ProductRequest(sku="TEE-M", name="T-shirt, size M", price_cents=1999, stock=25),
    ProductRequest(sku="POSTER-A2", name="Poster A2", price_cents=899, stock=5),
]


def seed(dynamodb: Any) -> list[str]:
    table = resolved_config("shared")["custom"]["names"]["table"]
    products = ProductRepository(dynamodb, table)
    for request in DEMO_PRODUCTS:
        try:
            products.create(request)
        except AlreadyExists:
            pass
    return [request.sku for request in DEMO_PRODUCTS]
