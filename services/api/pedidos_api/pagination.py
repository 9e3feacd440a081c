"""Opaque, tamper-evident page cursors.

A cursor is the storage position of the last item returned, bound to the
listing it came from and signed with HMAC-SHA256. A forged cursor, or one
from another customer's or another status's listing, is rejected instead of
becoming a way to read data the caller cannot list.
"""

import base64
import hashlib
import hmac
import json

_TAG_BYTES = 16


class InvalidCursor(Exception):
    def __init__(self) -> None:
        super().__init__("the cursor is not one this API issued for this listing")


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class CursorCodec:
    def __init__(self, signing_key: str) -> None:
        self._key = signing_key.encode()

    def encode(self, position: dict[str, str] | None, listing: str) -> str | None:
        if position is None:
            return None
        payload = json.dumps({"l": listing, "p": position}, separators=(",", ":"), sort_keys=True).encode()
        return f"{_b64encode(payload)}.{_b64encode(self._tag(payload))}"

    def decode(self, cursor: str | None, listing: str) -> dict[str, str] | None:
        if cursor is None:
            return None
        try:
            encoded_payload, encoded_tag = cursor.split(".")
            payload, tag = _b64decode(encoded_payload), _b64decode(encoded_tag)
        except ValueError:
            raise InvalidCursor() from None
        if not hmac.compare_digest(tag, self._tag(payload)):
            raise InvalidCursor()
        content = json.loads(payload)
        if content.get("l") != listing:
            raise InvalidCursor()
        # Signed by this API: the position encode() was given.
        position: dict[str, str] = content["p"]
        return position

    def _tag(self, payload: bytes) -> bytes:
        return hmac.new(self._key, payload, hashlib.sha256).digest()[:_TAG_BYTES]
