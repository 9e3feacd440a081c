"""The token authorizer, on the events API Gateway sends it."""

import logging

import pytest
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent
from aws_lambda_powertools.utilities.data_classes.api_gateway_authorizer_event import APIGatewayAuthorizerTokenEvent
from cryptography.hazmat.primitives.asymmetric import rsa

from devstack.lambda_events import api_event, token_authorizer_event
from devstack.signing_issuer import PUBLISHED, claims, issuer_settings, verifier
from pedidos_api.handlers.authorizer import authorize
from pedidos_api.identity import principal_of
from pedidos_api.issuer_keys import IssuerKeys
from pedidos_api.tokens import KeysUnavailable, TokenVerifier

METHOD_ARN = "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/orders"


def token_event(authorization: str) -> APIGatewayAuthorizerTokenEvent:
    return APIGatewayAuthorizerTokenEvent(token_authorizer_event(authorization, METHOD_ARN))


def authorize_token(token: str, token_verifier: TokenVerifier | None = None) -> dict:
    """The authorizer's answer, verifying against the test issuer's keys with the deployed defaults (Cognito's shapes)."""
    return authorize(token_event(f"Bearer {token}"), token_verifier or verifier())


@pytest.mark.parametrize(("groups", "admin"), [(["admin"], "true"), ([], "false")], ids=["admin-group", "customer"])
def test_a_valid_token_gets_a_policy_for_every_route_and_its_identity(groups, admin):
    result = authorize_token(PUBLISHED.sign(sub="7457305e-4dad-4d11-ac6e-535e6a0c5c16", **{"cognito:groups": groups}))
    assert result["principalId"] == "7457305e-4dad-4d11-ac6e-535e6a0c5c16"
    # Every Cognito access token carries the scope aws.cognito.signin.user.admin: it is not passed on.
    assert result["context"] == {"customer_id": "7457305e-4dad-4d11-ac6e-535e6a0c5c16", "admin": admin}
    [statement] = result["policyDocument"]["Statement"]
    assert statement["Effect"] == "Allow"
    assert statement["Resource"] == ["arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/*/*"]


@pytest.mark.parametrize("groups", [["admin"], []], ids=["admin-group", "customer"])
def test_the_api_reads_the_callers_identity_from_the_context_the_authorizer_gave(groups):
    context = authorize_token(PUBLISHED.sign(**{"cognito:groups": groups}))["context"]
    event = api_event("GET", "/orders", customer="alice", authorizer_context=context)
    principal = principal_of(APIGatewayProxyEvent(event))
    assert (principal.subject, principal.is_admin) == ("alice", bool(groups))


@pytest.mark.parametrize("authorization", ["", "Bearer nonsense-token-text", "Basic dXNlcjpwYXNz"])
def test_an_invalid_token_is_unauthorized_and_never_logged(authorization, caplog):
    with pytest.raises(Exception, match="^Unauthorized$"):
        authorize(token_event(authorization), verifier())
    # Powertools' logger writes to the stdout it saw at import; its records reach caplog.
    [rejection] = [record for record in caplog.records if record.getMessage() == "token rejected"]
    assert rejection.levelno == logging.INFO
    if authorization:
        assert not any(authorization.split()[-1] in str(vars(record)) for record in caplog.records)


@pytest.fixture
def unreachable_issuer() -> TokenVerifier:
    """A verifier whose issuer's key set cannot be fetched."""

    def unreachable() -> dict:
        raise ConnectionRefusedError(111, "Connection refused")

    settings = issuer_settings()
    return TokenVerifier(settings, IssuerKeys(settings.jwks_url, fetch=unreachable))


def test_an_unreachable_issuer_fails_the_invocation_and_is_not_unauthorized(unreachable_issuer, caplog):
    token = PUBLISHED.sign_claims(claims(), key=rsa.generate_private_key(public_exponent=65537, key_size=2048))

    # Anything but "Unauthorized" makes API Gateway answer its authorizer-failure response, not a 401.
    with pytest.raises(KeysUnavailable):
        authorize_token(token, unreachable_issuer)
    [line] = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert line.getMessage() == "token not verified: the issuer's keys are unavailable"
    assert not any(part in str(vars(record)) for record in caplog.records for part in token.split("."))
