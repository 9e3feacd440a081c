"""Request bodies at the door of the real API handler: which media types it reads, and JSON its
parser cannot take. Every refusal is a 4xx problem; no Content-Type and no body is ever a 5xx."""

import copy
import json
from typing import TypedDict, Unpack

import pytest

from devstack.lambda_events import LambdaContext, api_event
from pedidos_api.handlers.api import handler
from tests.integration.conftest import ApiResponse


class Caller(TypedDict, total=False):
    customer: str
    admin: bool


ADMIN: Caller = {"customer": "admin-1", "admin": True}

# Read exactly as application/json: media types are case-insensitive, and charset=utf-8 is what JSON is anyway.
ACCEPTED = (
    "application/json",
    "Application/JSON",
    "APPLICATION/JSON; charset=UTF-8",
    'application/json;charset="utf-8"',
    "application/json ; Charset=utf-8",
    "application/json;",
    " application/json ",
)
REFUSED = (
    "application/vnd.api+json",
    "application/merge-patch+json",
    "application/problem+json",
    "Application/Problem+JSON",
    "application/json; charset=latin-1",
    "application/json; charset=utf-16",
    "application/json; charset=utf-8; charset=latin-1",
    'application/json; charset="utf-8',
    "application/json; version=2",
    "application/jsonx",
    "application/json/x",
    "text/json",
    "text/plain",
    "multipart/form-data; boundary=x",
    "application/x-www-form-urlencoded",
    "*/*",
    ";;",
    "",
    " ",
    "application/",
    "/json",
    "application json",
    "applicaci\u00f3n/json",
    "application/json; charset=\u00fctf-8",
    "application/json\u0000",
)
HEADER_NAMES = ("Content-Type", "content-type", "CONTENT-TYPE")


def send(method: str, url: str, body: str | None, content_type: str | None, header_name: str = "Content-Type", **caller: Unpack[Caller]) -> ApiResponse:
    """The request as API Gateway passes it: the header under the client's own spelling of its name, in both maps."""
    event = api_event(method, url, body=body, **caller)
    for headers in (event["headers"], event["multiValueHeaders"]):
        del headers["Content-Type"]
    if content_type is not None:
        event["headers"][header_name] = content_type
        event["multiValueHeaders"][header_name] = [content_type]
    sent = copy.deepcopy(event)
    response = ApiResponse(handler(event, LambdaContext()))
    assert event == sent, "the handler changed the caller's event"
    assert response.status < 500, response.text
    return response


def assert_problem(response: ApiResponse, status: int) -> dict:
    assert response.status == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status and problem["title"] and problem["detail"] and problem["type"]
    return problem




def order(sku: str, quantity: int = 2) -> str:
    return json.dumps({"lines": [{"sku": sku, "quantity": quantity}]})


@pytest.mark.parametrize("header_name", HEADER_NAMES)
@pytest.mark.parametrize("content_type", ACCEPTED)
def test_json_in_any_spelling_places_an_order_as_application_json_does(customer, sku, content_type, header_name):
    placed = send("POST", "/orders", order(sku), content_type, header_name, **customer)
    assert placed.status == 202, placed.text
    assert placed.json()["status"] == "PENDING"
    assert [(line["sku"], line["quantity"]) for line in placed.json()["lines"]] == [(sku, 2)]
    assert placed.headers["location"] == f"/orders/{placed.json()['id']}"
    # Malformed and schema-violating bodies keep their own answers too.
    for body, status in (('{"lines": [', 400), (order(sku, quantity=0), 422)):
        as_json = send("POST", "/orders", body, "application/json", **customer)
        spelled = send("POST", "/orders", body, content_type, header_name, **customer)
        assert (spelled.status, spelled.json()) == (as_json.status, as_json.json()) == (status, as_json.json())


@pytest.mark.parametrize("header_name", HEADER_NAMES)
@pytest.mark.parametrize("content_type", ACCEPTED)
def test_json_in_any_spelling_changes_a_product_as_application_json_does(call_api, sku, content_type, header_name):
    changed = send("PATCH", f"/products/{sku}", '{"stock": 7}', content_type, header_name, **ADMIN)
    assert changed.status == 200, changed.text
    assert changed.json()["stock"] == 7
    assert call_api("GET", f"/products/{sku}", **ADMIN).json()["stock"] == 7


def test_a_body_without_a_content_type_is_read_as_json_as_before(customer, sku):
    assert send("POST", "/orders", order(sku), None, **customer).status == 202


@pytest.mark.parametrize("header_name", HEADER_NAMES)
@pytest.mark.parametrize("content_type", REFUSED)
def test_other_media_types_are_415_on_orders_and_products(call_api, customer, sku, content_type, header_name):
    details = set()
    for method, url, body, caller in (
        ("POST", "/orders", order(sku), customer),
        ("PATCH", f"/products/{sku}", '{"stock": 7}', ADMIN),
    ):
        problem = assert_problem(send(method, url, body, content_type, header_name, **caller), 415)
        details.add(problem["detail"])
    # The detail says what is accepted and never echoes the client's header back.
    assert details == {send("POST", "/orders", "{}", "text/plain", **customer).json()["detail"]}
    assert "application/json" in details.pop()
    assert call_api("GET", "/orders", **customer).json()["items"] == []
    assert call_api("GET", f"/products/{sku}", **ADMIN).json()["stock"] == 100


def test_two_content_types_that_disagree_are_415(customer, sku):
    event = api_event("POST", "/orders", body=order(sku), **customer)
    event["multiValueHeaders"]["Content-Type"] = ["application/json", "text/plain"]
    response = ApiResponse(handler(event, LambdaContext()))
    assert_problem(response, 415)


@pytest.mark.parametrize("content_type", ("text/plain", ";;", "", "Application/JSON", "application/vnd.api+json"))
def test_a_request_without_a_body_may_carry_any_content_type(customer, sku, content_type):
    placed = send("POST", "/orders", order(sku), "application/json", **customer).json()
    cancelled = send("POST", f"/orders/{placed['id']}/cancel", None, content_type, **customer)
    assert cancelled.status == 200 and cancelled.json()["status"] == "CANCELLED"
    # A route that needs a body answers its absence as it does under application/json.
    missing = assert_problem(send("POST", "/orders", None, content_type, **customer), 422)
    assert missing == send("POST", "/orders", None, "application/json", **customer).json()


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# Depths around and past what json's parser recurses into (about 1,000 levels on Python 3.11,
# 10,000 on 3.13), every body within the 64 KiB limit.
SHAPES = {
    "arrays": (nested, (1_000, 9_000, 10_000, 20_000, 32_000)),
    "objects": (lambda depth: '{"":' * depth + "1" + "}" * depth, (1_000, 9_000, 10_000, 13_000)),
    "unclosed": (lambda depth: "[" * depth, (1_000, 9_000, 10_000, 65_000)),
    "as-quantity": (lambda depth: '{"lines": [{"sku": "A", "quantity": ' + nested(depth) + "}]}", (1_000, 9_000, 10_000, 32_000)),
    "unknown-field": (lambda depth: '{"lines": [{"sku": "A", "quantity": 1}], "note": ' + nested(depth) + "}", (1_000, 9_000, 10_000, 32_000)),
}


@pytest.mark.parametrize(
    ("body_of", "depth"), [pytest.param(body_of, depth, id=f"{shape}-{depth}") for shape, (body_of, depths) in SHAPES.items() for depth in depths]
)
def test_deep_nesting_is_a_4xx_problem_and_too_deep_for_the_parser_is_400(customer, body_of, depth):
    body = body_of(depth)
    assert len(body.encode()) <= 64 * 1024
    response = send("POST", "/orders", body, "application/json", **customer)
    if depth >= 10_000:
        assert assert_problem(response, 400)["detail"] == "the body is not valid JSON"
    else:
        assert_problem(response, response.status)
        assert 400 <= response.status < 500


TOO_LONG = "1" * 4_301


@pytest.mark.parametrize(
    "body",
    [
        pytest.param('{"lines": [{"sku": "A", "quantity": ' + TOO_LONG + "}]}", id="as-quantity"),
        pytest.param('{"lines": [{"sku": "A", "quantity": -' + TOO_LONG + "}]}", id="negative"),
        pytest.param('{"lines": [{"sku": "A", "quantity": 1}], "note": {"n": [' + TOO_LONG + "]}}", id="nested-unknown-field"),
        pytest.param("1" * 60_000, id="whole-body"),
    ],
)
def test_an_integer_too_long_to_convert_is_400(customer, body):
    response = send("POST", "/orders", body, "application/json", **customer)
    assert assert_problem(response, 400)["detail"] == "the body is not valid JSON"


def test_too_deep_or_too_long_on_a_product_change_is_400(sku):
    for body in (nested(30_000), '{"stock": ' + TOO_LONG + "}"):
        assert_problem(send("PATCH", f"/products/{sku}", body, "application/json", **ADMIN), 400)


def test_a_body_with_thousands_of_offending_fields_gets_a_bounded_answer(call_api):
    body = "{" + ",".join(f'"k{index}":0' for index in range(6000)) + "}"  # 59 KB, 6,001 errors
    response = call_api("POST", "/orders", body=body, customer="many-errors")
    assert response.status == 422
    problem = response.json()
    assert len(problem["errors"]) == 50
    assert "the first 50 of 6001 errors are listed" in problem["detail"]
    assert len(response.text) < len(body) / 4
