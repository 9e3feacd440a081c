"""A session's end: expired (the cart stays), signed out (nothing stays, the refresh token revoked), and where sign-in leads."""

import re
from collections.abc import Callable
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Api, Person, add_to_cart, expire_session, lose_the_answer

pytestmark = pytest.mark.browser

REVOKE = "AWSCognitoIdentityProviderService.RevokeToken"


def fill_sign_in(page: Page, person: Person) -> None:
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
    page.get_by_label("Username").fill(person.username)
    page.get_by_label("Password").fill(person.password)
    page.get_by_role("button", name="Sign in").click()


def test_an_expired_session_keeps_the_cart_and_its_checkout_key(page: Page, customer: Person, add_product: Callable[..., dict], admin_api: Api) -> None:
    product = add_product(stock=10)
    page.goto("/")
    fill_sign_in(page, customer)
    add_to_cart(page, product, 2)
    page.get_by_role("link", name="Cart (1)").click()
    keys: list[str] = []
    page.on("request", lambda request: keys.append(request.headers["idempotency-key"]) if request.method == "POST" and request.url.endswith("/api/orders") else None)
    page.route("**/api/orders", lose_the_answer, times=1)
    page.get_by_role("button", name="Place order").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Pedidos could not be reached")

    expire_session(page)
    alert.get_by_role("button", name="Retry").click()
    fill_sign_in(page, customer)
    expect(page).to_have_url(re.compile(r"/cart$"))
    expect(page.get_by_label(f"Quantity of {product['name']}")).to_have_value("2")
    page.get_by_role("button", name="Place order").click()
    expect(page.locator(".order-status")).to_have_text(re.compile("Status: (Pending|Confirmed)"))
    assert len(keys) == 3 and len(set(keys)) == 1, keys
    mine = admin_api.request("GET", "/orders", params={"customer_id": customer.sub}).json()["items"]
    assert len(mine) == 1, "the checkout after signing in again reused the lost one's Idempotency-Key"


def test_signing_out_revokes_the_refresh_token_and_leaves_nothing_behind(page: Page, customer: Person, add_product: Callable[..., dict], stack) -> None:
    product = add_product(stock=10)
    page.goto("/")
    fill_sign_in(page, customer)
    add_to_cart(page, product, 1)
    refresh_token = page.evaluate("() => JSON.parse(sessionStorage.getItem('pedidos.session')).refreshToken")
    # The local Cognito does not implement RevokeToken (it answers 500): sign-out goes on regardless.
    with page.expect_request(lambda request: request.headers.get("x-amz-target") == REVOKE) as revoke:
        page.get_by_role("button", name="Sign out").click()
    assert revoke.value.url.startswith(stack.user_pool.endpoint)
    assert revoke.value.post_data_json == {"Token": refresh_token, "ClientId": stack.user_pool.client_id}
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
    assert page.evaluate("() => Object.keys(sessionStorage).filter((key) => key.startsWith('pedidos.'))") == []
    fill_sign_in(page, customer)
    expect(page.get_by_role("link", name="Cart (0)")).to_be_visible()


def test_signing_in_never_leads_off_the_console(page: Page, customer: Person, stack) -> None:
    # A backslash is a slash to a URL parser: "/\evil.example" is another host.
    page.goto("/signin?next=" + quote("/\\evil.example", safe=""))
    fill_sign_in(page, customer)
    expect(page.get_by_role("heading", name="Catalog", level=1)).to_be_visible()
    assert page.url == f"{stack.console_url}/"
