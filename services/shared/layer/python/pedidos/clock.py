"""The time, in UTC: the default clock every use case takes (tests pass their own), and how it is written."""

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)


def rfc3339(moment: datetime) -> str:
    """RFC 3339 in UTC, always with microseconds: fixed width, so stored timestamps also sort as strings."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
