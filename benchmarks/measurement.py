"""How the benchmark measures: the statistics every figure gets, the warm timing loop, and cold
starts in fresh processes that see only what Lambda gives a function."""

import contextlib
import json
import os
import re
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from infra.lambda_layout import LambdaLayout, trace_header

COLD_CHILD = Path(__file__).with_name("cold_child.py")
CALLGRIND = ("valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null")


def summary(samples: list[float]) -> dict:
    """The median with its spread (10th and 90th percentile) and the sample count."""
    deciles = statistics.quantiles(samples, n=10) if len(samples) > 1 else [samples[0]] * 9
    return {"median": round(statistics.median(samples), 2), "p10": round(deciles[0], 2), "p90": round(deciles[-1], 2), "n": len(samples)}


def alternating(calls: dict[str, Callable[[], object]], runs: int, sampled: tuple[str, ...] = ()) -> dict[str, dict]:
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
        for run in range(runs + 1):
            for name, call in calls.items():
                os.environ["_X_AMZN_TRACE_ID"] = trace_header(sampled=name in sampled)
                started, started_cpu = time.perf_counter(), time.process_time()
                call()
                if run:  # the first round warms up
                    wall[name].append((time.perf_counter() - started) * 1000)
                    cpu[name].append((time.process_time() - started_cpu) * 1000)
    return {name: {**summary(wall[name]), "cpu_ms": round(statistics.median(cpu[name]), 2)} for name in calls}


@dataclass(frozen=True)
class FreshProcesses:
    """Cold starts: each a new interpreter that sees only one function's Lambda import path
    (``layout``) and the functions' environment (``env``)."""

    layout: LambdaLayout
    env: dict[str, str]

    def cold_start(self, function: str, handler: str, event: dict) -> dict:
        """What cold_child.py measured of its own cold start: import, first event served, peak memory."""
        return json.loads(self._serve(function, handler, event).stdout.strip().splitlines()[-1])

    def cold_start_instructions(self, function: str, handler: str, event: dict) -> float:
        """Millions of instructions one cold start executes, counted by valgrind's callgrind.

        The count is the same for the same code and event whatever else the machine does
        (string hashing is seeded alike), so its ratio to the baseline does not drift with the
        load as milliseconds do. It leaves out time spent in the kernel and waiting on the endpoint.
        """
        report = self._serve(function, handler, event, env={"PYTHONHASHSEED": "0"}, under=CALLGRIND).stderr
        counted = re.search(r"Collected : (\d+)", report)
        assert counted, report
        return round(int(counted.group(1)) / 1e6)

    def import_costs(self, function: str, module: str, runs: int = 5) -> dict[str, float]:
        """Where ``module``'s import time goes (``-X importtime`` self time, grouped by top-level
        package, median of ``runs`` fresh processes), largest first. A module's self time includes
        what its body runs: the baseline creates its boto3 clients there."""
        samples: dict[str, list[float]] = {}
        for _ in range(runs):
            child = self.layout.python(function, ["-X", "importtime", "-c", f"import {module}"], {**os.environ, **self.env})
            child.check_returncode()
            by_package: dict[str, float] = {}
            for line in child.stderr.splitlines():
                fields = line.removeprefix("import time:").split("|")
                if len(fields) == 3 and fields[0].strip().isdigit():
                    package = fields[2].strip().split(".")[0]
                    by_package[package] = by_package.get(package, 0.0) + int(fields[0]) / 1000
            for package, milliseconds in by_package.items():
                samples.setdefault(package, []).append(milliseconds)
        medians = {package: round(statistics.median(values + [0.0] * (runs - len(values))), 1) for package, values in samples.items()}
        return dict(sorted(medians.items(), key=lambda item: -item[1]))

    def _serve(self, function: str, handler: str, event: dict, env: dict[str, str] | None = None,
               under: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
        """cold_child.py serving ``event`` with ``handler``, ``env`` added to the functions' environment,
        run ``under`` a tool if given."""
        module, attribute = handler.rsplit(".", 1)
        arguments = [str(COLD_CHILD), module, attribute, json.dumps(event)]
        child = self.layout.python(function, arguments, {**os.environ, **self.env, **(env or {})}, under)
        child.check_returncode()
        return child
