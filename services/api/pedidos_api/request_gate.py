"""The door every request passes before routing: which bodies the API reads, and how.

This API reads one media type, ``application/json`` (type and subtype in any case,
as RFC 9110 has them, optionally with ``charset=utf-8``), at most 64 KiB of it, in
UTF-8. Anything else is answered here, as problem+json. Powertools' validation picks
its parser by comparing the Content-Type with ``application/json`` case-sensitively
and also reads form and multipart bodies, so the resolver is handed the event with
that one Content-Type, spelled as it expects: the media type is parsed here only.

Bodies are parsed by Powertools with ``parse_json`` below: JSON nested deeper than
the parser recurses, or with an integer longer than Python converts, is malformed
JSON to the client (400), not a server error.
"""

import json
import re
from http import HTTPStatus
from typing import Any, NamedTuple

from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent

from pedidos_api.problems import PROBLEM_CONTENT_TYPE, problem_body

JSON = "application/json"
MAX_BODY_BYTES = 64 * 1024
# One detail for every refused media type: it says what is read and never echoes the client's header.
UNSUPPORTED = f"send the body as {JSON}, optionally with charset=utf-8"

# RFC 9110 section 8.3.1: type "/" subtype *( OWS ";" OWS [ name "=" ( token / quoted-string ) ] ).
_TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_QUOTED = r'"(?:[\t \x21\x23-\x5b\x5d-\x7e]|\\[\t \x21-\x7e])*"'
_PARAMETER = rf"[ \t]*;[ \t]*(?:({_TOKEN})=({_TOKEN}|{_QUOTED}))?"
_MEDIA_TYPE = re.compile(rf"({_TOKEN}/{_TOKEN})((?:{_PARAMETER})*)")
_PARAMETERS = re.compile(_PARAMETER)
_QUOTED_PAIR = re.compile(r"\\(.)")


class Refusal(NamedTuple):
    status: HTTPStatus
    detail: str


def parse_media_type(value: str) -> tuple[str, list[tuple[str, str]]] | None:
    """``type/subtype`` in lower case and the parameters (names in lower case, values unquoted), or None if malformed."""
    matched = _MEDIA_TYPE.fullmatch(value.strip(" \t"))
    if matched is None:
        return None
    parameters = [
        (name.lower(), _QUOTED_PAIR.sub(r"\1", raw[1:-1]) if raw.startswith('"') else raw)
        for name, raw in _PARAMETERS.findall(matched.group(2))
        if name
    ]
    return matched.group(1).lower(), parameters


def is_readable(content_type: str) -> bool:
    """Whether a body sent with this Content-Type is one this API reads: JSON, in UTF-8."""
    parsed = parse_media_type(content_type)
    if parsed is None:
        return False
    media_type, parameters = parsed
    return media_type == JSON and all(name == "charset" and value.lower() == "utf-8" for name, value in parameters) and len(parameters) <= 1


def admit(request: APIGatewayProxyEvent) -> dict[str, Any] | Refusal:
    """The event the resolver is to see, or why its body is refused.

    The event handed on is a copy whose one Content-Type is ``application/json``: for
    a body, once its own was found to name JSON as above; for a request without one,
    whatever it named, since there is nothing to read. The caller's event is left as
    it came.
    """
    body = request.body
    if body:
        refused = _refusal(request, body)
        if refused:
            return refused
    return _with_json_content_type(request.raw_event)


def _refusal(request: APIGatewayProxyEvent, body: str) -> Refusal | None:
    if not all(is_readable(value) for value in _content_types(request)):
        return Refusal(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, UNSUPPORTED)
    size = len(body) * 3 // 4 if request.is_base64_encoded else len(body.encode("utf-8", "surrogatepass"))
    if size > MAX_BODY_BYTES:
        return Refusal(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the body is {size} bytes; the limit is {MAX_BODY_BYTES}")
    if request.is_base64_encoded:
        try:
            request.decoded_body  # noqa: B018 - decoding is the check
        except (UnicodeDecodeError, ValueError):
            return Refusal(HTTPStatus.BAD_REQUEST, "the body is not UTF-8 text")
    return None


def _content_types(request: APIGatewayProxyEvent) -> list[str]:
    """Every Content-Type value the request carries, whatever the case of the header's name, in both maps.
    None at all is read as JSON, as before."""
    values = [request.headers.get("content-type")]
    values += [value for name, many in (request.get("multiValueHeaders") or {}).items() if name.lower() == "content-type" for value in many or ()]
    return [value for value in values if value is not None]


def _with_json_content_type(event: dict[str, Any]) -> dict[str, Any]:
    def without_content_type(headers: dict[str, Any]) -> dict[str, Any]:
        return {name: value for name, value in headers.items() if name.lower() != "content-type"}

    admitted = {**event, "headers": {**without_content_type(event.get("headers") or {}), "Content-Type": JSON}}
    # Powertools reads every header from multiValueHeaders when it has any: only a map already there is rewritten.
    if event.get("multiValueHeaders"):
        admitted["multiValueHeaders"] = {**without_content_type(event["multiValueHeaders"]), "Content-Type": [JSON]}
    return admitted


def parse_json(text: str) -> Any:
    """``json.loads`` for request bodies: what the parser cannot take is malformed JSON to the client.

    Powertools answers ``json.JSONDecodeError`` as a request validation error (a 400
    here); json raises RecursionError for nesting deeper than it recurses (about 1,000
    levels on 3.11, 10,000 on 3.13) and ValueError for an integer longer than
    ``sys.get_int_max_str_digits()`` (4,300 digits).
    """
    try:
        return json.loads(text)
    except RecursionError:
        raise json.JSONDecodeError("nested too deeply", text, 0) from None
    except json.JSONDecodeError:
        raise
    except ValueError:
        raise json.JSONDecodeError("a number has too many digits", text, 0) from None


def refused_response(refusal: Refusal) -> dict[str, Any]:
    """The proxy response for a refused request, in the same shape the resolver gives."""
    return {
        "statusCode": refusal.status.value,
        "multiValueHeaders": {"Content-Type": [PROBLEM_CONTENT_TYPE]},
        "body": problem_body(refusal.status, refusal.detail),
        "isBase64Encoded": False,
    }
