"""A customer's flows, signed in through the form against the local Cognito."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browser.conftest import Api, Person, add_to_cart, expire_session, lose_the_answer, product_card, sign_in, wait_until

pytestmark = pytest.mark.browser


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

    held = []
    page.route("**/api/orders", lambda route: held.append(route), times=1)
    page.get_by_role("button", name="Place order").click()
    wait_until(page, lambda: held)
    # In flight, the cart cannot change: an edit would make a new checkout, and the retry a second order.
    expect(page.get_by_label(f"Quantity of {product['name']}")).to_be_disabled()
    expect(page.get_by_role("button", name=f"Remove {product['name']}")).to_be_disabled()
    lose_the_answer(held[0])
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Pedidos could not be reached")
    alert.get_by_role("button", name="Retry").click()
    expect(page.locator(".order-status")).to_have_text(re.compile("Status: (Pending|Confirmed)"))
    mine = admin_api.request("GET", "/orders", params={"customer_id": customer.sub}).json()["items"]
    assert len(mine) == 1, "the retry reused the checkout's Idempotency-Key"


def test_an_expired_session_goes_back_to_sign_in_and_returns_where_the_person_was(page: Page, customer: Person) -> None:
    sign_in(page, customer, "/orders")
    expire_session(page)
    page.get_by_label("Status").select_option("CONFIRMED")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Your session has ended. Sign in again to continue.")
    page.get_by_label("Username").fill(customer.username)
    page.get_by_label("Password").fill(customer.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/orders\?status=CONFIRMED$"))
    expect(page.get_by_role("heading", name="My orders")).to_be_visible()


def test_polling_says_a_dropped_connection_until_it_recovers_and_stops_once_the_order_is_cancelled(
    page: Page, customer: Person, add_product: Callable[..., dict], stack
) -> None:
    product = add_product(stock=10)
    api = Api(stack.api_url, stack.user_pool.sign_in(customer.username, customer.password).access_token)
    order = api.request("POST", "/orders", json={"lines": [{"sku": product["sku"], "quantity": 1}]}).json()
    pending = {**order, "status": "PENDING"}
    # The page's reads of the order, as a slow worker and a flaky network would answer them.
    answers = iter(["pending", "drop", "pending"])
    held = []

    def answer(route: Route) -> None:
        if route.request.method != "GET":
            route.fallback()
            return
        step = next(answers, "hold")
        if step == "pending":
            route.fulfill(json=pending)
        elif step == "drop":
            route.abort("internetdisconnected")
        else:
            held.append(route)

    page.route(f"**/api/orders/{order['id']}", answer)
    sign_in(page, customer, f"/orders/{order['id']}")
    status, error = page.locator(".order-status"), page.locator(".form-error")
    expect(status).to_have_text("Status: Pending")
    expect(error).to_contain_text("Pedidos could not be reached")
    expect(error).to_be_hidden()

    wait_until(page, lambda: held)
    page.get_by_role("button", name="Cancel order").click()
    page.get_by_role("dialog").get_by_role("button", name="Yes, cancel it").click()
    expect(status).to_have_text("Status: Cancelled")
    # The read that was on its way when the order was cancelled is answered late, and stale.
    held[0].fulfill(json=pending)
    page.wait_for_timeout(1500)
    expect(status).to_have_text("Status: Cancelled")
    expect(page.get_by_role("button", name="Cancel order")).to_be_hidden()
    assert len(held) == 1, "no more reads once the order is cancelled"


def test_a_refused_cancel_whose_reload_fails_is_said_in_words(page: Page, customer: Person, add_product: Callable[..., dict]) -> None:
    product = add_product(stock=10)
    script_errors: list[str] = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    sign_in(page, customer)
    add_to_cart(page, product, 1)
    page.get_by_role("link", name="Cart (1)").click()
    page.get_by_role("button", name="Place order").click()
    expect(page.locator(".order-status")).to_have_text("Status: Confirmed", timeout=30_000)

    refused = {"title": "Conflict", "detail": "it was cancelled elsewhere."}
    page.route("**/api/orders/*/cancel", lambda route: route.fulfill(status=409, json=refused, content_type="application/problem+json"))
    page.route("**/api/orders/*", lambda route: route.abort("internetdisconnected") if route.request.method == "GET" else route.fallback())
    page.get_by_role("button", name="Cancel order").click()
    page.get_by_role("dialog").get_by_role("button", name="Yes, cancel it").click()
    alert = page.locator(".form-error")
    expect(alert).to_contain_text("This order can no longer be cancelled: it was cancelled elsewhere.")
    expect(alert).to_contain_text("Its current status could not be loaded:")
    expect(alert).to_contain_text("Pedidos could not be reached.")
    assert script_errors == []


def test_a_wrong_password_is_said_in_words(page: Page, customer: Person) -> None:
    page.goto("/")
    page.get_by_label("Username").fill(customer.username)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Wrong username or password.")
