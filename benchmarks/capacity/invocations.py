"""The real Lambda handlers, invoked as Lambda invokes them, for a sample of orders: per function,
each call's own CPU and wall time, the AWS requests it waits on, and the bytes it logs.

Every order of the sample goes through the functions a customer's session reaches (the
load model's reads around it, ``benchmarks/capacity/load.py``): the authorizer once for
the session's token, the reader for the catalog pages, the product pages, the polls and
"my orders", the writer for ``POST /orders`` (with its ``Idempotency-Key``) and, for 1%,
the cancellation; the worker takes the orders queue in batches of 10, as the event
source mapping hands them over. The AWS endpoint is moto, in process; the table and the
queues are created from shared's serverless.yml.

What a call costs its function is measured without what stands in for AWS: the time
moto spends answering each request (between botocore's ``before-send`` and its answer)
is taken off the call's CPU and wall time, and the request is counted by operation
instead, so that the cost model adds the round trip AWS would take (``cost.py``).
What the functions log is what Powertools' Logger and Metrics write for the call (the
log lines and the EMF blobs), captured as written; tracing is off (no X-Ray daemon here).
A second pass counts the idempotency table's capacity units (its writes are not in the
replay's ledger), apart, so that the ledger's own reads never land in a timed call.
"""

import contextlib
import io
import json
import logging
import os
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

from benchmarks.capacity.accounting import CapacityLedger
from benchmarks.capacity.load import CATALOG_PAGES_PER_ORDER, ORDER_LISTINGS_PER_ORDER, ORDER_POLLS_PER_ORDER, PlannedOrder, Shoppers
from devstack.lambda_events import LambdaContext, api_event, sqs_event

REGION = "eu-west-1"
SQS_BATCH_SIZE = 10  # the worker's event source mapping (services/worker/serverless.yml)
WARM_UP_ORDERS = 10  # first calls import and build clients, settings and the resolver: a cold start's work, not a call's
FUNCTIONS = ("authorizer", "reader", "writer", "processOrders", "sweep")
# As deployed (the serverless.yml files): the name each function's lines and metrics carry, its memory.
SERVICE_NAMES = {"authorizer": "pedidos-authorizer", "reader": "pedidos-api", "writer": "pedidos-api", "processOrders": "pedidos-worker", "sweep": "pedidos-sweep"}
FUNCTION_MEMORY_MB = {"authorizer": 256, "reader": 512, "writer": 512, "processOrders": 512, "sweep": 512}


@dataclass
class FunctionCalls:
    """One function's calls, summed: its own time (moto's taken off), its AWS requests, its log bytes."""

    calls: int = 0
    cpu_seconds: float = 0.0
    wall_seconds: float = 0.0
    aws_requests: Counter[str] = field(default_factory=Counter)  # "dynamodb.GetItem" -> count
    log_bytes: int = 0

    def per_call(self) -> dict[str, Any]:
        calls = self.calls or 1
        return {
            "calls": self.calls,
            "cpu_ms": self.cpu_seconds / calls * 1000,
            "wall_ms": self.wall_seconds / calls * 1000,
            "aws_requests": {operation: count / calls for operation, count in sorted(self.aws_requests.items())},
            "log_bytes": self.log_bytes / calls,
        }


@dataclass
class Metered:
    """A sample of orders through the real handlers: what each function did, and the queue's requests."""

    orders: int
    functions: dict[str, FunctionCalls]
    sqs_requests: Counter[str]  # the writer's sends, and the event source mapping's receives and deletes
    # Powertools' idempotency records (a put, then the response saved); it reads one only when a key repeats.
    idempotency_write_units: float = 0.0


class _MotoClock:
    """The CPU and wall time moto spends answering a client's requests, and those requests by operation."""

    def __init__(self) -> None:
        self.cpu = self.wall = 0.0
        self.requests: Counter[str] = Counter()
        self._started = (0.0, 0.0)

    def attach(self, client: Any) -> None:
        # moto answers in a before-send handler of its own: first and last bracket it.
        client.meta.events.register_first("before-send", self._start)
        client.meta.events.register_last("before-send", self._stop)

    def _start(self, event_name: str, **_: Any) -> None:
        self.requests[event_name.removeprefix("before-send.")] += 1
        self._started = (time.thread_time(), time.perf_counter())

    def _stop(self, **_: Any) -> None:
        cpu, wall = self._started
        self.cpu += time.thread_time() - cpu
        self.wall += time.perf_counter() - wall


class _Functions:
    """The handlers, each called with a Lambda context of its function, measured call by call."""

    def __init__(self, clock: _MotoClock) -> None:
        from pedidos.observability import logger, metrics
        from pedidos_api.handlers import api, authorizer
        from pedidos_worker.handlers import orders_queue, sweep_schedule

        self._handlers: dict[str, Callable[[dict, Any], Any]] = {
            "authorizer": authorizer.handler,
            "reader": api.handler,
            "writer": api.handler,
            "processOrders": orders_queue.handler,
            "sweep": sweep_schedule.handler,
        }
        self._logger, self._metrics = logger, metrics
        # Powertools' Logger, built without a handler of its own, writes through a StreamHandler on stdout.
        log_handler = logger.registered_handler
        assert isinstance(log_handler, logging.StreamHandler)
        self._log_handler = log_handler
        self._clock = clock
        self.calls = {function: FunctionCalls() for function in FUNCTIONS}
        self.recording = False

    def call(self, function: str, event: dict) -> Any:
        name = f"pedidos-prod-{function}"
        context = LambdaContext(
            function_name=name,
            memory_limit_in_mb=FUNCTION_MEMORY_MB[function],
            invoked_function_arn=f"arn:aws:lambda:{REGION}:123456789012:function:{name}",
            aws_request_id=str(uuid.uuid4()),
        )
        # One process plays every function: each names itself as its POWERTOOLS_SERVICE_NAME would.
        self._logger.append_keys(service=SERVICE_NAMES[function])
        self._metrics.provider.service = SERVICE_NAMES[function]
        # Lambda sets the trace header of each invocation; the logger writes it into every line.
        os.environ["_X_AMZN_TRACE_ID"] = f"Root=1-{uuid.uuid4().hex[:8]}-{uuid.uuid4().hex[:24]};Parent={uuid.uuid4().hex[:16]};Sampled=1"
        written = io.StringIO()
        previous = self._log_handler.setStream(written)
        requests_before = self._clock.requests.copy()
        moto = (self._clock.cpu, self._clock.wall)
        cpu, wall = time.thread_time(), time.perf_counter()
        try:
            with contextlib.redirect_stdout(written):  # the EMF blobs Metrics prints
                return self._handlers[function](event, context)
        finally:
            cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
            self._log_handler.setStream(previous)
            if self.recording:
                counted = self.calls[function]
                counted.calls += 1
                counted.cpu_seconds += cpu - (self._clock.cpu - moto[0])
                counted.wall_seconds += wall - (self._clock.wall - moto[1])
                counted.aws_requests.update(self._clock.requests - requests_before)
                counted.log_bytes += len(written.getvalue().encode())


class _Session:
    """One customer's visit around one order, through the functions, with the queue drained by the worker."""

    def __init__(self, functions: _Functions, sqs: Any, queue_url: str, sqs_requests: Counter[str]) -> None:
        from devstack.signing_issuer import PUBLISHED

        self._functions, self._sqs, self._queue_url, self._sqs_requests = functions, sqs, queue_url, sqs_requests
        self._sign = PUBLISHED.sign

    def visit(self, order: PlannedOrder) -> str:
        token = self._sign(sub=order.customer)
        arn = f"arn:aws:execute-api:{REGION}:123456789012:api/prod/GET/products"
        self._functions.call("authorizer", {"type": "TOKEN", "authorizationToken": f"Bearer {token}", "methodArn": arn})
        cursor = None
        for _ in range(CATALOG_PAGES_PER_ORDER):
            page = self._api("reader", "GET", "/products?limit=20" + (f"&cursor={cursor}" if cursor else ""), order.customer)
            cursor = page.get("next_cursor")
        for sku in order.read_skus:
            self._api("reader", "GET", f"/products/{sku}", order.customer)
        lines = [{"sku": sku, "quantity": quantity} for sku, quantity in order.lines.items()]
        placed = self._api("writer", "POST", "/orders", order.customer, body={"lines": lines}, headers={"Idempotency-Key": str(uuid.uuid4())})
        return placed["id"]

    def follow(self, order: PlannedOrder, order_id: str) -> None:
        for _ in range(ORDER_POLLS_PER_ORDER):
            self._api("reader", "GET", f"/orders/{order_id}", order.customer)
        for _ in range(ORDER_LISTINGS_PER_ORDER):
            self._api("reader", "GET", "/orders?limit=20", order.customer)
        if order.cancelled:
            self._api("writer", "POST", f"/orders/{order_id}/cancel", order.customer)

    def drain(self, at_least: int) -> None:
        """Batches of 10 to the worker while ``at_least`` messages wait, as the event source mapping polls."""
        while self._waiting() >= at_least:
            received = self._sqs.receive_message(QueueUrl=self._queue_url, MaxNumberOfMessages=SQS_BATCH_SIZE).get("Messages", [])
            if not received:
                return
            self._sqs_requests["ReceiveMessage"] += 1
            result = self._functions.call("processOrders", sqs_event([message["Body"] for message in received]))
            assert not result["batchItemFailures"], result
            self._sqs.delete_message_batch(
                QueueUrl=self._queue_url,
                Entries=[{"Id": str(number), "ReceiptHandle": message["ReceiptHandle"]} for number, message in enumerate(received)],
            )
            self._sqs_requests["DeleteMessageBatch"] += 1

    def _waiting(self) -> int:
        attributes = self._sqs.get_queue_attributes(QueueUrl=self._queue_url, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
        return int(attributes["ApproximateNumberOfMessages"])

    def _api(self, function: str, method: str, url: str, customer: str, **options: Any) -> dict:
        response = self._functions.call(function, api_event(method, url, customer=customer, **options))
        assert response["statusCode"] < 300, response
        return json.loads(response["body"])


def measure(orders: int, seed: int = 11) -> Metered:
    """``orders`` orders (after a warm-up) through the real handlers, on moto in process."""
    import boto3
    from moto import mock_aws

    from devstack.dev_secrets import secrets_env
    from devstack.provision import provision
    from devstack.signing_issuer import AUDIENCE, ISSUER, verifier
    from infra.definitions import resolved_config

    environment = {
        **resolved_config("worker")["provider"]["environment"],
        **resolved_config("api", env=secrets_env())["provider"]["environment"],
        "AWS_REGION": REGION, "AWS_DEFAULT_REGION": REGION, "AWS_ACCESS_KEY_ID": "metering", "AWS_SECRET_ACCESS_KEY": "metering",
        "JWT_ISSUER": ISSUER, "JWT_AUDIENCE": AUDIENCE, "POWERTOOLS_SERVICE_NAME": "pedidos-api", "POWERTOOLS_TRACE_DISABLED": "true",
    }
    # The test issuer's key set, handed over without HTTP (no socket in this measurement).
    with mock.patch.dict(os.environ, environment), mock_aws(), mock.patch("pedidos_api.dependencies.token_verifier", verifier):
        from pedidos import clients
        from pedidos.data import ProductRepository
        from pedidos.models import ProductRequest

        provision(boto3.client("dynamodb"), boto3.client("sqs"))
        clock = _MotoClock()
        clock.attach(clients.dynamodb())
        clock.attach(clients.sqs())
        functions = _Functions(clock)
        shoppers = Shoppers(seed)
        planned = [shoppers.order(number) for number in range(WARM_UP_ORDERS + orders)]
        setup = boto3.client("dynamodb")
        catalog = ProductRepository(setup, environment["TABLE_NAME"])
        for sku in sorted({sku for order in planned for sku in (*order.lines, *order.read_skus)}):
            catalog.create(ProductRequest(sku=sku, name=f"Product {sku}", price_cents=1250, stock=1_000_000_000))
        sqs_requests: Counter[str] = Counter()
        session = _Session(functions, boto3.client("sqs"), environment["ORDERS_QUEUE_URL"], sqs_requests)
        _play(session, planned[:WARM_UP_ORDERS])
        functions.recording = True
        sqs_requests.clear()
        _play(session, planned[WARM_UP_ORDERS:])
        functions.call("sweep", {"source": "aws.events", "detail-type": "Scheduled Event"})
        sqs_requests["SendMessage"] = functions.calls["writer"].aws_requests["sqs.SendMessage"]
        metered = Metered(orders, functions.calls, Counter(sqs_requests))
        # The idempotency table's units, on a pass of their own (the ledger reads around every write).
        ledger = CapacityLedger(os.environ["IDEMPOTENCY_TABLE_NAME"], {}, peek=setup, key_attributes=("id",))
        ledger.attach(clients.dynamodb())
        functions.recording = False
        _play(session, planned[WARM_UP_ORDERS:])
        metered.idempotency_write_units = sum(ledger.writes.values())
    return metered


def _play(session: _Session, orders: list[PlannedOrder]) -> None:
    """Sessions ten at a time: each group places its orders, the worker takes what the queue holds in full
    batches, then the group follows its orders; what is left at the end goes in a last batch."""
    for start in range(0, len(orders), SQS_BATCH_SIZE):
        group = orders[start : start + SQS_BATCH_SIZE]
        placed = [session.visit(order) for order in group]
        session.drain(at_least=SQS_BATCH_SIZE)
        for order, order_id in zip(group, placed, strict=True):
            session.follow(order, order_id)
    session.drain(at_least=1)
