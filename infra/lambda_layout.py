"""The packaged code laid out as Lambda lays it out, to run what ships as Lambda would.

``task/<function>`` holds the function's zip (Lambda's /var/task), ``opt`` the
layers' zips (/opt), and ``runtime`` the boto3 stack the managed runtime adds
after them. A process given only these folders loads what a cold start in
Lambda loads: the bytecode the zips carry (or compiles what they lack), the
packages the layers hold, and nothing the development venv happens to have.
Used by the deployment tests and by `make bench`'s cold starts.
"""

import os
import secrets
import shutil
import subprocess
import sys
import sysconfig
import time
import zipfile
from pathlib import Path

# What the python3.13 managed runtime puts beside a function's code.
RUNTIME_PACKAGES = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "six.py", "urllib3")


def trace_header(sampled: bool) -> str:
    """A new X-Ray trace header, as Lambda sets one for every invocation.

    The X-Ray SDK keeps its segment for as long as the trace id stays the same:
    invocations that shared one would all join the first one's trace, sampled
    or not as it was.
    """
    return f"Root=1-{int(time.time()):08x}-{secrets.token_hex(12)};Parent={secrets.token_hex(8)};Sampled={int(sampled)}"


# What Lambda sets for a python3.13 function with active tracing, during a sampled invocation,
# with tracing on as on every real stage: the X-Ray SDK and Powertools' Tracer take their
# deployed paths (local sampling, the facade segment) instead of building the
# centralised-sampling clients they build elsewhere.
TRACED_INVOCATION_ENV = {
    "LAMBDA_TASK_ROOT": "/var/task",
    "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13",
    "AWS_LAMBDA_FUNCTION_NAME": "pedidos-lambda-layout",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
    "AWS_XRAY_DAEMON_ADDRESS": "127.0.0.1:2000",
    "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR",
    "_X_AMZN_TRACE_ID": trace_header(sampled=True),
    "POWERTOOLS_TRACE_DISABLED": "false",
}


class LambdaLayout:
    def __init__(self, root: Path) -> None:
        self.root = root

    def python_path(self, function: str) -> str:
        """The import path of ``function``: its code, then the layers, then the runtime's boto3."""
        return os.pathsep.join(str(self.root / part) for part in (f"task/{function}", "opt/python", "runtime"))

    def python(self, function: str, arguments: list[str], env: dict[str, str], under: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
        """A fresh interpreter that imports from ``function``'s path alone (no site-packages, no
        script folder) and, like Lambda's read-only code folders, writes no bytecode; run
        ``under`` a tool (a profiler) when given."""
        env = {**env, "PYTHONPATH": self.python_path(function), "PYTHONDONTWRITEBYTECODE": "1"}
        return subprocess.run([*under, sys.executable, "-S", "-P", *arguments], env=env, capture_output=True, text=True)

    @classmethod
    def unpack(cls, artifacts: dict[str, Path], root: Path) -> "LambdaLayout":
        """Unzips the artifacts of `make package` under ``root``."""
        shutil.rmtree(root, ignore_errors=True)
        for layer in ("pythonRequirements.zip", "pedidos.zip"):
            _unzip(artifacts["shared"] / layer, root / "opt")
        for service in ("api", "worker"):
            for function in sorted(artifacts[service].glob("*.zip")):
                _unzip(function, root / "task" / function.stem)
        site_packages = Path(sysconfig.get_paths()["purelib"])
        (root / "runtime").mkdir()
        for package in RUNTIME_PACKAGES:
            (root / "runtime" / package).symlink_to(site_packages / package)
        return cls(root)

    def add_function(self, function: str, *sources: Path) -> None:
        """A function whose code is ``sources``, beside the packaged ones."""
        (self.root / "task" / function).mkdir(parents=True)
        for source in sources:
            shutil.copy(source, self.root / "task" / function / source.name)


def _unzip(archive: Path, destination: Path) -> None:
    with zipfile.ZipFile(archive.resolve()) as opened:
        opened.extractall(destination)
