"""The benchmark's sections: each measures one thing and returns its figures, keyed as in bench.json.
benchmarks/README.md says what each measures and why so."""

import os
import shutil
import statistics
import time
import uuid
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

import requests

from benchmarks.measurement import CALLGRIND, FreshProcesses, alternating, summary
from benchmarks.workload import Workload, bench_product, order_of_one
from devstack.cognito import LocalUserPool, provision_user_pool
from devstack.lambda_events import LambdaContext, api_event
from devstack.stack import DevStack, Ports
from infra.definitions import ROOT
from infra.lambda_layout import LambdaLayout

LAYOUT = ROOT / ".local" / "bench" / "lambda"
BASELINE_SOURCES = tuple(Path(__file__).parent / "baseline" / name for name in ("api.py", "worker.py"))


def cold_start(workload: Workload, artifacts: dict[str, Path], runs: int) -> dict:
    """Each function started ``runs`` times from the packaged artifacts, in rounds that start every
    function once, so a change in the machine's load falls on Pedidos and the baseline alike; then
    the instructions of one cold start each, and where each handler's import time goes."""
    layout = LambdaLayout.unpack(artifacts, LAYOUT)
    layout.add_function("baseline", *BASELINE_SOURCES)
    processes = FreshProcesses(layout, workload.env)
    api, worker = workload.handler_path("api", "writer"), workload.handler_path("worker", "processOrders")

    def one_pending_order() -> dict:
        return workload.worker_event(workload.pending_orders(1))

    functions = {
        "api POST /orders": ("writer", api, workload.post_order_event),
        "baseline POST /orders": ("baseline", "api.api_handler", workload.post_order_event),
        "authorizer": ("authorizer", workload.handler_path("api", "authorizer"), workload.authorizer_event),
        "worker (1 event)": ("processOrders", worker, one_pending_order),
        "baseline worker (1 event)": ("baseline", "worker.worker_handler", one_pending_order),
    }
    started: dict[str, list[dict]] = {name: [] for name in functions}
    for _ in range(runs):
        for name, (function, handler, event) in functions.items():
            started[name].append(processes.cold_start(function, handler, event()))
    # Each function's summaries by figure, and the instructions of its cold start beside them when counted.
    cold: dict[str, dict[str, dict | float]] = {
        name: {figure: summary([run[figure] for run in figures]) for figure in ("total_ms", "import_ms", "max_rss_mb")} for name, figures in started.items()
    }
    if shutil.which(CALLGRIND[0]):
        with ThreadPoolExecutor(max_workers=os.cpu_count()) as pool:
            counted = {name: pool.submit(processes.cold_start_instructions, function, handler, event())
                       for name, (function, handler, event) in functions.items()}
        for name, count in counted.items():
            cold[name]["instructions_m"] = count.result()
    imports = {
        "api": processes.import_costs("writer", api.rsplit(".", 1)[0]),
        "worker": processes.import_costs("processOrders", worker.rsplit(".", 1)[0]),
        "baseline api": processes.import_costs("baseline", "api"),
        "baseline worker": processes.import_costs("baseline", "worker"),
    }
    return {"cold_start": cold, "import_ms_by_package": imports}


def warm_latency(workload: Workload, runs: int) -> dict:
    """The handlers in this process, each call timed beside the baseline's doing the same work.
    Cold starts run sampled by X-Ray (the worst case); warm calls mostly unsampled."""
    from benchmarks.baseline import api as baseline
    from benchmarks.baseline import worker as baseline_worker

    api, worker, context = workload.handler("api", "writer"), workload.handler("worker", "processOrders"), LambdaContext()
    [order] = workload.pending_orders(1, customer="bench-customer")
    get_one = api_event("GET", f"/orders/{order.id}", customer="bench-customer")
    list_page = api_event("GET", "/orders?limit=20", customer="bench-customer")
    warm = alternating(
        {
            "POST /orders": lambda: api(workload.post_order_event(), context),
            "POST /orders, sampled by X-Ray": lambda: api(workload.post_order_event(), context),
            "baseline POST /orders": lambda: baseline.api_handler(workload.post_order_event(), context),
        },
        runs,
        sampled=("POST /orders, sampled by X-Ray",),
    )
    warm |= alternating({"GET /orders/{id}": lambda: api(get_one, context), "baseline GET /orders/{id}": lambda: baseline.api_handler(get_one, context)}, runs)
    warm |= alternating({"GET /orders": lambda: api(list_page, context), "baseline GET /orders": lambda: baseline.api_handler(list_page, context)}, runs)
    per_message = {}
    batch_runs = max(10, runs // 10)
    for size in (1, 10):
        ours = [workload.worker_event(workload.pending_orders(size)) for _ in range(batch_runs + 1)]
        theirs = [workload.worker_event(workload.pending_orders(size)) for _ in range(batch_runs + 1)]
        batches = alternating(
            {
                f"worker batch of {size}": _on_next_event(worker, ours, context),
                f"baseline worker batch of {size}": _on_next_event(baseline_worker.worker_handler, theirs, context),
            },
            batch_runs,
        )
        warm |= batches
        for side, name in (("", f"worker batch of {size}"), ("baseline ", f"baseline worker batch of {size}")):
            per_message[f"{side}batch of {size}"] = {key: value / size for key, value in batches[name].items() if key != "n"}
    return {"warm_ms": warm, "worker_ms_per_message": per_message}


def _on_next_event(handler: Callable[[dict, Any], object], events: list[dict], context: LambdaContext) -> Callable[[], object]:
    """A call of ``handler`` on an event of its own each time: the last of ``events``, taken off the list."""
    return lambda: handler(events.pop(), context)


def growth(workload: Workload, runs: int) -> dict:
    """One page of GET /orders for customers with 10, 20 and 10,000 orders, seeded first.

    moto's Query examines every item of an index partition's table, so its time grows with
    the table, whoever asks; every customer is measured on the same, full table, and the
    baseline beside them. Items read per call (DynamoDB's ScannedCount) is the figure the
    emulator cannot blur. 10 orders fill half a page; 20 fill it, as 10,000 do, so the CPU
    of those two compares the same page with and without the history behind it.
    """
    from benchmarks.baseline import api as baseline
    from pedidos import clients

    api, context = workload.handler("api", "writer"), LambdaContext()
    customers = {count: f"bench-growth-{count}-{uuid.uuid4().hex[:4]}" for count in (10, 20, 10_000)}
    for count, customer in customers.items():
        workload.pending_orders(count, customer)
    scanned: list[int] = []
    events = clients.dynamodb().meta.events

    def count_scanned(parsed: dict, **_: object) -> None:
        scanned.append(parsed.get("ScannedCount", 0))

    figures = {}
    events.register("after-call.dynamodb.Query", count_scanned)
    try:
        for count, customer in customers.items():
            event = api_event("GET", "/orders?limit=20", customer=customer)
            scanned.clear()
            timed = alternating({"ours": partial(api, event, context), "baseline": partial(baseline.api_handler, event, context)}, max(20, runs // 4))
            figures[f"{count} orders"] = {**timed["ours"], "items_read_per_call": max(scanned)}
            figures[f"baseline {count} orders"] = timed["baseline"]
    finally:
        events.unregister("after-call.dynamodb.Query", count_scanned)
    return {"growth_ms": figures}


def end_to_end(api_url: str | None, timed_requests: int = 50, orders: int = 200, clients: int = 8) -> dict:
    """Over HTTP against serverless offline with the worker running: the latency of ``timed_requests``
    warm POST /orders one after another, then ``orders`` orders from ``clients`` clients at once,
    until the worker decides them.

    On a stack of its own (moto's transactions copy the whole table, so a table the other sections
    filled would slow the worker), or the running `make dev` at ``api_url``, signing in to its user pool."""
    if api_url:
        return {"end_to_end": _over_http(api_url, provision_user_pool(DevStack().client("cognito-idp")), timed_requests, orders, clients)}
    with DevStack(ports=Ports.free(), log_dir=ROOT / ".local" / "logs" / "bench-e2e") as stack:
        return {"end_to_end": _over_http(stack.api_url, stack.users, timed_requests, orders, clients)}


def _over_http(api_url: str, pool: LocalUserPool, timed_requests: int, orders: int, clients: int) -> dict:
    def session(username: str, admin: bool = False) -> requests.Session:
        signed_in = requests.Session()
        signed_in.headers["Authorization"] = f"Bearer {pool.token_for(username, admin=admin).access_token}"
        return signed_in

    sku = f"BENCH-{uuid.uuid4().hex[:8]}"
    session("bench-admin", admin=True).post(f"{api_url}/products", json=bench_product(sku).model_dump(mode="json")).raise_for_status()
    body = order_of_one(sku).model_dump(mode="json")
    customers = [session(f"bench-e2e-{index}") for index in range(clients)]

    def place(index: int) -> tuple[int, str]:
        response = customers[index % clients].post(f"{api_url}/orders", json=body)
        assert response.status_code == 202, response.text
        return index % clients, response.json()["id"]

    for _ in range(5):  # warms the API function and the authorizer's cached policy
        place(0)
    latency = []
    for _ in range(timed_requests):
        started = time.perf_counter()
        place(0)
        latency.append((time.perf_counter() - started) * 1000)

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=clients) as pool_of_clients:
        placed = list(pool_of_clients.map(place, range(orders)))
    placing = time.monotonic() - started
    decided: dict[str, dict] = {}
    while len(decided) < orders and time.monotonic() - started < 300:
        for client, order_id in placed:
            if order_id not in decided:
                order = customers[client].get(f"{api_url}/orders/{order_id}").json()
                if order["status"] != "PENDING":
                    decided[order_id] = order
        time.sleep(0.5)
    to_decide = sorted((datetime.fromisoformat(o["updated_at"]) - datetime.fromisoformat(o["created_at"])).total_seconds() for o in decided.values())
    return {"post_orders_ms": summary(latency), "orders": orders, "clients": clients, "placed_per_second": round(orders / placing, 1),
            "decided": len(decided), "decide_p50_s": round(statistics.median(to_decide), 2),
            "decide_p99_s": round(statistics.quantiles(to_decide, n=100)[98], 2)}


def artifact_sizes(artifacts: dict[str, Path]) -> dict:
    """Every deployment zip of `make package --stage prod`, zipped and unzipped."""
    sizes = {}
    for service, folder in artifacts.items():
        for archive in sorted(folder.glob("*.zip")):
            with zipfile.ZipFile(archive.resolve()) as opened:
                unzipped = sum(info.file_size for info in opened.infolist())
            sizes[f"{service}/{archive.name}"] = {"zipped_kb": round(archive.resolve().stat().st_size / 1024, 1), "unzipped_kb": round(unzipped / 1024, 1)}
    return {"artifacts": sizes}
