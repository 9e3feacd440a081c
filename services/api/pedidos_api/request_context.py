"""What every route needs from the request besides its parameters."""

import re
from typing import Any

from aws_lambda_powertools.event_handler.router import APIGatewayRouter
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent

from pedidos_api.identity import Principal, principal_of

CORRELATION_HEADER = "X-Correlation-Id"
_CLIENT_CORRELATION_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def correlation_id(event: APIGatewayProxyEvent) -> str:
    """The client's ``X-Correlation-Id`` when it is well formed, else API Gateway's request id."""
    given = event.headers.get(CORRELATION_HEADER)
    if given and _CLIENT_CORRELATION_ID.match(given):
        return given
    return event.request_context.request_id or "unknown"


def caller(router: APIGatewayRouter) -> Principal:
    return principal_of(router.current_event)


def with_correlation_id(response: dict[str, Any], correlation: str) -> dict[str, Any]:
    """The proxy response, carrying the correlation id whatever produced it (route, error handler, gate)."""
    response.setdefault("multiValueHeaders", {})[CORRELATION_HEADER] = [correlation]
    return response
