"""``If-Match`` (RFC 9110 §13.1.1): which versions of a resource a change may apply to.

A product's ETag is its version, quoted: ``"3"``. Entity tags are opaque ASCII
strings compared as such, so ``"03"``, ``"abc"`` or sixty digits are well-formed
tags that name no version and never match. ``W/"3"`` matches too, as the README
documents, for clients behind proxies that weaken tags.

Parsing never raises: the route reads the header, and the use case evaluates it
only after authorization (RFC 9110 §13.2.1), so a caller without the right gets
403 whatever the header holds.
"""

import re
from dataclasses import dataclass

# One member of the list: entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E
# (obs-text is not accepted), then the comma before the next member or the end. A comma
# may stand inside a tag, so the list is scanned member by member, not split.
_MEMBER = re.compile(r'[ \t,]*(?:W/)?"([\x21\x23-\x7e]*)"[ \t]*(?:,|\Z)')
_NOTHING_MORE = re.compile(r"[ \t,]*\Z")
# Versions start at 1 and stay far below 10**18: a longer string names none.
_VERSION = re.compile(r"[1-9][0-9]{0,17}")


class MalformedPrecondition(Exception):
    """An ``If-Match`` header that is neither ``*`` nor a list of quoted entity tags."""

    def __init__(self) -> None:
        super().__init__('If-Match must be * or a list of quoted entity tags, such as "3"')


@dataclass(frozen=True)
class IfMatch:
    """What an ``If-Match`` header asks for, parsed but not yet judged."""

    header: str | None

    def versions(self) -> frozenset[int] | None:
        """The versions the change may apply to; None for any (no header, or ``*``).

        Raises MalformedPrecondition when the header is not an If-Match value at all.
        """
        if self.header is None or self.header.strip(" \t") == "*":
            return None
        tags, position = [], 0
        # RFC 9110 §5.6.1: empty list elements are ignored.
        while not _NOTHING_MORE.match(self.header, position):
            member = _MEMBER.match(self.header, position)
            if member is None:
                raise MalformedPrecondition()
            tags.append(member.group(1))
            position = member.end()
        if not tags:
            raise MalformedPrecondition()
        return frozenset(int(tag) for tag in tags if _VERSION.fullmatch(tag))
