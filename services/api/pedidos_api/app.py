"""The API Lambda: one Powertools resolver serving every route of the REST API."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent
from aws_lambda_powertools.utilities.typing import LambdaContext

from pedidos.observability import logger, metrics, tracer
from pedidos_api import problems
from pedidos_api.request_context import correlation_id, tag_with_correlation_id
from pedidos_api.request_gate import refusal, refused_response
from pedidos_api.routes import docs, orders, products

app = APIGatewayRestResolver(
    enable_validation=True, response_validation_error_http_code=HTTPStatus.INTERNAL_SERVER_ERROR
)
app.use(middlewares=[tag_with_correlation_id])
problems.register(app)
for router in (docs.router, products.router, orders.router):
    app.include_router(router)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST, log_event=False)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict, context: LambdaContext) -> dict:
    request = APIGatewayProxyEvent(event)
    refused = refusal(request)
    if refused:
        return refused_response(*refused, correlation_id(request))
    return app.resolve(event, context)
