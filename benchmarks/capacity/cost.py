"""The cost of a million orders, from what the replay and the metered handlers counted, at the prices in
``prices.py``.

Per order: API requests (10.01: the load model's 9 reads, the order, 1% cancels), Lambda
invocations per function, DynamoDB write and read units (the replay's ledger for the orders
table, the metered pass for the idempotency table), SQS requests (a send per event, a receive
and a delete per batch of 10), log bytes (what Powertools wrote per call, measured, plus
Lambda's START/END/REPORT lines), X-Ray traces (X-Ray's default rule traces the first request
each second, then 5%; at thousands of requests a second the rate is all that counts; the api
service's own rule for GET requests, read from its serverless.yml, lowers the reads' rate on a
REST API; an HTTP API has no X-Ray tracing, so its functions sample at the default) and
CloudFront requests (the console reaches the API through /api/*).

The duration model. A call's time is its own code's CPU time plus its waits on AWS:

    duration(memory) = cpu_ms * max(1, FULL_VCPU_MB / memory) + sum(requests * ROUND_TRIP_MS[operation])

Lambda gives a function CPU in proportion to its memory, one full vCPU at 1,769 MB; the
handlers run on one thread, so below that the CPU part stretches by 1,769 / memory and above
it nothing changes. ``cpu_ms`` is measured (``invocations.py``: the handler's thread CPU time
with moto's answers taken off) on this machine's core, taken as equal to a Lambda vCPU, the
same on x86_64 and arm64 (not measured here: no arm64 machine). The waits are not measurable
against moto in process, so each AWS request is given a round trip within the region
(``ROUND_TRIP_MS``, assumptions, DynamoDB's "single-digit millisecond" for single items):
they do not shrink with memory. Lambda bills ``ceil(duration)`` ms times memory in GB.
The CPU part's GB-seconds are the same at any memory below 1,769 MB (slower by as much as
cheaper); the waits' grow with memory: so a smaller size always costs less, and what it
costs is latency. Cold starts (init, billed since August 2025; SnapStart restores in prod)
are not modelled: at the peak's steady load they are a small share of the calls.
"""

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from benchmarks.capacity import prices
from benchmarks.capacity.invocations import SQS_BATCH_SIZE
from benchmarks.capacity.load import (
    CANCELLED_SHARE,
    CATALOG_PAGES_PER_ORDER,
    ORDER_LISTINGS_PER_ORDER,
    ORDER_POLLS_PER_ORDER,
    PEAK_ORDERS_PER_SECOND,
    PRODUCT_READS_PER_ORDER,
)

if TYPE_CHECKING:
    from benchmarks.capacity.invocations import Metered
    from benchmarks.capacity.replay import Sample

FULL_VCPU_MB = 1769
MEMORY_SIZES_MB = (128, 256, 512, 768, 1024)
ARCHITECTURES = ("x86_64", "arm64")
# Round trips within the region, per request (assumed, see the docstring).
ROUND_TRIP_MS = {
    "dynamodb.GetItem": 4.0,
    "dynamodb.BatchGetItem": 6.0,
    "dynamodb.Query": 6.0,
    "dynamodb.PutItem": 6.0,
    "dynamodb.UpdateItem": 6.0,
    "dynamodb.DeleteItem": 6.0,
    "dynamodb.TransactWriteItems": 15.0,
    "sqs.SendMessage": 10.0,
}
# Lambda's own lines for every invocation (text format): START, END, and REPORT with the X-Ray line.
_REQUEST_ID = "8f5a7c1e-3b2d-4e6f-9a0b-1c2d3e4f5a6b"
PLATFORM_LINES = (
    f"START RequestId: {_REQUEST_ID} Version: $LATEST\n"
    f"END RequestId: {_REQUEST_ID}\n"
    f"REPORT RequestId: {_REQUEST_ID}\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 512 MB\tMax Memory Used: 98 MB\t\n"
    "XRAY TraceId: 1-6745a1b2-3c4d5e6f7a8b9c0d1e2f3a4b\tSegmentId: 5a6b7c8d9e0f1a2b\tSampled: true\t\n"
)
PLATFORM_BYTES_PER_INVOCATION = len(PLATFORM_LINES.encode())
DEFAULT_TRACED_SHARE = 0.05  # X-Ray's default rule's rate beyond the first request each second
# A customer's session reaches the API with one token, within the authorizer's 300 s result cache
# (services/api/serverless.yml, resultTtlInSeconds): one authorizer invocation an order.
AUTHORIZER_INVOCATIONS_PER_ORDER = 1.0
READ_REQUESTS_PER_ORDER = CATALOG_PAGES_PER_ORDER + PRODUCT_READS_PER_ORDER + ORDER_POLLS_PER_ORDER + ORDER_LISTINGS_PER_ORDER
API_REQUESTS_PER_ORDER = READ_REQUESTS_PER_ORDER + 1 + CANCELLED_SHARE
# The functions an order reaches, and the two the comparison and the recommendation are about.
ORDER_FUNCTIONS = ("authorizer", "reader", "writer", "processOrders")


@dataclass(frozen=True)
class FunctionProfile:
    """One function's measured call, and how many calls an order makes of it."""

    calls_per_order: float
    cpu_ms: float
    aws_requests: dict[str, float] = field(default_factory=dict)  # operation -> requests per call
    log_bytes: float = 0.0  # what the function's code logged per call

    def wait_ms(self) -> float:
        return sum(count * ROUND_TRIP_MS[operation] for operation, count in self.aws_requests.items())

    def duration_ms(self, memory_mb: int) -> float:
        return self.cpu_ms * max(1.0, FULL_VCPU_MB / memory_mb) + self.wait_ms()

    def gb_seconds(self, memory_mb: int) -> float:
        """Billed GB-seconds of one call: whole milliseconds times memory."""
        return math.ceil(self.duration_ms(memory_mb)) / 1000 * memory_mb / 1024


@dataclass(frozen=True)
class OrderUsage:
    """What one order uses, by kind of request."""

    functions: dict[str, FunctionProfile]
    write_units: float  # DynamoDB WRU, table and indexes, transactions doubled, idempotency records included
    read_units: float
    sqs_requests: float
    api_requests: float = API_REQUESTS_PER_ORDER
    read_requests: float = READ_REQUESTS_PER_ORDER  # of which GET
    read_traced_share: float = DEFAULT_TRACED_SHARE  # the REST API's sampling rule for GET requests


@dataclass(frozen=True)
class Configuration:
    """A way to deploy Pedidos: the API's kind, the architecture, each function's memory."""

    api: str  # "REST" (today: a Lambda token authorizer) or "HTTP" (a native JWT authorizer)
    architecture: str
    memory_mb: dict[str, int]

    def label(self) -> str:
        sizes = sorted(set(self.memory_mb.values()))
        memory = f"{sizes[0]} MB" if len(sizes) == 1 else "/".join(str(self.memory_mb[each]) for each in ORDER_FUNCTIONS if each in self.memory_mb)
        return f"{self.api} API, {self.architecture}, {memory}"


def invocations_per_order(usage: OrderUsage, configuration: Configuration) -> dict[str, float]:
    """Lambda invocations an order makes, by function: an HTTP API checks the token itself."""
    return {
        function: profile.calls_per_order
        for function, profile in usage.functions.items()
        if not (function == "authorizer" and configuration.api == "HTTP")
    }


def breakdown(usage: OrderUsage, configuration: Configuration, orders_per_month: float | None = None) -> dict[str, float]:
    """Dollars per million orders by service. At the first tier of every price, or, given ``orders_per_month``,
    tier by tier over that month's usage."""
    invoked = invocations_per_order(usage, configuration)
    gb_seconds = sum(
        calls * usage.functions[function].gb_seconds(configuration.memory_mb[function]) for function, calls in invoked.items()
    )
    log_bytes = sum(calls * (usage.functions[function].log_bytes + PLATFORM_BYTES_PER_INVOCATION) for function, calls in invoked.items())
    # A sampled API request is one trace through its functions; the worker's invocations start their own.
    read_share = usage.read_traced_share if configuration.api == "REST" else DEFAULT_TRACED_SHARE
    traces = read_share * usage.read_requests + DEFAULT_TRACED_SHARE * (usage.api_requests - usage.read_requests + invoked.get("processOrders", 0.0))
    api_price = prices.REST_API_REQUEST if configuration.api == "REST" else prices.HTTP_API_REQUEST
    quantities = (
        ("API Gateway", api_price, usage.api_requests),
        ("Lambda requests", prices.LAMBDA_REQUEST, sum(invoked.values())),
        ("Lambda GB-s", prices.LAMBDA_GB_SECOND[configuration.architecture], gb_seconds),
        ("DynamoDB writes", prices.DYNAMODB_WRITE_UNIT, usage.write_units),
        ("DynamoDB reads", prices.DYNAMODB_READ_UNIT, usage.read_units),
        ("SQS", prices.SQS_REQUEST, usage.sqs_requests),
        ("CloudWatch Logs", prices.LOGS_INGESTED, log_bytes / prices.GB),
        # Kept 30 days: a month's logs stored for about a month, counted uncompressed (an upper bound).
        ("CloudWatch Logs storage", prices.LOGS_STORED, log_bytes / prices.GB),
        ("X-Ray", prices.XRAY_TRACE, traces),
        ("CloudFront", prices.CLOUDFRONT_REQUEST, usage.api_requests),
    )
    million = prices.MILLION
    if orders_per_month is None:
        return {service: price.first_tier * per_order * million for service, price, per_order in quantities}
    return {service: price.monthly(per_order * orders_per_month) / orders_per_month * million for service, price, per_order in quantities}


def peak_instances_by_function(usage: OrderUsage, configuration: Configuration) -> dict[str, float]:
    """Lambda instances each function keeps busy at the peak: a smaller size holds each call longer."""
    return {
        function: calls * PEAK_ORDERS_PER_SECOND * usage.functions[function].duration_ms(configuration.memory_mb[function]) / 1000
        for function, calls in invocations_per_order(usage, configuration).items()
    }


def peak_instances(usage: OrderUsage, configuration: Configuration) -> float:
    """Lambda instances busy at the peak, every function of an order together. An account runs 1,000
    at once unless its quota is raised."""
    return sum(peak_instances_by_function(usage, configuration).values())


# Latency a customer may be made to wait for a smaller size, per call of a function they wait on,
# over the same call at 1,024 MB; nobody waits on the worker, whose batch may take up to a second.
CUSTOMER_LATENCY_BUDGET_MS = 10.0
WORKER_BATCH_BUDGET_MS = 1000.0
CUSTOMER_FACING = ("authorizer", "reader", "writer", "public")
# A handler's process holds 67-79 MB once its modules are imported (ru_maxrss, python 3.13 here), before
# Lambda's runtime client and a batch's data: 128 MB leaves no room to grow.
MINIMUM_MEMORY_MB = 256


def recommended_memory(profile: FunctionProfile, function: str) -> int:
    """The smallest (so cheapest, see the docstring) memory size, from ``MINIMUM_MEMORY_MB``, whose modelled
    call stays within its budget."""
    for memory in (each for each in MEMORY_SIZES_MB if each >= MINIMUM_MEMORY_MB):
        if function in CUSTOMER_FACING:
            within = profile.duration_ms(memory) <= profile.duration_ms(MEMORY_SIZES_MB[-1]) + CUSTOMER_LATENCY_BUDGET_MS
        else:
            within = profile.duration_ms(memory) <= WORKER_BATCH_BUDGET_MS
        if within:
            return memory
    return MEMORY_SIZES_MB[-1]

DEPLOYED_MEMORY_MB = {"authorizer": 256, "reader": 512, "writer": 512, "processOrders": 512}  # the serverless.yml files today
SWEEPS_PER_MONTH = 30 * 24 * 60 / 2  # every 2 minutes, whatever the load


def read_traced_share(api_config: dict) -> float:
    """The rate the api service's X-Ray sampling rule for GET requests sets (``serverless print`` of it), or the default."""
    rules = [each["Properties"]["SamplingRule"] for each in api_config["resources"]["Resources"].values() if each["Type"] == "AWS::XRay::SamplingRule"]
    return next((rule["FixedRate"] for rule in rules if rule["HTTPMethod"] == "GET"), DEFAULT_TRACED_SHARE)


def usage_from(regular: "Sample", metered: "Metered", read_traced: float = DEFAULT_TRACED_SHARE, listing_reach: float = 1.0) -> OrderUsage:
    """An order's usage: DynamoDB from the replay's ledger (plus the idempotency records the handlers wrote, and
    the ``listing_reach`` share of catalog page reads that get past the readers' page cache),
    the functions and the queue from the metered handlers, the reads' tracing from the api's sampling rule. The worker is costed in full batches of 10, as it
    runs at load: its measured calls are scaled per event (the sample's last batches are partial)."""
    events = metered.functions["writer"].aws_requests["sqs.SendMessage"]
    profiles = {}
    for function in ORDER_FUNCTIONS:
        measured = metered.functions[function]
        # The worker's "call" is a full batch of events; every other function's is one request.
        per = events / SQS_BATCH_SIZE if function == "processOrders" else measured.calls
        profiles[function] = FunctionProfile(
            calls_per_order=per / metered.orders,
            cpu_ms=measured.cpu_seconds * 1000 / per,
            aws_requests={operation: count / per for operation, count in measured.aws_requests.items()},
            log_bytes=measured.log_bytes / per,
        )
    return OrderUsage(
        functions=profiles,
        write_units=sum(regular.ledger.writes.values()) / regular.orders + metered.idempotency_write_units / metered.orders,
        read_units=(sum(regular.ledger.reads.values()) + listing_reach * sum(regular.listing.reads.values())) / regular.orders,
        sqs_requests=events / metered.orders * (1 + 2 / SQS_BATCH_SIZE),  # a send; a receive and a delete per batch
        read_traced_share=read_traced,
    )


def configurations(usage: OrderUsage) -> list[Configuration]:
    """Today's deployment, every uniform memory size, and the recommended sizes, for both APIs and architectures."""
    recommended = {function: recommended_memory(profile, function) for function, profile in usage.functions.items()}
    chosen = [Configuration("REST", "x86_64", DEPLOYED_MEMORY_MB)]
    chosen += [Configuration("REST", "x86_64", dict.fromkeys(ORDER_FUNCTIONS, memory)) for memory in MEMORY_SIZES_MB]
    chosen += [Configuration(api, architecture, sizes) for api in ("REST", "HTTP") for architecture in ARCHITECTURES for sizes in (DEPLOYED_MEMORY_MB, recommended)]
    unique = []
    for each in chosen:
        if each not in unique:
            unique.append(each)
    return unique


def summary(usage: OrderUsage, metered: "Metered", orders_per_month: float) -> dict:
    """Everything the report states: per configuration, by service, at the first tier and at the given month."""
    rows = []
    for configuration in configurations(usage):
        first, month = breakdown(usage, configuration), breakdown(usage, configuration, orders_per_month)
        rows.append({"configuration": configuration.label(), "api": configuration.api, "architecture": configuration.architecture,
                     "memory_mb": configuration.memory_mb, "first_tier": first, "first_tier_total": sum(first.values()),
                     "at_month": month, "at_month_total": sum(month.values()),
                     "peak_instances": peak_instances(usage, configuration)})
    functions = {
        function: {
            "calls_per_order": profile.calls_per_order, "cpu_ms": profile.cpu_ms, "wait_ms": profile.wait_ms(), "log_bytes": profile.log_bytes,
            "aws_requests": profile.aws_requests, "recommended_memory_mb": recommended_memory(profile, function),
            "by_memory": {memory: {"duration_ms": profile.duration_ms(memory), "gb_seconds_per_million_orders": profile.gb_seconds(memory) * profile.calls_per_order * prices.MILLION}
                          for memory in MEMORY_SIZES_MB},
        }
        for function, profile in usage.functions.items()
    }
    sweep = metered.functions["sweep"]
    sweep_profile = FunctionProfile(1.0, sweep.cpu_seconds * 1000 / sweep.calls, {op: n / sweep.calls for op, n in sweep.aws_requests.items()})
    return {
        "prices": {"region": prices.REGION, "known_as_of": prices.KNOWN_AS_OF,
                   "items": [{"service": p.service, "unit": p.unit, "per": p.per, "tiers": [[limit if math.isfinite(limit) else None, dollars] for limit, dollars in p.tiers], "page": p.page, "note": p.note} for p in prices.EVERY_PRICE]},
        "orders_per_month": orders_per_month,
        "per_order": {"api_requests": usage.api_requests, "write_units": usage.write_units, "read_units": usage.read_units, "sqs_requests": usage.sqs_requests,
                      "platform_log_bytes_per_invocation": PLATFORM_BYTES_PER_INVOCATION, "read_traced_share": usage.read_traced_share, "traced_share": DEFAULT_TRACED_SHARE},
        "functions": functions,
        "metered": {"orders": metered.orders, "sqs_requests": dict(metered.sqs_requests), "idempotency_write_units_per_order": metered.idempotency_write_units / metered.orders},
        "configurations": rows,
        "deployed_peak_instances": peak_instances_by_function(usage, Configuration("REST", "x86_64", DEPLOYED_MEMORY_MB)),
        # Not per order: the sweep runs every 2 minutes whatever the load.
        "sweep_per_month": SWEEPS_PER_MONTH * (prices.LAMBDA_REQUEST.first_tier + sweep_profile.gb_seconds(512) * prices.LAMBDA_GB_SECOND["x86_64"].first_tier),
    }


def print_summary(section: dict) -> None:
    per_order = section["per_order"]
    print(f"\nCost per million orders (prices: AWS {section['prices']['region']} list prices as known in {section['prices']['known_as_of']}, benchmarks/capacity/prices.py)")
    print(f"  an order: {per_order['api_requests']:.2f} API requests, {per_order['write_units']:.1f} WRU, {per_order['read_units']:.1f} RRU, {per_order['sqs_requests']:.2f} SQS requests")
    print("  per function (measured CPU, modelled waits):")
    for function, figures in section["functions"].items():
        durations = "  ".join(f"{memory}:{each['duration_ms']:5.1f}" for memory, each in figures["by_memory"].items())
        print(f"    {function:13} {figures['calls_per_order']:6.3f}/order  cpu {figures['cpu_ms']:6.2f} ms  wait {figures['wait_ms']:6.1f} ms"
              f"  logs {figures['log_bytes']:6.0f} B/call  ms at MB {durations}  cheapest in budget {figures['recommended_memory_mb']} MB")
    services = list(section["configurations"][0]["first_tier"])
    print(f"  {'configuration (authorizer/reader/writer/worker MB)':46} {'total':>8} {'at month':>9} {'instances':>9}  " + " ".join(f"{name[:10]:>10}" for name in services))
    for row in section["configurations"]:
        print(f"  {row['configuration']:46} {row['first_tier_total']:8.2f} {row['at_month_total']:9.2f} {row['peak_instances']:9,.0f}  " + " ".join(f"{row['first_tier'][name]:10.2f}" for name in services))
    print(f"  ($ per million orders at the first tier of every price; 'at month' tier by tier over {section['orders_per_month']:,.0f} orders a month;")
    print(f"   instances: Lambda instances busy at {PEAK_ORDERS_PER_SECOND:,} orders/s; the sweep, every 2 minutes: ${section['sweep_per_month']:.2f} a month)")
    print("  instances at the peak as deployed, by function (modelled durations): "
          + ", ".join(f"{function} {instances:,.0f}" for function, instances in section["deployed_peak_instances"].items()))
