"""The capacity ledger counts units as DynamoDB bills them, on a stubbed client (no server)."""

from typing import TYPE_CHECKING

import boto3
import pytest
from botocore.stub import ANY, Stubber

from benchmarks.capacity.accounting import CapacityLedger, Place, item_size

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient
    from types_boto3_dynamodb.type_defs import BatchGetItemInputTypeDef, QueryInputTypeDef, TransactWriteItemTypeDef

TABLE = "orders"
INDEXES = {"GSI1": "GSI1PK", "GSI3": "GSI3PK"}


class Peek:
    """The items the table holds before and after each write, in the order the ledger reads them."""

    def __init__(self, *states: dict | None) -> None:
        self.states = list(states)

    def get_item(self, **request: object) -> dict:
        state = self.states.pop(0)
        return {"Item": state} if state else {}


def ledger_on(peek: Peek) -> tuple[CapacityLedger, "DynamoDBClient", Stubber]:
    client = boto3.client("dynamodb", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x")
    ledger = CapacityLedger(TABLE, INDEXES, peek=peek)
    ledger.attach(client)
    return ledger, client, Stubber(client)


def order(status: str, pending: bool, padding: int = 0) -> dict:
    item = {"PK": {"S": "ORDER#1"}, "SK": {"S": "ORDER"}, "GSI1PK": {"S": "CUSTOMER#c"}, "status": {"S": status}, "note": {"S": "x" * padding}}
    if pending:
        item["GSI3PK"] = {"S": "AWAITING_DECISION"}
    return item


def test_sizes_are_names_plus_values_as_dynamodb_counts_them():
    assert item_size({"ab": {"S": "héllo"}}) == 2 + 6
    assert item_size({"n": {"N": "12345"}}) == 1 + 4  # (5 digits / 2, rounded up) + 1
    assert item_size({"l": {"L": [{"S": "ab"}, {"BOOL": True}]}}) == 1 + 3 + (1 + 2) + (1 + 1)


def test_a_put_writes_the_table_and_every_index_the_item_enters():
    ledger, client, stub = ledger_on(Peek(None, order("PENDING", pending=True)))
    with stub:
        stub.add_response("put_item", {}, {"TableName": TABLE, "Item": ANY})
        client.put_item(TableName=TABLE, Item=order("PENDING", pending=True))
    assert ledger.writes == {Place("table", "ORDER#1"): 1, Place("GSI1", "CUSTOMER#c"): 1, Place("GSI3", "AWAITING_DECISION"): 1}


def test_a_transactional_update_costs_double_and_an_item_leaving_an_index_writes_it_once_more():
    before, after = order("PENDING", pending=True, padding=1500), order("CONFIRMED", pending=False, padding=1500)
    ledger, client, stub = ledger_on(Peek(before, after))
    update: TransactWriteItemTypeDef = {"Update": {"TableName": TABLE, "Key": {"PK": {"S": "ORDER#1"}, "SK": {"S": "ORDER"}}, "UpdateExpression": "SET #s = :s"}}
    with stub:
        stub.add_response("transact_write_items", {}, {"TransactItems": [update]})
        client.transact_write_items(TransactItems=[update])
    # 1.5 KB rounds up to 2 units, doubled in a transaction; GSI1 is updated in place, GSI3 loses the item.
    assert ledger.writes == {Place("table", "ORDER#1"): 4, Place("GSI1", "CUSTOMER#c"): 4, Place("GSI3", "AWAITING_DECISION"): 4}


def test_a_query_costs_half_a_unit_per_4_kb_on_an_index_and_names_its_partition():
    ledger, client, stub = ledger_on(Peek())
    items = [order("PENDING", pending=True, padding=3000) for _ in range(3)]  # ~9 KB
    request: QueryInputTypeDef = {"TableName": TABLE, "IndexName": "GSI1", "KeyConditionExpression": "GSI1PK = :p", "ExpressionAttributeValues": {":p": {"S": "CUSTOMER#c"}}}
    with stub:
        stub.add_response("query", {"Items": items}, request)
        client.query(**request)
    assert ledger.reads == {Place("GSI1", "CUSTOMER#c"): pytest.approx(1.5)}


def test_an_index_projecting_only_keys_is_not_written_by_a_change_of_other_attributes():
    product = {"PK": {"S": "PRODUCT#A"}, "SK": {"S": "PRODUCT"}, "GSI4PK": {"S": "PRODUCTS"}, "GSI4SK": {"S": "A"}, "stock": {"N": "5"}}
    client = boto3.client("dynamodb", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x")
    ledger = CapacityLedger(
        TABLE, {"GSI4": "GSI4PK"}, peek=Peek(product, {**product, "stock": {"N": "4"}}), projections={"GSI4": frozenset({"PK", "SK", "GSI4PK", "GSI4SK"})}
    )
    ledger.attach(client)
    key = {"PK": {"S": "PRODUCT#A"}, "SK": {"S": "PRODUCT"}}
    with Stubber(client) as stub:
        stub.add_response("update_item", {}, {"TableName": TABLE, "Key": key, "UpdateExpression": "SET stock = :s"})
        client.update_item(TableName=TABLE, Key=key, UpdateExpression="SET stock = :s")
    assert ledger.writes == {Place("table", "PRODUCT#A"): 1}


def test_an_eventually_consistent_batch_read_costs_half():
    ledger, client, stub = ledger_on(Peek())
    item = {"PK": {"S": "PRODUCT#A"}, "SK": {"S": "PRODUCT"}}
    for consistent, units in ((True, 1), (False, 0.5)):
        request: BatchGetItemInputTypeDef = {"RequestItems": {TABLE: {"Keys": [item], "ConsistentRead": consistent}}}
        with stub:
            stub.add_response("batch_get_item", {"Responses": {TABLE: [item]}}, request)
            client.batch_get_item(**request)
        assert ledger.reads[Place("table", "PRODUCT#A")] == pytest.approx(units)
        ledger.reads.clear()
