"""The API Lambda: one Powertools resolver serving every route of the REST API."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from pedidos.observability import logger, metrics, tracer

from pedidos_api import problems
from pedidos_api.request_context import guard_and_trace
from pedidos_api.routes import docs, orders, products

app = APIGatewayRestResolver(
    enable_validation=True, response_validation_error_http_code=HTTPStatus.INTERNAL_SERVER_ERROR
)
app.use(middlewares=[guard_and_trace])
problems.register(app)
for router in (docs.router, products.router, orders.router):
    app.include_router(router)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST, log_event=False)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
