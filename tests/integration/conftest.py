"""The real handlers, invoked in-process with real events, against the local endpoint over HTTP."""

import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from devstack.lambda_events import LambdaContext, api_event
from pedidos_api.handlers.api import handler as api_handler


@pytest.fixture(autouse=True)
def _environment(lambda_environment: dict[str, str]) -> None:
    """Every test here runs with the deployed functions' environment."""


class ApiResponse:
    def __init__(self, raw: dict[str, Any]) -> None:
        self.status = raw["statusCode"]
        self.headers = {name.lower(): value for name, value in (raw.get("headers") or {}).items()}
        self.headers.update({name.lower(): values[-1] for name, values in (raw.get("multiValueHeaders") or {}).items()})
        self.text = raw.get("body") or ""

    def json(self) -> Any:
        return json.loads(self.text)


@pytest.fixture
def call_api() -> Callable[..., ApiResponse]:
    def call(method: str, url: str, **options: Any) -> ApiResponse:
        return ApiResponse(api_handler(api_event(method, url, **options), LambdaContext()))

    return call


@pytest.fixture
def new_sku() -> Callable[[], str]:
    return lambda: f"SKU-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def customer() -> dict[str, str]:
    """A caller of its own, as ``call_api``'s keyword arguments."""
    return {"customer": f"customer-{uuid.uuid4().hex[:8]}"}


@pytest.fixture
def sku(call_api: Callable[..., ApiResponse], new_sku: Callable[[], str]) -> str:
    """A new product: 100 in stock at 300 cents."""
    sku = new_sku()
    body = {"sku": sku, "name": "Thing", "price_cents": 300, "stock": 100}
    created = call_api("POST", "/products", body=body, customer="admin-1", admin=True)
    assert created.status == 201, created.text
    return sku
