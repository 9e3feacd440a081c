"""What every route needs from the request besides its parameters."""

import re

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import APIGatewayRestResolver, Router
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent

from pedidos.observability import logger
from pedidos_api.identity import Principal, principal_of

CORRELATION_HEADER = "X-Correlation-Id"
_CLIENT_CORRELATION_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def correlation_id(event: APIGatewayProxyEvent) -> str:
    """The client's ``X-Correlation-Id`` when it is well formed, else API Gateway's request id."""
    given = event.headers.get(CORRELATION_HEADER)
    if given and _CLIENT_CORRELATION_ID.match(given):
        return given
    return event.request_context.request_id or "unknown"


def caller(router: Router) -> Principal:
    return principal_of(router.current_event)


def tag_with_correlation_id(app: APIGatewayRestResolver, next_middleware: NextMiddleware) -> Response:
    """Puts the correlation id on every log line of the request and on its response."""
    correlation = correlation_id(app.current_event)
    logger.set_correlation_id(correlation)
    response = next_middleware(app)
    response.headers[CORRELATION_HEADER] = correlation
    return response
