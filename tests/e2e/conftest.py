"""The whole system over HTTP: serverless offline (api and worker), queue delivery, local AWS."""

import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from devstack.cognito import LocalUserPool, SignedIn
from devstack.stack import DevStack, Ports

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevStack]:
    with DevStack(ports=Ports.free(), log_dir=tmp_path_factory.mktemp("e2e-logs")) as running:
        yield running


@pytest.fixture(scope="session")
def user_pool(stack: DevStack) -> LocalUserPool:
    """The running API verifies tokens of its own stack's pool."""
    return stack.users


class Api:
    """A REST client of the running API, as one caller."""

    def __init__(self, base_url: str, caller: SignedIn | None) -> None:
        self.base_url = base_url
        self.session = requests.Session()
        # The pool assigns the customer id (the token's sub), not the username.
        self.customer_id = caller.sub if caller else None
        if caller:
            self.session.headers["Authorization"] = f"Bearer {caller.access_token}"

    def request(self, method: str, path: str, **options: Any) -> requests.Response:
        return self.session.request(method, self.base_url + path, timeout=30, **options)

    def get(self, path: str, **options: Any) -> requests.Response:
        return self.request("GET", path, **options)

    def post(self, path: str, **options: Any) -> requests.Response:
        return self.request("POST", path, **options)

    def patch(self, path: str, **options: Any) -> requests.Response:
        return self.request("PATCH", path, **options)

    def wait_for_decision(self, order_id: str, timeout: float = 60) -> dict:
        """The order once the worker has decided it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            order = self.get(f"/orders/{order_id}").json()
            if order["status"] != "PENDING":
                return order
            time.sleep(0.2)
        raise AssertionError(f"order {order_id} still PENDING after {timeout}s")


@pytest.fixture(scope="session")
def api_as(stack: DevStack, token_for: Callable[..., SignedIn]) -> Callable[..., Api]:
    def as_caller(username: str | None, admin: bool = False) -> Api:
        return Api(stack.api_url, token_for(username, admin) if username else None)

    return as_caller


@pytest.fixture(scope="session")
def admin(api_as: Callable[..., Api]) -> Api:
    return api_as("admin-e2e", admin=True)


@pytest.fixture
def customer(api_as: Callable[..., Api]) -> Api:
    return api_as(f"customer-{uuid.uuid4().hex[:8]}")


@pytest.fixture
def add_product(admin: Api) -> Callable[..., dict]:
    def add(stock: int, price_cents: int = 1000) -> dict:
        sku = f"E2E-{uuid.uuid4().hex[:10]}"
        response = admin.post("/products", json={"sku": sku, "name": f"Product {sku}", "price_cents": price_cents, "stock": stock})
        assert response.status_code == 201, response.text
        return response.json()

    return add
