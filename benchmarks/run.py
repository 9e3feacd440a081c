"""`make bench`: Pedidos measured against a hand-written baseline doing the same DynamoDB and SQS
work, in the same run. Prints a table and writes it to .local/reports/bench.json; every figure is a
median with its spread (10th-90th percentile). Not part of `make test`: the figures are noisy, and
people read them. The method: benchmarks/README.md.

    .venv/bin/python -m benchmarks.run [--cold-runs 15] [--warm-runs 200] [--only cold warm growth e2e artifacts] [--api-url URL]
"""

import argparse
import sys

from benchmarks import report, sections
from benchmarks.workload import Workload
from devstack.stack import DevStack, Ports
from infra.definitions import ROOT
from infra.packaging import package

SECTIONS = ("cold", "warm", "growth", "e2e", "artifacts")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cold-runs", type=int, default=15)
    parser.add_argument("--warm-runs", type=int, default=200)
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=list(SECTIONS), help="the sections to run (default: all)")
    parser.add_argument("--api-url", help="e2e against this running `make dev` instead of a stack of its own")
    arguments = parser.parse_args()
    only = set(arguments.only)
    results: dict = {}
    # What ships, as `serverless deploy` would upload it: what cold starts run, and what artifacts weigh.
    artifacts = package("prod", sys.executable) if only & {"cold", "artifacts"} else {}
    if only & {"cold", "warm", "growth"}:
        # The handlers run in this process (warm, growth) or its children (cold) against a local endpoint of their own.
        stack = DevStack(ports=Ports.free(), log_dir=ROOT / ".local" / "logs" / "bench")
        stack.start_aws_endpoint()
        try:
            workload = Workload(stack)
            if "cold" in only:
                results |= sections.cold_start(workload, artifacts, arguments.cold_runs)
            if "warm" in only:
                results |= sections.warm_latency(workload, arguments.warm_runs)
            if "growth" in only:
                results |= sections.growth(workload, arguments.warm_runs)
        finally:
            stack.stop()
    if "e2e" in only:
        results |= sections.end_to_end(arguments.api_url)
    if "artifacts" in only:
        results |= sections.artifact_sizes(artifacts)
    report.write(results)


if __name__ == "__main__":
    main()
