"""500 orders at once over serverless offline: all decided, none lost, stock exact, nothing dead-lettered."""

import json
import random
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest

from infra.definitions import ROOT, resolved_config

pytestmark = pytest.mark.e2e

ORDERS = 500
CLIENTS = 16
DECISION_DEADLINE_SECONDS = 240


def seconds_between(start: str, end: str) -> float:
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()


def test_500_concurrent_orders_are_all_decided_and_the_stock_adds_up(stack, api_as, admin, add_product):
    products = [add_product(stock=60, price_cents=100) for _ in range(5)]
    initial = {product["sku"]: product["stock"] for product in products}
    chooser = random.Random(500)
    bodies = [
        {"lines": [{"sku": sku, "quantity": chooser.randint(1, 3)} for sku in chooser.sample(sorted(initial), chooser.randint(1, 3))]}
        for _ in range(ORDERS)
    ]
    buyers = [api_as(f"load-{index}") for index in range(CLIENTS)]

    def place(index: int) -> tuple[str, str]:
        buyer = buyers[index % CLIENTS]
        response = buyer.post("/orders", json=bodies[index])
        assert response.status_code == 202, response.text
        return buyer.base_url, response.json()["id"]

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        placed = list(pool.map(place, range(ORDERS)))
    placing_seconds = time.monotonic() - started

    deadline = time.monotonic() + DECISION_DEADLINE_SECONDS
    decided: dict[str, dict] = {}
    while len(decided) < ORDERS and time.monotonic() < deadline:
        for index, (_, order_id) in enumerate(placed):
            if order_id not in decided:
                order = buyers[index % CLIENTS].get(f"/orders/{order_id}").json()
                if order["status"] != "PENDING":
                    decided[order_id] = order
        time.sleep(1)
    all_decided_seconds = time.monotonic() - started
    assert len(decided) == ORDERS, f"{ORDERS - len(decided)} orders still PENDING after {DECISION_DEADLINE_SECONDS}s"
    assert {order["status"] for order in decided.values()} <= {"CONFIRMED", "REJECTED"}

    taken = {sku: 0 for sku in initial}
    for order in decided.values():
        if order["status"] == "CONFIRMED":
            for line in order["lines"]:
                taken[line["sku"]] += line["quantity"]
    for sku, stock in initial.items():
        now = admin.get(f"/products/{sku}").json()["stock"]
        assert now >= 0
        assert now == stock - taken[sku]

    names = resolved_config("shared")["custom"]["names"]
    sqs = stack.client("sqs")
    dead_letters = sqs.get_queue_attributes(
        QueueUrl=sqs.get_queue_url(QueueName=names["deadLetterQueue"])["QueueUrl"],
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    assert sum(int(count) for count in dead_letters.values()) == 0

    to_decide = sorted(seconds_between(order["created_at"], order["updated_at"]) for order in decided.values())
    figures = {
        "orders": ORDERS,
        "clients": CLIENTS,
        "placed_per_second": round(ORDERS / placing_seconds, 1),
        "all_decided_after_seconds": round(all_decided_seconds, 1),
        "decide_p50_seconds": round(statistics.median(to_decide), 2),
        "decide_p99_seconds": round(statistics.quantiles(to_decide, n=100)[98], 2),
        "confirmed": sum(order["status"] == "CONFIRMED" for order in decided.values()),
        "rejected": sum(order["status"] == "REJECTED" for order in decided.values()),
        "lost": ORDERS - len(decided),
    }
    report = ROOT / ".local" / "reports" / "load.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps(figures, indent=2))
    print(f"\nload: {figures}")
