"""Failures that are nobody's fault answer as problems a client can act on, not as 500s."""

import json
from http import HTTPStatus

from aws_lambda_powertools.event_handler.api_gateway import APIGatewayRestResolver

from devstack.lambda_events import LambdaContext, api_event
from pedidos.errors import Contended
from pedidos_api import problems


def test_contention_is_a_503_problem_with_retry_after_not_a_500() -> None:
    app = APIGatewayRestResolver(enable_validation=True)
    problems.register(app)

    @app.patch("/products/<sku>")
    def change(sku: str) -> dict[str, str]:
        raise Contended(f"product {sku}'s buckets kept changing during an administrator's change")

    event = api_event("PATCH", "/products/HOT", customer="admin-1", admin=True)
    response = app.resolve(event, LambdaContext())  # type: ignore[arg-type]  # the stand-in has the attributes, not the class

    assert response["statusCode"] == HTTPStatus.SERVICE_UNAVAILABLE
    headers = {**response.get("headers", {}), **{name: values[-1] for name, values in response.get("multiValueHeaders", {}).items()}}
    assert headers["Content-Type"] == "application/problem+json"
    assert headers["Retry-After"] == str(problems.CONTENDED_RETRY_AFTER_SECONDS)
    body = json.loads(response["body"])
    assert body["status"] == 503 and "retry" in body["detail"]
