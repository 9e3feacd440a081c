"""``/health``, ``/openapi.json`` and ``/docs``: open to anyone, answered without touching AWS."""

import base64
import hashlib
import json
import re
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.models import Server
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from pedidos_api.problems import PROBLEM_CONTENT_TYPE
from pedidos_api.routes.openapi import error_description

router = APIGatewayRouter()

TITLE = "Pedidos"
DESCRIPTION = (
    "Orders for a shop: place them, follow them from PENDING to CONFIRMED or REJECTED, cancel them. "
    "Every call but /health, /openapi.json and /docs needs `Authorization: Bearer <JWT>`; administrators "
    "(by default the issuer's `admin` group) may manage the catalog and read anyone's orders. "
    "Errors are RFC 9457 problem+json."
)
_POWERTOOLS_ERROR_SCHEMAS = ("HTTPValidationError", "ValidationError", "ResponseValidationError")
PUBLIC_PATHS = frozenset({"/health", "/openapi.json", "/docs"})
# Relative to the document's own URL: "Try it out" calls the API where the page is served,
# under the stage (`.../prod/docs` -> `.../prod/orders`) and behind CloudFront's prefix
# (`/api/docs` -> `/api/orders`); "/" would be the host's root, outside both.
SERVERS = [Server(url=".", description="this API, where this document is served")]
# Swagger UI ships its script and styles inline and draws its icons from data: URIs; it
# calls nothing but this API. Behind the console's CloudFront (/api/docs) this policy is kept:
# the web service's headers policy for /api/* does not override one the API sends. That
# origin's sessionStorage holds the console's tokens, so only the page's own inline
# elements may run, named by their hashes: never 'unsafe-inline'.
SWAGGER_UI_POLICY = (
    "default-src 'none'; script-src {script}; style-src {style}; img-src data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
_INLINE_ELEMENT = re.compile(r"<(script|style)>(.*?)</\1>", re.DOTALL)


@router.get("/health", tags=["meta"], summary="Liveness", include_in_schema=True)
def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/openapi.json", tags=["meta"], summary="This document", include_in_schema=False)
def openapi_document() -> Response[str]:
    return Response(status_code=200, content_type="application/json", body=openapi_json(router.api_resolver))


@router.get("/docs", tags=["meta"], summary="Swagger UI", include_in_schema=False)
def swagger_ui() -> Response[str]:
    # The page names its document `docs?format=json` (Swagger UI's address bar and the base
    # the servers resolve against): that address answers with the document itself.
    if router.current_event.get_query_string_value("format") == "json":
        return openapi_document()
    page = swagger_page(router.api_resolver)
    return Response(status_code=200, content_type="text/html", body=page.html, headers={"Content-Security-Policy": page.policy})


class SwaggerPage(NamedTuple):
    html: str
    policy: str


# The routes do not change while a process lives: each document is built once, on first request.
@cache
def openapi_json(app: Any) -> str:
    return json.dumps(openapi_document_of(app))


@cache
def swagger_page(app: Any) -> SwaggerPage:
    from aws_lambda_powertools.event_handler.openapi.swagger_ui import generate_swagger_html

    assets = Path(generate_swagger_html.__code__.co_filename).parent
    html = generate_swagger_html(
        openapi_json(app).replace("</", "<\\/"),
        (assets / "swagger-ui-bundle.min.js").read_text(encoding="utf-8"),
        (assets / "swagger-ui.min.css").read_text(encoding="utf-8"),
        "",  # no base URL: the assets are inline
        None,
        False,
    )
    return SwaggerPage(html, inline_policy(html))


def inline_policy(html: str) -> str:
    """Swagger UI's policy, allowing each of the page's inline scripts and styles by its sha256."""
    hashes: dict[str, list[str]] = {"script": [], "style": []}
    for tag, source in _INLINE_ELEMENT.findall(html):
        digest = base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")
        hashes[tag].append(f"'sha256-{digest}'")
    return SWAGGER_UI_POLICY.format(script=" ".join(hashes["script"]), style=" ".join(hashes["style"]))


def openapi_document_of(app: Any) -> dict[str, Any]:
    """The generated document, with every error response described as the API really sends it."""
    schema = app.get_openapi_json_schema(title=TITLE, version="1.0.0", description=DESCRIPTION, servers=SERVERS)
    document: dict[str, Any] = json.loads(schema)
    problem = {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, operations in document.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            if path not in PUBLIC_PATHS:
                operation["security"] = [{"bearer": []}]
                responses["401"] = {"description": error_description(401)}
            for status, response in responses.items():
                if int(status) >= 400:
                    response["content"] = problem
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in _POWERTOOLS_ERROR_SCHEMAS:
        schemas.pop(name, None)
    document["components"]["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}
    return document
