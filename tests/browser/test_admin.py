"""An administrator's flows: the catalog under If-Match, and a customer's orders."""

import re
import time
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browser.conftest import Api, Person, lose_the_answer, sign_in

pytestmark = pytest.mark.browser


def test_an_administrator_creates_a_product_edits_its_stock_and_a_stale_edit_shows_the_conflict(
    page: Page, admin: Person, admin_api: Api
) -> None:
    sku = f"A0-{2**64 - time.time_ns():x}"
    sign_in(page, admin, "/admin/products")
    form = page.get_by_role("form", name="New product")

    # The API's problem+json lands next to the field it concerns.
    form.get_by_label("SKU").fill("not a sku!")
    form.get_by_label("Name").fill("Green mug")
    form.get_by_label("Price (EUR)").fill("12.5")
    form.get_by_label("Stock").fill("10")
    form.get_by_role("button", name="Create product").click()
    expect(form.get_by_label("SKU")).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_label("SKU")).to_be_focused()
    expect(form.locator(".field-error").first).to_contain_text("pattern")

    form.get_by_label("SKU").fill(sku)
    form.get_by_role("button", name="Create product").click()
    expect(page).to_have_url(re.compile(f"/admin/products/{sku}$"))
    expect(page.get_by_role("heading", name="Product Green mug")).to_be_visible()
    assert admin_api.product(sku) == {"sku": sku, "name": "Green mug", "price_cents": 1250, "stock": 10, "stock_buckets": 1, "version": 1}

    page.get_by_label("Stock").fill("7")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Saved: version 2.")).to_be_visible()
    assert admin_api.product(sku)["stock"] == 7

    # Someone else changes it while the page still holds version 2.
    behind = admin_api.request("PATCH", f"/products/{sku}", json={"stock": 9, "name": "Green mug (new)"}, headers={"If-Match": '"2"'})
    assert behind.status_code == 200, behind.text
    page.get_by_label("Stock").fill("3")
    page.get_by_role("button", name="Save changes").click()
    conflict = page.get_by_role("alert").filter(has_text="Changed meanwhile")
    expect(conflict).to_be_focused()
    expect(conflict).to_contain_text("the current version is 3")
    expect(conflict).to_contain_text("Green mug (new) · €12.50 · 9 in stock")
    assert admin_api.product(sku)["stock"] == 9, "a conflict is never overwritten"

    conflict.get_by_role("button", name="Apply my changes to the current version").click()
    expect(page.get_by_text("Saved: version 4.")).to_be_visible()
    assert admin_api.product(sku)["stock"] == 3


def test_an_administrator_looks_up_a_customers_orders(
    page: Page, admin: Person, customer: Person, add_product: Callable[..., dict], stack
) -> None:
    product = add_product(stock=10)
    api = Api(stack.api_url, stack.user_pool.sign_in(customer.username, customer.password).access_token)
    placed = api.request("POST", "/orders", json={"lines": [{"sku": product["sku"], "quantity": 1}]}).json()["id"]
    sign_in(page, admin, "/admin/orders")
    page.get_by_label("Customer id").fill(customer.sub)
    page.get_by_role("button", name="Find orders").click()
    expect(page.get_by_role("heading", name=f"Orders of {customer.sub}")).to_be_visible()
    page.get_by_role("link", name=f"Order {placed}").click()
    expect(page.get_by_role("heading", name=f"Order {placed}")).to_be_focused()


def test_a_customer_sees_no_administration(page: Page, customer: Person) -> None:
    sign_in(page, customer)
    expect(page.get_by_role("link", name="Products")).to_have_count(0)
    page.goto("/admin/products")
    expect(page.get_by_role("heading", name="For administrators")).to_be_visible()


def test_an_edit_whose_answer_was_lost_is_saved_when_retried(page: Page, admin: Person, admin_api: Api, add_product: Callable[..., dict]) -> None:
    product = add_product(stock=10)
    sign_in(page, admin, f"/admin/products/{product['sku']}")
    page.route(f"**/api/products/{product['sku']}", lambda route: lose_the_answer(route) if route.request.method == "PATCH" else route.fallback())
    page.get_by_label("Stock").fill("4")
    page.get_by_role("button", name="Save changes").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Pedidos could not be reached")
    page.unroute(f"**/api/products/{product['sku']}")
    # The first PATCH was applied, so the retry's If-Match is stale: the current version is what was sent.
    alert.get_by_role("button", name="Retry").click()
    expect(page.get_by_text("Saved: version 2.")).to_be_visible()
    expect(page.get_by_text("Changed meanwhile")).to_be_hidden()
    assert admin_api.product(product["sku"])["stock"] == 4


def test_a_conflict_whose_current_version_cannot_be_loaded_is_said_in_words(page: Page, admin: Person, add_product: Callable[..., dict]) -> None:
    product = add_product(stock=10)
    script_errors: list[str] = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    sign_in(page, admin, f"/admin/products/{product['sku']}")

    def stale_then_unreachable(route: Route) -> None:
        if route.request.method == "PATCH":
            route.fulfill(status=412, json={"title": "Precondition Failed"}, content_type="application/problem+json")
        else:
            route.abort("internetdisconnected")

    page.route(f"**/api/products/{product['sku']}", stale_then_unreachable)
    page.get_by_label("Stock").fill("4")
    page.get_by_role("button", name="Save changes").click()
    alert = page.locator(".form-error")
    expect(alert).to_contain_text("its current version could not be loaded")
    expect(alert).to_contain_text("Pedidos could not be reached")
    assert script_errors == []
