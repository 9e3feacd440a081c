"""A customer's flows, signed in through the form against the local Cognito."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Api, Person, product_card, sign_in

pytestmark = pytest.mark.browser


def add_to_cart(page: Page, product: dict, quantity: int) -> None:
    card = product_card(page, product)
    card.get_by_label("Quantity").fill(str(quantity))
    card.get_by_role("button", name=f"Add {product['name']} to cart").click()
    expect(page.get_by_role("status")).to_have_text(f"Added {quantity} × {product['name']} to the cart.")


def test_a_customer_orders_sees_it_confirmed_with_its_total_cancels_it_and_the_stock_comes_back(
    page: Page, customer: Person, add_product: Callable[..., dict], admin_api: Api
) -> None:
    product = add_product(stock=5, price_cents=1250)
    sign_in(page, customer)
    card = product_card(page, product)
    expect(card).to_contain_text("€12.50")
    expect(card).to_contain_text("5 in stock")

    add_to_cart(page, product, 2)
    page.get_by_role("link", name="Cart (1)").click()
    expect(page.get_by_text("Estimated total: €25.00")).to_be_visible()
    # A double click places one order: the button is disabled in flight and the key is the checkout's.
    page.get_by_role("button", name="Place order").dblclick()

    expect(page).to_have_url(re.compile(r"/orders/[^/]+$"))
    order_id = page.url.rsplit("/", 1)[1]
    expect(page.locator(".order-status")).to_have_text("Status: Confirmed", timeout=30_000)
    expect(page.get_by_text("Total: €25.00")).to_be_visible()
    assert admin_api.product(product["sku"])["stock"] == 3
    mine = admin_api.request("GET", "/orders", params={"customer_id": customer.sub}).json()["items"]
    assert [order["id"] for order in mine] == [order_id]

    page.get_by_role("button", name="Cancel order").click()
    dialog = page.get_by_role("dialog", name="Cancel this order?")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Yes, cancel it").click()
    expect(page.locator(".order-status")).to_have_text("Status: Cancelled")
    expect(page.get_by_role("button", name="Cancel order")).to_be_hidden()

    page.get_by_role("link", name="Catalog").click()
    expect(product_card(page, product)).to_contain_text("5 in stock", timeout=30_000)


def test_an_out_of_stock_order_shows_its_reason_with_the_sku(page: Page, customer: Person, add_product: Callable[..., dict]) -> None:
    product = add_product(stock=1)
    sign_in(page, customer)
    add_to_cart(page, product, 3)
    page.get_by_role("link", name="Cart (1)").click()
    page.get_by_role("button", name="Place order").click()
    expect(page.locator(".order-status")).to_have_text("Status: Rejected", timeout=30_000)
    expect(page.locator(".rejection")).to_have_text(f"Why: Not enough stock for {product['sku']}.")
    expect(page.get_by_role("button", name="Cancel order")).to_be_hidden()


def test_my_orders_newest_first_with_a_status_filter_and_load_more(
    page: Page, customer: Person, add_product: Callable[..., dict], stack
) -> None:
    product = add_product(stock=100)
    token = stack.user_pool.sign_in(customer.username, customer.password).access_token
    api = Api(stack.api_url, token)
    placed = [api.request("POST", "/orders", json={"lines": [{"sku": product["sku"], "quantity": 1}]}).json()["id"] for _ in range(12)]
    sign_in(page, customer, "/orders")
    links = page.get_by_role("link", name=re.compile(r"^Order "))
    expect(links).to_have_count(10)
    page.get_by_role("button", name="Load more").click()
    expect(links).to_have_count(12)
    assert [text.removeprefix("Order ") for text in links.all_inner_texts()] == placed[::-1]
    # The keyboard stays where the new orders begin.
    expect(links.nth(10)).to_be_focused()
    expect(page.get_by_role("button", name="Load more")).to_be_hidden()

    api.request("POST", f"/orders/{placed[0]}/cancel")
    page.get_by_label("Status").select_option("CANCELLED")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"/orders\?status=CANCELLED$"))
    expect(links).to_have_count(1)
    expect(links).to_have_text(f"Order {placed[0]}")


def test_a_network_failure_at_checkout_offers_a_retry_that_places_one_order(
    page: Page, customer: Person, add_product: Callable[..., dict], admin_api: Api
) -> None:
    product = add_product(stock=10)
    sign_in(page, customer)
    add_to_cart(page, product, 1)
    page.get_by_role("link", name="Cart (1)").click()

    # The request reaches the API, but its answer is lost on the way back.
    def lose_the_answer(route) -> None:  # noqa: ANN001
        route.fetch()
        route.abort("connectionreset")

    page.route("**/api/orders", lose_the_answer, times=1)
    page.get_by_role("button", name="Place order").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Pedidos could not be reached")
    alert.get_by_role("button", name="Retry").click()
    expect(page.locator(".order-status")).to_have_text(re.compile("Status: (Pending|Confirmed)"))
    mine = admin_api.request("GET", "/orders", params={"customer_id": customer.sub}).json()["items"]
    assert len(mine) == 1, "the retry reused the checkout's Idempotency-Key"


def test_an_expired_session_goes_back_to_sign_in_and_returns_where_the_person_was(page: Page, customer: Person) -> None:
    sign_in(page, customer, "/orders")
    page.evaluate(
        """() => {
        const session = JSON.parse(sessionStorage.getItem("pedidos.session"));
        session.accessToken = session.accessToken.slice(0, -4) + "AAAA";
        session.refreshToken = "revoked";
        sessionStorage.setItem("pedidos.session", JSON.stringify(session));
    }"""
    )
    page.get_by_label("Status").select_option("CONFIRMED")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Your session has ended. Sign in again to continue.")
    page.get_by_label("Username").fill(customer.username)
    page.get_by_label("Password").fill(customer.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/orders\?status=CONFIRMED$"))
    expect(page.get_by_role("heading", name="My orders")).to_be_visible()


def test_a_wrong_password_is_said_in_words(page: Page, customer: Person) -> None:
    page.goto("/")
    page.get_by_label("Username").fill(customer.username)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Wrong username or password.")
