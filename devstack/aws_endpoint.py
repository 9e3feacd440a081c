"""The local AWS endpoint: moto's server, speaking DynamoDB and SQS over HTTP.

Real DynamoDB applies each request atomically. moto's threaded server does
not: a transaction that fails restores a snapshot of the whole table, undoing
concurrent writes from other threads. Requests to DynamoDB are therefore
served one at a time; SQS stays concurrent so that long polls do not block.
A transaction backs up each table once, not once per item (copy_each_table_once).

With ``--cloudformation`` it also deploys the services' stacks as AWS does,
with the workarounds of devstack/cloud_fixes.py (tests/deployment/test_deploy.py):

    python -m devstack.aws_endpoint --port 4566 [--cloudformation]
"""

import argparse
import copy
import threading
from collections.abc import Callable, Iterable
from types import SimpleNamespace
from typing import Any

import moto.dynamodb.models as dynamodb_models
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.table import Table
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import run_simple

from devstack.moto_patches import Workaround

WsgiApp = Callable[[dict, Callable], Iterable[bytes]]


def serialise_dynamodb(app: WsgiApp) -> WsgiApp:
    lock = threading.Lock()

    def application(environ: dict, start_response: Callable) -> Any:
        if environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB_"):
            with lock:
                # Consume the body inside the lock: the response is built lazily.
                return list(app(environ, start_response))
        return app(environ, start_response)

    return application


def copy_each_table_once(original: Callable) -> Callable:
    """moto 5.2.5's TransactWriteItems deep-copies the whole table once per item of the
    transaction (its backup, restored if the transaction fails), not once per table. A hot
    product's 17-item transaction on a table of a test session's size then takes seconds, past
    the client's 5 s read timeout; botocore retries the applied transaction, moto ignores its
    ClientRequestToken, and the retry fails its own conditions (a created product answers 409).
    One copy per table is the same backup. DynamoDB requests are served one at a time
    (serialise_dynamodb), so swapping the module's ``copy`` for the call is safe."""

    def transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
        backups: dict[int, Table] = {}

        def deepcopy(value: Any, memo: dict | None = None) -> Any:
            if not isinstance(value, Table):
                return copy.deepcopy(value, memo)
            if id(value) not in backups:
                backups[id(value)] = copy.deepcopy(value)
            return backups[id(value)]

        dynamodb_models.copy = SimpleNamespace(deepcopy=deepcopy)  # type: ignore[assignment]
        try:
            original(self, transact_items)
        finally:
            dynamodb_models.copy = copy

    return transact_write_items


def fix_dynamodb() -> None:
    Workaround(
        DynamoDBBackend, "transact_write_items", "81db2cb7d94e39c90b3a2077e1f4bb41a449c558ef9b1b1e2910fdaa39978ad4", copy_each_table_once
    ).apply()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4566)
    parser.add_argument("--cloudformation", action="store_true", help="deploy stacks as AWS does (devstack/cloud_fixes.py)")
    arguments = parser.parse_args()
    if arguments.cloudformation:
        # Imported only here: the endpoint of the other tests deploys nothing.
        from devstack import cloud_fixes

        cloud_fixes.apply()
    fix_dynamodb()
    app = serialise_dynamodb(DomainDispatcherApplication(create_backend_app))
    run_simple(arguments.host, arguments.port, app, threaded=True)


if __name__ == "__main__":
    main()
