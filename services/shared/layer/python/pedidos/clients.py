"""boto3 clients, created once per process and reused by every invocation.

Endpoints come from the standard AWS settings (``AWS_ENDPOINT_URL``,
``AWS_ENDPOINT_URL_DYNAMODB``...), so the same code talks to AWS or to a local
endpoint without knowing which.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from botocore.config import Config

if TYPE_CHECKING:  # the stubs are a development package: Lambda has boto3, not its types
    from types_boto3_dynamodb import DynamoDBClient
    from types_boto3_sqs import SQSClient

# Lambda retries the whole invocation; keep each call's own retries short so a
# slow dependency fails fast instead of eating the function's timeout.
_CLIENT_CONFIG = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=2, read_timeout=5)


@cache
def dynamodb() -> DynamoDBClient:
    import boto3

    return boto3.client("dynamodb", config=_CLIENT_CONFIG)


@cache
def sqs() -> SQSClient:
    import boto3

    return boto3.client("sqs", config=_CLIENT_CONFIG)
