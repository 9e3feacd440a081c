"""An order's life over HTTP, from POST to the worker's decision."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

pytestmark = pytest.mark.e2e


def test_an_order_is_confirmed_priced_and_takes_its_stock(customer, admin, add_product):
    mug, tee = add_product(stock=10, price_cents=1250), add_product(stock=5, price_cents=1999)
    placed = customer.post("/orders", json={"lines": [{"sku": mug["sku"], "quantity": 3}, {"sku": tee["sku"], "quantity": 1}]})
    assert placed.status_code == 202, placed.text
    assert placed.headers["Location"] == f"/orders/{placed.json()['id']}"
    assert placed.json()["status"] == "PENDING"

    order = customer.wait_for_decision(placed.json()["id"])
    assert order["status"] == "CONFIRMED"
    assert {line["sku"]: line["unit_price_cents"] for line in order["lines"]} == {mug["sku"]: 1250, tee["sku"]: 1999}
    assert order["total_cents"] == 3 * 1250 + 1999
    assert admin.get(f"/products/{mug['sku']}").json()["stock"] == 7
    assert admin.get(f"/products/{tee['sku']}").json()["stock"] == 4


def test_an_order_over_the_stock_is_rejected_and_takes_nothing(customer, admin, add_product):
    scarce, plenty = add_product(stock=2), add_product(stock=50)
    placed = customer.post("/orders", json={"lines": [{"sku": scarce["sku"], "quantity": 3}, {"sku": plenty["sku"], "quantity": 1}]})
    order = customer.wait_for_decision(placed.json()["id"])
    assert order["status"] == "REJECTED"
    assert order["rejection_reason"] == "OUT_OF_STOCK"
    assert order["rejected_skus"] == [scarce["sku"]]
    assert admin.get(f"/products/{scarce['sku']}").json()["stock"] == 2
    assert admin.get(f"/products/{plenty['sku']}").json()["stock"] == 50


def test_an_order_for_an_unknown_product_is_rejected(customer):
    placed = customer.post("/orders", json={"lines": [{"sku": "NO-SUCH-SKU", "quantity": 1}]})
    order = customer.wait_for_decision(placed.json()["id"])
    assert (order["status"], order["rejection_reason"], order["rejected_skus"]) == ("REJECTED", "UNKNOWN_PRODUCT", ["NO-SUCH-SKU"])


def test_cancelling_a_confirmed_order_gives_the_stock_back(customer, admin, add_product):
    product = add_product(stock=10)
    placed = customer.post("/orders", json={"lines": [{"sku": product["sku"], "quantity": 4}]})
    assert customer.wait_for_decision(placed.json()["id"])["status"] == "CONFIRMED"
    assert admin.get(f"/products/{product['sku']}").json()["stock"] == 6

    cancelled = customer.post(f"/orders/{placed.json()['id']}/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "CANCELLED"
    stock = wait_until(lambda: admin.get(f"/products/{product['sku']}").json()["stock"], 10)
    assert stock == 10

    again = customer.post(f"/orders/{placed.json()['id']}/cancel")
    assert again.status_code == 409
    assert again.headers["Content-Type"] == "application/problem+json"


def test_another_customer_gets_404_on_my_order(customer, api_as, add_product):
    product = add_product(stock=10)
    placed = customer.post("/orders", json={"lines": [{"sku": product["sku"], "quantity": 1}]})
    stranger = api_as("stranger")
    assert stranger.get(f"/orders/{placed.json()['id']}").status_code == 404
    assert stranger.post(f"/orders/{placed.json()['id']}/cancel").status_code == 404
    assert placed.json()["id"] not in [order["id"] for order in stranger.get("/orders").json()["items"]]


def test_no_token_is_401_and_a_bad_token_is_401(api_as, token_for):
    assert api_as(None).get("/orders").status_code == 401
    tampered = token_for("someone").access_token[:-4] + "AAAA"
    response = api_as(None).get("/orders", headers={"Authorization": f"Bearer {tampered}"})
    assert response.status_code == 401
    # The API stays healthy after rejecting tokens.
    assert api_as("someone").get("/orders").status_code == 200


def test_the_api_takes_the_pools_access_tokens_names_their_sub_and_refuses_its_id_tokens(api_as, token_for, add_product):
    signed_in = token_for("token-shapes")
    me = api_as("token-shapes")
    placed = me.post("/orders", json={"lines": [{"sku": add_product(stock=5)["sku"], "quantity": 1}]})
    assert placed.json()["customer_id"] == signed_in.sub != "token-shapes"
    # The deployed default (JWT_AUDIENCE_CLAIM=client_id): an ID token names the client in aud, and is no access token.
    assert api_as(None).get("/orders", headers={"Authorization": f"Bearer {signed_in.id_token}"}).status_code == 401


def test_a_malformed_body_is_a_problem(customer):
    response = customer.post("/orders", data=b'{"lines": [', headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 400


def test_twenty_racing_orders_never_oversell(api_as, admin, add_product):
    product = add_product(stock=10, price_cents=100)
    buyers = [api_as(f"racer-{index}") for index in range(20)]

    def place(buyer) -> str:
        response = buyer.post("/orders", json={"lines": [{"sku": product["sku"], "quantity": 1}]})
        assert response.status_code == 202, response.text
        return response.json()["id"]

    with ThreadPoolExecutor(max_workers=20) as pool:
        ids = list(pool.map(place, buyers))
    decided = [buyer.wait_for_decision(order_id) for buyer, order_id in zip(buyers, ids, strict=True)]
    confirmed = [order for order in decided if order["status"] == "CONFIRMED"]
    assert sum(line["quantity"] for order in confirmed for line in order["lines"]) == 10
    assert all(order["rejection_reason"] == "OUT_OF_STOCK" for order in decided if order["status"] == "REJECTED")
    assert admin.get(f"/products/{product['sku']}").json()["stock"] == 0


def wait_until(read, expected, timeout: float = 30):
    deadline = time.monotonic() + timeout
    value = read()
    while value != expected and time.monotonic() < deadline:
        time.sleep(0.2)
        value = read()
    return value


def test_the_documents_are_public_and_everything_else_is_not(api_as):
    anonymous = api_as(None)
    assert anonymous.get("/health").json() == {"status": "ok"}
    assert anonymous.get("/openapi.json").json()["info"]["title"] == "Pedidos"
    assert "SwaggerUIBundle" in anonymous.get("/docs").text
    for method, path in (("GET", "/products"), ("POST", "/products"), ("GET", "/orders/x"), ("POST", "/orders/x/cancel")):
        assert anonymous.request(method, path).status_code == 401
