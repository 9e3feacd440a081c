"""The real worker handler on SQS events, against the local endpoint."""

import json
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from devstack.lambda_events import LambdaContext, order_event, sqs_event
from pedidos.models import OrderEvent
from pedidos_worker import dependencies, fulfilment
from pedidos_worker.handlers.orders_queue import handler as worker_handler

ADMIN = {"customer": "admin-1", "admin": True}


@pytest.fixture
def add_product(call_api, new_sku):
    def add(stock: int, price_cents: int = 700) -> str:
        sku = new_sku()
        body = {"sku": sku, "name": "Thing", "price_cents": price_cents, "stock": stock}
        assert call_api("POST", "/products", body=body, **ADMIN).status == 201
        return sku

    return add


@pytest.fixture
def place(call_api):
    def place_order(lines: dict[str, int], customer: str = "buyer") -> dict:
        body = {"lines": [{"sku": sku, "quantity": quantity} for sku, quantity in lines.items()]}
        return call_api("POST", "/orders", body=body, customer=customer).json()

    return place_order


def event(kind: str, order: dict) -> str:
    return order_event(kind, order["id"], order["customer_id"], "corr-worker-test").model_dump_json()


def deliver(*bodies: str) -> tuple[dict, list[str]]:
    """Runs the worker on one batch; returns its response and the batch's message ids."""
    batch = sqs_event(list(bodies))
    response = worker_handler(batch, LambdaContext(function_name="pedidos-worker"))
    return response, [record["messageId"] for record in batch["Records"]]


def failed(response: dict) -> set[str]:
    return {failure["itemIdentifier"] for failure in response["batchItemFailures"]}


def stock(call_api, sku: str) -> int:
    return call_api("GET", f"/products/{sku}", **ADMIN).json()["stock"]


def status(call_api, order: dict) -> dict:
    return call_api("GET", f"/orders/{order['id']}", **ADMIN).json()


def test_a_placed_order_is_confirmed_priced_and_reserved(call_api, add_product, place):
    sku = add_product(stock=5, price_cents=700)
    order = place({sku: 2})
    response, _ = deliver(event("OrderPlaced", order))
    assert response == {"batchItemFailures": []}
    decided = status(call_api, order)
    assert decided["status"] == "CONFIRMED"
    assert decided["lines"] == [{"sku": sku, "quantity": 2, "unit_price_cents": 700}]
    assert decided["total_cents"] == 1400
    assert stock(call_api, sku) == 3


def test_a_redelivered_or_requeued_event_changes_nothing(call_api, add_product, place):
    sku = add_product(stock=5)
    order = place({sku: 2})
    placed = event("OrderPlaced", order)
    deliver(placed)
    deliver(placed)  # the same message again: at-least-once delivery
    deliver(event("OrderPlaced", order))  # a new event for the same order: the sweep's re-queue
    assert stock(call_api, sku) == 3
    assert status(call_api, order)["version"] == 2


def test_an_order_beyond_the_stock_is_rejected_naming_the_short_skus(call_api, add_product, place):
    short, fine = add_product(stock=1), add_product(stock=10)
    order = place({short: 2, fine: 1})
    deliver(event("OrderPlaced", order))
    decided = status(call_api, order)
    assert (decided["status"], decided["rejection_reason"], decided["rejected_skus"]) == ("REJECTED", "OUT_OF_STOCK", [short])
    assert decided["total_cents"] is None
    assert (stock(call_api, short), stock(call_api, fine)) == (1, 10)


def test_poison_messages_fail_alone_and_the_rest_of_the_batch_completes(call_api, add_product, place):
    sku = add_product(stock=5)
    good = place({sku: 1})
    unknown_order = {"id": str(uuid.uuid4()), "customer_id": "nobody"}
    response, ids = deliver(
        "not json",
        json.dumps({"type": "OrderShipped", "version": 1}),
        event("OrderPlaced", unknown_order),
        event("OrderPlaced", good),
    )
    assert failed(response) == set(ids[:3])
    assert status(call_api, good)["status"] == "CONFIRMED"


def test_a_cancellation_gives_the_stock_back_once(call_api, add_product, place):
    sku = add_product(stock=5)
    order = place({sku: 3})
    deliver(event("OrderPlaced", order))
    assert stock(call_api, sku) == 2
    assert call_api("POST", f"/orders/{order['id']}/cancel", customer=order["customer_id"]).status == 200
    cancelled = event("OrderCancelled", order)
    deliver(cancelled)
    deliver(cancelled)
    deliver(event("OrderCancelled", order))
    assert stock(call_api, sku) == 5


def test_cancelling_a_pending_order_moves_no_stock_even_if_the_placement_arrives_later(call_api, add_product, place):
    sku = add_product(stock=5)
    order = place({sku: 3})
    assert call_api("POST", f"/orders/{order['id']}/cancel", customer=order["customer_id"]).status == 200
    deliver(event("OrderCancelled", order))
    deliver(event("OrderPlaced", order))
    assert status(call_api, order)["status"] == "CANCELLED"
    assert stock(call_api, sku) == 5


def test_concurrent_decisions_never_oversell(call_api, add_product, place):
    sku = add_product(stock=10)
    orders = [place({sku: 1}, customer=f"racer-{index}") for index in range(24)]
    repositories = (dependencies.orders(), dependencies.products())

    def decide(order: dict) -> str:
        return fulfilment.handle(OrderEvent.model_validate_json(event("OrderPlaced", order)), *repositories)

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(decide, orders))
    assert outcomes.count(fulfilment.Outcome.CONFIRMED) == 10
    assert outcomes.count(fulfilment.Outcome.REJECTED) == 14
    assert stock(call_api, sku) == 0
