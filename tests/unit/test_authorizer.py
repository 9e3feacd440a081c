"""The token authorizer, on the events API Gateway sends it."""

import logging
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from pedidos_api import authorizer
from pedidos_api.authorizer import handler
from pedidos_api.issuer_keys import IssuerKeys
from pedidos_api.settings import TokenSettings, token_settings
from pedidos_api.tokens import KeysUnavailable, TokenVerifier
from tests.integration.lambda_events import LambdaContext

METHOD_ARN = "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/orders"


@pytest.fixture(autouse=True)
def _dev_token_settings(lambda_environment):
    """The local stage's token settings, as api's serverless.yml resolves them."""


def test_a_valid_token_gets_a_policy_for_every_route_and_its_identity(token_for):
    result = handler({"type": "TOKEN", "authorizationToken": f"Bearer {token_for('alice', admin=True)}", "methodArn": METHOD_ARN}, LambdaContext())
    assert result["principalId"] == "alice"
    assert result["context"] == {"customer_id": "alice", "scope": "admin"}
    [statement] = result["policyDocument"]["Statement"]
    assert statement["Effect"] == "Allow"
    assert statement["Resource"] == ["arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/*/*"]


@pytest.mark.parametrize("authorization", ["", "Bearer nonsense-token-text", "Basic dXNlcjpwYXNz"])
def test_an_invalid_token_is_unauthorized_and_never_logged(authorization, caplog):
    with pytest.raises(Exception, match="^Unauthorized$"):
        handler({"type": "TOKEN", "authorizationToken": authorization, "methodArn": METHOD_ARN}, LambdaContext())
    # Powertools' logger writes to the stdout it saw at import; its records reach caplog.
    [rejection] = [record for record in caplog.records if record.getMessage() == "token rejected"]
    assert rejection.levelno == logging.INFO
    if authorization:
        assert not any(authorization.split()[-1] in str(vars(record)) for record in caplog.records)


@pytest.fixture
def unreachable_issuer(monkeypatch: pytest.MonkeyPatch) -> TokenSettings:
    """A real stage's token settings (RS256 against a JWKS), with an issuer that cannot be reached."""

    def unreachable() -> dict:
        raise ConnectionRefusedError(111, "Connection refused")

    settings = token_settings().model_copy(update={"algorithms": ("RS256",), "jwks_url": "https://issuer.invalid/jwks.json"})
    keys = IssuerKeys(settings.jwks_url, fetch=unreachable)
    monkeypatch.setattr(authorizer, "verifier", lambda: TokenVerifier(settings, keys))
    return settings


def test_an_unreachable_issuer_fails_the_invocation_and_is_not_unauthorized(unreachable_issuer, caplog):
    settings = unreachable_issuer
    now = int(time.time())
    claims = {"sub": "alice", "iss": settings.issuer, "aud": settings.audience, "iat": now, "exp": now + 600}
    token = jwt.encode(claims, rsa.generate_private_key(public_exponent=65537, key_size=2048), "RS256", headers={"kid": "key-1"})

    # Anything but "Unauthorized" makes API Gateway answer its authorizer-failure response, not a 401.
    with pytest.raises(KeysUnavailable):
        handler({"type": "TOKEN", "authorizationToken": f"Bearer {token}", "methodArn": METHOD_ARN}, LambdaContext())
    [line] = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert line.getMessage() == "token not verified: the issuer's keys are unavailable"
    assert not any(part in str(vars(record)) for record in caplog.records for part in token.split("."))
