"""The API's composition root: the real dependencies, built once per process on first use.

Routes and handlers pass these to the domain functions; tests pass their own instead.

Every function of the API imports this module, and each uses only some of what it
builds: the authorizer never touches the AWS SDK, the data layer or the models, the
resolver never verifies a token (the JWT library and its cryptography). So each
builder imports what it builds when first called, and a function loads at its cold
start only what its own code imports.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from pedidos_api.settings import catalog_settings, cursor_settings, idempotency_settings, shared_resources, token_settings

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

    from pedidos.data import OrderRepository, ProductRepository
    from pedidos.messaging import OrderEventPublisher
    from pedidos.models import ProductPage
    from pedidos_api.page_cache import PageCache
    from pedidos_api.pagination import CursorCodec
    from pedidos_api.tokens import TokenVerifier


@cache
def products() -> ProductRepository:
    from pedidos import clients
    from pedidos.data import ProductRepository

    return ProductRepository(clients.dynamodb(), shared_resources().table_name)


@cache
def orders() -> OrderRepository:
    from pedidos import clients
    from pedidos.data import OrderRepository

    return OrderRepository(clients.dynamodb(), shared_resources().table_name)


@cache
def publisher() -> OrderEventPublisher:
    from pedidos import clients
    from pedidos.messaging import OrderEventPublisher

    return OrderEventPublisher(clients.sqs(), shared_resources().orders_queue_url)


@cache
def idempotency_store() -> DynamoDBPersistenceLayer:
    """The store of ``Idempotency-Key`` records, over the shared client.

    One per process, like the clients: Powertools hooks every store it builds
    into the client's requests, so a store per request would leave one more
    hook on every later DynamoDB call. It guards one function, placing an
    order; Powertools configures a store for the first function it guards, so
    a second guarded function would need a store of its own.
    """
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

    from pedidos import clients

    return DynamoDBPersistenceLayer(table_name=idempotency_settings().table_name, boto3_client=clients.dynamodb())


@cache
def cursors() -> CursorCodec:
    from pedidos_api.pagination import CursorCodec

    settings = cursor_settings()
    if settings.signing_key is not None:
        return CursorCodec(settings.signing_key)
    assert settings.signing_key_parameter is not None  # the settings hold exactly one of the two
    from aws_lambda_powertools.utilities.parameters import get_parameter

    return CursorCodec(get_parameter(settings.signing_key_parameter, decrypt=True, max_age=3600))


@cache
def token_verifier() -> TokenVerifier:
    from pedidos_api.tokens import TokenVerifier

    return TokenVerifier(token_settings())


@cache
def catalog_pages() -> PageCache[ProductPage]:
    from pedidos_api.page_cache import PageCache

    return PageCache(catalog_settings().page_seconds)
