"""Bearer-token verification: signature, exp, nbf, iss and the audience, with an algorithm allow-list.

The token's shape is the issuer's: which claim holds the audience and where being
an administrator comes from are settings (``TokenSettings``), with Cognito's
access tokens as the default: ``client_id`` for the audience, ``token_use:
access``, the ``admin`` group in ``cognito:groups``. Cognito gives every access
token the scope ``aws.cognito.signin.user.admin`` (the right to manage one's own
profile); only the exact word ``admin`` counts, and only where admin comes from
the scope.
"""

from typing import Any

import jwt

from pedidos.limits import CUSTOMER_ID_MAX_LENGTH
from pedidos_api.identity import Principal
from pedidos_api.issuer_keys import IssuerKeys, KeysUnavailable
from pedidos_api.settings import TokenSettings

__all__ = ["InvalidToken", "KeysUnavailable", "TokenVerifier"]

# The group, or the scope word, that makes an administrator.
ADMIN = "admin"


class InvalidToken(Exception):
    """The token is missing, malformed, expired or not signed by the issuer."""


class TokenVerifier:
    def __init__(self, settings: TokenSettings, keys: IssuerKeys | None = None) -> None:
        self._settings = settings
        # The issuer's keys are fetched at first use and kept for the warm life of the function.
        self._keys = keys or IssuerKeys(settings.jwks_url, stale_for=settings.jwks_stale_seconds)

    def verify(self, authorization: str | None) -> Principal:
        """The caller the token names.

        Raises InvalidToken when the token is bad, and KeysUnavailable when the
        issuer's keys cannot be had: then the token was not checked at all.
        """
        token = _bearer_token(authorization)
        try:
            key = self._keys.signing_key(jwt.get_unverified_header(token).get("kid")).key
            by_aud = self._settings.audience_claim == "aud"
            claims = jwt.decode(
                token,
                key=key,
                algorithms=list(self._settings.algorithms),
                # Otherwise None: pyjwt then refuses any token that carries an ``aud`` (a Cognito ID token).
                audience=self._settings.audience if by_aud else None,
                issuer=self._settings.issuer,
                leeway=self._settings.leeway_seconds,
                options={"require": ["exp", "iss", "sub", self._settings.audience_claim]},
            )
        except (jwt.PyJWTError, ValueError, TypeError) as error:
            raise InvalidToken(type(error).__name__) from None
        if not by_aud:
            self._check_named_audience(claims)
        subject = claims["sub"]
        if not isinstance(subject, str) or not 0 < len(subject) <= CUSTOMER_ID_MAX_LENGTH or not _is_text(subject):
            # The subject becomes the key of the customer's orders: one the table cannot hold is refused here.
            raise InvalidToken(f"sub must be 1-{CUSTOMER_ID_MAX_LENGTH} characters of Unicode text")
        return Principal(subject=subject, is_admin=self._is_admin(claims))

    def _check_named_audience(self, claims: dict[str, Any]) -> None:
        if claims[self._settings.audience_claim] != self._settings.audience:
            raise InvalidToken(f"{self._settings.audience_claim} names another audience")
        if self._settings.audience_claim == "client_id" and claims.get("token_use") != "access":
            # Cognito names the client in client_id on its access tokens alone; anything else is not one.
            raise InvalidToken("token_use must be access")

    def _is_admin(self, claims: dict[str, Any]) -> bool:
        if self._settings.admin_from == "scope":
            # An ID token has no scope: it grants no right beyond being the customer.
            scope = claims.get("scope", "")
            if not isinstance(scope, str):
                raise InvalidToken("scope must be a string")
            return ADMIN in scope.split()
        groups = claims.get(self._settings.groups_claim, [])
        if not isinstance(groups, list) or not all(isinstance(group, str) for group in groups):
            raise InvalidToken(f"{self._settings.groups_claim} must be a list of strings")
        return ADMIN in groups


def _is_text(value: str) -> bool:
    """Whether ``value`` is Unicode text, without the lone surrogates a JSON string may escape."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _bearer_token(authorization: str | None) -> str:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidToken("no bearer token")
    return token.strip()
