"""The token authorizer, on the events API Gateway sends it."""

import pytest

from pedidos_api.authorizer import handler
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


@pytest.mark.parametrize("authorization", ["", "Bearer nonsense", "Basic dXNlcjpwYXNz"])
def test_an_invalid_token_is_unauthorized_and_never_logged(authorization, capsys):
    with pytest.raises(Exception, match="^Unauthorized$"):
        handler({"type": "TOKEN", "authorizationToken": authorization, "methodArn": METHOD_ARN}, LambdaContext())
    if authorization:
        assert authorization.split()[-1] not in capsys.readouterr().out
