"""The cost model's arithmetic, on counts small enough to price by hand."""

from collections import Counter
from dataclasses import replace

import pytest

from benchmarks.capacity import cost, prices
from benchmarks.capacity.accounting import CapacityLedger, Place
from benchmarks.capacity.cost import Configuration, FunctionProfile, OrderUsage
from benchmarks.capacity.invocations import FunctionCalls, Metered
from benchmarks.capacity.replay import Sample

# One full vCPU: the CPU part of a call takes what it was measured to take.
FULL = cost.FULL_VCPU_MB
ONE_ORDER = OrderUsage(
    functions={
        "authorizer": FunctionProfile(1, cpu_ms=2),
        "reader": FunctionProfile(9, cpu_ms=1, aws_requests={"dynamodb.GetItem": 1}),  # 1 + 4 ms
        "writer": FunctionProfile(1, cpu_ms=4, aws_requests={"dynamodb.PutItem": 1, "sqs.SendMessage": 1}, log_bytes=500),  # 4 + 6 + 10 ms
        "processOrders": FunctionProfile(0.1, cpu_ms=30, aws_requests={"dynamodb.TransactWriteItems": 10}, log_bytes=6000),  # 30 + 150 ms
    },
    write_units=20,
    read_units=10,
    sqs_requests=1.2,
    api_requests=10,
)
AT_FULL_VCPU = dict.fromkeys(cost.ORDER_FUNCTIONS, FULL)
PLATFORM = cost.PLATFORM_BYTES_PER_INVOCATION


def test_a_price_in_tiers_charges_each_tier_its_own_rate():
    assert prices.REST_API_REQUEST.first_tier == pytest.approx(3.50 / 1_000_000)
    # 400 million requests: 333 million at $3.50, 67 million at $2.80 a million.
    assert prices.REST_API_REQUEST.monthly(400_000_000) == pytest.approx(333 * 3.50 + 67 * 2.80)
    assert prices.LAMBDA_REQUEST.monthly(5_000_000) == pytest.approx(1.00)


def test_every_price_names_the_page_it_is_published_on():
    assert all(price.page.startswith("https://aws.amazon.com/") and price.tiers[-1][0] == float("inf") for price in prices.EVERY_PRICE)


@pytest.mark.parametrize(("memory", "duration"), [(128, 10 * FULL / 128 + 8), (1024, 10 * FULL / 1024 + 8), (FULL, 18), (3008, 18)])
def test_the_cpu_part_stretches_with_less_memory_and_the_waits_do_not(memory, duration):
    call = FunctionProfile(1, cpu_ms=10, aws_requests={"dynamodb.GetItem": 2})
    assert call.duration_ms(memory) == pytest.approx(duration)


def test_lambda_bills_whole_milliseconds_times_gigabytes():
    call = FunctionProfile(1, cpu_ms=10, aws_requests={"dynamodb.GetItem": 2})  # 146.2 ms at 128 MB
    assert call.gb_seconds(128) == pytest.approx(0.147 * 0.125)


def test_a_cpu_bound_call_costs_the_same_at_any_memory_below_one_vcpu_and_waits_cost_more_with_more():
    cpu_bound, waiting = FunctionProfile(1, cpu_ms=50), FunctionProfile(1, cpu_ms=0, aws_requests={"dynamodb.Query": 5})
    assert cpu_bound.gb_seconds(128) == pytest.approx(cpu_bound.gb_seconds(1024), rel=0.01)
    assert waiting.gb_seconds(1024) == pytest.approx(8 * waiting.gb_seconds(128))


def test_one_order_on_the_rest_api_priced_by_hand():
    dollars = cost.breakdown(ONE_ORDER, Configuration("REST", "x86_64", AT_FULL_VCPU))
    log_bytes = 11.1 * PLATFORM + 500 + 0.1 * 6000
    assert dollars == pytest.approx(
        {
            "API Gateway": 10 * 3.50,
            "Lambda requests": 11.1 * 0.20,
            # (2 + 9 x 5 + 20 + 0.1 x 180) ms at 1,769 MB
            "Lambda GB-s": 0.085 * FULL / 1024 * 16.6667,
            "DynamoDB writes": 20 * 0.625,
            "DynamoDB reads": 10 * 0.125,
            "SQS": 1.2 * 0.40,
            "CloudWatch Logs": log_bytes / 1024**3 * 0.50 * 1_000_000,
            "CloudWatch Logs storage": log_bytes / 1024**3 * 0.03 * 1_000_000,
            "X-Ray": 0.05 * (10 + 0.1) * 5.00,
            "CloudFront": 10 * 1.00,
        }
    )


def test_the_http_api_checks_tokens_itself_and_bills_less_per_request():
    rest = cost.breakdown(ONE_ORDER, Configuration("REST", "x86_64", AT_FULL_VCPU))
    http = cost.breakdown(ONE_ORDER, Configuration("HTTP", "x86_64", AT_FULL_VCPU))
    assert http["API Gateway"] == pytest.approx(10 * 1.00)
    assert http["Lambda requests"] == pytest.approx(10.1 * 0.20)
    assert rest["Lambda GB-s"] - http["Lambda GB-s"] == pytest.approx(0.002 * FULL / 1024 * 16.6667)  # the authorizer's 2 ms
    assert rest["CloudWatch Logs"] - http["CloudWatch Logs"] == pytest.approx(PLATFORM / 1024**3 * 0.50 * 1_000_000)


def test_arm64_bills_the_same_duration_a_fifth_cheaper():
    x86 = cost.breakdown(ONE_ORDER, Configuration("REST", "x86_64", AT_FULL_VCPU))["Lambda GB-s"]
    arm = cost.breakdown(ONE_ORDER, Configuration("REST", "arm64", AT_FULL_VCPU))["Lambda GB-s"]
    assert arm / x86 == pytest.approx(0.0000133334 / 0.0000166667)


def test_over_a_month_the_later_tiers_lower_the_price_of_an_order():
    # 100 million orders a month: a billion REST requests, 333 million at $3.50 and 667 million at $2.80.
    month = cost.breakdown(ONE_ORDER, Configuration("REST", "x86_64", AT_FULL_VCPU), orders_per_month=100_000_000)
    assert month["API Gateway"] == pytest.approx((333 * 3.50 + 667 * 2.80) / 100)


@pytest.mark.parametrize(
    ("function", "profile", "memory"),
    [
        ("reader", FunctionProfile(9, cpu_ms=1, aws_requests={"dynamodb.GetItem": 1}), 256),  # 10.9 ms at 256 vs 5.7 at 1,024
        ("writer", FunctionProfile(1, cpu_ms=10), 768),  # 23 ms at 768 vs 17.3 at 1,024; 34.6 at 512 is too slow
        ("authorizer", FunctionProfile(1, cpu_ms=0.5), 256),  # never below the floor, however fast at 128
        ("processOrders", FunctionProfile(0.1, cpu_ms=30, aws_requests={"dynamodb.TransactWriteItems": 10}), 256),
        ("processOrders", FunctionProfile(0.1, cpu_ms=200, aws_requests={"dynamodb.TransactWriteItems": 10}), 512),  # 1.53 s at 256
    ],
)
def test_the_recommended_memory_is_the_smallest_within_its_latency_budget(function, profile, memory):
    assert cost.recommended_memory(profile, function) == memory


def test_an_orders_usage_prices_the_worker_in_full_batches_and_adds_the_idempotency_records():
    ledger = CapacityLedger("orders", {}, peek=None)
    ledger.writes.update({Place("table", "ORDER#1"): 30, Place("GSI3", "AWAITING_DECISION"): 10})
    ledger.reads.update({Place("table", "PRODUCT#A"): 8})
    listing = CapacityLedger("orders", {}, peek=None)
    listing.reads.update({Place("GSI4", "PRODUCTS"): 20})
    regular = Sample(orders=2, ledger=ledger, listing=listing, events=2, calls=Counter(), stock_buckets={})
    functions = {
        "authorizer": FunctionCalls(calls=2, cpu_seconds=0.002),
        "reader": FunctionCalls(calls=18, cpu_seconds=0.018, aws_requests=Counter({"dynamodb.GetItem": 10})),
        "writer": FunctionCalls(calls=2, cpu_seconds=0.008, aws_requests=Counter({"sqs.SendMessage": 2}), log_bytes=1400),
        # 2 events in one (partial) batch: 6 ms and 1,200 bytes of logs each.
        "processOrders": FunctionCalls(calls=1, cpu_seconds=0.012, aws_requests=Counter({"dynamodb.TransactWriteItems": 2}), log_bytes=2400),
    }
    usage = cost.usage_from(regular, Metered(orders=2, functions=functions, sqs_requests=Counter(), idempotency_write_units=4), listing_reach=0.25)
    # A quarter of the catalog pages' reads get past the readers' page cache.
    assert (usage.write_units, usage.read_units) == (40 / 2 + 4 / 2, (8 + 0.25 * 20) / 2)
    assert usage.sqs_requests == pytest.approx(1 + 0.2)
    worker = usage.functions["processOrders"]
    assert (worker.calls_per_order, worker.cpu_ms, worker.aws_requests, worker.log_bytes) == pytest.approx((0.1, 60, {"dynamodb.TransactWriteItems": 10}, 12_000))
    reader = usage.functions["reader"]
    assert (reader.calls_per_order, reader.cpu_ms, reader.aws_requests) == pytest.approx((9, 1, {"dynamodb.GetItem": 10 / 18}))


def test_the_rest_apis_sampling_rule_for_reads_lowers_their_traces_and_an_http_api_samples_at_the_default():
    sampled = replace(ONE_ORDER, read_traced_share=0.01)
    assert cost.breakdown(sampled, Configuration("REST", "x86_64", AT_FULL_VCPU))["X-Ray"] == pytest.approx((0.01 * 9 + 0.05 * 1.1) * 5.00)
    assert cost.breakdown(sampled, Configuration("HTTP", "x86_64", AT_FULL_VCPU))["X-Ray"] == pytest.approx(0.05 * 10.1 * 5.00)


def test_the_reads_sampling_rate_is_the_api_services_rule_for_get_or_x_rays_default():
    rule = {"Type": "AWS::XRay::SamplingRule", "Properties": {"SamplingRule": {"HTTPMethod": "GET", "FixedRate": 0.02}}}
    assert cost.read_traced_share({"resources": {"Resources": {"Reads": rule, "Table": {"Type": "AWS::DynamoDB::Table"}}}}) == 0.02
    assert cost.read_traced_share({"resources": {"Resources": {}}}) == cost.DEFAULT_TRACED_SHARE


def test_the_instances_busy_at_the_peak_are_the_calls_a_second_times_their_duration():
    # 5,000 orders a second: (2 + 9 x 5 + 20 + 0.1 x 180) ms of calls an order = 425 instances.
    assert cost.peak_instances(ONE_ORDER, Configuration("REST", "x86_64", AT_FULL_VCPU)) == pytest.approx(5000 * 0.085)
    assert cost.peak_instances(ONE_ORDER, Configuration("HTTP", "x86_64", AT_FULL_VCPU)) == pytest.approx(5000 * 0.083)
    by_function = cost.peak_instances_by_function(ONE_ORDER, Configuration("REST", "x86_64", AT_FULL_VCPU))
    assert by_function == pytest.approx({"authorizer": 10, "reader": 225, "writer": 100, "processOrders": 90})
