"""Dev tokens for the local stage: HS256, signed with the generated dev-only secret."""

import time

import jwt

from devstack.dev_secrets import dev_secrets


def dev_token(subject: str, issuer: str, audience: str, admin: bool = False, ttl_seconds: int = 12 * 3600) -> str:
    now = int(time.time())
    claims = {"sub": subject, "iss": issuer, "aud": audience, "iat": now, "nbf": now, "exp": now + ttl_seconds}
    if admin:
        claims["scope"] = "admin"
    return jwt.encode(claims, dev_secrets()["jwt_secret"], algorithm="HS256")
