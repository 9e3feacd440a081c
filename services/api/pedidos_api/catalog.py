"""The catalog's use cases: admins add and change products, any user reads them."""

from pedidos.models import Product, ProductChanges, ProductPage, ProductRequest
from pedidos.ports import ProductListing, ProductStore
from pedidos_api.identity import Principal
from pedidos_api.page_cache import PageCache
from pedidos_api.pagination import CursorCodec, InvalidCursor
from pedidos_api.preconditions import expected_versions

# The listing a catalog cursor is bound to. A cursor names the last sku of its page; one of the
# listing before it (named "products", holding a GSI1 position) is refused as any foreign one.
CATALOG_LISTING = "products-by-sku"


def add_product(request: ProductRequest, caller: Principal, products: ProductStore) -> Product:
    caller.require_admin()
    return products.create(request)


def get_product(sku: str, caller: Principal, products: ProductStore) -> Product:
    """The product: an admin reads it strongly consistent, to change it on the version it names; a
    customer eventually consistent, for half the read units, as the listing is read."""
    return products.get(sku, consistent=caller.is_admin)


def change_product(sku: str, changes: ProductChanges, if_match: str | None, caller: Principal, products: ProductStore) -> Product:
    """Apply ``changes`` for an admin, if the product is at a version the ``If-Match`` header names.

    Authorization comes first (RFC 9110 §13.2.1): a caller without the right learns
    nothing of the product's versions, whatever the header holds.
    """
    caller.require_admin()
    return products.change(sku, changes, expected_versions(if_match))


def list_products(limit: int, cursor: str | None, products: ProductListing, cursors: CursorCodec, pages: PageCache[ProductPage]) -> ProductPage:
    """A page of the catalog by sku, as ``pages`` keeps it (see ``page_cache``)."""

    def read() -> ProductPage:
        page = products.list_page(limit, _after_sku(cursors.decode(cursor, CATALOG_LISTING)))
        return ProductPage(items=page.items, next_cursor=cursors.encode(page.last_key, CATALOG_LISTING))

    return pages.get((limit, cursor), read)


def _after_sku(position: dict[str, str] | None) -> str | None:
    if position is None:
        return None
    sku = position.get("sku")
    if not isinstance(sku, str):
        raise InvalidCursor()
    return sku
