"""What every route needs from the request besides its parameters."""

import re

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import APIGatewayRestResolver
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from pedidos.observability import logger

from pedidos_api.identity import Principal, principal_of
from pedidos_api.problems import MalformedBody, PayloadTooLarge, UnsupportedMediaType

JSON = "application/json"
MAX_BODY_BYTES = 64 * 1024
CORRELATION_HEADER = "X-Correlation-Id"
_CLIENT_CORRELATION_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def correlation_id(app: APIGatewayRestResolver) -> str:
    """The client's ``X-Correlation-Id`` when it is well formed, else API Gateway's request id."""
    given = app.current_event.headers.get(CORRELATION_HEADER)
    if given and _CLIENT_CORRELATION_ID.match(given):
        return given
    return app.current_event.request_context.request_id or "unknown"


def caller(app: APIGatewayRestResolver) -> Principal:
    return principal_of(app.current_event)


def guard_and_trace(app: APIGatewayRestResolver, next_middleware: NextMiddleware) -> Response:
    """Refuses bodies over the limit, not JSON or not UTF-8, and tags logs and the response with the correlation id."""
    correlation = correlation_id(app)
    logger.set_correlation_id(correlation)
    body = app.current_event.body or ""
    size = len(body) * 3 // 4 if app.current_event.is_base64_encoded else len(body.encode())
    if size > MAX_BODY_BYTES:
        raise PayloadTooLarge(f"the body is {size} bytes; the limit is {MAX_BODY_BYTES}")
    media_type = (app.current_event.headers.get("Content-Type") or JSON).split(";")[0].strip().lower()
    if body and not (media_type == JSON or media_type.endswith("+json")):
        raise UnsupportedMediaType(f"send the body as {JSON}, not {media_type}")
    if app.current_event.is_base64_encoded:
        try:
            app.current_event.decoded_body  # noqa: B018 - decoding is the check
        except (UnicodeDecodeError, ValueError):
            raise MalformedBody("the body is not UTF-8 text") from None
    response = next_middleware(app)
    response.headers[CORRELATION_HEADER] = correlation
    return response
