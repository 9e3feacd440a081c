"""Starts and stops the whole system on one machine.

    local AWS endpoint (moto) ── tables, queues and user pool from services/shared
    serverless offline: api    ── http://127.0.0.1:3000
    serverless offline: worker ── fed by the queue delivery below
    queue delivery             ── orders queue → worker, with event-source-mapping semantics
    console                    ── http://127.0.0.1:3005, the API under /api (devstack/console.py)
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import requests
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from devstack.cognito import LocalUserPool, provision_user_pool
from devstack.console import ConsoleConfig, ConsoleServer
from devstack.dev_secrets import secrets_env
from devstack.provision import provision as create_shared_resources
from devstack.queue_delivery import EventSourceMapping, QueueDelivery, Schedule, rate_seconds
from infra.definitions import ROOT, SERVERLESS, SERVICES, resolved_config

LOG_DIR = ROOT / ".local" / "logs"


@dataclass(frozen=True)
class Ports:
    aws: int = 4566
    api: int = 3000
    api_lambda: int = 3002
    worker_http: int = 3003
    worker_lambda: int = 3004
    console: int = 3005

    @classmethod
    def from_env(cls) -> "Ports":
        defaults = cls()
        return cls(**{name: int(os.environ.get(f"PEDIDOS_{name.upper()}_PORT", getattr(defaults, name))) for name in cls.__dataclass_fields__})

    @classmethod
    def free(cls) -> "Ports":
        """Ports nothing listens on now, so tests can run beside `make dev`."""
        sockets = [socket.socket() for _ in cls.__dataclass_fields__]
        for each in sockets:
            each.bind(("127.0.0.1", 0))
        ports = cls(*(each.getsockname()[1] for each in sockets))
        for each in sockets:
            each.close()
        return ports


def region() -> str:
    """The local stage's region: the one the services' definitions name."""
    return resolved_config("shared")["provider"]["region"]


def aws_env(ports: Ports) -> dict[str, str]:
    """What any process needs to reach the local endpoint with unmodified boto3."""
    local_region = region()
    return {
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{ports.aws}",
        "AWS_REGION": local_region,
        "AWS_DEFAULT_REGION": local_region,
        # moto accepts any credentials; these are not secrets.
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
    }


def local_client(service: str, endpoint_url: str, config: Config) -> Any:
    """A boto3 client for an endpoint on this machine (moto accepts any credentials)."""
    return boto3.client(
        service, endpoint_url=endpoint_url, region_name=region(), aws_access_key_id="local", aws_secret_access_key="local", config=config
    )


def wait_for(check: Any, what: str, timeout: float, process: subprocess.Popen | None = None, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            tail = log.read_text()[-3000:] if log and log.exists() else ""
            raise RuntimeError(f"{what} exited with {process.returncode}:\n{tail}")
        try:
            if check():
                return
        except (OSError, requests.RequestException, BotoCoreError, ClientError):
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{what} did not come up within {timeout:.0f}s")


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class DevStack:
    ports: Ports = field(default_factory=Ports.from_env)
    pollers: int = 2
    log_dir: Path = LOG_DIR
    # Reach AWS through the standard endpoint settings already in the
    # environment (containers), instead of starting a local endpoint.
    external_endpoints: bool = False
    # The shared stack's user pool on the local endpoint, once provisioned (or found).
    user_pool: LocalUserPool | None = None
    _console: ConsoleServer | None = None
    _processes: list[subprocess.Popen] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)

    @property
    def users(self) -> LocalUserPool:
        """The shared stack's user pool, which starting the local endpoint with its resources provisions."""
        if self.user_pool is None:
            raise RuntimeError("no user pool: the local endpoint was not started with the shared resources")
        return self.user_pool

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.api}"

    @property
    def console_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.console}"

    @property
    def env(self) -> dict[str, str]:
        endpoints = {} if self.external_endpoints else aws_env(self.ports)
        pool = self.user_pool.api_env if self.user_pool else {}
        return {**os.environ, **endpoints, **secrets_env(), **pool}

    def client(self, service: str) -> Any:
        retries = Config(retries={"mode": "standard", "max_attempts": 5})
        if self.external_endpoints:
            return boto3.client(service, config=retries)
        return local_client(service, aws_env(self.ports)["AWS_ENDPOINT_URL"], retries)

    def start(self) -> "DevStack":
        busy = [port for port in vars(self.ports).values() if port_open(port)]
        if busy:
            raise RuntimeError(f"ports {busy} are in use: is another `make dev` or test run going?")
        try:
            self.start_aws_endpoint()
            self.start_api()
            self.start_worker()
            self.start_console()
        except BaseException:
            self.stop()
            raise
        return self

    def start_api(self) -> None:
        self._start_offline("api", self.ports.api, f"{self.api_url}/health")

    def start_worker(self) -> None:
        """The worker under serverless offline, fed by the queue delivery."""
        self._start_offline("worker", self.ports.worker_lambda, None)
        self._start_queue_delivery()

    def start_console(self) -> None:
        """The console, its settings and its headers policies from web's serverless.yml, with the API under /api, as CloudFront serves them."""
        web = resolved_config("web", env=self.users.web_env)
        self._console = ConsoleServer(self.ports.console, self.api_url, ConsoleConfig.of(web)).start()

    def wait(self) -> None:
        """Blocks while every started process runs; returns when one of them exits."""
        while all(process.poll() is None for process in self._processes):
            time.sleep(1)

    def start_aws_endpoint(self, provision: bool = True, cloudformation: bool = False) -> None:
        """The local AWS endpoint alone, with the shared stack's tables, queues and user pool on it unless told not to.

        With ``cloudformation`` it deploys stacks as AWS does (devstack/cloud_fixes.py).
        """
        command = [sys.executable, "-m", "devstack.aws_endpoint", "--port", str(self.ports.aws)]
        if cloudformation:
            command.append("--cloudformation")
        process, log = self._spawn("aws", command, ROOT, self.env)
        wait_for(lambda: port_open(self.ports.aws), "the local AWS endpoint", 30, process, log)
        if provision:
            create_shared_resources(self.client("dynamodb"), self.client("sqs"))
            self.user_pool = provision_user_pool(self.client("cognito-idp"))

    def stop(self) -> None:
        self._stop.set()
        if self._console:
            self._console.stop()
            self._console = None
        for thread in self._threads:
            thread.join(timeout=25)
        for process in reversed(self._processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self._processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        self._processes.clear()

    def __enter__(self) -> "DevStack":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _spawn(self, name: str, command: list[str], cwd: Path, env: dict[str, str]) -> tuple[subprocess.Popen, Path]:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = self.log_dir / f"{name}.log"
        with log.open("w") as output:
            process = subprocess.Popen(command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
        self._processes.append(process)
        return process, log

    def _start_offline(self, service: str, port: int, health_url: str | None) -> None:
        env = {
            **self.env,
            # serverless offline runs `python3` from this venv, with the shared
            # layer on the path as Lambda mounts it under /opt/python.
            "VIRTUAL_ENV": str(ROOT / ".venv"),
            "PYTHONPATH": str(SERVICES / "shared" / "layer" / "python"),
            "PEDIDOS_API_PORT": str(self.ports.api),
            "PEDIDOS_API_LAMBDA_PORT": str(self.ports.api_lambda),
            "PEDIDOS_WORKER_HTTP_PORT": str(self.ports.worker_http),
            "PEDIDOS_WORKER_LAMBDA_PORT": str(self.ports.worker_lambda),
        }
        process, log = self._spawn(service, [str(SERVERLESS), "offline", "start", "--stage", "local"], SERVICES / service, env)
        if health_url:
            wait_for(lambda: requests.get(health_url, timeout=5).status_code == 200, f"{service} (serverless offline)", 120, process, log)
        else:
            wait_for(lambda: port_open(port), f"{service} (serverless offline)", 120, process, log)

    def _start_queue_delivery(self) -> None:
        worker = resolved_config("worker", env=secrets_env())
        function = worker["functions"]["processOrders"]
        source = function["events"][0]["sqs"]
        queue_name = source["arn"].rsplit(":", 1)[1]
        sqs = self.client("sqs")
        mapping = EventSourceMapping(
            function_name=function["name"],
            queue_url=sqs.get_queue_url(QueueName=queue_name)["QueueUrl"],
            queue_arn=source["arn"],
            region=region(),
            batch_size=source.get("batchSize", 10),
            batching_window_seconds=source.get("maximumBatchingWindow", 0),
            report_batch_item_failures=source.get("functionResponseType") == "ReportBatchItemFailures",
        )
        lambda_client = local_client(
            "lambda",
            f"http://127.0.0.1:{self.ports.worker_lambda}",
            Config(read_timeout=function.get("timeout", 30) + 5, retries={"max_attempts": 0}),
        )
        runners = [QueueDelivery(self.client("sqs"), lambda_client, mapping).run for _ in range(self.pollers)]
        for scheduled in worker["functions"].values():
            for event in scheduled.get("events", []):
                if "schedule" in event:
                    runners.append(Schedule(lambda_client, scheduled["name"], rate_seconds(event["schedule"])).run)
        for runner in runners:
            thread = threading.Thread(target=runner, args=(self._stop,), daemon=True)
            thread.start()
            self._threads.append(thread)
