"""Keyboard alone, phone width, and what the console's server sends."""

import re
from collections.abc import Callable

import pytest
import requests
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import Person, product_card, sign_in

pytestmark = pytest.mark.browser


def tab_to(page: Page, target: Locator, limit: int = 60) -> None:
    """Presses Tab until `target` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{target} never got the focus by Tab")


def test_the_whole_order_placed_with_the_keyboard_alone(page: Page, customer: Person, add_product: Callable[..., dict]) -> None:
    product = add_product(stock=5, price_cents=899)
    page.goto("/")
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type(customer.username)
    page.keyboard.press("Tab")
    page.keyboard.type(customer.password)
    page.keyboard.press("Enter")

    card = product_card(page, product)
    quantity = card.get_by_label("Quantity")
    tab_to(page, quantity)
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Cart (1)")).to_be_visible()

    page.keyboard.press("Shift+Tab")
    tab_to(page, page.get_by_role("link", name="Cart (1)"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Cart", level=1)).to_be_focused()
    tab_to(page, page.get_by_role("button", name="Place order"))
    page.keyboard.press("Enter")
    expect(page.locator(".order-status")).to_have_text("Status: Confirmed", timeout=30_000)
    expect(page.get_by_text("Total: €17.98")).to_be_visible()

    # The confirmation is a modal dialog: focus moves in, Escape keeps the order.
    tab_to(page, page.get_by_role("button", name="Cancel order"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Keep the order")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(page.get_by_role("button", name="Cancel order")).to_be_focused()
    expect(page.locator(".order-status")).to_have_text("Status: Confirmed")


def assert_no_horizontal_scroll(page: Page) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways: {widths}"


@pytest.mark.browser_context_args(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
def test_every_page_fits_a_phone_without_sideways_scrolling(page: Page, admin: Person, add_product: Callable[..., dict]) -> None:
    product = add_product(stock=5, name="A product with a rather long name that has to wrap on a phone")
    page.goto("/")
    assert_no_horizontal_scroll(page)
    sign_in(page, admin)
    assert_no_horizontal_scroll(page)
    product_card(page, product).get_by_role("button", name=re.compile("^Add")).click()
    page.goto("/cart")
    expect(page.get_by_role("button", name="Place order")).to_be_visible()
    assert_no_horizontal_scroll(page)
    page.get_by_role("button", name="Place order").click()
    expect(page.locator(".order-status")).to_have_text("Status: Confirmed", timeout=30_000)
    assert_no_horizontal_scroll(page)
    for path, heading in [("/orders", "My orders"), ("/admin/products", "Products"), (f"/admin/products/{product['sku']}", "Product "), ("/admin/orders", "Customer orders")]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        assert_no_horizontal_scroll(page)


def test_the_console_server_sends_the_security_headers_and_serves_history_routes(stack) -> None:
    for path in ("/", "/orders/some-id", "/admin/products"):
        response = requests.get(stack.console_url + path, timeout=10)
        assert response.status_code == 200 and response.headers["Content-Type"] == "text/html; charset=utf-8"
        assert '<script type="module" src="/js/app.js">' in response.text
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert f"connect-src 'self' {stack.user_pool.endpoint}" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert requests.get(stack.console_url + "/js/app.js", timeout=10).headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert requests.get(stack.console_url + "/js/missing.js", timeout=10).status_code == 404
    settings = requests.get(stack.console_url + "/settings.json", timeout=10).json()
    assert settings == {
        "apiBaseUrl": "/api",
        "region": "eu-west-1",
        "cognitoEndpoint": stack.user_pool.endpoint,
        "userPoolId": stack.user_pool.pool_id,
        "clientId": stack.user_pool.client_id,
        "currency": "EUR",
    }
    health = requests.get(stack.console_url + "/api/health", timeout=10)
    assert health.json() == {"status": "ok"} and health.headers["X-Content-Type-Options"] == "nosniff"


def test_the_console_loads_nothing_from_elsewhere_and_breaks_no_policy(page: Page, customer: Person, stack) -> None:
    seen: list[str] = []
    problems: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    sign_in(page, customer)
    page.goto("/orders")
    expect(page.get_by_role("heading", name="My orders")).to_be_visible()
    allowed = (stack.console_url, stack.user_pool.endpoint)
    assert [url for url in seen if not url.startswith(allowed)] == []
    assert problems == []
