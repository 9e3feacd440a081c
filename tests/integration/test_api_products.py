"""The catalog routes of the real API handler, against the local endpoint."""

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from pedidos import clients
from pedidos_api.catalog import CATALOG_LISTING
from pedidos_api.dependencies import cursors

ADMIN = {"customer": "admin-1", "admin": True}
CUSTOMER = {"customer": "customer-1"}


def product(sku: str, stock: int = 10, price_cents: int = 500) -> dict:
    return {"sku": sku, "name": f"Product {sku}", "price_cents": price_cents, "stock": stock}


def test_an_admin_adds_a_product_and_anyone_reads_it(call_api, new_sku):
    sku = new_sku()
    created = call_api("POST", "/products", body=product(sku), **ADMIN)
    assert created.status == 201
    assert created.headers["location"] == f"/products/{sku}"
    assert created.json() == {**product(sku), "stock_buckets": 1, "version": 1}

    read = call_api("GET", f"/products/{sku}", **CUSTOMER)
    assert read.status == 200
    assert read.json()["stock"] == 10
    assert read.headers["etag"] == '"1"'


@pytest.fixture
def product_reads() -> Iterator[list[tuple[str, bool]]]:
    """The (sku, strongly consistent?) of each GetItem the API's client makes of a product while the test runs."""
    reads: list[tuple[str, bool]] = []

    def record(params: dict[str, Any], **_: Any) -> None:
        if params["Key"]["PK"]["S"].startswith("PRODUCT#"):
            reads.append((params["Key"]["PK"]["S"].removeprefix("PRODUCT#"), params.get("ConsistentRead", False)))

    events = clients.dynamodb().meta.events
    events.register("provide-client-params.dynamodb.GetItem", record, unique_id="product-reads")
    yield reads
    events.unregister("provide-client-params.dynamodb.GetItem", unique_id="product-reads")


def test_a_customer_reads_a_product_eventually_consistent_and_an_admin_strongly(call_api, new_sku, product_reads):
    sku = new_sku()
    assert call_api("POST", "/products", body=product(sku), **ADMIN).status == 201
    assert call_api("GET", f"/products/{sku}", **CUSTOMER).status == 200
    assert call_api("GET", f"/products/{sku}", **ADMIN).status == 200
    assert product_reads == [(sku, False), (sku, True)]


def test_a_product_a_customers_eventual_read_does_not_find_is_looked_for_strongly_before_the_404(call_api, product_reads):
    assert call_api("GET", "/products/NOPE-404", **CUSTOMER).status == 404
    assert product_reads == [("NOPE-404", False), ("NOPE-404", True)]


def test_a_customer_cannot_add_products(call_api, new_sku):
    response = call_api("POST", "/products", body=product(new_sku()), **CUSTOMER)
    assert response.status == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 403


def test_a_duplicate_sku_is_a_conflict(call_api, new_sku):
    sku = new_sku()
    assert call_api("POST", "/products", body=product(sku), **ADMIN).status == 201
    again = call_api("POST", "/products", body=product(sku, stock=99), **ADMIN)
    assert again.status == 409
    assert call_api("GET", f"/products/{sku}", **CUSTOMER).json()["stock"] == 10


def test_a_missing_product_is_404_problem(call_api):
    response = call_api("GET", "/products/NOPE-404", **CUSTOMER)
    assert response.status == 404
    assert response.json()["title"] == "Not Found"


def test_patch_honours_if_match(call_api, new_sku):
    sku = new_sku()
    call_api("POST", "/products", body=product(sku), **ADMIN)

    changed = call_api("PATCH", f"/products/{sku}", body={"stock": 3}, headers={"If-Match": '"1"'}, **ADMIN)
    assert changed.status == 200
    assert changed.json()["stock"] == 3
    assert changed.headers["etag"] == '"2"'

    stale = call_api("PATCH", f"/products/{sku}", body={"price_cents": 1}, headers={"If-Match": '"1"'}, **ADMIN)
    assert stale.status == 412
    assert call_api("GET", f"/products/{sku}", **CUSTOMER).json()["price_cents"] == 500


def test_patch_without_changes_or_with_unknown_fields_is_422(call_api, new_sku):
    sku = new_sku()
    call_api("POST", "/products", body=product(sku), **ADMIN)
    assert call_api("PATCH", f"/products/{sku}", body={}, **ADMIN).status == 422
    unknown = call_api("PATCH", f"/products/{sku}", body={"stock": 1, "colour": "red"}, **ADMIN)
    assert unknown.status == 422
    assert any(error["location"][-1] == "colour" for error in unknown.json()["errors"])


def test_patch_of_a_missing_product_is_404(call_api):
    assert call_api("PATCH", "/products/NOPE-404", body={"stock": 1}, **ADMIN).status == 404


def test_products_are_listed_in_pages_with_signed_cursors(call_api, new_sku):
    for _ in range(3):
        call_api("POST", "/products", body=product(new_sku()), **ADMIN)
    seen: list[str] = []
    cursor = None
    while True:
        url = "/products?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = call_api("GET", url, **CUSTOMER).json()
        assert len(page["items"]) <= 2
        seen += [item["sku"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) >= 3


def test_a_forged_cursor_is_400(call_api, new_sku):
    for _ in range(2):
        call_api("POST", "/products", body=product(new_sku()), **ADMIN)
    cursor = call_api("GET", "/products?limit=1", **CUSTOMER).json()["next_cursor"]
    payload, tag = cursor.split(".")
    forged = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + tag
    response = call_api("GET", f"/products?limit=1&cursor={forged}", **CUSTOMER)
    assert response.status == 400
    assert response.headers["content-type"] == "application/problem+json"


def test_a_stored_item_that_breaks_the_schema_is_a_500_problem_not_a_422(call_api, new_sku, local_aws, lambda_environment):
    sku = new_sku()
    call_api("POST", "/products", body=product(sku), **ADMIN)
    local_aws.client("dynamodb").update_item(
        TableName=lambda_environment["TABLE_NAME"],
        Key={"PK": {"S": f"PRODUCT#{sku}"}, "SK": {"S": "PRODUCT"}},
        UpdateExpression="SET stock = :broken",
        ExpressionAttributeValues={":broken": {"N": "-5"}},
    )
    response = call_api("GET", f"/products/{sku}", **CUSTOMER)
    assert response.status == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert "-5" not in response.text


@pytest.mark.parametrize(
    ("if_match", "status"),
    [
        ('"2"', 200),
        ('W/"2"', 200),
        ('"1", "2"', 200),
        ('"7", "2",', 200),
        ("*", 200),
        ('"1"', 412),
        ('"\u00b2"', 400),  # superscript two: a digit to str.isdigit, not ASCII
        ('"' + "9" * 60 + '"', 412),  # a well-formed tag naming no version
        ('"02"', 412),  # tags are opaque: "02" is not "2"
        ('"a,b"', 412),
        ('"0"', 412),
        ("2", 400),  # unquoted
        ('"2" junk', 400),
        ('"2""3"', 400),
        ("", 400),
        (",", 400),
        ('"2",' * 51, 400),  # more tags than a client could have read
        ('"2"' + " " * 1100, 400),
    ],
)
def test_if_match_is_parsed_as_rfc_9110_entity_tags(call_api, new_sku, if_match, status):
    sku = new_sku()
    call_api("POST", "/products", body=product(sku), **ADMIN)
    call_api("PATCH", f"/products/{sku}", body={"stock": 2}, **ADMIN)  # now at version 2

    response = call_api("PATCH", f"/products/{sku}", body={"stock": 9}, headers={"If-Match": if_match}, **ADMIN)
    assert response.status == status, response.text
    assert call_api("GET", f"/products/{sku}", **CUSTOMER).json()["stock"] == (9 if status == 200 else 2)
    if status != 200:
        assert response.headers["content-type"] == "application/problem+json"
        if len(if_match) > 3:  # the header is never echoed back
            assert if_match not in response.json()["detail"]


@pytest.mark.parametrize("if_match", ['"\u00b2"', '"' + "9" * 60 + '"', "junk", '"1"', '"2"', "*", '"1",' * 300, "x" * 5000])
def test_a_caller_without_the_right_gets_403_whatever_if_match_holds(call_api, new_sku, if_match):
    sku = new_sku()
    call_api("POST", "/products", body=product(sku), **ADMIN)
    response = call_api("PATCH", f"/products/{sku}", body={"stock": 9}, headers={"If-Match": if_match}, **CUSTOMER)
    assert response.status == 403


def test_a_stale_if_match_is_told_the_current_version(call_api, new_sku):
    sku = new_sku()
    call_api("POST", "/products", body=product(sku), **ADMIN)
    call_api("PATCH", f"/products/{sku}", body={"stock": 2}, **ADMIN)
    stale = call_api("PATCH", f"/products/{sku}", body={"stock": 3}, headers={"If-Match": '"1"'}, **ADMIN)
    assert stale.status == 412
    assert "version 2" in stale.json()["detail"]
    assert call_api("PATCH", "/products/NOPE-404", body={"stock": 1}, headers={"If-Match": '"9"'}, **ADMIN).status == 404
    assert call_api("PATCH", "/products/NOPE-404", body={"stock": 1}, headers={"If-Match": '"x"'}, **ADMIN).status == 404


def test_the_catalog_lists_every_product_once_in_sku_order_while_stock_changes(call_api):
    """Page after page with the cursor, while an administrator changes stock between pages: each
    product exactly once, in sku order, its stock read from the table (not from the index)."""
    run = uuid.uuid4().hex[:10]
    # 6 pages of 4: the last page ends on the run's last product, so the test never reads
    # the products of other tests that sort after them (one is broken on purpose).
    ours = [f"C{run}-{index:02d}" for index in range(24)]
    for sku in ours:
        assert call_api("POST", "/products", body=product(sku, stock=50), **ADMIN).status == 201
    # Start just before the run's skus: the cursor of the product sorting right before them.
    cursor = cursors().encode({"sku": f"C{run}-"}, CATALOG_LISTING)
    seen: list[dict] = []
    changed: dict[str, int] = {}
    for _ in range(len(ours) // 4):
        page = call_api("GET", f"/products?limit=4&cursor={cursor}", **CUSTOMER)
        assert page.status == 200, page.text
        items, cursor = page.json()["items"], page.json()["next_cursor"]
        # A product changed before its page was read is listed with the change: the page's
        # stock is read from the table, not from an index copy.
        assert [item["stock"] for item in items] == [changed.get(item["sku"], 50) for item in items]
        seen += items
        # Between pages, change the stock of a product just listed and of one still to come.
        for sku in {seen[-1]["sku"], ours[min(len(seen) + 2, len(ours) - 1)]}:
            changed[sku] = len(seen) + len(changed)
            assert call_api("PATCH", f"/products/{sku}", body={"stock": changed[sku]}, **ADMIN).status == 200
    assert [item["sku"] for item in seen] == ours
    assert cursor is not None  # more of the catalog follows


def test_a_cursor_of_the_listing_before_the_shard_free_catalog_index_is_400(call_api):
    """Cursors issued before the catalog moved to its own index (GSI1 positions, listing
    "products") are still correctly signed: they are refused as foreign, not a 500."""
    old = cursors().encode({"PK": "PRODUCT#A", "SK": "PRODUCT", "GSI1PK": "PRODUCTS", "GSI1SK": "A"}, "products")
    response = call_api("GET", f"/products?limit=5&cursor={old}", **CUSTOMER)
    assert response.status == 400
    assert response.headers["content-type"] == "application/problem+json"
    malformed = cursors().encode({"after": "A"}, CATALOG_LISTING)
    assert call_api("GET", f"/products?limit=5&cursor={malformed}", **CUSTOMER).status == 400
