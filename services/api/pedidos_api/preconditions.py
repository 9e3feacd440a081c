"""``If-Match`` (RFC 9110 §13.1.1): which versions of a resource a change may apply to.

A product's ETag is its version, quoted: ``"3"``. Entity tags are opaque ASCII
strings compared as such, so ``"03"``, ``"abc"`` or sixty digits are well-formed
tags that name no version and never match. ``W/"3"`` matches too, as the README
documents, for clients behind proxies that weaken tags.

The use case evaluates the header only after authorization (RFC 9110 §13.2.1),
so a caller without the right gets 403 whatever the header holds; that is why
the route declares it without bounds and the bounds are checked here.
"""

import re

# One member of the list: entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E
# (obs-text is not accepted), then the comma before the next member or the end. A comma
# may stand inside a tag, so the list is scanned member by member, not split.
_MEMBER = re.compile(r'[ \t,]*(?:W/)?"([\x21\x23-\x7e]*)"[ \t]*(?:,|\Z)')
_NOTHING_MORE = re.compile(r"[ \t,]*\Z")
# Versions start at 1 and stay far below 10**18: a longer string names none.
_VERSION = re.compile(r"[1-9][0-9]{0,17}")
# Longer lists name nothing a client could have read: a product has one current version.
MAX_HEADER_LENGTH = 1024
MAX_TAGS = 50


class MalformedPrecondition(Exception):
    """An ``If-Match`` header that is neither ``*`` nor a short list of quoted entity tags."""

    def __init__(self) -> None:
        super().__init__(f'If-Match must be * or a list of at most {MAX_TAGS} quoted entity tags, such as "3"')


def expected_versions(if_match: str | None) -> frozenset[int] | None:
    """The versions a change may apply to, none of them when no tag names a version;
    None for any version (no header, or ``*``).

    Raises MalformedPrecondition when the header is not an If-Match value at all.
    """
    if if_match is None or if_match.strip(" \t") == "*":
        return None
    if len(if_match) > MAX_HEADER_LENGTH:
        raise MalformedPrecondition()
    tags, position = [], 0
    # RFC 9110 §5.6.1: empty list elements are ignored.
    while not _NOTHING_MORE.match(if_match, position):
        member = _MEMBER.match(if_match, position)
        if member is None:
            raise MalformedPrecondition()
        tags.append(member.group(1))
        position = member.end()
    if not 0 < len(tags) <= MAX_TAGS:
        raise MalformedPrecondition()
    return frozenset(int(tag) for tag in tags if _VERSION.fullmatch(tag))
