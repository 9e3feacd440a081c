"""DynamoDB's 'not now' told apart from its 'no': contention becomes Contended, on a stubbed client."""

from datetime import UTC, datetime

import boto3
import pytest
from botocore.stub import Stubber

from pedidos.data import OrderRepository, StockShortage, Take
from pedidos.errors import Contended
from pedidos.models import Order, OrderStatus

NOW = datetime(2026, 1, 1, tzinfo=UTC)
PENDING = Order(
    id="o-1", customer_id="c-1", status=OrderStatus.PENDING, lines=[{"sku": "A", "quantity": 1, "unit_price_cents": 100}],
    currency="EUR", created_at=NOW, updated_at=NOW, version=1,
)


def repository_refusing(code: str, reasons: list[str] | None = None, releasing: bool = False) -> OrderRepository:
    client = boto3.client("dynamodb", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x")
    stub = Stubber(client)
    if releasing:  # giving stock back reads where each product keeps it first: A on its own item
        stub.add_response("batch_get_item", {"Responses": {"orders": [{"sku": {"S": "A"}, "stock": {"N": "3"}}]}})
    response = {"CancellationReasons": [{"Code": reason} for reason in reasons]} if reasons else {}
    stub.add_client_error("transact_write_items", service_error_code=code, http_status_code=400, response_meta=None, modeled_fields=response)
    stub.activate()
    return OrderRepository(client, "orders")


@pytest.mark.parametrize(
    ("code", "reasons"),
    [
        ("TransactionCanceledException", ["None", "TransactionConflict"]),
        ("TransactionCanceledException", ["ConditionalCheckFailed", "TransactionConflict"]),
        ("TransactionCanceledException", ["None", "ThrottlingError"]),
        ("ProvisionedThroughputExceededException", None),
        ("ThrottlingException", None),
    ],
)
def test_conflicts_and_throttling_are_contention_for_confirming_and_restocking(code, reasons):
    with pytest.raises(Contended):
        repository_refusing(code, reasons).confirm(PENDING, PENDING.lines, 100, NOW, [Take("A", None, 1)])
    with pytest.raises(Contended):
        repository_refusing(code, reasons, releasing=True).release_stock(PENDING, NOW)


def test_a_failed_condition_is_an_answer_not_contention():
    assert repository_refusing("TransactionCanceledException", ["ConditionalCheckFailed", "None"]).confirm(PENDING, PENDING.lines, 100, NOW, [Take("A", None, 1)]) is False
    with pytest.raises(StockShortage):
        repository_refusing("TransactionCanceledException", ["None", "ConditionalCheckFailed"]).confirm(PENDING, PENDING.lines, 100, NOW, [Take("A", None, 1)])
