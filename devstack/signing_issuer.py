"""Tokens as the issuer makes them, for every layer of tests and the capacity metering: a Cognito pool's claims, an issuer that
signs and publishes its keys, and verifiers against it with no network."""

import json
import time

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from pedidos_api.issuer_keys import IssuerKeys
from pedidos_api.settings import TokenSettings
from pedidos_api.tokens import TokenVerifier

ISSUER = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TestPool"
AUDIENCE = "console-client-id"  # the pool's app client
# What Cognito puts in every access token's scope: the right to manage one's own profile, nothing more.
COGNITO_SCOPE = "aws.cognito.signin.user.admin"


def claims(**overrides: object) -> dict:
    """A Cognito access token's claims (as moto's and AWS's pools issue them); a ``None`` override drops the claim."""
    now = int(time.time())
    base = {
        "sub": "alice",
        "iss": ISSUER,
        "client_id": AUDIENCE,
        "token_use": "access",
        "scope": COGNITO_SCOPE,
        "username": "alice",
        "auth_time": now,
        "iat": now,
        "exp": now + 600,
        "jti": "a3c1f0e4-0000-4000-8000-000000000001",
    }
    return {name: value for name, value in {**base, **overrides}.items() if value is not None}


def id_claims(**overrides: object) -> dict:
    """A Cognito ID token's claims: the client in ``aud``, no ``scope``."""
    shape = {"client_id": None, "scope": None, "username": None, "aud": AUDIENCE, "token_use": "id", "cognito:username": "alice"}
    return claims(**{**shape, **overrides})


class Issuer:
    """An OIDC issuer's signing keys, published as a JWKS over HTTP."""

    def __init__(self) -> None:
        self.keys: dict[str, rsa.RSAPrivateKey] = {}
        self.rotate("key-1")
        self.answer = "jwks"  # over HTTP: or one of BROKEN_ANSWERS
        self.requests = 0

    def rotate(self, kid: str) -> None:
        self.keys = {kid: rsa.generate_private_key(public_exponent=65537, key_size=2048)}

    def jwks(self) -> dict:
        return {
            "keys": [
                {**json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key())), "kid": kid, "use": "sig", "alg": "RS256"}
                for kid, key in self.keys.items()
            ]
        }

    def sign(self, kid: str | None = None, key: rsa.RSAPrivateKey | None = None, **overrides: object) -> str:
        return self.sign_claims(claims(**overrides), kid=kid, key=key)

    def sign_claims(self, payload: dict, kid: str | None = None, key: rsa.RSAPrivateKey | None = None) -> str:
        kid = kid or next(iter(self.keys))
        return jwt.encode(payload, key or self.keys[kid], "RS256", headers={"kid": kid})


PUBLISHED = Issuer()


def issuer_settings(**overrides: str) -> TokenSettings:
    """The deployed defaults for the test issuer, with ``overrides``."""
    return TokenSettings.model_validate({"JWT_ISSUER": ISSUER, "JWT_AUDIENCE": AUDIENCE, "JWKS_URL": "https://issuer.test/jwks.json", **overrides})


def verifier(**overrides: str) -> TokenVerifier:
    """A verifier with ``overrides`` of the defaults, against PUBLISHED's key set (no HTTP)."""
    settings = issuer_settings(**overrides)
    return TokenVerifier(settings, keys=IssuerKeys(settings.jwks_url, fetch=PUBLISHED.jwks))


class Clock:
    """Monotonic seconds that pass only when the test says so."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def bearer(token: str) -> str:
    return f"Bearer {token}"


def rs_settings(jwks_url: str = "http://issuer.test/.well-known/jwks.json") -> TokenSettings:
    return TokenSettings.model_validate(
        {"JWT_ISSUER": ISSUER, "JWT_AUDIENCE": AUDIENCE, "JWT_ALGORITHMS": "RS256", "JWKS_URL": jwks_url}
    )
