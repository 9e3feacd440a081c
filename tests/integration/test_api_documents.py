"""/health, /openapi.json and /docs: public, and generated from the shared models."""

import base64
import hashlib
from html.parser import HTMLParser

from pedidos.models import Order, PlaceOrderRequest, Problem, Product


def test_health_answers_without_a_caller(call_api):
    response = call_api("GET", "/health")
    assert (response.status, response.json()) == (200, {"status": "ok"})


def test_the_openapi_document_describes_every_route_from_the_models(call_api):
    response = call_api("GET", "/openapi.json")
    assert response.status == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    operations = {(method.upper(), path) for path, methods in document["paths"].items() for method in methods}
    assert operations >= {
        ("GET", "/health"),
        ("POST", "/products"),
        ("GET", "/products"),
        ("GET", "/products/{sku}"),
        ("PATCH", "/products/{sku}"),
        ("POST", "/orders"),
        ("GET", "/orders"),
        ("GET", "/orders/{order_id}"),
        ("POST", "/orders/{order_id}/cancel"),
    }
    schemas = document["components"]["schemas"]
    for model in (Order, Product, PlaceOrderRequest, Problem):
        assert set(schemas[model.__name__]["properties"]) == set(model.model_json_schema()["properties"])


def test_every_error_in_the_document_is_problem_json_and_secured_routes_say_so(call_api):
    document = call_api("GET", "/openapi.json").json()
    assert "HTTPValidationError" not in document["components"]["schemas"]
    for path, methods in document["paths"].items():
        for operation in methods.values():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    assert list(response["content"]) == ["application/problem+json"], (path, status)
            if path != "/health":
                assert operation["security"] == [{"bearer": []}]
                assert "401" in operation["responses"]


def test_swagger_ui_is_served_with_its_assets_inline(call_api):
    response = call_api("GET", "/docs")
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "SwaggerUIBundle" in response.text
    assert "/orders/{order_id}/cancel" in response.text
    # The UI's assets are inline: a browser with no internet access still renders it.
    assert 'src="http' not in response.text and 'href="http' not in response.text


def test_the_document_names_its_server_relative_to_where_it_is_served(call_api):
    # Resolved against the page's own URL by Swagger UI: ".../prod/docs" calls ".../prod/orders",
    # "/api/docs" behind CloudFront calls "/api/orders"; "/" would lose the stage and the prefix.
    document = call_api("GET", "/openapi.json").json()
    assert [server["url"] for server in document["servers"]] == ["."]
    page = call_api("GET", "/docs").text
    assert '"servers": [{"url": "."' in page


def test_docs_as_json_is_the_document_the_page_names(call_api):
    # The page tells Swagger UI its document is at docs?format=json.
    assert 'currentUrl.pathname + "?format=json"' in call_api("GET", "/docs").text
    response = call_api("GET", "/docs?format=json")
    assert response.status == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == call_api("GET", "/openapi.json").json()


def test_swagger_ui_runs_under_a_policy_of_its_own_that_reaches_only_this_api(call_api):
    policy = call_api("GET", "/docs").headers["content-security-policy"]
    directives = dict(directive.strip().split(" ", 1) for directive in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["connect-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "http" not in policy


class _InlineSources(HTMLParser):
    """Every inline <script> and <style> of a page, as the browser hashes them."""

    def __init__(self) -> None:
        super().__init__()
        self.sources: dict[str, list[str]] = {"script": [], "style": []}
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.sources:
            assert not dict(attrs).get("src"), "the page loads nothing from elsewhere"
            self._open = tag
            self.sources[tag].append("")

    def handle_endtag(self, tag: str) -> None:
        self._open = None

    def handle_data(self, data: str) -> None:
        if self._open:
            self.sources[self._open][-1] += data


def test_swagger_ui_allows_exactly_its_own_inline_script_and_styles(call_api):
    # /api/docs shares the console's origin, whose sessionStorage holds the tokens: an
    # injected inline script must not run there, only the page's own, by their hashes.
    response = call_api("GET", "/docs")
    policy = response.headers["content-security-policy"]
    assert "unsafe-inline" not in policy
    directives = {name: value.split() for name, value in (each.strip().split(" ", 1) for each in policy.split(";"))}
    page = _InlineSources()
    page.feed(response.text)
    for tag, sources in page.sources.items():
        assert sources, tag
        hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'" for source in sources}
        assert set(directives[f"{tag}-src"]) == hashes, tag


def test_every_operation_documents_its_success_with_its_model(call_api):
    document = call_api("GET", "/openapi.json").json()
    expected = {
        ("post", "/products"): ("201", "Product"),
        ("get", "/products"): ("200", "ProductPage"),
        ("get", "/products/{sku}"): ("200", "Product"),
        ("patch", "/products/{sku}"): ("200", "Product"),
        ("post", "/orders"): ("202", "Order"),
        ("get", "/orders"): ("200", "OrderPage"),
        ("get", "/orders/{order_id}"): ("200", "Order"),
        ("post", "/orders/{order_id}/cancel"): ("200", "Order"),
    }
    for (method, path), (status, model) in expected.items():
        schema = document["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]
        assert schema == {"$ref": f"#/components/schemas/{model}"}, (method, path)
