"""Batch reads (pedidos/data/table.py): keys a throttled partition leaves unread are asked again, then given up as contention."""

from typing import TYPE_CHECKING

import boto3
import pytest
from botocore.stub import Stubber

from pedidos.data.keys import product_key
from pedidos.data.table import UNREAD_RETRIES, batch_get
from pedidos.errors import Contended

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

KEYS = [product_key(sku) for sku in "AB"]


def stubbed(*exchanges: tuple[dict, dict]) -> "tuple[DynamoDBClient, Stubber]":
    """A client answering each BatchGetItem in turn with a response, if asked for the given keys."""
    client = boto3.client("dynamodb", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x")
    stub = Stubber(client)
    for asked, response in exchanges:
        stub.add_response("batch_get_item", response, {"RequestItems": asked})
    stub.activate()
    return client, stub


def unread(*keys: dict) -> dict:
    return {"orders": {"Keys": list(keys), "ConsistentRead": True}}


def test_keys_left_unread_are_asked_again_after_growing_waits_and_every_item_is_returned():
    client, stub = stubbed(
        (unread(*KEYS), {"Responses": {"orders": [{"sku": {"S": "A"}}]}, "UnprocessedKeys": unread(KEYS[1])}),
        (unread(KEYS[1]), {"Responses": {"orders": []}, "UnprocessedKeys": unread(KEYS[1])}),  # only what was left
        (unread(KEYS[1]), {"Responses": {"orders": [{"sku": {"S": "B"}}]}}),
    )
    waits: list[float] = []
    items = batch_get(client, "orders", KEYS, consistent=True, pause=waits.append)
    assert sorted(item["sku"]["S"] for item in items) == ["A", "B"]
    assert len(waits) == 2 and 0 <= waits[0] <= 0.05 and 0 <= waits[1] <= 0.1
    stub.assert_no_pending_responses()


def test_a_partition_that_keeps_leaving_keys_unread_is_contention_not_a_spin():
    client, _ = stubbed(*[(unread(*KEYS), {"Responses": {"orders": []}, "UnprocessedKeys": unread(*KEYS)})] * (UNREAD_RETRIES + 1))
    waits: list[float] = []
    with pytest.raises(Contended):
        batch_get(client, "orders", KEYS, consistent=True, pause=waits.append)
    assert len(waits) == UNREAD_RETRIES
