"""Screenshots of every console page at desktop and phone width (docs/console/), and the first visit measured.

    .venv/bin/python -m tests.browser.screenshots

Starts the local stack on free ports with the demo products, signs in through the
console's form, and prints the first visit's transfer size and the time until the
catalog shows.
"""

import re
import tempfile
from pathlib import Path

from playwright.sync_api import Page, ViewportSize, expect, sync_playwright

from devstack.demo_data import seed
from devstack.stack import DevStack, Ports
from infra.definitions import ROOT
from tests.browser.chromium import LAUNCH

OUT = ROOT / "docs" / "console"
SIZES: dict[str, ViewportSize] = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 740}}
CUSTOMER, ADMIN, PASSWORD = "demo-customer", "demo-admin", "Screenshots-only-7!"


def sign_in(page: Page, username: str, path: str = "/") -> None:
    page.goto(path)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def first_visit(page: Page) -> tuple[float, float, float]:
    """KB transferred by a first visit up to the catalog (all requests), of which the console's files; ms until it shows."""
    page.goto("/")
    sign_in(page, CUSTOMER)
    expect(page.locator(".products .card").first).to_be_visible()
    entries = page.evaluate(
        "() => [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]"
        ".map(e => ({name: e.name, size: e.transferSize}))"
    )
    total = sum(entry["size"] for entry in entries) / 1024
    files = sum(entry["size"] for entry in entries if re.search(r"/(js/.*|styles\.css|favicon\.svg|settings\.json)?$", entry["name"].split("?")[0])) / 1024
    # Signed in, a fresh load of the catalog: navigation start to the products on screen.
    page.reload()
    expect(page.locator(".products .card").first).to_be_visible()
    return total, files, page.evaluate("() => performance.now()")


def shoot(page: Page, name: str, size: str) -> None:
    page.screenshot(path=OUT / f"{name}-{size}.png")


def pages(page: Page, size: str) -> None:
    page.goto("/")
    expect(page.get_by_label("Username")).to_be_visible()
    shoot(page, "sign-in", size)
    sign_in(page, CUSTOMER)
    expect(page.locator(".products .card").first).to_be_visible()
    shoot(page, "catalog", size)
    card = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name="Red mug"))
    card.get_by_label("Quantity").fill("2")
    card.get_by_role("button", name=re.compile("^Add")).click()
    page.get_by_role("link", name=re.compile(r"^Cart")).click()
    shoot(page, "cart", size)
    page.get_by_role("button", name="Place order").click()
    expect(page.locator(".order-status")).to_have_text("Status: Confirmed", timeout=30_000)
    shoot(page, "order", size)
    page.get_by_role("button", name="Cancel order").click()
    shoot(page, "cancel-dialog", size)
    page.get_by_role("button", name="Keep the order").click()
    page.get_by_role("link", name="My orders").click()
    expect(page.get_by_role("link", name=re.compile("^Order ")).first).to_be_visible()
    shoot(page, "my-orders", size)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, ADMIN, "/admin/products")
    shoot(page, "admin-products", size)
    page.goto("/admin/products/MUG-BLUE")
    expect(page.get_by_label("Stock")).to_be_visible()
    shoot(page, "admin-product", size)
    page.goto("/admin/orders")
    shoot(page, "admin-customer-orders", size)
    page.get_by_role("button", name="Sign out").click()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as logs, DevStack(ports=Ports.free(), log_dir=Path(logs)) as stack:
        seed(stack.client("dynamodb"))
        stack.users.add_user(CUSTOMER, PASSWORD)
        stack.users.add_user(ADMIN, PASSWORD, admin=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**LAUNCH)
            total, files, shown = first_visit(browser.new_context(base_url=stack.console_url).new_page())
            for size, viewport in SIZES.items():
                pages(browser.new_context(base_url=stack.console_url, viewport=viewport).new_page(), size)
            browser.close()
    print(f"first visit up to the catalog: {total:.1f} KB transferred, {files:.1f} KB of it the console's own files")
    print(f"catalog on screen {shown:.0f} ms after navigation start (signed in, fresh load)")
    print(f"screenshots in {OUT.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
