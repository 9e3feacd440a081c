"""A hot product's stock in buckets, through the real API handlers and worker rules, against the local endpoint."""

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3

from pedidos import clients
from pedidos.data import OrderRepository, ProductRepository
from pedidos.data.keys import stock_bucket_key
from pedidos.data.stock import home_bucket, read_buckets
from pedidos.models import OrderEvent
from pedidos_worker import dependencies, fulfilment
from pedidos_worker.settings import shared_resources
from tests.integration.test_worker import ADMIN, event, status, stock
from tests.integration.test_worker import place as place  # the fixture, for the tests here

BUCKETS = 4


def add_hot_product(call_api, new_sku, stock: int, buckets: int = BUCKETS) -> str:
    sku = new_sku()
    body = {"sku": sku, "name": "Hot thing", "price_cents": 500, "stock": stock, "stock_buckets": buckets}
    created = call_api("POST", "/products", body=body, **ADMIN)
    assert created.status == 201, created.text
    assert created.json()["stock_buckets"] == buckets and created.json()["stock"] == stock
    return sku


def bucket_stocks(sku: str, buckets: int = BUCKETS) -> tuple[int, ...]:
    return read_buckets(clients.dynamodb(), shared_resources().table_name, {sku: buckets}, consistent=True)[sku].stocks


def decide(order: dict) -> fulfilment.Outcome:
    return fulfilment.handle(OrderEvent.model_validate_json(event("OrderPlaced", order)), dependencies.orders(), dependencies.products())


def test_a_hot_products_stock_is_spread_over_its_buckets_and_read_as_their_sum(call_api, new_sku):
    sku = add_hot_product(call_api, new_sku, stock=10)
    assert bucket_stocks(sku) == (3, 3, 2, 2)
    read = call_api("GET", f"/products/{sku}", **ADMIN)
    assert read.json()["stock"] == 10 and read.headers["etag"] == '"1"'
    # As a catalog page reads its products: eventually consistent, the buckets too.
    assert dependencies.products().get_many([sku], consistent=False)[sku].stock == 10


def test_while_its_home_bucket_holds_an_order_the_worker_reads_that_bucket_alone_eventually_consistent(call_api, new_sku, place):
    sku = add_hot_product(call_api, new_sku, stock=40)
    order = place({sku: 2})
    reads: list[dict[str, Any]] = []
    client = boto3.client("dynamodb")
    client.meta.events.register("provide-client-params.dynamodb.BatchGetItem", lambda params, **_: reads.append(params["RequestItems"]))
    table = shared_resources().table_name
    outcome = fulfilment.handle(OrderEvent.model_validate_json(event("OrderPlaced", order)), OrderRepository(client, table), ProductRepository(client, table))
    assert outcome is fulfilment.Outcome.CONFIRMED
    bucket_reads = [request[table] for request in reads if request[table]["Keys"][0]["SK"] == stock_bucket_key(sku, 0)["SK"]]
    assert [(read["Keys"], read["ConsistentRead"]) for read in bucket_reads] == [([stock_bucket_key(sku, home_bucket(order["id"], BUCKETS))], False)]
    assert sum(bucket_stocks(sku)) == 38


def test_racing_orders_never_oversell_a_hot_product_and_all_its_stock_is_sold(call_api, new_sku, place):
    sku = add_hot_product(call_api, new_sku, stock=20)
    orders = [place({sku: 1 + index % 3}, customer=f"hot-racer-{index}") for index in range(24)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(decide, orders))
    confirmed = [order for order, outcome in zip(orders, outcomes, strict=True) if outcome is fulfilment.Outcome.CONFIRMED]
    confirmed_units = sum(order["lines"][0]["quantity"] for order in confirmed)
    assert all(bucket >= 0 for bucket in bucket_stocks(sku))
    assert stock(call_api, sku) + confirmed_units == 20
    # Orders are turned away only once the buckets together cannot cover them: at most 2 units are left.
    rejected = [status(call_api, order) for order, outcome in zip(orders, outcomes, strict=True) if outcome is fulfilment.Outcome.REJECTED]
    assert rejected and all(each["rejection_reason"] == "OUT_OF_STOCK" and each["lines"][0]["quantity"] > stock(call_api, sku) for each in rejected)
    assert outcomes.count(fulfilment.Outcome.CONFIRMED) + len(rejected) == 24


def test_an_order_larger_than_any_bucket_is_taken_from_several_and_one_larger_than_all_is_out_of_stock(call_api, new_sku, place):
    sku = add_hot_product(call_api, new_sku, stock=10)
    too_many = place({sku: 11})
    assert decide(too_many) is fulfilment.Outcome.REJECTED
    assert status(call_api, too_many)["rejection_reason"] == "OUT_OF_STOCK"
    large = place({sku: 7})
    assert decide(large) is fulfilment.Outcome.CONFIRMED
    assert sum(bucket_stocks(sku)) == 3 and stock(call_api, sku) == 3
    assert call_api("GET", f"/products/{sku}", **ADMIN).headers["etag"] == '"2"'  # one change, however many buckets it spans


def test_cancelling_gives_a_hot_products_stock_back_to_one_bucket(call_api, new_sku, place):
    sku = add_hot_product(call_api, new_sku, stock=8)
    order = place({sku: 2})
    assert decide(order) is fulfilment.Outcome.CONFIRMED
    assert stock(call_api, sku) == 6
    assert call_api("POST", f"/orders/{order['id']}/cancel", customer=order["customer_id"]).status == 200
    outcome = fulfilment.handle(OrderEvent.model_validate_json(event("OrderCancelled", order)), dependencies.orders(), dependencies.products())
    assert outcome is fulfilment.Outcome.STOCK_RELEASED
    assert stock(call_api, sku) == 8 and bucket_stocks(sku) == (2, 2, 2, 2)


def test_an_admin_stock_change_honours_the_version_that_counts_the_buckets_moves(call_api, new_sku, place):
    sku = add_hot_product(call_api, new_sku, stock=8)
    assert decide(place({sku: 1})) is fulfilment.Outcome.CONFIRMED  # a bucket moved: version 2
    stale = call_api("PATCH", f"/products/{sku}", body={"stock": 30}, headers={"If-Match": '"1"'}, **ADMIN)
    assert stale.status == 412
    changed = call_api("PATCH", f"/products/{sku}", body={"stock": 30}, headers={"If-Match": '"2"'}, **ADMIN)
    assert changed.status == 200, changed.text
    assert changed.json()["stock"] == 30 and changed.headers["etag"] == '"3"'
    assert bucket_stocks(sku) == (8, 8, 7, 7)
    renamed = call_api("PATCH", f"/products/{sku}", body={"name": "Renamed"}, headers={"If-Match": '"3"'}, **ADMIN)
    assert renamed.status == 200 and renamed.json() | {"name": "Renamed"} == renamed.json() and renamed.headers["etag"] == '"4"'
    assert call_api("GET", f"/products/{sku}", **ADMIN).json()["stock"] == 30


def test_an_admin_splits_and_joins_a_products_stock_keeping_what_it_holds(call_api, new_sku, place):
    sku = new_sku()
    assert call_api("POST", "/products", body={"sku": sku, "name": "Thing", "price_cents": 5, "stock": 9}, **ADMIN).status == 201
    split = call_api("PATCH", f"/products/{sku}", body={"stock_buckets": 3}, **ADMIN)
    assert split.status == 200 and split.json()["stock"] == 9 and split.json()["stock_buckets"] == 3
    assert bucket_stocks(sku, 3) == (3, 3, 3)
    assert decide(place({sku: 2})) is fulfilment.Outcome.CONFIRMED
    joined = call_api("PATCH", f"/products/{sku}", body={"stock_buckets": 1}, **ADMIN)
    assert joined.status == 200 and joined.json()["stock"] == 7 and joined.json()["stock_buckets"] == 1
    assert bucket_stocks(sku, 3) == (0, 0, 0)  # the buckets are gone
    assert decide(place({sku: 7})) is fulfilment.Outcome.CONFIRMED
    assert stock(call_api, sku) == 0
