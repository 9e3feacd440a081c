"""Warm latency of POST /orders over `serverless offline`, with the worker running.

    .venv/bin/python -m benchmarks.post_orders_latency [--requests 50] [--api-url URL]

Starts its own stack on free ports unless --api-url names a running one (then a
`make dev` on this machine: the tokens come from its user pool). Prints the median
and the 95th percentile of the client-side wall time per request.
"""

import argparse
import statistics
import time
import uuid

import requests

from devstack.cognito import LocalUserPool, provision_user_pool
from devstack.stack import DevStack, Ports


def measure(api_url: str, count: int, pool: LocalUserPool) -> list[float]:
    admin = requests.Session()
    admin.headers["Authorization"] = f"Bearer {pool.token_for('bench-admin', admin=True).access_token}"
    customer = requests.Session()
    customer.headers["Authorization"] = f"Bearer {pool.token_for('bench-customer').access_token}"
    sku = f"BENCH-{uuid.uuid4().hex[:8]}"
    admin.post(f"{api_url}/products", json={"sku": sku, "name": "Bench", "price_cents": 100, "stock": 1_000_000}).raise_for_status()
    body = {"lines": [{"sku": sku, "quantity": 1}]}
    for _ in range(5):  # warm the API function and the authorizer's cached policy
        customer.post(f"{api_url}/orders", json=body).raise_for_status()
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        response = customer.post(f"{api_url}/orders", json=body)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 202, response.text
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--api-url")
    arguments = parser.parse_args()
    if arguments.api_url:
        timings = measure(arguments.api_url, arguments.requests, provision_user_pool(DevStack().client("cognito-idp")))
    else:
        with DevStack(ports=Ports.free()) as stack:
            timings = measure(stack.api_url, arguments.requests, stack.user_pool)
    p95 = statistics.quantiles(timings, n=20)[-1]
    print(f"POST /orders over serverless offline, {len(timings)} warm requests: median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()
