"""The scheduled sweep's Lambda: re-queues orders whose event was lost."""

from datetime import timedelta
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from pedidos.observability import logger, metrics, tracer
from pedidos_worker import dependencies
from pedidos_worker.settings import sweep_settings
from pedidos_worker.sweep import requeue_stragglers

tracer.patch(["botocore"])  # DynamoDB and SQS calls as subsegments


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    grace = timedelta(seconds=sweep_settings().grace_seconds)
    return {"requeued": requeue_stragglers(dependencies.pending_work(), dependencies.publisher(), grace).requeued}
