"""The console in a real browser: Debian's chromium, driven by Playwright, against the running local stack.

Launched as tests/browser/chromium.py says. Screenshots of every page of a failed
test go to .local/browser/ (pytest-playwright's --screenshot and --output, set in
pyproject.toml's addopts).
"""

import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Page, Route, expect

from devstack.stack import DevStack, Ports
from tests.browser.chromium import CHROMIUM, INSTALL, LAUNCH


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"the browser tests need Debian's chromium at {CHROMIUM}: run `make test`, or as root `{INSTALL}`", pytrace=False)
    return {**browser_type_launch_args, **LAUNCH}


@pytest.fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevStack]:
    """The whole local system with its console; package-scoped, so it stops once the browser tests end."""
    with DevStack(ports=Ports.free(), log_dir=tmp_path_factory.mktemp("browser-logs")) as running:
        yield running


@pytest.fixture(scope="package")
def browser_context_args(stack: DevStack) -> dict:
    return {"base_url": stack.console_url, "viewport": {"width": 1280, "height": 800}}


@dataclass(frozen=True)
class Person:
    username: str
    password: str
    sub: str


class Api:
    """The API straight, behind the page's back: set-up and checks."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def request(self, method: str, path: str, **options: Any) -> requests.Response:
        return self.session.request(method, self.base_url + path, timeout=30, **options)

    def product(self, sku: str) -> dict:
        response = self.request("GET", f"/products/{sku}")
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture(scope="package")
def people(stack: DevStack) -> Callable[..., Person]:
    """Makes a user of the local user pool, who signs in through the console's form."""

    def make(admin: bool = False) -> Person:
        username = f"{'admin' if admin else 'customer'}-{uuid.uuid4().hex[:8]}"
        password = f"Pw-{uuid.uuid4().hex}-7"
        stack.users.add_user(username, password, admin=admin)
        return Person(username, password, stack.users.sign_in(username, password).sub)

    return make


@pytest.fixture(scope="package")
def admin_api(stack: DevStack, people: Callable[..., Person]) -> Api:
    person = people(admin=True)
    return Api(stack.api_url, stack.users.sign_in(person.username, person.password).access_token)


@pytest.fixture
def customer(people: Callable[..., Person]) -> Person:
    return people()


@pytest.fixture
def admin(people: Callable[..., Person]) -> Person:
    return people(admin=True)


@pytest.fixture
def add_product(admin_api: Api) -> Callable[..., dict]:
    """A product the test owns; the newest sorts first, so it is on the catalog's first page."""

    def add(stock: int, price_cents: int = 1250, name: str | None = None) -> dict:
        sku = f"A0-{2**64 - time.time_ns():x}"
        body = {"sku": sku, "name": name or f"Test mug {sku[-6:]}", "price_cents": price_cents, "stock": stock}
        response = admin_api.request("POST", "/products", json=body)
        assert response.status_code == 201, response.text
        return response.json()

    return add


def sign_in(page: Page, person: Person, path: str = "/") -> None:
    """Opens `path`, lands on the sign-in form, signs in, and is back at `path`."""
    page.goto(path)
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
    page.get_by_label("Username").fill(person.username)
    page.get_by_label("Password").fill(person.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def product_card(page: Page, product: dict) -> Any:
    return page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=product["name"]))


def add_to_cart(page: Page, product: dict, quantity: int) -> None:
    card = product_card(page, product)
    card.get_by_label("Quantity").fill(str(quantity))
    card.get_by_role("button", name=f"Add {product['name']} to cart").click()
    expect(page.get_by_role("status")).to_have_text(f"Added {quantity} × {product['name']} to the cart.")


def lose_the_answer(route: Route) -> None:
    """The request reaches the API, but its answer is lost on the way back."""
    route.fetch()
    route.abort("connectionreset")


def expire_session(page: Page) -> None:
    """The stored session as it is once both tokens are over: the API refuses the one, Cognito the other."""
    page.evaluate(
        """() => {
        const session = JSON.parse(sessionStorage.getItem("pedidos.session"));
        session.accessToken = session.accessToken.slice(0, -4) + "AAAA";
        session.refreshToken = "revoked";
        sessionStorage.setItem("pedidos.session", JSON.stringify(session));
    }"""
    )


def wait_until(page: Page, condition: Callable[[], object], timeout_ms: int = 10_000) -> None:
    """Lets the page run until `condition()` holds (e.g. a route handler has seen a request)."""
    for _ in range(timeout_ms // 50):
        if condition():
            return
        page.wait_for_timeout(50)
    raise AssertionError("the condition never held")
