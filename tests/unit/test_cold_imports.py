"""What a handler loads at a cold start, with tracing on as on every real stage.

Each runs in a fresh interpreter that believes it is in Lambda, so the X-Ray
SDK and Powertools' Tracer take their deployed paths.
"""

import json
import os
import subprocess
import sys

import pytest

from infra.lambda_layout import TRACED_INVOCATION_ENV


def modules_after_import(handler_module: str) -> set[str]:
    probe = f"import json, sys, {handler_module}; print(json.dumps(sorted(sys.modules)))"
    env = {**os.environ, **TRACED_INVOCATION_ENV, "AWS_DEFAULT_REGION": "eu-west-1", "PYTHONPATH": os.pathsep.join(sys.path)}
    output = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    return set(json.loads(output.stdout.strip().splitlines()[-1]))


def test_the_authorizer_loads_no_aws_sdk_it_never_calls():
    loaded = modules_after_import("pedidos_api.handlers.authorizer")
    assert "aws_xray_sdk.ext.httplib" in loaded  # its one outbound call, the JWKS fetch, is traced
    # Powertools imports the bare botocore package for its user agent; clients and sessions are the cost.
    assert not {"botocore.session", "botocore.client", "boto3", "sqlite3"} & loaded
    # It reads the bounds of a customer id, not the models built on them.
    assert "pedidos.limits" in loaded and "pedidos.models" not in loaded


@pytest.mark.parametrize("handler_module", ["pedidos_api.handlers.api", "pedidos_worker.handlers.orders_queue", "pedidos_worker.handlers.sweep_schedule"])
def test_handlers_trace_their_aws_calls_and_patch_nothing_else(handler_module):
    loaded = modules_after_import(handler_module)
    assert "aws_xray_sdk.ext.botocore" in loaded
    assert not {"sqlite3", "aws_xray_sdk.ext.httplib", "aws_xray_sdk.ext.requests"} & loaded
