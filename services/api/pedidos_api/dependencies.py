"""The API's own dependencies, built once per process on first use."""

from functools import cache

from pedidos.models import ProductPage
from pedidos_api.page_cache import PageCache
from pedidos_api.pagination import CursorCodec
from pedidos_api.settings import catalog_settings, cursor_settings


@cache
def cursors() -> CursorCodec:
    settings = cursor_settings()
    if settings.signing_key is not None:
        return CursorCodec(settings.signing_key)
    from aws_lambda_powertools.utilities.parameters import get_parameter

    return CursorCodec(get_parameter(settings.signing_key_parameter, decrypt=True, max_age=3600))


@cache
def catalog_pages() -> PageCache[ProductPage]:
    return PageCache(catalog_settings().page_seconds)
