"""``/products``: the catalog."""

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body, Header, Path
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from pedidos.models import Product, ProductChanges, ProductPage, ProductRequest
from pedidos.models.base import SKU_PATTERN
from pedidos_api import catalog, dependencies
from pedidos_api.request_context import caller
from pedidos_api.routes.openapi import responses
from pedidos_api.routes.paging import Cursor, Limit

router = APIGatewayRouter()

SkuInPath = Annotated[str, Path(min_length=1, max_length=64, pattern=SKU_PATTERN)]


def _etag(product: Product) -> str:
    return f'"{product.version}"'


def _with_etag(product: Product, status: HTTPStatus = HTTPStatus.OK, **headers: str) -> Response[Product]:
    return Response(
        status_code=status.value, content_type=content_types.APPLICATION_JSON, body=product, headers={"ETag": _etag(product), **headers}
    )


@router.post("/products", tags=["products"], summary="Add a product (admin)", responses=responses(201, Product, "Created; `Location` and `ETag` name it", 403, 409))
def add_product(request: Annotated[ProductRequest, Body()]) -> Response[Product]:
    product = catalog.add_product(request, caller(router), dependencies.products())
    return _with_etag(product, HTTPStatus.CREATED, Location=f"/products/{product.sku}")


@router.get("/products", tags=["products"], summary="List the catalog", responses=responses(200, ProductPage, "One page"))
def list_products(limit: Limit = 20, cursor: Cursor = None) -> ProductPage:
    return catalog.list_products(limit, cursor, dependencies.products(), dependencies.cursors(), dependencies.catalog_pages())


@router.get("/products/<sku>", tags=["products"], summary="Read a product", responses=responses(200, Product, "The product; `ETag` is its version", 404))
def get_product(sku: SkuInPath) -> Response[Product]:
    return _with_etag(catalog.get_product(sku, caller(router), dependencies.products()))


@router.patch(
    "/products/<sku>", tags=["products"], summary="Change a product (admin)", responses=responses(200, Product, "Changed; `ETag` is the new version", 403, 404, 412)
)
def change_product(
    sku: SkuInPath,
    changes: Annotated[ProductChanges, Body()],
    # Unbounded here: the use case judges it only once the caller's right is checked.
    if_match: Annotated[str | None, Header(alias="If-Match", description='`*`, or the ETags you read: `"3"`.')] = None,
) -> Response[Product]:
    product = catalog.change_product(sku, changes, if_match, caller(router), dependencies.products())
    return _with_etag(product)
