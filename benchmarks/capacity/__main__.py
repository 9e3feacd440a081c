"""``make capacity``: a synthetic day replayed through the real code, scaled to the target load.

    python -m benchmarks.capacity [--orders N] [--sale-buyers N] [--metered-orders N]

It plays a sample of orders (and, apart, a sample of the flash sale's buyers)
through the use cases, the data access and the worker rules against moto in
process, counts every read and write unit by partition key, and scales the
counts to the peak of the day (benchmarks/capacity/load.py states the load). Then
it calls the real handlers for a sample of orders (benchmarks/capacity/invocations.py)
and prices a million orders per configuration (benchmarks/capacity/cost.py).
Writes .local/reports/capacity.json and capacity.png.
"""

import argparse
import contextlib
import io
import os
import time
from pathlib import Path

from infra.definitions import resolved_config

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / ".local" / "reports"


def catalog_page_seconds() -> float:
    """How long a deployed reader keeps a catalog page: the api's serverless.yml default param
    (the local stage turns it off; a real stage's resolved config needs the shared stack's outputs)."""
    import yaml

    class Loader(yaml.SafeLoader):
        """CloudFormation's short forms (!Ref, !GetAtt...) read as nothing: only params are wanted."""

    Loader.add_multi_constructor("!", lambda *_: None)
    config = yaml.load((ROOT / "services" / "api" / "serverless.yml").read_text(), Loader=Loader)  # a safe loader
    return float(config["params"]["default"]["catalogPageCacheSeconds"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=400, help="orders in the regular sample")
    parser.add_argument("--sale-buyers", type=int, default=200, help="buyers in the flash sale's sample")
    parser.add_argument("--metered-orders", type=int, default=100, help="orders through the real handlers, for the cost")
    options = parser.parse_args()
    page_seconds = catalog_page_seconds()
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "INFO")  # as deployed
    # Powertools reads the namespace when the functions' modules are first imported, below.
    os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", resolved_config("api")["provider"]["environment"]["POWERTOOLS_METRICS_NAMESPACE"])
    started = time.monotonic()
    # The functions' logs and metrics go where Lambda's would, away from the report; Powertools'
    # logger keeps the stdout it finds when first imported, so the imports happen inside.
    with contextlib.redirect_stdout(io.StringIO()) as logged:
        from benchmarks.capacity import cost, invocations, report
        from benchmarks.capacity.load import orders_per_day
        from benchmarks.capacity.replay import Replay, plan

        replay = Replay()
        regular, flash = replay.run(plan(options.orders), options.sale_buyers)
        replayed = time.monotonic() - started
        metered = invocations.measure(options.metered_orders)
    orders = regular.orders + flash.orders
    print(f"Replayed {regular.orders} orders and {flash.orders} flash-sale orders in {replayed:.0f} s")
    print(f"Logs and metrics written by the functions: {len(logged.getvalue().encode()) / orders:,.0f} bytes per order")
    print(f"Metered {metered.orders} orders through the real handlers in {time.monotonic() - started - replayed:.0f} s")
    concurrency = report.lambda_concurrency(regular, replay.durations)
    reach = report.listing_reach(concurrency, page_seconds)
    usage = cost.usage_from(regular, metered, cost.read_traced_share(resolved_config("api")), reach)
    priced = cost.summary(usage, metered, 30 * orders_per_day())
    plot = report.write(
        report.rates_at_peak(regular, flash, reach), concurrency, report.sqs_requests_per_second(regular), report.sale_limit(flash), reach, REPORTS,
        regular.stock_buckets, priced,
    )
    cost.print_summary(priced)
    print(f"\nPlot: {plot}")


if __name__ == "__main__":
    main()
