"""The shared models: what the API accepts and what it refuses."""

import pytest
from pydantic import ValidationError

from pedidos.models import OrderEvent, PlaceOrderRequest, ProductChanges, ProductRequest


def test_an_order_takes_one_to_fifty_distinct_lines():
    assert len(PlaceOrderRequest.model_validate({"lines": [{"sku": f"S{n}", "quantity": 1} for n in range(50)]}).lines) == 50
    for lines in ([], [{"sku": f"S{n}", "quantity": 1} for n in range(51)], [{"sku": "A", "quantity": 1}] * 2):
        with pytest.raises(ValidationError):
            PlaceOrderRequest.model_validate({"lines": lines})


@pytest.mark.parametrize("quantity", [0, 1001, "3", 2.5, True, None])
def test_quantities_are_strict_integers_from_1_to_1000(quantity):
    with pytest.raises(ValidationError):
        PlaceOrderRequest.model_validate({"lines": [{"sku": "A", "quantity": quantity}]})


@pytest.mark.parametrize("sku", ["", "x" * 65, "has space", "ünïcode", "semi;colon"])
def test_skus_are_1_to_64_safe_characters(sku):
    with pytest.raises(ValidationError):
        ProductRequest.model_validate({"sku": sku, "name": "n", "price_cents": 1, "stock": 1})


def test_a_product_refuses_negative_money_and_stock_and_unknown_fields():
    base = {"sku": "A-1_b", "name": "n", "price_cents": 0, "stock": 0}
    assert ProductRequest.model_validate(base).sku == "A-1_b"
    for change in ({"price_cents": -1}, {"stock": -1}, {"name": ""}, {"name": "x" * 201}, {"colour": "red"}):
        with pytest.raises(ValidationError):
            ProductRequest.model_validate({**base, **change})


def test_product_changes_need_at_least_one_non_null_field():
    assert ProductChanges.model_validate({"stock": 0}).model_fields_set == {"stock"}
    for body in ({}, {"stock": None}, {"name": None, "stock": 1}):
        with pytest.raises(ValidationError):
            ProductChanges.model_validate(body)


def test_events_round_trip_as_json_with_utc_timestamps():
    event = OrderEvent.model_validate(
        {
            "type": "OrderPlaced",
            "version": 1,
            "event_id": "e",
            "order_id": "o",
            "customer_id": "c",
            "occurred_at": "2026-01-02T03:04:05Z",
            "correlation_id": "x",
        }
    )
    assert '"occurred_at":"2026-01-02T03:04:05.000000Z"' in event.model_dump_json()
    with pytest.raises(ValidationError):
        OrderEvent.model_validate({**event.model_dump(), "version": 2})
    with pytest.raises(ValidationError):
        OrderEvent.model_validate({**event.model_dump(), "occurred_at": "2026-01-02T03:04:05"})
