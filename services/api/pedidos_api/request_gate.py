"""Refuses, before routing, the requests whose body cannot be read as JSON at all.

Powertools' validation parses the body first thing and also accepts form and
multipart bodies; this API takes JSON only, so anything else, anything too
large and anything that is not UTF-8 is answered here, as problem+json.
"""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import content_types
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent

from pedidos_api.problems import PROBLEM_CONTENT_TYPE, problem_body

JSON = content_types.APPLICATION_JSON
MAX_BODY_BYTES = 64 * 1024


def refusal(event: APIGatewayProxyEvent) -> tuple[HTTPStatus, str] | None:
    """Why this request's body is refused, or None when it may go on."""
    body = event.body
    if not body:
        return None
    media_type = (event.headers.get("Content-Type") or JSON).split(";")[0].strip().lower()
    if not (media_type == JSON or (media_type.startswith("application/") and media_type.endswith("+json"))):
        return HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"send the body as {JSON}, not {media_type}"
    size = len(body) * 3 // 4 if event.is_base64_encoded else len(body.encode("utf-8", "surrogatepass"))
    if size > MAX_BODY_BYTES:
        return HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the body is {size} bytes; the limit is {MAX_BODY_BYTES}"
    if event.is_base64_encoded:
        try:
            event.decoded_body  # noqa: B018 - decoding is the check
        except (UnicodeDecodeError, ValueError):
            return HTTPStatus.BAD_REQUEST, "the body is not UTF-8 text"
    return None


def refused_response(status: HTTPStatus, detail: str) -> dict:
    """The proxy response for a refused request, in the same shape the resolver gives."""
    return {
        "statusCode": status.value,
        "multiValueHeaders": {"Content-Type": [PROBLEM_CONTENT_TYPE]},
        "body": problem_body(status, detail),
        "isBase64Encoded": False,
    }
