"""Bearer-token verification: signature, exp, nbf, iss and aud, with an algorithm allow-list."""

import jwt

from pedidos.limits import CUSTOMER_ID_MAX_LENGTH
from pedidos_api.identity import Principal
from pedidos_api.issuer_keys import IssuerKeys, KeysUnavailable
from pedidos_api.settings import SYMMETRIC_ALGORITHMS, TokenSettings

__all__ = ["InvalidToken", "KeysUnavailable", "TokenVerifier"]


class InvalidToken(Exception):
    """The token is missing, malformed, expired or not signed by the issuer."""


class TokenVerifier:
    def __init__(self, settings: TokenSettings, keys: IssuerKeys | None = None) -> None:
        self._settings = settings
        self._symmetric = set(settings.algorithms) <= SYMMETRIC_ALGORITHMS
        # The issuer's keys are fetched at first use and kept for the warm life of the function.
        self._keys = keys or (None if self._symmetric else IssuerKeys(settings.jwks_url, stale_for=settings.jwks_stale_seconds))

    def verify(self, authorization: str | None) -> Principal:
        """The caller the token names.

        Raises InvalidToken when the token is bad, and KeysUnavailable when the
        issuer's keys cannot be had: then the token was not checked at all.
        """
        token = _bearer_token(authorization)
        try:
            key = self._settings.dev_secret if self._symmetric else self._keys.signing_key(jwt.get_unverified_header(token).get("kid")).key
            claims = jwt.decode(
                token,
                key=key,
                algorithms=list(self._settings.algorithms),
                audience=self._settings.audience,
                issuer=self._settings.issuer,
                leeway=self._settings.leeway_seconds,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except (jwt.PyJWTError, ValueError, TypeError) as error:
            raise InvalidToken(type(error).__name__) from None
        subject, scope = claims.get("sub"), claims.get("scope", "")
        if not isinstance(subject, str) or not isinstance(scope, str):
            raise InvalidToken("sub and scope must be strings")
        if not 0 < len(subject) <= CUSTOMER_ID_MAX_LENGTH or not _is_text(subject):
            # The subject becomes the key of the customer's orders: one the table cannot hold is refused here.
            raise InvalidToken(f"sub must be 1-{CUSTOMER_ID_MAX_LENGTH} characters of Unicode text")
        return Principal(subject=subject, scopes=frozenset(scope.split()))


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
