"""Page cursors are opaque, signed and bound to their listing."""

import pytest

from pedidos_api.pagination import CursorCodec, InvalidCursor

POSITION = {"PK": "ORDER#1", "SK": "ORDER", "GSI1PK": "CUSTOMER#alice", "GSI1SK": "2026#1"}


def test_a_cursor_round_trips_within_its_listing():
    codec = CursorCodec("k" * 32)
    cursor = codec.encode(POSITION, "orders/alice/*")
    assert codec.decode(cursor, "orders/alice/*") == POSITION
    assert codec.encode(None, "orders/alice/*") is None
    assert codec.decode(None, "orders/alice/*") is None


@pytest.mark.parametrize("listing", ["orders/bob/*", "orders/alice/PENDING", "products"])
def test_a_cursor_from_another_listing_is_refused(listing):
    codec = CursorCodec("k" * 32)
    with pytest.raises(InvalidCursor):
        codec.decode(codec.encode(POSITION, "orders/alice/*"), listing)


def test_a_forged_or_foreign_key_cursor_is_refused():
    mine, theirs = CursorCodec("k" * 32), CursorCodec("z" * 32)
    cursor = mine.encode(POSITION, "orders/alice/*")
    assert cursor is not None
    payload, tag = cursor.split(".")
    for forged in (theirs.encode(POSITION, "orders/alice/*"), f"{payload}x.{tag}", f"{payload}.{tag[:-2]}", "garbage", "a.b.c", ""):
        with pytest.raises(InvalidCursor):
            mine.decode(forged, "orders/alice/*")
