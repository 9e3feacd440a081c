"""The API Lambda: one Powertools resolver serving every route of the REST API."""

from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent
from aws_lambda_powertools.utilities.typing import LambdaContext

from pedidos.observability import logger, metrics, tracer
from pedidos_api import problems
from pedidos_api.request_context import correlation_id, with_correlation_id
from pedidos_api.request_gate import Refusal, admit, parse_json, refused_response
from pedidos_api.routes import docs, orders, products

tracer.patch(["botocore"])  # DynamoDB and SQS calls as subsegments

app = APIGatewayRestResolver(
    enable_validation=True,
    response_validation_error_http_code=HTTPStatus.INTERNAL_SERVER_ERROR,
    json_body_deserializer=parse_json,
)
problems.register(app)
for router in (docs.router, products.router, orders.router):
    app.include_router(router)


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    request = APIGatewayProxyEvent(event)
    correlation = correlation_id(request)
    logger.set_correlation_id(correlation)
    admitted = admit(request)
    response = refused_response(admitted) if isinstance(admitted, Refusal) else app.resolve(admitted, context)
    return with_correlation_id(response, correlation)
