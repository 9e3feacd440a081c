"""The API's settings, the one place it reads its environment.

Typed, and read on first use: importing a handler never needs the environment;
the first call that needs a group of settings reads and validates it, and the
result is kept for the warm life of the process. Each function reads only the
groups its code uses: the authorizer never needs the table's name, the routes
never the token issuer's.
"""

import os
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pedidos.resources import SharedResources

# Only signatures a public key checks: a shared secret would have to live beside the authorizer.
ASYMMETRIC_ALGORITHMS = frozenset({"RS256", "RS384", "RS512", "ES256", "ES384", "PS256"})


class OrderSettings(BaseModel):
    """How the API places orders: the currency every price and total is in."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    currency: str = Field(alias="CURRENCY", default="EUR", pattern=r"^[A-Z]{3}$")


class IdempotencySettings(BaseModel):
    """Where the API keeps ``Idempotency-Key`` records, and for how long."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    table_name: str = Field(alias="IDEMPOTENCY_TABLE_NAME", min_length=3)
    ttl_seconds: int = Field(alias="IDEMPOTENCY_TTL_SECONDS", default=86_400, ge=86_400)


class TokenSettings(BaseModel):
    """How the authorizer verifies bearer tokens: asymmetric signatures against the issuer's JWKS.

    Every stage, the local one included (its user pool is the local endpoint's
    Cognito), verifies the same way. No symmetric algorithm is ever accepted,
    which rules out algorithm confusion with the issuer's public keys.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    issuer: str = Field(alias="JWT_ISSUER", min_length=1)
    audience: str = Field(alias="JWT_AUDIENCE", min_length=1)
    # Which claim must hold ``audience``. Cognito access tokens name their app client in
    # ``client_id`` and carry no ``aud``; ID tokens and most OIDC issuers' tokens use ``aud``.
    audience_claim: str = Field(alias="JWT_AUDIENCE_CLAIM", default="client_id", pattern=r"^[\w:.-]{1,64}$")
    # Where being an administrator comes from: membership of the ``admin`` group in the
    # ``groups_claim`` list (Cognito's ``cognito:groups``), or the word ``admin`` in the
    # space-separated ``scope``.
    admin_from: Literal["group", "scope"] = Field(alias="JWT_ADMIN_FROM", default="group")
    groups_claim: str = Field(alias="JWT_GROUPS_CLAIM", default="cognito:groups", pattern=r"^[\w:.-]{1,64}$")
    algorithms: tuple[str, ...] = Field(alias="JWT_ALGORITHMS", default=("RS256",))
    jwks_url: str = Field(alias="JWKS_URL", min_length=1)
    leeway_seconds: int = Field(alias="JWT_LEEWAY_SECONDS", default=30, ge=0, le=300)
    # How old the issuer's last good key set may grow while the issuer cannot be reached:
    # at least the 5 minutes a set is fresh, at most a week, so a key the issuer
    # revoked during an outage is not trusted for ever.
    jwks_stale_seconds: int = Field(alias="JWKS_STALE_SECONDS", default=24 * 3600, ge=300, le=7 * 24 * 3600)

    @model_validator(mode="before")
    @classmethod
    def _split_algorithms(cls, values: dict[str, Any]) -> dict[str, Any]:
        raw = values.get("JWT_ALGORITHMS")
        if isinstance(raw, str):
            values = {**values, "JWT_ALGORITHMS": tuple(name.strip() for name in raw.split(",") if name.strip())}
        return values

    @model_validator(mode="after")
    def _asymmetric_only(self) -> "TokenSettings":
        chosen = set(self.algorithms)
        if not chosen or not chosen <= ASYMMETRIC_ALGORITHMS:
            raise ValueError(f"JWT_ALGORITHMS must name only asymmetric algorithms: {', '.join(sorted(ASYMMETRIC_ALGORITHMS))}")
        return self


class CursorSettings(BaseModel):
    """Where the key that signs page cursors comes from.

    Real stages name an SSM SecureString parameter, read once per process, so
    the key never appears in a template or a function's configuration; the
    local stage passes its generated dev-only key directly.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    signing_key: str | None = Field(alias="CURSOR_SIGNING_KEY", default=None, min_length=32, repr=False)
    signing_key_parameter: str | None = Field(alias="CURSOR_SIGNING_KEY_PARAMETER", default=None, pattern=r"^/[\w./-]+$")

    @model_validator(mode="before")
    @classmethod
    def _blank_is_unset(cls, values: dict[str, Any]) -> dict[str, Any]:
        return {name: value for name, value in values.items() if value != ""}

    @model_validator(mode="after")
    def _exactly_one_source(self) -> "CursorSettings":
        if (self.signing_key is None) == (self.signing_key_parameter is None):
            raise ValueError("set exactly one of CURSOR_SIGNING_KEY and CURSOR_SIGNING_KEY_PARAMETER")
        return self


class CatalogSettings(BaseModel):
    """How long each function instance keeps a catalog page it read (``page_cache``); 0 keeps none."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    page_seconds: float = Field(alias="CATALOG_PAGE_CACHE_SECONDS", default=0, ge=0, le=60)


@cache
def shared_resources() -> SharedResources:
    return SharedResources.model_validate(dict(os.environ))


@cache
def order_settings() -> OrderSettings:
    return OrderSettings.model_validate(dict(os.environ))


@cache
def idempotency_settings() -> IdempotencySettings:
    return IdempotencySettings.model_validate(dict(os.environ))


@cache
def token_settings() -> TokenSettings:
    return TokenSettings.model_validate(dict(os.environ))


@cache
def cursor_settings() -> CursorSettings:
    return CursorSettings.model_validate(dict(os.environ))


@cache
def catalog_settings() -> CatalogSettings:
    return CatalogSettings.model_validate(dict(os.environ))
