"""The API's own dependencies, built once per process on first use."""

from functools import cache

from pedidos_api.pagination import CursorCodec
from pedidos_api.settings import cursor_settings


@cache
def cursors() -> CursorCodec:
    settings = cursor_settings()
    if settings.signing_key is not None:
        return CursorCodec(settings.signing_key)
    assert settings.signing_key_parameter is not None  # the settings hold exactly one of the two
    from aws_lambda_powertools.utilities.parameters import get_parameter

    return CursorCodec(get_parameter(settings.signing_key_parameter, decrypt=True, max_age=3600))
