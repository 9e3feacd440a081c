"""The benchmark's report: Pedidos over the baseline measured in the same run, a table on the
terminal, and everything in .local/reports/bench.json."""

import json

from infra.definitions import ROOT

REPORT = ROOT / ".local" / "reports" / "bench.json"


def ratio(ours: dict, baseline: dict, figure: str = "median") -> float:
    return round(ours[figure] / baseline[figure], 2)


def ratios(results: dict) -> dict[str, float]:
    """Pedidos over the baseline for every figure that has one among the sections run; for growth,
    10,000 orders over 10 (or 20) of the same side."""
    figures = {}
    if cold := results.get("cold_start"):
        api, worker = cold["api POST /orders"], cold["worker (1 event)"]
        baseline_api, baseline_worker = cold["baseline POST /orders"], cold["baseline worker (1 event)"]
        figures["cold start api"] = ratio(api["total_ms"], baseline_api["total_ms"])
        figures["cold start worker"] = ratio(worker["total_ms"], baseline_worker["total_ms"])
        if "instructions_m" in api:
            figures["cold start api, instructions"] = ratio(api, baseline_api, "instructions_m")
            figures["cold start worker, instructions"] = ratio(worker, baseline_worker, "instructions_m")
    if warm := results.get("warm_ms"):
        for name in ("POST /orders", "GET /orders/{id}", "GET /orders", "worker batch of 10"):
            figures[f"warm {name}"] = ratio(warm[name], warm[f"baseline {name}"])
    if growth := results.get("growth_ms"):
        figures["GET /orders 10k vs 10 orders"] = ratio(growth["10000 orders"], growth["10 orders"])
        figures["baseline GET /orders 10k vs 10 orders"] = ratio(growth["baseline 10000 orders"], growth["baseline 10 orders"])
        figures["GET /orders 10k vs 10 orders, CPU in the function"] = ratio(growth["10000 orders"], growth["10 orders"], "cpu_ms")
        figures["GET /orders 10k vs 20 orders (a full page each), CPU in the function"] = ratio(
            growth["10000 orders"], growth["20 orders"], "cpu_ms"
        )
    return figures


def write(results: dict) -> None:
    """Saves ``results`` with their ratios to REPORT and prints them."""
    results = {**results, "ratios": ratios(results)}
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(results, indent=2))
    print_table(results)
    print(f"\nWritten to {REPORT}")


def print_table(results: dict) -> None:
    if cold := results.get("cold_start"):
        print("\nCold start (fresh process: import the handler, serve the first event)")
        for name, figures in cold.items():
            total, memory, imports = figures["total_ms"], figures["max_rss_mb"], figures["import_ms"]
            instructions = f"  {figures['instructions_m']:,} M instructions" if "instructions_m" in figures else ""
            print(f"  {name:28} {total['median']:8.1f} ms  (p10 {total['p10']:.1f}, p90 {total['p90']:.1f})  import {imports['median']:.1f} ms"
                  f"  peak {memory['median']:.0f} MB{instructions}")
        if "instructions_m" not in cold["api POST /orders"]:
            print("  (no instruction counts: valgrind is not installed)")
        for handler, costs in results["import_ms_by_package"].items():
            top = ", ".join(f"{package} {milliseconds:.0f}" for package, milliseconds in list(costs.items())[:8])
            print(f"  import of {handler:15} {sum(costs.values()):5.0f} ms: {top}")
    for title, key in (("Warm, in process (ms per call)", "warm_ms"), ("Growth: GET /orders, one page of 20", "growth_ms")):
        if key in results:
            print(f"\n{title}")
            for name, figures in results[key].items():
                read = f"  items read per call {figures['items_read_per_call']}" if "items_read_per_call" in figures else ""
                print(f"  {name:32} {figures['median']:8.2f} ms  (p10 {figures['p10']:.2f}, p90 {figures['p90']:.2f})  cpu {figures['cpu_ms']:.2f} ms{read}")
    if e2e := results.get("end_to_end"):
        latency = e2e["post_orders_ms"]
        print("\nEnd to end over serverless offline")
        print(f"  POST /orders, {latency['n']} warm one after another: {latency['median']:.1f} ms  (p10 {latency['p10']:.1f}, p90 {latency['p90']:.1f})")
        print(f"  {e2e['orders']} orders from {e2e['clients']} clients at once: placed {e2e['placed_per_second']}/s, {e2e['decided']} decided,"
              f" placed to decided p50 {e2e['decide_p50_s']} s, p99 {e2e['decide_p99_s']} s")
    if artifacts := results.get("artifacts"):
        print("\nArtifacts")
        for name, figures in artifacts.items():
            print(f"  {name:36} {figures['zipped_kb']:9.1f} KB zipped  {figures['unzipped_kb']:9.1f} KB unzipped")
    if results["ratios"]:
        print("\nRatios of medians (Pedidos / baseline; growth: 10,000 orders / 10 or 20, same side)")
        width = max(map(len, results["ratios"]))
        for name, value in results["ratios"].items():
            print(f"  {name:{width}} {value:6.2f}x")
