"""The local AWS endpoint: moto's server, speaking DynamoDB and SQS over HTTP.

Real DynamoDB applies each request atomically. moto's threaded server does
not: a transaction that fails restores a snapshot of the whole table, undoing
concurrent writes from other threads. Requests to DynamoDB are therefore
served one at a time; SQS stays concurrent so that long polls do not block.

With ``--cloudformation`` it also deploys the services' stacks as AWS does,
with the workarounds of devstack/cloud_fixes.py (tests/deployment/test_deploy.py):

    python -m devstack.aws_endpoint --port 4566 [--cloudformation]
"""

import argparse
import threading
from collections.abc import Callable, Iterable
from typing import Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import run_simple

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4566)
    parser.add_argument("--cloudformation", action="store_true", help="deploy stacks as AWS does (devstack/cloud_fixes.py)")
    arguments = parser.parse_args()
    if arguments.cloudformation:
        # Imported only here: the endpoint of the other tests runs moto as it is.
        from devstack import cloud_fixes

        cloud_fixes.apply()
    app = serialise_dynamodb(DomainDispatcherApplication(create_backend_app))
    run_simple(arguments.host, arguments.port, app, threaded=True)


if __name__ == "__main__":
    main()
