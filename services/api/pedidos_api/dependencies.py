"""The API's own dependencies, built once per process on first use."""

from functools import cache

from pedidos_api.pagination import CursorCodec
from pedidos_api.settings import cursor_settings


@cache
def cursors() -> CursorCodec:
    return CursorCodec(cursor_settings().signing_key)
