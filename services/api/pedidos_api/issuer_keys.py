"""The issuer's signing keys (its JWKS): cached, refreshed, and kept through the issuer's outages.

A refresh that fails keeps the last good key set, up to ``stale_for`` old, so an
issuer outage does not turn every valid token away; a failed fetch is not tried
again before ``retry_after``, so an outage does not add the fetch timeout to
every request either. When no set that young can be had, ``KeysUnavailable``
says so: the token could not be checked, which is not the same as a bad token.
"""

import math
import threading
import time
from collections.abc import Callable, Mapping

import jwt

from pedidos.observability import logger

# Within the authorizer's 5 s, leaving time to verify and answer.
FETCH_TIMEOUT_SECONDS = 3


class KeysUnavailable(Exception):
    """No key set young enough could be had from the issuer: tokens cannot be checked right now."""


class UnknownKey(jwt.InvalidTokenError):
    """The token names a key the issuer does not publish."""


class IssuerKeys:
    """The signing keys the issuer publishes at ``url``, by key id.

    ``fetch`` returns the JWKS document; ``clock`` counts seconds. A set is used
    as it is for ``fresh_for`` seconds, then refreshed; while refreshing fails it
    still serves until it is ``stale_for`` old.
    """

    def __init__(
        self,
        url: str,
        *,
        fetch: Callable[[], object] | None = None,
        clock: Callable[[], float] = time.monotonic,
        fresh_for: float = 300,
        stale_for: float = 24 * 3600,
        retry_after: float = 30,
    ) -> None:
        self._url = url
        # No caching in pyjwt's client: this class decides when to fetch and what to keep.
        self._fetch = fetch or jwt.PyJWKClient(url, cache_jwk_set=False, timeout=FETCH_TIMEOUT_SECONDS).fetch_data
        self._clock = clock
        self._fresh_for, self._stale_for, self._retry_after = fresh_for, stale_for, retry_after
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = -math.inf  # when the set in hand was fetched
        self._next_fetch = -math.inf  # no fetch, of any kind, before this
        self._last_fetch_failed = False
        # Threads sharing one verifier fetch once between them, not once each.
        self._lock = threading.Lock()

    def signing_key(self, kid: str | None) -> jwt.PyJWK:
        """The key named ``kid``; ``UnknownKey`` if the issuer does not publish it, ``KeysUnavailable`` if that cannot be known."""
        with self._lock:
            now = self._clock()
            if now - self._fetched_at >= self._fresh_for:
                self._refresh(now)
            if kid not in self._keys:
                # Perhaps a key the issuer added since; the retry_after gate keeps a flood of
                # made-up kids from fetching more than once per interval.
                self._refresh(now)
            if now - self._fetched_at >= self._stale_for:
                raise KeysUnavailable(f"no key set from the issuer younger than {self._stale_for:g} s")
            key = None if kid is None else self._keys.get(kid)
            if key is None:
                if self._last_fetch_failed:
                    # The issuer could not be asked: a new key is as likely as a forged kid.
                    raise KeysUnavailable("the token names a key not in the last key set, and the issuer cannot be reached")
                raise UnknownKey("the token names a key the issuer does not publish")
            return key

    def _refresh(self, now: float) -> None:
        if now < self._next_fetch:
            return
        self._next_fetch = now + self._retry_after
        try:
            keys = _signing_keys(self._fetch())
        except Exception as error:  # the network and the issuer's answer are a boundary: whatever fails keeps the last good set
            self._last_fetch_failed = True
            logger.warning(
                "issuer keys not refreshed",
                jwks_url=self._url,
                error=type(error).__name__,
                detail=str(error)[:300],
                key_set_age_seconds=None if math.isinf(self._fetched_at) else round(now - self._fetched_at),
                retry_in_seconds=self._retry_after,
            )
            return
        if self._last_fetch_failed:
            logger.info("issuer keys refreshed after a failure", jwks_url=self._url, keys=len(keys))
        self._keys, self._fetched_at, self._last_fetch_failed = keys, now, False


def _signing_keys(document: object) -> dict[str, jwt.PyJWK]:
    """The document's signing keys by kid, as pyjwt's client selects them; a set without one is a failed fetch."""
    if not isinstance(document, Mapping):
        raise ValueError("the JWKS is not a JSON object")
    keys = {key.key_id: key for key in jwt.PyJWKSet.from_dict(dict(document)).keys if key.key_id and key.public_key_use in ("sig", None)}
    if not keys:
        raise ValueError("the JWKS holds no signing key")
    return keys
