"""The worker Lambda: consumes batches from the orders queue, reporting partial failures.

A message that fails is reported back alone; SQS redelivers it after the
visibility timeout and moves it to the dead-letter queue after 5 receives,
while the rest of its batch is deleted as done.

A redelivered event needs no record of its own: every rule writes under a
condition (the order still PENDING, the stock not yet released), so applying
an event twice changes nothing the second time. An idempotency record would
cost two more writes per message to save one read on the rare redelivery.
"""

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from pedidos.models import OrderEvent
from pedidos.observability import logger, metrics, tracer
from pedidos_worker import dependencies, fulfilment

tracer.patch(["botocore"])  # DynamoDB and SQS calls as subsegments

# A batch whose every record failed is reported like any other, record by record:
# SQS retries each, and the dead-letter queue takes those that keep failing.
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def handle_record(record: SQSRecord, lambda_context: LambdaContext) -> fulfilment.Outcome:
    """One message; Powertools passes the invocation's context, whose time left bounds the contention waits."""
    try:
        event = OrderEvent.model_validate_json(record.body)
    except ValidationError:
        logger.error("unreadable event; retried, then dead-lettered", message_id=record.message_id)
        metrics.add_metric(name="EventsFailed", unit="Count", value=1)
        raise
    with logger.append_context_keys(correlation_id=event.correlation_id, order_id=event.order_id, event_type=str(event.type)):
        try:
            patience = fulfilment.Patience.within(lambda_context.get_remaining_time_in_millis() / 1000)
            outcome = fulfilment.handle(event, dependencies.orders(), dependencies.products(), patience=patience)
        except Exception:
            logger.exception("event failed; it will be retried", message_id=record.message_id)
            metrics.add_metric(name="EventsFailed", unit="Count", value=1)
            raise
        logger.info("event handled", outcome=outcome)
        return outcome


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=handle_record, processor=processor, context=context)
