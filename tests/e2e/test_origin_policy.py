"""The API's origin policy is the deployed one: no CORS at all, so only its own origin's pages can read it.

On AWS the REST API declares no CORS and the console reaches it through CloudFront on
the console's own origin (/api/*); a page on any other origin gets nothing it may read.
"""

import pytest
import requests

ELSEWHERE = "https://shop.example"


def cors_headers(response: requests.Response) -> dict[str, str]:
    return {name: value for name, value in response.headers.items() if name.lower().startswith("access-control-")}


@pytest.mark.parametrize("origin", [ELSEWHERE, "http://127.0.0.1:8080", "null"])
def test_answers_to_another_origin_carry_no_cors_headers(api_as, origin):
    customer = api_as("origin-probe")
    answers = [
        customer.get("/health", headers={"Origin": origin}),
        customer.get("/products?limit=1", headers={"Origin": origin}),
        api_as(None).get("/orders", headers={"Origin": origin}),  # the authorizer's own 401
        customer.post("/orders", headers={"Origin": origin, "Content-Type": "text/plain"}, data="{}"),
    ]
    assert [answer.status_code for answer in answers] == [200, 200, 401, 415]
    assert [cors_headers(answer) for answer in answers] == [{}, {}, {}, {}]


@pytest.mark.parametrize(("method", "path"), [("POST", "/orders"), ("PATCH", "/products/MUG"), ("GET", "/orders")])
def test_a_preflight_from_another_origin_is_refused(api_as, method, path):
    preflight = api_as(None).request(
        "OPTIONS",
        path,
        headers={
            "Origin": ELSEWHERE,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "authorization,content-type,idempotency-key,if-match,x-correlation-id",
        },
    )
    assert preflight.status_code >= 400
    assert cors_headers(preflight) == {}
