"""The API Gateway token authorizer: verifies the bearer token, never logs it."""

from typing import Any

from aws_lambda_powertools.utilities.data_classes import event_source
from aws_lambda_powertools.utilities.data_classes.api_gateway_authorizer_event import (
    APIGatewayAuthorizerResponse,
    APIGatewayAuthorizerTokenEvent,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from pedidos.observability import logger, tracer
from pedidos_api import dependencies
from pedidos_api.tokens import InvalidToken, KeysUnavailable, TokenVerifier

tracer.patch(["httplib"])  # the JWKS fetch; the authorizer never calls AWS


@tracer.capture_lambda_handler
@event_source(data_class=APIGatewayAuthorizerTokenEvent)
def handler(event: APIGatewayAuthorizerTokenEvent, context: LambdaContext) -> dict[str, Any]:
    return authorize(event, dependencies.token_verifier())


def authorize(event: APIGatewayAuthorizerTokenEvent, verifier: TokenVerifier) -> dict[str, Any]:
    """The policy API Gateway caches for this token, or the failure that makes it answer 401 or 503."""
    try:
        principal = verifier.verify(event.authorization_token)
    except InvalidToken as error:
        logger.info("token rejected", reason=str(error))
        # API Gateway answers 401 when a token authorizer fails with exactly this message.
        raise Exception("Unauthorized") from None
    except KeysUnavailable as error:
        # Not a 401: the token may well be good, and a client told 401 throws it away. A failed
        # invocation gets API Gateway's authorizer-failure response instead: 503 problem+json
        # with Retry-After (gateway responses in serverless.yml).
        logger.error("token not verified: the issuer's keys are unavailable", reason=str(error))
        raise
    arn = event.parsed_arn
    policy = APIGatewayAuthorizerResponse(
        principal_id=principal.subject,
        region=arn.region,
        aws_account_id=arn.aws_account_id,
        api_id=arn.api_id,
        stage=arn.stage,
        context=principal.authorizer_context,
    )
    # The policy is cached per token: it must cover every route, and the API
    # decides what the caller may do from the context.
    policy.allow_all_routes()
    return policy.asdict()
