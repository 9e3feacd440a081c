"""Hostile input over HTTP: generated requests from the API's own document, and hand-made junk."""

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance, unsupported_method

pytestmark = pytest.mark.e2e

EXAMPLES_PER_OPERATION = 110
SENT: list[int] = []


@pytest.fixture(scope="session")
def api_document(stack):
    return schemathesis.openapi.from_url(f"{stack.api_url}/openapi.json")


schema = schemathesis.pytest.from_fixture("api_document")


def answered_by_pedidos(response) -> bool:
    """Our functions tag every response with the correlation id; API Gateway's own answers
    (here, serverless offline's: no or bad token, a URL too long) carry none."""
    return "x-correlation-id" in {name.lower() for name in response.headers}


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
def test_generated_requests_with_a_valid_token_get_no_5xx_and_match_the_document(case, stack, token_for):
    response = case.call(base_url=stack.api_url, headers={"Authorization": f"Bearer {token_for('fuzzer', admin=True).access_token}"})
    SENT.append(response.status_code)
    assert response.status_code < 500
    if answered_by_pedidos(response):
        # Schema-valid data may still be refused for the resource's state (409, 412) or a cursor
        # that is well formed but not ours (400): that is the API's job, not a broken document.
        # Undeclared methods (TRACE, ...) never reach the functions: API Gateway answers them.
        # Every case is sent with a valid token and unknown query parameters are ignored, so a
        # case generated as "invalid" for those alone is rightly accepted.
        case.validate_response(response, excluded_checks=[positive_data_acceptance, unsupported_method, negative_data_rejection])
    else:
        assert response.status_code in (400, 401, 403, 404, 413, 414, 431)


BAD_TOKENS = ("not-a-jwt", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "")


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
def test_generated_requests_with_a_bad_token_never_get_through(case, stack):
    public = case.path in ("/health", "/openapi.json", "/docs")
    for token in BAD_TOKENS:
        response = case.call(base_url=stack.api_url, headers={"Authorization": f"Bearer {token}"})
        SENT.append(response.status_code)
        assert response.status_code < 500
        # 401 once a route matches; a path no route matches is refused by the gateway before any token check,
        # and a malformed request (an empty Content-Length) by its HTTP layer before any route.
        refused_as_malformed = response.status_code == 400 and not answered_by_pedidos(response)
        assert public or response.status_code in (401, 403, 404) or refused_as_malformed


def test_the_generated_run_was_at_least_a_thousand_requests():
    assert len(SENT) >= 1000, len(SENT)
    assert not [status for status in SENT if status >= 500]


NESTED = "[" * 5000 + "]" * 5000
# JSON the parser cannot take: nested past what it recurses into (about 1,000 levels on
# Python 3.11, 10,000 on 3.13), or an integer past Python's 4,300 digits. Malformed: 400.
TOO_DEEP = 30_000
TOO_LONG = "1" * 4_301
UNPARSABLE = [
    ("[" * TOO_DEEP + "]" * TOO_DEEP, "nesting too deep to parse"),
    ("[" * 60_000, "unclosed nesting too deep to parse"),
    ('{"":' * 12_000 + "1" + "}" * 12_000, "objects nested too deep to parse"),
    ('{"lines": [{"sku": "A", "quantity": ' + "[" * TOO_DEEP + "]" * TOO_DEEP + "}]}", "a quantity nested too deep to parse"),
    ('{"lines": [{"sku": "A", "quantity": ' + TOO_LONG + "}]}", "an integer too long to convert"),
    ('{"lines": [{"sku": "A", "quantity": 1}], "note": {"n": [-' + TOO_LONG + "]}}", "an integer too long, in an unknown field"),
]


JUNK = [
    *UNPARSABLE,
    (NESTED, "deep nesting"),
    ('{"lines": [{"sku": "A", "quantity": 1e400}]}', "a number beyond float"),
    ('{"lines": [{"sku": "A", "quantity": 123456789012345678901234567890}]}', "a huge integer"),
    ('{"lines": [{"sku": "\\ud800\\udfff\\u0000\\u202e", "quantity": 1}]}', "unicode junk"),
    ('{"lines": [{"sku": "A", "quantity": 1}], "lines": []}', "duplicate keys"),
    ('{"lines": [{"sku": "A", "quantity": 1, "quantity": 0}]}', "duplicate keys inside"),
    ("\ufeff{}", "a byte-order mark"),
    ("", "nothing at all"),
]


@pytest.mark.parametrize(("body", "why"), JUNK, ids=[why for _, why in JUNK])
def test_junk_bodies_are_4xx_problems(customer, body, why):
    response = customer.post("/orders", data=body.encode("utf-8", "surrogatepass"), headers={"Content-Type": "application/json"})
    assert 400 <= response.status_code < 500, why
    assert response.headers["Content-Type"] == "application/problem+json"
    assert json.loads(response.text)["status"] == response.status_code
    if (body, why) in UNPARSABLE:
        assert response.status_code == 400, why


@pytest.mark.parametrize(
    ("header", "content_type", "status"),
    [
        ("Content-Type", "Application/JSON", 202),
        ("content-type", "APPLICATION/JSON; charset=UTF-8", 202),
        ("Content-Type", "application/vnd.api+json", 415),
        ("content-type", "application/merge-patch+json", 415),
        ("Content-Type", "application/json; charset=latin-1", 415),
        ("Content-Type", "text/plain", 415),
        # A Content-Type that is no media type at all (";;") serverless offline's HTTP server refuses
        # itself (400, its own body); the handler's answer to it is tested in integration.
    ],
)
def test_media_types_over_http_are_read_as_json_or_415(customer, add_product, header, content_type, status):
    body = json.dumps({"lines": [{"sku": add_product(stock=5)["sku"], "quantity": 1}]})
    response = customer.post("/orders", data=body, headers={header: content_type})
    assert response.status_code == status, response.text
    if status == 415:
        assert response.headers["Content-Type"] == "application/problem+json"
        assert content_type not in response.json()["detail"]


def test_no_customer_can_read_list_or_cancel_anothers_orders(api_as, add_product):
    product = add_product(stock=100)
    owner, intruder = api_as("owner-e2e"), api_as("intruder-e2e")
    ids = [owner.post("/orders", json={"lines": [{"sku": product["sku"], "quantity": 1}]}).json()["id"] for _ in range(3)]
    cursor = owner.get("/orders?limit=1").json()["next_cursor"]
    assert intruder.get(f"/orders?cursor={cursor}").status_code == 400
    assert intruder.get(f"/orders?customer_id={owner.customer_id}").status_code == 403
    assert intruder.get("/orders").json()["items"] == []
    for order_id in ids:
        assert intruder.get(f"/orders/{order_id}").status_code == 404
        assert intruder.post(f"/orders/{order_id}/cancel").status_code == 404
        for traversal in (f"../orders/{order_id}", f"{order_id}%2F..", f"{order_id}?customer_id={owner.customer_id}"):
            assert intruder.get(f"/orders/{traversal}").status_code in (400, 404, 422)
    assert {owner.get(f"/orders/{order_id}").json()["status"] for order_id in ids} <= {"PENDING", "CONFIRMED"}
