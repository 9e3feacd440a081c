"""The API's own settings: token verification and cursor signing."""

import os
from functools import cache

from pydantic import BaseModel, ConfigDict, Field, model_validator

SYMMETRIC_ALGORITHMS = frozenset({"HS256", "HS384", "HS512"})
ASYMMETRIC_ALGORITHMS = frozenset({"RS256", "RS384", "RS512", "ES256", "ES384", "PS256"})


class TokenSettings(BaseModel):
    """How the authorizer verifies bearer tokens.

    Real stages verify asymmetric signatures against the issuer's JWKS; the
    local stage may use HS256 with a generated, dev-only secret. One deployment
    never accepts both families, which rules out algorithm confusion.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    issuer: str = Field(alias="JWT_ISSUER", min_length=1)
    audience: str = Field(alias="JWT_AUDIENCE", min_length=1)
    algorithms: tuple[str, ...] = Field(alias="JWT_ALGORITHMS", default=("RS256",))
    jwks_url: str | None = Field(alias="JWKS_URL", default=None)
    dev_secret: str | None = Field(alias="JWT_DEV_SECRET", default=None, repr=False)
    leeway_seconds: int = Field(alias="JWT_LEEWAY_SECONDS", default=30, ge=0, le=300)
    # How old the issuer's last good key set may grow while the issuer cannot be reached:
    # at least the 5 minutes a set is fresh, at most a week, so a key the issuer
    # revoked during an outage is not trusted for ever.
    jwks_stale_seconds: int = Field(alias="JWKS_STALE_SECONDS", default=24 * 3600, ge=300, le=7 * 24 * 3600)

    @model_validator(mode="before")
    @classmethod
    def _split_algorithms(cls, values: dict) -> dict:
        raw = values.get("JWT_ALGORITHMS")
        if isinstance(raw, str):
            values = {**values, "JWT_ALGORITHMS": tuple(name.strip() for name in raw.split(",") if name.strip())}
        return values

    @model_validator(mode="after")
    def _one_family_with_its_key(self) -> "TokenSettings":
        chosen = set(self.algorithms)
        if not chosen or not (chosen <= SYMMETRIC_ALGORITHMS or chosen <= ASYMMETRIC_ALGORITHMS):
            raise ValueError("JWT_ALGORITHMS must name only symmetric or only asymmetric algorithms")
        if chosen <= SYMMETRIC_ALGORITHMS and not (self.dev_secret and len(self.dev_secret) >= 32):
            raise ValueError("HS* algorithms need JWT_DEV_SECRET of at least 32 characters")
        if chosen <= ASYMMETRIC_ALGORITHMS and not self.jwks_url:
            raise ValueError("asymmetric algorithms need JWKS_URL")
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
    def _blank_is_unset(cls, values: dict) -> dict:
        return {name: value for name, value in values.items() if value != ""}

    @model_validator(mode="after")
    def _exactly_one_source(self) -> "CursorSettings":
        if (self.signing_key is None) == (self.signing_key_parameter is None):
            raise ValueError("set exactly one of CURSOR_SIGNING_KEY and CURSOR_SIGNING_KEY_PARAMETER")
        return self


@cache
def token_settings() -> TokenSettings:
    return TokenSettings.model_validate(dict(os.environ))


@cache
def cursor_settings() -> CursorSettings:
    return CursorSettings.model_validate(dict(os.environ))
