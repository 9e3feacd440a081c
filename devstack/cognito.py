"""The local stage's user pool: Cognito on the local endpoint, created from shared's definition.

moto's server implements Cognito user pools: users and groups, InitiateAuth with
USER_PASSWORD_AUTH, access tokens signed with RS256 under the issuer
``https://cognito-idp.<region>.amazonaws.com/<pool id>``, and the pool's key set
at ``/<pool id>/.well-known/jwks.json``. The pool, its console client and the
``admin`` group are made from ``services/shared/serverless.yml`` as the framework
resolves it (each CloudFormation resource's properties become the API call's
parameters), so the local authorizer verifies the tokens the deployed one does.
"""

import secrets
import string
from dataclasses import dataclass, field
from typing import Any

from infra.definitions import resolved_config


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    admin: bool


@dataclass(frozen=True)
class SignedIn:
    """What a user's sign-in gives: the bearer token the API takes, and the customer id it names."""

    access_token: str
    id_token: str
    sub: str


@dataclass(frozen=True)
class LocalUserPool:
    """The user pool on the local endpoint, and everything a client of it needs."""

    pool_id: str
    client_id: str
    issuer: str
    jwks_url: str
    endpoint: str  # where Cognito's API answers: the local AWS endpoint
    region: str
    cognito: Any = field(repr=False, compare=False)  # a boto3 cognito-idp client of ``endpoint``
    admin_group: str = field(kw_only=True)  # the group whose members are administrators

    @property
    def api_env(self) -> dict[str, str]:
        """The variables through which api's serverless.yml takes this pool on the local stage."""
        return {"PEDIDOS_LOCAL_JWT_ISSUER": self.issuer, "PEDIDOS_LOCAL_JWT_AUDIENCE": self.client_id, "PEDIDOS_LOCAL_JWKS_URL": self.jwks_url}

    @property
    def web_env(self) -> dict[str, str]:
        """The variables through which web's serverless.yml takes this pool on the local stage (settings.json, the CSP)."""
        return {"PEDIDOS_LOCAL_USER_POOL_ID": self.pool_id, "PEDIDOS_LOCAL_USER_POOL_CLIENT_ID": self.client_id, "PEDIDOS_LOCAL_COGNITO_ENDPOINT": self.endpoint}

    def add_user(self, username: str, password: str, admin: bool = False) -> None:
        """Creates ``username`` with ``password`` (or sets it, if the user exists), a member of ``admin`` or not."""
        cognito = self.cognito
        try:
            cognito.admin_create_user(UserPoolId=self.pool_id, Username=username, MessageAction="SUPPRESS")
        except cognito.exceptions.UsernameExistsException:
            pass
        # Permanent: a temporary password would make the first sign-in a NEW_PASSWORD_REQUIRED challenge.
        cognito.admin_set_user_password(UserPoolId=self.pool_id, Username=username, Password=password, Permanent=True)
        membership = cognito.admin_add_user_to_group if admin else cognito.admin_remove_user_from_group
        membership(UserPoolId=self.pool_id, Username=username, GroupName=self.admin_group)

    def sign_in(self, username: str, password: str) -> SignedIn:
        """Signs ``username`` in as the console does (InitiateAuth, USER_PASSWORD_AUTH)."""
        result = self.cognito.initiate_auth(
            ClientId=self.client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": username, "PASSWORD": password}
        )["AuthenticationResult"]
        user = self.cognito.get_user(AccessToken=result["AccessToken"])
        sub = next(attribute["Value"] for attribute in user["UserAttributes"] if attribute["Name"] == "sub")
        return SignedIn(access_token=result["AccessToken"], id_token=result["IdToken"], sub=sub)

    def token_for(self, username: str, admin: bool = False) -> SignedIn:
        """A signed-in ``username``, created or reused, with a new password nobody needs to know."""
        password = dev_password()
        self.add_user(username, password, admin=admin)
        return self.sign_in(username, password)


def add_demo_users(pool: LocalUserPool) -> list[DemoUser]:
    """A customer and an administrator, with new dev-only passwords (the pool lives as long as the endpoint)."""
    users = [DemoUser("demo-customer", dev_password(), admin=False), DemoUser("demo-admin", dev_password(), admin=True)]
    for user in users:
        pool.add_user(user.username, user.password, admin=user.admin)
    return users


def dev_password() -> str:
    """A random password that meets any Cognito password policy (dev-only: printed, never stored)."""
    return secrets.token_urlsafe(18) + secrets.choice(string.ascii_uppercase) + secrets.choice(string.ascii_lowercase) + "7!"


def _definitions() -> dict[str, dict[str, Any]]:
    """The shared stack's user pool, client and group, by resource type, as the framework resolves them."""
    resources = resolved_config("shared")["resources"]["Resources"]
    kinds = ("AWS::Cognito::UserPool", "AWS::Cognito::UserPoolClient", "AWS::Cognito::UserPoolGroup")
    found = {resource["Type"]: resource["Properties"] for resource in resources.values() if resource["Type"] in kinds}
    assert set(found) == set(kinds), f"services/shared/serverless.yml defines one each of {kinds}"
    return found


def _without_pool_ref(properties: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in properties.items() if name != "UserPoolId"}


def provision_user_pool(cognito: Any) -> LocalUserPool:
    """Creates the shared stack's user pool, client and admin group through ``cognito``, or finds them by name."""
    definitions = _definitions()
    pool_properties = dict(definitions["AWS::Cognito::UserPool"])
    name = pool_properties.pop("UserPoolName")
    pools = [pool for page in cognito.get_paginator("list_user_pools").paginate(MaxResults=60) for pool in page["UserPools"]]
    pool_id = next((pool["Id"] for pool in pools if pool["Name"] == name), None)
    if pool_id is None:
        pool_id = cognito.create_user_pool(PoolName=name, **pool_properties)["UserPool"]["Id"]
    client_properties = _without_pool_ref(definitions["AWS::Cognito::UserPoolClient"])
    clients = cognito.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)["UserPoolClients"]
    client_id = next((client["ClientId"] for client in clients if client["ClientName"] == client_properties["ClientName"]), None)
    if client_id is None:
        client_id = cognito.create_user_pool_client(UserPoolId=pool_id, **client_properties)["UserPoolClient"]["ClientId"]
    group_properties = _without_pool_ref(definitions["AWS::Cognito::UserPoolGroup"])
    try:
        cognito.create_group(UserPoolId=pool_id, **group_properties)
    except cognito.exceptions.GroupExistsException:
        pass
    endpoint, region = cognito.meta.endpoint_url, cognito.meta.region_name
    return LocalUserPool(
        pool_id=pool_id,
        client_id=client_id,
        # What moto signs, whatever host it is reached on: the issuer a deployed pool has.
        issuer=f"https://cognito-idp.{region}.amazonaws.com/{pool_id}",
        jwks_url=f"{endpoint}/{pool_id}/.well-known/jwks.json",
        endpoint=endpoint,
        region=region,
        cognito=cognito,
        admin_group=group_properties["GroupName"],
    )
