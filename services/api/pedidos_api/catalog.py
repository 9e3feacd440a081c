"""The catalog's use cases: admins add and change products, any user reads them."""

from pedidos.models import Product, ProductChanges, ProductPage, ProductRequest
from pedidos.ports import ProductStore
from pedidos_api.identity import Principal
from pedidos_api.pagination import CursorCodec
from pedidos_api.preconditions import expected_versions

CATALOG_LISTING = "products"


def add_product(request: ProductRequest, caller: Principal, products: ProductStore) -> Product:
    caller.require_admin()
    return products.create(request)


def get_product(sku: str, products: ProductStore) -> Product:
    return products.get(sku)


def change_product(sku: str, changes: ProductChanges, if_match: str | None, caller: Principal, products: ProductStore) -> Product:
    """Apply ``changes`` for an admin, if the product is at a version the ``If-Match`` header names.

    Authorization comes first (RFC 9110 §13.2.1): a caller without the right learns
    nothing of the product's versions, whatever the header holds.
    """
    caller.require_admin()
    return products.change(sku, changes, expected_versions(if_match))


def list_products(limit: int, cursor: str | None, products: ProductStore, cursors: CursorCodec) -> ProductPage:
    page = products.list_page(limit, cursors.decode(cursor, CATALOG_LISTING))
    return ProductPage(items=page.items, next_cursor=cursors.encode(page.last_key, CATALOG_LISTING))
