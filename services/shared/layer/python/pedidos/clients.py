"""boto3 clients, created once per process and reused by every invocation.

Endpoints come from the standard AWS settings (``AWS_ENDPOINT_URL``,
``AWS_ENDPOINT_URL_DYNAMODB``...), so the same code talks to AWS or to a local
endpoint without knowing which.
"""

from functools import cache

from botocore.client import BaseClient
from botocore.config import Config

# Lambda retries the whole invocation; keep each call's own retries short so a
# slow dependency fails fast instead of eating the function's timeout.
_CLIENT_CONFIG = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=2, read_timeout=5)


@cache
def dynamodb() -> BaseClient:
    import boto3

    return boto3.client("dynamodb", config=_CLIENT_CONFIG)


@cache
def sqs() -> BaseClient:
    import boto3

    return boto3.client("sqs", config=_CLIENT_CONFIG)
