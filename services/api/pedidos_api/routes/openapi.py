"""Problem responses as the OpenAPI document describes them."""

from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from pydantic import BaseModel

from pedidos.models import Problem
from pedidos_api.problems import PROBLEM_CONTENT_TYPE

_DESCRIPTIONS = {
    400: "Malformed request: invalid JSON, body not UTF-8, forged or foreign cursor, If-Match not a list of entity tags.",
    401: "Missing, malformed, expired or wrongly signed token (answered by API Gateway).",
    403: "The token lacks the right for this action.",
    404: "No such resource, or not yours.",
    409: "The resource's state forbids the change.",
    412: "If-Match names no current version (ETag) of the resource.",
    413: "Body over 64 KiB.",
    415: "Body not sent as application/json.",
    422: "The request does not match the schema; `errors` lists the offending fields.",
    500: "Unexpected server error.",
}


def responses(success: int, model: type[BaseModel], description: str, *errors: int) -> dict[int, OpenAPIResponse]:
    """A route's OpenAPI responses: its success with its model, these errors, and those every route can give.

    Powertools documents only the responses given once any are, so the success is named here too.
    """
    documented: dict[int, OpenAPIResponse] = {success: {"description": description, "content": {"application/json": {"model": model}}}}
    for status in sorted({*errors, 400, 422, 500}):
        documented[status] = {"description": _DESCRIPTIONS[status], "content": {PROBLEM_CONTENT_TYPE: {"model": Problem}}}
    return documented


def error_description(status: int) -> str:
    return _DESCRIPTIONS[status]
