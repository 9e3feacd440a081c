"""No value the API accepts ever makes a product, an order or a listing unreadable later.

A property-based test (Hypothesis, stateful): products created and changed with any
value the API accepts, extremes first; orders placed with any lines it accepts,
decided by the real worker, cancelled, restocked, in any sequence. After every
step each product, each order, the customer's listing and the catalog's page
holding the products read back with a 200, through the real handlers against the
local endpoint.
"""

import json
import uuid
from collections import Counter

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from devstack.lambda_events import LambdaContext, api_event, order_event, sqs_event
from pedidos.limits import MAX_CENTS, MAX_STOCK_BUCKETS, MAX_STOCK_SET
from pedidos.models import EventType
from pedidos_api.catalog import CATALOG_LISTING
from pedidos_api.dependencies import cursors
from pedidos_api.handlers.api import handler as api_handler
from pedidos_worker.handlers.orders_queue import handler as worker_handler
from tests.integration.conftest import ApiResponse

ADMIN = {"customer": "admin-bounds", "admin": True}
# The states the property is about, counted as the runs reach them: a run that never did
# would prove nothing of them.
REACHED: Counter[str] = Counter()
PRODUCTS_PER_RUN = 3


def extreme_or_any(low: int, high: int) -> st.SearchStrategy[int]:
    return st.one_of(st.sampled_from([low, high, high - 1]), st.integers(low, high))


prices = extreme_or_any(0, MAX_CENTS)
stocks = extreme_or_any(0, MAX_STOCK_SET)
quantities = extreme_or_any(1, 1000)
buckets = extreme_or_any(1, MAX_STOCK_BUCKETS)
names = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=200)


def call(method: str, url: str, **options: object) -> ApiResponse:
    return ApiResponse(api_handler(api_event(method, url, **options), LambdaContext()))  # type: ignore[arg-type]


def work(kind: EventType, order_id: str, customer: str) -> None:
    """The worker handling the event the API queued, as SQS would deliver it."""
    result = worker_handler(sqs_event([order_event(kind, order_id, customer, "bounds")]), LambdaContext())
    assert result == {"batchItemFailures": []}


class CatalogAndOrders(RuleBasedStateMachine):
    orders = Bundle("orders")

    @initialize(prices=st.lists(prices, min_size=PRODUCTS_PER_RUN, max_size=PRODUCTS_PER_RUN),
                stocks=st.lists(stocks, min_size=PRODUCTS_PER_RUN, max_size=PRODUCTS_PER_RUN),
                buckets=st.lists(buckets, min_size=PRODUCTS_PER_RUN, max_size=PRODUCTS_PER_RUN))
    def add_products(self, prices: list[int], stocks: list[int], buckets: list[int]) -> None:
        run = uuid.uuid4().hex[:12]
        self.customer = f"bounds-{run}"
        # Skus sort right after the run's sentinel, so one catalog page after it holds them all.
        sentinel, self.skus = f"B{run}-0", [f"B{run}-{index + 1}" for index in range(PRODUCTS_PER_RUN)]
        for sku, price, stock, split_over in [(sentinel, 0, 0, 1), *zip(self.skus, prices, stocks, buckets, strict=True)]:
            body = {"sku": sku, "name": "x" * 200, "price_cents": price, "stock": stock, "stock_buckets": split_over}
            assert call("POST", "/products", body=body, **ADMIN).status == 201
        self.after_sentinel = cursors().encode({"sku": sentinel}, CATALOG_LISTING)

    @rule(target=orders, data=st.data())
    def place_and_decide(self, data: st.DataObject) -> str:
        skus = data.draw(st.lists(st.sampled_from(self.skus), min_size=1, max_size=PRODUCTS_PER_RUN, unique=True))
        lines = [{"sku": sku, "quantity": data.draw(quantities)} for sku in skus]
        placed = call("POST", "/orders", body={"lines": lines}, customer=self.customer)
        assert placed.status == 202, placed.text
        order_id = placed.json()["id"]
        work(EventType.ORDER_PLACED, order_id, self.customer)
        return order_id

    @rule(order_id=orders)
    def cancel_and_restock(self, order_id: str) -> None:
        cancelled = call("POST", f"/orders/{order_id}/cancel", customer=self.customer)
        assert cancelled.status in (200, 409), cancelled.text
        if cancelled.status == 200:
            work(EventType.ORDER_CANCELLED, order_id, self.customer)

    @rule(index=st.integers(0, PRODUCTS_PER_RUN - 1), quantity=quantities, refill=stocks)
    def refill_while_an_order_holds_stock_then_cancel_it(self, index: int, quantity: int, refill: int) -> None:
        """The sequence that gives units back on top of an administrator's stock."""
        sku = self.skus[index]
        call("PATCH", f"/products/{sku}", body={"stock": MAX_STOCK_SET}, **ADMIN)
        placed = call("POST", "/orders", body={"lines": [{"sku": sku, "quantity": quantity}]}, customer=self.customer)
        work(EventType.ORDER_PLACED, placed.json()["id"], self.customer)
        self.set_stock(index, refill)
        self.cancel_and_restock(placed.json()["id"])

    @rule(index=st.integers(0, PRODUCTS_PER_RUN - 1), stock=stocks)
    def set_stock(self, index: int, stock: int) -> None:
        assert call("PATCH", f"/products/{self.skus[index]}", body={"stock": stock}, **ADMIN).status == 200

    @rule(index=st.integers(0, PRODUCTS_PER_RUN - 1), split_over=buckets)
    def split_or_join_stock(self, index: int, split_over: int) -> None:
        changed = call("PATCH", f"/products/{self.skus[index]}", body={"stock_buckets": split_over}, **ADMIN)
        assert changed.status == 200, changed.text

    @rule(index=st.integers(0, PRODUCTS_PER_RUN - 1), price=prices, name=names)
    def change_price_and_name(self, index: int, price: int, name: str) -> None:
        changed = call("PATCH", f"/products/{self.skus[index]}", body={"price_cents": price, "name": name}, **ADMIN)
        assert changed.status == 200, changed.text

    @invariant()
    def everything_reads_back(self) -> None:
        if not hasattr(self, "skus"):
            return
        for sku in self.skus:
            product = call("GET", f"/products/{sku}", customer=self.customer)
            assert product.status == 200, product.text
            if product.json()["stock"] > MAX_STOCK_SET:
                REACHED["stock above what an administrator may set"] += 1
            if product.json()["stock_buckets"] > 1:
                REACHED["a hot product's stock in buckets"] += 1
        page = call("GET", f"/products?limit={PRODUCTS_PER_RUN}&cursor={self.after_sentinel}", customer=self.customer)
        assert page.status == 200, page.text
        assert [item["sku"] for item in page.json()["items"]] == self.skus
        listing = call("GET", "/orders?limit=100", customer=self.customer)
        assert listing.status == 200, listing.text
        for order in listing.json()["items"]:
            assert order["status"] != "PENDING"  # the worker decided every one
            read = call("GET", f"/orders/{order['id']}", customer=self.customer)
            assert read.status == 200, read.text
            assert json.loads(read.text)["status"] == order["status"]
            if order.get("rejection_reason") == "TOTAL_TOO_LARGE":
                REACHED["an order priced over what an order may hold"] += 1


def test_no_accepted_value_makes_anything_unreadable() -> None:
    REACHED.clear()
    run_state_machine_as_test(
        CatalogAndOrders,
        settings=settings(
            max_examples=25, stateful_step_count=12, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
        ),
    )
    assert set(REACHED) == {
        "stock above what an administrator may set", "an order priced over what an order may hold", "a hot product's stock in buckets"
    }, REACHED
