"""`make bench`: Pedidos measured against a hand-written baseline, in the same run.

Prints a table and writes it to .local/reports/bench.json. Each figure is a
median with its spread (10th-90th percentile) over repeated runs, and a
ratio to the baseline doing the same DynamoDB and SQS work where one exists.
Not part of `make test`: the figures are noisy, the floors are read by people.

    .venv/bin/python -m benchmarks.run [--cold-runs 15] [--warm-runs 200] [--only cold warm growth e2e artifacts]

Handlers run in the environment the Lambda runtime gives them: with it the
X-Ray SDK takes its in-Lambda path (local sampling, the facade segment Lambda
opens) and Powertools' Tracer traces every AWS call, as deployed; without it
the SDK would build centralised-sampling clients that Lambda never builds.
"""

import argparse
import contextlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import uuid
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import requests

from devstack.stack import DevStack, Ports, aws_env
from infra.definitions import ROOT, resolved_config
from infra.lambda_layout import TRACED_INVOCATION_ENV, LambdaLayout, trace_header
from infra.packaging import package

REPORT = ROOT / ".local" / "reports" / "bench.json"
LAYOUT = ROOT / ".local" / "bench" / "lambda"
COLD_CHILD = Path(__file__).with_name("cold_child.py")
BASELINE_SOURCES = tuple(Path(__file__).parent / "baseline" / name for name in ("api.py", "worker.py"))
SECTIONS = ("cold", "warm", "growth", "e2e", "artifacts")
CALLGRIND = ("valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null")


def summary(samples: list[float]) -> dict:
    deciles = statistics.quantiles(samples, n=10) if len(samples) > 1 else [samples[0]] * 9
    return {"median": round(statistics.median(samples), 2), "p10": round(deciles[0], 2), "p90": round(deciles[-1], 2), "n": len(samples)}


def ratio(ours: dict, baseline: dict) -> float:
    return round(ours["median"] / baseline["median"], 2)


class Bench:
    def __init__(self, stack: DevStack, cold_runs: int, warm_runs: int) -> None:
        self.stack = stack
        self.artifacts: dict[str, Path] = {}
        self.cold_runs = cold_runs
        self.warm_runs = warm_runs
        # The local stage's settings, verifying tokens of the stack's user pool.
        api = resolved_config("api", env=stack.env)["provider"]["environment"]
        self.env = {**api, **aws_env(stack.ports), **TRACED_INVOCATION_ENV, "POWERTOOLS_SERVICE_NAME": "bench",
                    "POWERTOOLS_LOG_LEVEL": "WARNING"}
        os.environ.update(self.env)
        from pedidos.models import ProductRequest
        from pedidos_api import dependencies

        self.sku = f"BENCH-{uuid.uuid4().hex[:6]}"
        dependencies.products().create(ProductRequest(sku=self.sku, name="Bench", price_cents=100, stock=10**9))

    # --- events ---------------------------------------------------------------------
    def post_order_event(self, customer: str = "bench-customer") -> dict:
        from tests.integration.lambda_events import api_event

        return api_event("POST", "/orders", body={"lines": [{"sku": self.sku, "quantity": 1}]}, customer=customer)

    def pending_order_ids(self, count: int, customer: str = "bench-worker") -> list[str]:
        """Stores ``count`` PENDING orders for ``customer`` straight into the table; returns their ids."""
        from pedidos.models import Order
        from pedidos_api import dependencies

        def create(_: int) -> str:
            now = datetime.now(UTC)
            order = Order(id=str(uuid.uuid4()), customer_id=customer, status="PENDING", lines=[{"sku": self.sku, "quantity": 1}],
                          currency="EUR", created_at=now, updated_at=now, version=1)
            dependencies.orders().create(order, "bench")
            return order.id

        with ThreadPoolExecutor(max_workers=8) as pool:
            return list(pool.map(create, range(count)))

    def worker_event(self, order_ids: list[str]) -> dict:
        from tests.integration.lambda_events import sqs_event

        now = datetime.now(UTC).isoformat()
        return sqs_event([json.dumps({"type": "OrderPlaced", "version": 1, "event_id": str(uuid.uuid4()), "order_id": order_id,
                                      "customer_id": "bench-worker", "occurred_at": now, "correlation_id": "bench"}) for order_id in order_ids])

    # --- figures --------------------------------------------------------------------
    def cold_child(self, layout: LambdaLayout, function: str, handler: str, event: dict,
                   env: dict[str, str] | None = None, under: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
        """One fresh process that sees only ``function``'s Lambda import path and serves ``event``
        (cold_child.py), with ``env`` added to the functions' environment, ``under`` a tool if given."""
        module, attribute = handler.rsplit(".", 1)
        child = layout.python(function, [str(COLD_CHILD), module, attribute, json.dumps(event)], {**os.environ, **self.env, **(env or {})}, under)
        child.check_returncode()
        return child

    def cold_start(self, layout: LambdaLayout, function: str, handler: str, event: dict) -> dict:
        """The figures cold_child.py measured of its own cold start."""
        return json.loads(self.cold_child(layout, function, handler, event).stdout.strip().splitlines()[-1])

    def cold_start_instructions(self, layout: LambdaLayout, function: str, handler: str, event: dict) -> float:
        """Millions of instructions one cold start executes, counted by valgrind's callgrind.

        The count is the same for the same code and event whatever else the machine does
        (string hashing is seeded alike), so its ratio to the baseline does not drift with the
        load as milliseconds do. It leaves out time spent in the kernel and waiting on the endpoint.
        """
        report = self.cold_child(layout, function, handler, event, env={"PYTHONHASHSEED": "0"}, under=CALLGRIND).stderr
        return round(int(re.search(r"Collected : (\d+)", report).group(1)) / 1e6)

    def import_costs(self, layout: LambdaLayout, function: str, module: str, runs: int = 5) -> dict[str, float]:
        """Where ``module``'s import time goes (``-X importtime`` self time, grouped by top-level
        package, median of ``runs`` fresh processes), largest first. A module's self time includes
        what its body runs: the baseline creates its boto3 clients there."""
        samples: dict[str, list[float]] = {}
        for _ in range(runs):
            child = layout.python(function, ["-X", "importtime", "-c", f"import {module}"], {**os.environ, **self.env})
            child.check_returncode()
            report = child.stderr
            by_package: dict[str, float] = {}
            for line in report.splitlines():
                fields = line.removeprefix("import time:").split("|")
                if len(fields) == 3 and fields[0].strip().isdigit():
                    package = fields[2].strip().split(".")[0]
                    by_package[package] = by_package.get(package, 0.0) + int(fields[0]) / 1000
            for package, milliseconds in by_package.items():
                samples.setdefault(package, []).append(milliseconds)
        medians = {package: round(statistics.median(values + [0.0] * (runs - len(values))), 1) for package, values in samples.items()}
        return dict(sorted(medians.items(), key=lambda item: -item[1]))

    def warm(self, calls: dict[str, Callable[[], object]], runs: int | None = None, sampled: tuple[str, ...] = ()) -> dict[str, dict]:
        """Times each call ``runs`` times after one warm-up, alternating between them call by call:
        the local endpoint slows as its table grows, and that must fall on every side alike.

        Each call is an invocation of its own, with a new trace header: unsampled, as most are
        (X-Ray samples 1 request/s plus 5%), or sampled for the names in ``sampled``. What the
        functions print (metrics, logs) goes nowhere, as into Lambda's log pipe.

        Beside the wall time, ``cpu_ms`` is this process's CPU time per call: the function's own
        work, without the local endpoint's, which runs in another process."""
        wall: dict[str, list[float]] = {name: [] for name in calls}
        cpu: dict[str, list[float]] = {name: [] for name in calls}
        with open(os.devnull, "w") as discarded, contextlib.redirect_stdout(discarded):
            for run in range((runs or self.warm_runs) + 1):
                for name, call in calls.items():
                    os.environ["_X_AMZN_TRACE_ID"] = trace_header(sampled=name in sampled)
                    started, started_cpu = time.perf_counter(), time.process_time()
                    call()
                    if run:  # the first round warms up
                        wall[name].append((time.perf_counter() - started) * 1000)
                        cpu[name].append((time.process_time() - started_cpu) * 1000)
        return {name: {**summary(wall[name]), "cpu_ms": round(statistics.median(cpu[name]), 2)} for name in calls}

    def run(self, sections: list[str]) -> dict:
        from benchmarks.baseline import api as baseline_api
        from benchmarks.baseline import worker as baseline_worker
        from pedidos_api.handlers.api import handler as api
        from pedidos_worker.handlers.orders_queue import handler as worker
        from tests.integration.lambda_events import LambdaContext

        context = LambdaContext()
        results: dict = {}
        if {"cold", "artifacts"} & set(sections):
            self.artifacts = package("prod", sys.executable)
        if "cold" in sections:
            layout = LambdaLayout.unpack(self.artifacts, LAYOUT)
            layout.add_function("baseline", *BASELINE_SOURCES)
            results["cold_start"] = self.cold_starts(layout)
            results["import_ms_by_package"] = {
                "api": self.import_costs(layout, "writer", "pedidos_api.handlers.api"),
                "worker": self.import_costs(layout, "processOrders", "pedidos_worker.handlers.orders_queue"),
                "baseline api": self.import_costs(layout, "baseline", "api"),
                "baseline worker": self.import_costs(layout, "baseline", "worker"),
            }
        if "warm" in sections:
            results["warm_ms"], results["worker_ms_per_message"] = self.warm_calls(api, worker, baseline_api.api_handler, baseline_worker.worker_handler, context)
        if "e2e" in sections:
            results["end_to_end"] = self.end_to_end()
        if "growth" in sections:
            results["growth_ms"] = self.growth(api, baseline_api.api_handler, context)
        if "artifacts" in sections:
            results["artifacts"] = artifact_sizes(self.artifacts)
        results["ratios"] = ratios(results)
        return results

    def cold_starts(self, layout: LambdaLayout) -> dict:
        """Each function started ``cold_runs`` times, in rounds that start every function once,
        so a change in the machine's load falls on Pedidos and the baseline alike."""
        token = self.stack.user_pool.token_for("bench-customer").access_token
        authorizer_event = {"type": "TOKEN", "authorizationToken": f"Bearer {token}", "methodArn": "arn:aws:execute-api:eu-west-1:1:a/prod/GET/orders"}

        def one_pending_order() -> dict:
            return self.worker_event(self.pending_order_ids(1))

        functions = {
            "api POST /orders": ("writer", "pedidos_api.handlers.api.handler", self.post_order_event),
            "baseline POST /orders": ("baseline", "api.api_handler", self.post_order_event),
            "authorizer": ("authorizer", "pedidos_api.handlers.authorizer.handler", lambda: authorizer_event),
            "worker (1 event)": ("processOrders", "pedidos_worker.handlers.orders_queue.handler", one_pending_order),
            "baseline worker (1 event)": ("baseline", "worker.worker_handler", one_pending_order),
        }
        runs: dict[str, list[dict]] = {name: [] for name in functions}
        for _ in range(self.cold_runs):
            for name, (function, handler, event) in functions.items():
                runs[name].append(self.cold_start(layout, function, handler, event()))
        cold = {name: {figure: summary([run[figure] for run in figures]) for figure in ("total_ms", "import_ms", "max_rss_mb")} for name, figures in runs.items()}
        if shutil.which(CALLGRIND[0]):
            with ThreadPoolExecutor(max_workers=os.cpu_count()) as pool:
                counted = {name: pool.submit(self.cold_start_instructions, layout, function, handler, event())
                           for name, (function, handler, event) in functions.items()}
            for name, count in counted.items():
                cold[name]["instructions_m"] = count.result()
        return cold

    def warm_calls(self, api: Callable, worker: Callable, baseline_api: Callable, baseline_worker: Callable, context: object) -> tuple[dict, dict]:
        from tests.integration.lambda_events import api_event

        # Cold starts run sampled by X-Ray (the worst case); warm calls mostly unsampled.
        [order_id] = self.pending_order_ids(1, customer="bench-customer")
        get_one = api_event("GET", f"/orders/{order_id}", customer="bench-customer")
        list_page = api_event("GET", "/orders?limit=20", customer="bench-customer")
        warm = self.warm(
            {
                "POST /orders": lambda: api(self.post_order_event(), context),
                "POST /orders, sampled by X-Ray": lambda: api(self.post_order_event(), context),
                "baseline POST /orders": lambda: baseline_api(self.post_order_event(), context),
            },
            sampled=("POST /orders, sampled by X-Ray",),
        )
        warm |= self.warm({"GET /orders/{id}": lambda: api(get_one, context), "baseline GET /orders/{id}": lambda: baseline_api(get_one, context)})
        warm |= self.warm({"GET /orders": lambda: api(list_page, context), "baseline GET /orders": lambda: baseline_api(list_page, context)})
        per_message = {}
        for size in (1, 10):
            runs = max(10, self.warm_runs // 10)
            ours = [self.worker_event(self.pending_order_ids(size)) for _ in range(runs + 1)]
            theirs = [self.worker_event(self.pending_order_ids(size)) for _ in range(runs + 1)]
            batches = self.warm(
                {
                    f"worker batch of {size}": lambda ours=ours: worker(ours.pop(), context),
                    f"baseline worker batch of {size}": lambda theirs=theirs: baseline_worker(theirs.pop(), context),
                },
                runs,
            )
            warm |= batches
            per_message[f"batch of {size}"] = {key: value / size for key, value in batches[f"worker batch of {size}"].items() if key != "n"}
            per_message[f"baseline batch of {size}"] = {key: value / size for key, value in batches[f"baseline worker batch of {size}"].items() if key != "n"}
        return warm, per_message

    def growth(self, api: Callable, baseline_api: Callable, context: object) -> dict:
        """One page of GET /orders for customers with 10, 20 and 10,000 orders, seeded first.

        moto's Query examines every item of an index partition's table, so its time grows with
        the table, whoever asks; every customer is measured on the same, full table, and the
        baseline beside them. Items read per call (DynamoDB's ScannedCount) is the figure the
        emulator cannot blur. 10 orders fill half a page; 20 fill it, as 10,000 do, so the CPU
        of those two compares the same page with and without the history behind it.
        """
        from pedidos import clients
        from tests.integration.lambda_events import api_event

        customers = {count: f"bench-growth-{count}-{uuid.uuid4().hex[:4]}" for count in (10, 20, 10_000)}
        for count, customer in customers.items():
            self.pending_order_ids(count, customer)
        scanned: list[int] = []
        events = clients.dynamodb().meta.events

        def count_scanned(parsed: dict, **_: object) -> None:
            scanned.append(parsed.get("ScannedCount", 0))

        figures = {}
        events.register("after-call.dynamodb.Query", count_scanned)
        try:
            for count, customer in customers.items():
                event = api_event("GET", "/orders?limit=20", customer=customer)
                runs = max(20, self.warm_runs // 4)
                scanned.clear()
                timed = self.warm({"ours": lambda event=event: api(event, context), "baseline": lambda event=event: baseline_api(event, context)}, runs)
                figures[f"{count} orders"] = {**timed["ours"], "items_read_per_call": max(scanned)}
                figures[f"baseline {count} orders"] = timed["baseline"]
        finally:
            events.unregister("after-call.dynamodb.Query", count_scanned)
        return figures

    def end_to_end(self, orders: int = 200, clients: int = 8) -> dict:
        """200 orders from 8 clients over serverless offline, on a stack of its own: moto's
        transactions copy the whole table, so a table the other figures filled would slow the worker."""
        with DevStack(ports=Ports.free(), log_dir=ROOT / ".local" / "logs" / "bench-e2e") as stack:
            from pedidos.data import ProductRepository
            from pedidos.models import ProductRequest

            ProductRepository(stack.client("dynamodb"), self.env["TABLE_NAME"]).create(
                ProductRequest(sku=self.sku, name="Bench", price_cents=100, stock=10**9)
            )
            return self._place_and_wait(stack, orders, clients)

    def _place_and_wait(self, stack: DevStack, orders: int, clients: int) -> dict:
        tokens = [stack.user_pool.token_for(f"bench-e2e-{index}").access_token for index in range(clients)]
        sessions = []
        for token in tokens:
            session = requests.Session()
            session.headers["Authorization"] = f"Bearer {token}"
            sessions.append(session)
        body = {"lines": [{"sku": self.sku, "quantity": 1}]}
        started = time.monotonic()
        def place(index: int) -> tuple[int, str]:
            response = sessions[index % clients].post(f"{stack.api_url}/orders", json=body)
            assert response.status_code == 202, response.text
            return index % clients, response.json()["id"]

        with ThreadPoolExecutor(max_workers=clients) as pool:
            ids = list(pool.map(place, range(orders)))
        placing = time.monotonic() - started
        decided: dict[str, dict] = {}
        while len(decided) < orders and time.monotonic() - started < 300:
            for client, order_id in ids:
                if order_id not in decided:
                    order = sessions[client].get(f"{stack.api_url}/orders/{order_id}").json()
                    if order["status"] != "PENDING":
                        decided[order_id] = order
            time.sleep(0.5)
        to_decide = sorted((datetime.fromisoformat(o["updated_at"]) - datetime.fromisoformat(o["created_at"])).total_seconds() for o in decided.values())
        return {"orders": orders, "clients": clients, "placed_per_second": round(orders / placing, 1), "decided": len(decided),
                "decide_p50_s": round(statistics.median(to_decide), 2), "decide_p99_s": round(statistics.quantiles(to_decide, n=100)[98], 2)}


def ratios(results: dict) -> dict:
    """Pedidos over the baseline for every figure that has one among the sections run."""
    figures = {}
    if cold := results.get("cold_start"):
        figures["cold start api"] = ratio(cold["api POST /orders"]["total_ms"], cold["baseline POST /orders"]["total_ms"])
        figures["cold start worker"] = ratio(cold["worker (1 event)"]["total_ms"], cold["baseline worker (1 event)"]["total_ms"])
        if "instructions_m" in cold["api POST /orders"]:
            figures["cold start api, instructions"] = round(cold["api POST /orders"]["instructions_m"] / cold["baseline POST /orders"]["instructions_m"], 2)
            figures["cold start worker, instructions"] = round(cold["worker (1 event)"]["instructions_m"] / cold["baseline worker (1 event)"]["instructions_m"], 2)
    if warm := results.get("warm_ms"):
        for name in ("POST /orders", "GET /orders/{id}", "GET /orders", "worker batch of 10"):
            figures[f"warm {name}"] = ratio(warm[name], warm[f"baseline {name}"])
    if growth := results.get("growth_ms"):
        figures["GET /orders 10k vs 10 orders"] = ratio(growth["10000 orders"], growth["10 orders"])
        figures["baseline GET /orders 10k vs 10 orders"] = ratio(growth["baseline 10000 orders"], growth["baseline 10 orders"])
        figures["GET /orders 10k vs 10 orders, CPU in the function"] = round(growth["10000 orders"]["cpu_ms"] / growth["10 orders"]["cpu_ms"], 2)
        figures["GET /orders 10k vs 20 orders (a full page each), CPU in the function"] = round(
            growth["10000 orders"]["cpu_ms"] / growth["20 orders"]["cpu_ms"], 2
        )
    return figures


def artifact_sizes(artifacts: dict[str, Path]) -> dict:
    sizes = {}
    for service, folder in artifacts.items():
        for archive in sorted(folder.glob("*.zip")):
            with zipfile.ZipFile(archive.resolve()) as opened:
                unzipped = sum(info.file_size for info in opened.infolist())
            sizes[f"{service}/{archive.name}"] = {"zipped_kb": round(archive.resolve().stat().st_size / 1024, 1), "unzipped_kb": round(unzipped / 1024, 1)}
    return sizes


def print_table(results: dict) -> None:
    print("\nCold start (fresh process: import the handler, serve the first event)")
    for name, figures in results.get("cold_start", {}).items():
        total, memory, imports = figures["total_ms"], figures["max_rss_mb"], figures["import_ms"]
        instructions = f"  {figures['instructions_m']:,} M instructions" if "instructions_m" in figures else ""
        print(f"  {name:28} {total['median']:8.1f} ms  (p10 {total['p10']:.1f}, p90 {total['p90']:.1f})  import {imports['median']:.1f} ms  peak {memory['median']:.0f} MB{instructions}")
    if results.get("cold_start") and "instructions_m" not in results["cold_start"]["api POST /orders"]:
        print("  (no instruction counts: valgrind is not installed)")
    for handler, costs in results.get("import_ms_by_package", {}).items():
        top = ", ".join(f"{package} {milliseconds:.0f}" for package, milliseconds in list(costs.items())[:8])
        print(f"  import of {handler:10} {sum(costs.values()):5.0f} ms: {top}")
    for title, key in (("Warm, in process (ms per call)", "warm_ms"), ("Growth: GET /orders, one page of 20", "growth_ms")):
        print(f"\n{title}")
        for name, figures in results.get(key, {}).items():
            read = f"  items read per call {figures['items_read_per_call']}" if "items_read_per_call" in figures else ""
            print(f"  {name:28} {figures['median']:8.2f} ms  (p10 {figures['p10']:.2f}, p90 {figures['p90']:.2f})  cpu {figures['cpu_ms']:.2f} ms{read}")
    if "end_to_end" in results:
        print(f"\nEnd to end over serverless offline: {results['end_to_end']}")
    print("\nArtifacts")
    for name, figures in results.get("artifacts", {}).items():
        print(f"  {name:36} {figures['zipped_kb']:9.1f} KB zipped  {figures['unzipped_kb']:9.1f} KB unzipped")
    print("\nRatios (Pedidos / baseline, medians)")
    for name, value in results["ratios"].items():
        print(f"  {name:36} {value:6.2f}x")
    print(f"\nWritten to {REPORT}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cold-runs", type=int, default=15)
    parser.add_argument("--warm-runs", type=int, default=200)
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=list(SECTIONS), help="the sections to run (default: all)")
    arguments = parser.parse_args()
    stack = DevStack(ports=Ports.free(), log_dir=ROOT / ".local" / "logs" / "bench")
    stack.start_aws_endpoint()
    try:
        results = Bench(stack, arguments.cold_runs, arguments.warm_runs).run(arguments.only)
    finally:
        stack.stop()
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(results, indent=2))
    print_table(results)


if __name__ == "__main__":
    main()
