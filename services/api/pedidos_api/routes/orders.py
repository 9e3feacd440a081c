"""``/orders``: place, read, list and cancel orders."""

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body, Header, Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from pedidos.limits import CUSTOMER_ID_MAX_LENGTH
from pedidos.models import Order, OrderPage, OrderStatus, PlaceOrderRequest
from pedidos_api import dependencies, ordering
from pedidos_api.request_context import caller, correlation_id
from pedidos_api.routes.openapi import responses
from pedidos_api.routes.paging import Cursor, Limit
from pedidos_api.settings import idempotency_settings, order_settings

router = APIGatewayRouter()

OrderId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$")]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        description="Repeat a POST safely: the same key and body return the first order for 24 hours.",
    ),
]


@router.post("/orders", tags=["orders"], summary="Place an order", responses=responses(202, Order, "Accepted, PENDING; `Location` names it", 409))
def place_order(
    request: Annotated[PlaceOrderRequest, Body()], idempotency_key: IdempotencyKey = None
) -> Response[Order]:
    order = ordering.place_order_once(
        request,
        caller(router),
        correlation_id(router.current_event),
        idempotency_key,
        lambda_context=router.lambda_context,
        persistence=dependencies.idempotency_store(),
        ttl_seconds=idempotency_settings().ttl_seconds,
        orders=dependencies.orders(),
        publisher=dependencies.publisher(),
        currency=order_settings().currency,
    )
    return Response(
        status_code=HTTPStatus.ACCEPTED.value,
        content_type=content_types.APPLICATION_JSON,
        body=order,
        headers={"Location": f"/orders/{order.id}"},
    )


@router.get("/orders", tags=["orders"], summary="List your orders, newest first", responses=responses(200, OrderPage, "One page, newest first", 403))
def list_orders(
    limit: Limit = 20,
    cursor: Cursor = None,
    status: Annotated[OrderStatus | None, Query(description="Only orders in this status.")] = None,
    customer_id: Annotated[
        str | None, Query(min_length=1, max_length=CUSTOMER_ID_MAX_LENGTH, description="Admins only: list this customer's orders.")
    ] = None,
) -> OrderPage:
    return ordering.list_orders(caller(router), customer_id, status, limit, cursor, dependencies.orders(), dependencies.cursors())


@router.get("/orders/<order_id>", tags=["orders"], summary="Read an order", responses=responses(200, Order, "The order", 404))
def get_order(order_id: OrderId) -> Order:
    return ordering.get_order(order_id, caller(router), dependencies.orders())


@router.post(
    "/orders/<order_id>/cancel", tags=["orders"], summary="Cancel an order", responses=responses(200, Order, "Cancelled", 404, 409)
)
def cancel_order(order_id: OrderId) -> Order:
    return ordering.cancel_order(
        order_id, caller(router), correlation_id(router.current_event), orders=dependencies.orders(), publisher=dependencies.publisher()
    )
