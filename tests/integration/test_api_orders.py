"""The order routes of the real API handler: what they store and what they queue."""

import base64
import json
import uuid

import pytest
from botocore.awsrequest import AWSRequest

from pedidos import clients

ADMIN = {"customer": "admin-1", "admin": True}


@pytest.fixture
def queued(local_aws, lambda_environment):
    """Reads what the API put on the orders queue (and takes it off)."""
    sqs = local_aws.client("sqs")
    url = lambda_environment["ORDERS_QUEUE_URL"]

    def read(order_id: str) -> list[dict]:
        # The whole queue is drained, whatever earlier tests left on it (test_bounds leaves hundreds).
        found = []
        while messages := sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"], WaitTimeSeconds=0
        ).get("Messages", []):
            for message in messages:
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
                body = json.loads(message["Body"])
                if body["order_id"] == order_id:
                    found.append({"body": body, "attributes": message["MessageAttributes"]})
        return found

    return read


def test_placing_an_order_stores_it_pending_and_queues_one_event(call_api, customer, sku, queued):
    response = call_api("POST", "/orders", body={"lines": [{"sku": sku, "quantity": 2}]}, headers={"X-Correlation-Id": "corr-123"}, **customer)
    assert response.status == 202
    order = response.json()
    assert response.headers["location"] == f"/orders/{order['id']}"
    assert (order["status"], order["customer_id"], order["currency"], order["version"]) == ("PENDING", customer["customer"], "EUR", 1)
    assert order["lines"] == [{"sku": sku, "quantity": 2, "unit_price_cents": None}]

    assert call_api("GET", f"/orders/{order['id']}", **customer).json() == order
    [event] = queued(order["id"])
    assert event["body"]["type"] == "OrderPlaced"
    assert event["body"]["version"] == 1
    assert event["body"]["customer_id"] == customer["customer"]
    assert event["body"]["correlation_id"] == "corr-123"
    assert event["attributes"]["type"]["StringValue"] == "OrderPlaced"
    assert event["attributes"]["correlation_id"]["StringValue"] == "corr-123"


def test_the_longest_customer_id_a_token_may_name_places_reads_and_lists_its_orders(call_api, sku, queued):
    # Cognito's subs are UUIDs; another issuer's may be any 1-256 characters (tokens.py bounds them).
    customer = {"customer": f"c-{'é' * 254}"}  # 256 characters, 510 bytes of UTF-8
    placed = call_api("POST", "/orders", body={"lines": [{"sku": sku, "quantity": 1}]}, **customer)
    assert placed.status == 202, placed.text
    assert call_api("GET", f"/orders/{placed.json()['id']}", **customer).json()["customer_id"] == customer["customer"]
    assert [order["id"] for order in call_api("GET", "/orders?status=PENDING", **customer).json()["items"]] == [placed.json()["id"]]
    assert queued(placed.json()["id"])


def test_an_idempotency_key_returns_the_first_order_and_creates_nothing(call_api, customer, sku, queued):
    body = {"lines": [{"sku": sku, "quantity": 1}]}
    key = {"Idempotency-Key": f"key-{uuid.uuid4()}"}
    first = call_api("POST", "/orders", body=body, headers=key, **customer)
    second = call_api("POST", "/orders", body=body, headers=key, **customer)
    assert first.status == second.status == 202
    assert first.json() == second.json()
    assert len(queued(first.json()["id"])) == 1
    assert len(call_api("GET", "/orders", **customer).json()["items"]) == 1

    changed = call_api("POST", "/orders", body={"lines": [{"sku": sku, "quantity": 2}]}, headers=key, **customer)
    assert changed.status == 422
    assert changed.headers["content-type"] == "application/problem+json"


def test_the_same_idempotency_key_from_another_customer_is_another_order(call_api, customer, sku):
    body = {"lines": [{"sku": sku, "quantity": 1}]}
    key = {"Idempotency-Key": f"key-{uuid.uuid4()}"}
    mine = call_api("POST", "/orders", body=body, headers=key, **customer).json()
    theirs = call_api("POST", "/orders", body=body, headers=key, customer="someone-else").json()
    assert mine["id"] != theirs["id"]


def _hooks_on_every_request() -> dict[str, int]:
    """How many handlers each shared client runs as it creates a request."""
    counts = {}
    for service, client, operation in (("dynamodb", clients.dynamodb(), "PutItem"), ("sqs", clients.sqs(), "SendMessage")):
        probe = AWSRequest(method="POST", url="http://localhost/", headers={"User-Agent": "probe"})
        counts[service] = len(client.meta.events.emit(f"request-created.{service}.{operation}", request=probe, operation_name=operation))
    return counts


def test_placing_orders_leaves_nothing_behind_on_the_shared_clients(call_api, customer, sku):
    # Whatever one order registers on a shared client runs again on every later call, for
    # the life of the warm function: the 10,000th order must cost what the first did.
    def place(idempotency_key: str | None) -> None:
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        assert call_api("POST", "/orders", body={"lines": [{"sku": sku, "quantity": 1}]}, headers=headers, **customer).status == 202

    place(f"key-{uuid.uuid4()}")
    hooks = _hooks_on_every_request()
    for attempt in range(6):
        place(f"key-{uuid.uuid4()}" if attempt % 2 else None)
    assert _hooks_on_every_request() == hooks


def test_orders_are_listed_newest_first_in_pages_and_by_status(call_api, customer, sku):
    ids = [call_api("POST", "/orders", body={"lines": [{"sku": sku, "quantity": 1}]}, **customer).json()["id"] for _ in range(5)]
    call_api("POST", f"/orders/{ids[0]}/cancel", **customer)

    listed, cursor = [], None
    while True:
        page = call_api("GET", "/orders?limit=2" + (f"&cursor={cursor}" if cursor else ""), **customer).json()
        listed += [order["id"] for order in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert listed == list(reversed(ids))

    cancelled = call_api("GET", "/orders?status=CANCELLED", **customer).json()["items"]
    assert [order["id"] for order in cancelled] == [ids[0]]
    pending = call_api("GET", "/orders?status=PENDING", **customer).json()["items"]
    assert [order["id"] for order in pending] == list(reversed(ids[1:]))


def test_a_cursor_from_another_listing_is_400(call_api, customer, sku):
    for _ in range(2):
        call_api("POST", "/orders", body={"lines": [{"sku": sku, "quantity": 1}]}, **customer)
    cursor = call_api("GET", "/orders?limit=1", **customer).json()["next_cursor"]
    assert call_api("GET", f"/orders?limit=1&cursor={cursor}", customer="intruder").status == 400
    assert call_api("GET", f"/orders?limit=1&status=PENDING&cursor={cursor}", **customer).status == 400
    assert call_api("GET", f"/products?limit=1&cursor={cursor}", **customer).status == 400


def test_only_an_admin_lists_another_customers_orders(call_api, customer, sku):
    order = call_api("POST", "/orders", body={"lines": [{"sku": sku, "quantity": 1}]}, **customer).json()
    assert call_api("GET", f"/orders?customer_id={customer['customer']}", customer="intruder").status == 403
    listed = call_api("GET", f"/orders?customer_id={customer['customer']}", **ADMIN).json()["items"]
    assert [each["id"] for each in listed] == [order["id"]]
    assert call_api("GET", f"/orders/{order['id']}", **ADMIN).status == 200


def test_another_customers_order_is_404_to_read_and_to_cancel(call_api, customer, sku):
    order = call_api("POST", "/orders", body={"lines": [{"sku": sku, "quantity": 1}]}, **customer).json()
    assert call_api("GET", f"/orders/{order['id']}", customer="intruder").status == 404
    assert call_api("POST", f"/orders/{order['id']}/cancel", customer="intruder").status == 404
    assert call_api("GET", f"/orders/{order['id']}", **customer).json()["status"] == "PENDING"


def test_cancelling_twice_is_a_conflict_and_queues_one_cancellation(call_api, customer, sku, queued):
    order = call_api("POST", "/orders", body={"lines": [{"sku": sku, "quantity": 1}]}, **customer).json()
    first = call_api("POST", f"/orders/{order['id']}/cancel", **customer)
    assert first.status == 200
    assert (first.json()["status"], first.json()["version"]) == ("CANCELLED", 2)
    again = call_api("POST", f"/orders/{order['id']}/cancel", **customer)
    assert again.status == 409
    assert "CANCELLED" in again.json()["detail"]
    assert [event["body"]["type"] for event in queued(order["id"])] == ["OrderPlaced", "OrderCancelled"]


@pytest.mark.parametrize(
    ("body", "status", "offending"),
    [
        ('{"lines": [', 400, None),
        ({"lines": []}, 422, "lines"),
        ({"lines": [{"sku": "A", "quantity": 0}]}, 422, "quantity"),
        ({"lines": [{"sku": "A", "quantity": 1001}]}, 422, "quantity"),
        ({"lines": [{"sku": "A", "quantity": "2"}]}, 422, "quantity"),
        ({"lines": [{"sku": "A", "quantity": 1.5}]}, 422, "quantity"),
        ({"lines": [{"sku": "A", "quantity": 10**30}]}, 422, "quantity"),
        ({"lines": [{"sku": "bad sku!", "quantity": 1}]}, 422, "sku"),
        ({"lines": [{"sku": "A", "quantity": 1}, {"sku": "A", "quantity": 2}]}, 422, "lines"),
        ({"lines": [{"sku": f"S{n}", "quantity": 1} for n in range(51)]}, 422, "lines"),
        ({"lines": [{"sku": "A", "quantity": 1}], "coupon": "FREE"}, 422, "coupon"),
        ([1, 2, 3], 422, None),
        ("null", 422, None),
    ],
)
def test_bad_order_bodies_are_4xx_problems_and_store_nothing(call_api, customer, body, status, offending):
    response = call_api("POST", "/orders", body=body, **customer)
    assert response.status == status
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status and problem["title"] and problem["detail"] and problem["type"]
    if offending:
        assert any(offending in map(str, error["location"]) for error in problem["errors"])
    assert call_api("GET", "/orders", **customer).json()["items"] == []


def test_an_oversize_body_is_413(call_api, customer):
    body = json.dumps({"lines": [{"sku": "A", "quantity": 1}], "padding": "x" * 70_000})
    response = call_api("POST", "/orders", body=body, **customer)
    assert response.status == 413
    assert response.headers["content-type"] == "application/problem+json"


def test_a_body_that_is_not_utf8_is_400(call_api, customer):
    from devstack.lambda_events import LambdaContext, api_event
    from pedidos_api.handlers.api import handler

    event = api_event("POST", "/orders", customer=customer["customer"])
    event["body"] = base64.b64encode(b'{"lines": "\xff\xfe"}').decode()
    event["isBase64Encoded"] = True
    response = handler(event, LambdaContext())
    assert response["statusCode"] == 400


def test_a_form_body_is_415(call_api, customer):
    response = call_api("POST", "/orders", body="lines=1", headers={"Content-Type": "application/x-www-form-urlencoded"}, **customer)
    assert response.status == 415


def test_unknown_order_ids_and_bad_query_values(call_api, customer):
    assert call_api("GET", f"/orders/{uuid.uuid4()}", **customer).status == 404
    assert call_api("GET", "/orders?limit=0", **customer).status == 422
    assert call_api("GET", "/orders?limit=101", **customer).status == 422
    assert call_api("GET", "/orders?limit=ten", **customer).status == 422
    assert call_api("GET", "/orders?status=LOST", **customer).status == 422
    assert call_api("GET", "/orders?cursor=not-a-cursor", **customer).status == 400


def test_a_multipart_body_is_415_not_a_crash(call_api, customer):
    malformed = "--boundary\r\nContent-Disposition: form-data; name=\"lines\"\r\n\r\n[1"
    response = call_api("POST", "/orders", body=malformed, headers={"Content-Type": "multipart/form-data; boundary=other"}, **customer)
    assert response.status == 415
    assert response.headers["content-type"] == "application/problem+json"


def test_the_correlation_id_is_echoed_or_made_from_the_request_id(call_api, customer):
    given = call_api("GET", "/orders", headers={"X-Correlation-Id": "trace-42"}, **customer)
    assert given.headers["x-correlation-id"] == "trace-42"
    hostile = call_api("GET", "/orders", headers={"X-Correlation-Id": "bad id\nwith newline"}, **customer)
    assert hostile.headers["x-correlation-id"] not in ("", "bad id\nwith newline")
    # Errors too, whichever layer answers: validation, the body gate, a missing order.
    for method, url, body in (("GET", "/orders?limit=0", None), ("POST", "/orders", "x" * 70_000), ("GET", "/orders/nope", None)):
        failed = call_api(method, url, body=body, headers={"X-Correlation-Id": "trace-err"}, **customer)
        assert failed.status >= 400 and failed.headers["x-correlation-id"] == "trace-err"
