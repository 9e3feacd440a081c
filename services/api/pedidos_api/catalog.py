"""The catalog's use cases: admins add and change products, any user reads them."""

from pedidos.data import ProductRepository
from pedidos.models import Product, ProductChanges, ProductPage, ProductRequest
from pedidos_api.identity import Principal
from pedidos_api.pagination import CursorCodec

CATALOG_LISTING = "products"


def add_product(request: ProductRequest, caller: Principal, products: ProductRepository) -> Product:
    caller.require_admin()
    return products.create(request)


def get_product(sku: str, products: ProductRepository) -> Product:
    return products.get(sku)


def change_product(
    sku: str, changes: ProductChanges, expected_version: int | None, caller: Principal, products: ProductRepository
) -> Product:
    caller.require_admin()
    return products.change(sku, changes, expected_version)


def list_products(limit: int, cursor: str | None, products: ProductRepository, cursors: CursorCodec) -> ProductPage:
    page = products.list_page(limit, cursors.decode(cursor, CATALOG_LISTING))
    return ProductPage(items=page.items, next_cursor=cursors.encode(page.last_key, CATALOG_LISTING))
