"""The local user pool: made from shared's definition on the local endpoint, signing users in as Cognito does."""

import jwt
import pytest

from devstack.cognito import LocalUserPool, dev_password, provision_user_pool
from infra.definitions import resolved_config


@pytest.fixture(scope="module")
def pool(local_aws) -> LocalUserPool:
    """The pool the session's local endpoint was provisioned with."""
    return local_aws.user_pool


def test_the_pool_client_and_group_are_the_shared_stacks_and_made_once(pool, local_aws):
    resources = resolved_config("shared")["resources"]["Resources"]
    cognito = pool.cognito
    described = cognito.describe_user_pool(UserPoolId=pool.pool_id)["UserPool"]
    assert described["Name"] == resources["UserPool"]["Properties"]["UserPoolName"]
    assert described["Policies"] == resources["UserPool"]["Properties"]["Policies"]
    client = cognito.describe_user_pool_client(UserPoolId=pool.pool_id, ClientId=pool.client_id)["UserPoolClient"]
    assert "ClientSecret" not in client
    assert client["ExplicitAuthFlows"] == resources["ConsoleClient"]["Properties"]["ExplicitAuthFlows"]
    assert [group["GroupName"] for group in cognito.list_groups(UserPoolId=pool.pool_id)["Groups"]] == ["admin"]
    assert provision_user_pool(local_aws.client("cognito-idp")) == pool  # found again by name, not made twice


def test_a_signed_in_user_gets_a_cognito_access_token_the_pools_key_set_verifies(pool):
    password = dev_password()
    pool.add_user("pool-customer", password)
    signed_in = pool.sign_in("pool-customer", password)
    key = jwt.PyJWKClient(pool.jwks_url).get_signing_key_from_jwt(signed_in.access_token).key
    claims = jwt.decode(signed_in.access_token, key, algorithms=["RS256"], issuer=pool.issuer, options={"require": ["exp", "sub"]})
    assert claims["sub"] == signed_in.sub != "pool-customer"  # the pool assigns the customer id
    assert (claims["client_id"], claims["token_use"], claims["scope"]) == (pool.client_id, "access", "aws.cognito.signin.user.admin")
    assert "cognito:groups" not in claims
    assert pool.issuer == f"https://cognito-idp.eu-west-1.amazonaws.com/{pool.pool_id}"


def test_token_for_creates_or_reuses_the_user_and_sets_its_admin_membership(pool):
    def groups(signed_in) -> list[str]:
        return jwt.decode(signed_in.access_token, options={"verify_signature": False}).get("cognito:groups", [])

    admin = pool.token_for("pool-admin", admin=True)
    assert groups(admin) == ["admin"]
    demoted = pool.token_for("pool-admin")
    assert demoted.sub == admin.sub and groups(demoted) == []
