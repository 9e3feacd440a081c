"""A hot product's stock in buckets, through the real API handlers and worker rules, against the local endpoint."""

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest

from pedidos import clients
from pedidos.data import OrderRepository, ProductRepository, StockShortage, Take
from pedidos.data.keys import stock_bucket_key
from pedidos.data.stock import home_bucket, read_buckets
from pedidos.models import Order, OrderEvent
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


def test_takes_planned_on_a_layout_an_administrator_changed_since_are_refused_and_move_nothing(call_api, new_sku, place):
    split = new_sku()
    assert call_api("POST", "/products", body={"sku": split, "name": "Thing", "price_cents": 5, "stock": 6}, **ADMIN).status == 201
    order = Order.model_validate(place({split: 1}))
    assert call_api("PATCH", f"/products/{split}", body={"stock_buckets": 2}, **ADMIN).status == 200
    with pytest.raises(StockShortage):  # planned on the product's item, which no longer holds the stock
        dependencies.orders().confirm(order, order.lines, 5, order.created_at, [Take(split, None, 1)])
    joined = add_hot_product(call_api, new_sku, stock=8)
    order = Order.model_validate(place({joined: 1}))
    assert call_api("PATCH", f"/products/{joined}", body={"stock_buckets": 1}, **ADMIN).status == 200
    with pytest.raises(StockShortage):  # planned on a bucket the join removed
        dependencies.orders().confirm(order, order.lines, 5, order.created_at, [Take(joined, 0, 1)])
    assert stock(call_api, split) == 6 and stock(call_api, joined) == 8
    assert call_api("GET", f"/orders/{order.id}", **ADMIN).json()["status"] == "PENDING"


def test_a_strong_read_that_meets_an_administrators_join_between_item_and_buckets_reads_again(call_api, new_sku, place):
    sku = add_hot_product(call_api, new_sku, stock=8)
    order = place({sku: 3})
    client, table = boto3.client("dynamodb"), shared_resources().table_name
    item_reads = 0

    def join_after_the_first_item_read(parsed: dict[str, Any], model: Any, **_: Any) -> None:
        nonlocal item_reads
        if any(item["PK"]["S"] == f"PRODUCT#{sku}" for item in parsed.get("Responses", {}).get(table, [])):
            item_reads += 1
            if item_reads == 1:  # the item said 4 buckets; before they are read, the stock goes back on the item
                assert call_api("PATCH", f"/products/{sku}", body={"stock_buckets": 1}, **ADMIN).status == 200

    client.meta.events.register("after-call.dynamodb.BatchGetItem", join_after_the_first_item_read)
    offers = ProductRepository(client, table).offers_for(Order.model_validate(order), consistent=True)
    assert offers[sku].takes == (Take(sku, None, 3),)  # read again: the stock is on the item, and it holds 3
    assert item_reads >= 2


def test_an_order_whose_split_takes_would_not_fit_one_transaction_is_rejected_not_left_pending(call_api, new_sku, place):
    # 50 lines, each larger than any of its product's 2 buckets: 100 takes and the order's update.
    skus = [add_hot_product(call_api, new_sku, stock=2, buckets=2) for _ in range(50)]
    order = place(dict.fromkeys(skus, 2))
    assert decide(order) is fulfilment.Outcome.REJECTED
    rejected = status(call_api, order)
    assert rejected["rejection_reason"] == "OUT_OF_STOCK" and sorted(rejected["rejected_skus"]) == sorted(skus)
    assert all(bucket_stocks(sku, 2) == (1, 1) for sku in skus[:3])
