"""The catalog's use cases: admins add and change products, any user reads them."""

from pedidos.data import ProductRepository
from pedidos.errors import VersionMismatch
from pedidos.models import Product, ProductChanges, ProductPage, ProductRequest
from pedidos_api.identity import Principal
from pedidos_api.pagination import CursorCodec
from pedidos_api.preconditions import IfMatch

CATALOG_LISTING = "products"


def add_product(request: ProductRequest, caller: Principal, products: ProductRepository) -> Product:
    caller.require_admin()
    return products.create(request)


def get_product(sku: str, products: ProductRepository) -> Product:
    return products.get(sku)


def change_product(sku: str, changes: ProductChanges, if_match: IfMatch, caller: Principal, products: ProductRepository) -> Product:
    """Apply ``changes`` for an admin, if the product is at a version ``if_match`` names.

    Authorization comes first (RFC 9110 §13.2.1): a caller without the right learns
    nothing of the product's versions.
    """
    caller.require_admin()
    versions = if_match.versions()
    if versions == frozenset():
        raise VersionMismatch("product", sku, products.get(sku).version)
    return products.change(sku, changes, versions)


def list_products(limit: int, cursor: str | None, products: ProductRepository, cursors: CursorCodec) -> ProductPage:
    page = products.list_page(limit, cursors.decode(cursor, CATALOG_LISTING))
    return ProductPage(items=page.items, next_cursor=cursors.encode(page.last_key, CATALOG_LISTING))
