"""What the in-process sections work on: the local stage's environment, the handlers as the
services' serverless.yml name them, a product to order, orders waiting for the worker, and the
Lambda events that carry them (devstack/lambda_events.py)."""

import importlib
import os
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from devstack.lambda_events import api_event, order_event, sqs_event, token_authorizer_event
from devstack.stack import DevStack, aws_env
from infra.definitions import resolved_config
from infra.lambda_layout import TRACED_INVOCATION_ENV
from pedidos.models import EventType, Order, OrderLine, OrderLineRequest, OrderStatus, PlaceOrderRequest, ProductRequest


def order_of_one(sku: str) -> PlaceOrderRequest:
    """What the benchmark orders: one unit of ``sku``."""
    return PlaceOrderRequest(lines=[OrderLineRequest(sku=sku, quantity=1)])


def bench_product(sku: str) -> ProductRequest:
    """A product that never runs out."""
    return ProductRequest(sku=sku, name="Bench", price_cents=100, stock=10**9)


class Workload:
    def __init__(self, stack: DevStack) -> None:
        self.stack = stack
        configs = {service: resolved_config(service, env=stack.env) for service in ("api", "worker")}
        self.functions = {service: config["functions"] for service, config in configs.items()}
        # The local stage's settings, verifying tokens of the stack's user pool; handlers read them
        # from this process's environment, so it is set before any handler is imported. With the
        # environment of a traced Lambda invocation the X-Ray SDK takes its in-Lambda path (local
        # sampling, the facade segment Lambda opens) and Powertools' Tracer traces every AWS call,
        # as deployed; without it the SDK would build centralised-sampling clients Lambda never builds.
        self.env = {**configs["api"]["provider"]["environment"], **aws_env(stack.ports), **TRACED_INVOCATION_ENV, "POWERTOOLS_SERVICE_NAME": "bench",
                    "POWERTOOLS_LOG_LEVEL": "WARNING"}
        os.environ.update(self.env)
        from pedidos_api import dependencies

        self.sku = f"BENCH-{uuid.uuid4().hex[:6]}"
        dependencies.products().create(bench_product(self.sku))

    def handler_path(self, service: str, function: str) -> str:
        """``function``'s handler as a dotted path (``pedidos_api.handlers.api.handler``), from its serverless.yml."""
        return self.functions[service][function]["handler"].replace("/", ".")

    def handler(self, service: str, function: str) -> Callable[[dict, Any], dict]:
        """``function``'s handler, imported into this process."""
        module, attribute = self.handler_path(service, function).rsplit(".", 1)
        return getattr(importlib.import_module(module), attribute)

    def post_order_event(self, customer: str = "bench-customer") -> dict:
        return api_event("POST", "/orders", body=order_of_one(self.sku), customer=customer)

    def authorizer_event(self, customer: str = "bench-customer") -> dict:
        return token_authorizer_event(f"Bearer {self.stack.users.token_for(customer).access_token}")

    def pending_orders(self, count: int, customer: str = "bench-worker") -> list[Order]:
        """``count`` PENDING orders for ``customer``, stored straight into the table (no event queued)."""
        from pedidos_api import dependencies

        def create(_: int) -> Order:
            now = datetime.now(UTC)
            order = Order(id=str(uuid.uuid4()), customer_id=customer, status=OrderStatus.PENDING, lines=[OrderLine(sku=self.sku, quantity=1)],
                          currency="EUR", created_at=now, updated_at=now, version=1)
            dependencies.orders().create(order, "bench")
            return order

        with ThreadPoolExecutor(max_workers=8) as pool:
            return list(pool.map(create, range(count)))

    def worker_event(self, orders: list[Order]) -> dict:
        """The batch SQS hands the worker with the OrderPlaced events of ``orders``."""
        return sqs_event([order_event(EventType.ORDER_PLACED, order.id, order.customer_id, "bench") for order in orders])
