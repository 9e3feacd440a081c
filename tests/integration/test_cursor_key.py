"""Real stages read the cursor signing key from SSM Parameter Store, never from the template."""

import pytest
from pydantic import ValidationError

from pedidos_api.pagination import CursorCodec
from pedidos_api.settings import CursorSettings


def test_the_key_is_read_from_a_secure_string_parameter(local_aws, lambda_environment):
    from aws_lambda_powertools.utilities.parameters import get_parameter

    name = "/pedidos/test/cursor-signing-key"
    local_aws.client("ssm").put_parameter(Name=name, Type="SecureString", Value="s" * 48, Overwrite=True)
    settings = CursorSettings.model_validate({"CURSOR_SIGNING_KEY_PARAMETER": name, "CURSOR_SIGNING_KEY": ""})
    assert settings.signing_key_parameter == name
    key = get_parameter(name, decrypt=True)
    cursor = CursorCodec(key).encode({"PK": "x"}, "products")
    assert CursorCodec("s" * 48).decode(cursor, "products") == {"PK": "x"}


@pytest.mark.parametrize(
    "environment",
    [{}, {"CURSOR_SIGNING_KEY": "k" * 32, "CURSOR_SIGNING_KEY_PARAMETER": "/a/b"}, {"CURSOR_SIGNING_KEY": "short"}],
)
def test_exactly_one_source_of_a_long_enough_key(environment):
    with pytest.raises(ValidationError):
        CursorSettings.model_validate(environment)
