"""The console's local server: files, history routes, settings, the /api proxy and the headers policies."""

import http.client
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from devstack.cognito import LocalUserPool
from devstack.console import ConsoleConfig, ConsoleServer, HeadersPolicy
from infra.definitions import resolved_config

SETTINGS = {"apiBaseUrl": "/api", "region": "eu-west-1", "cognitoEndpoint": "http://127.0.0.1:4566", "userPoolId": "p", "clientId": "c"}
# Two policies unlike each other, so a test sees which one a response got.
CONSOLE_HEADERS = HeadersPolicy(
    {"Content-Security-Policy": ("default-src 'self'", True), "X-Content-Type-Options": ("nosniff", True), "Referrer-Policy": ("no-referrer", True)}
)
API_HEADERS = HeadersPolicy({"Content-Security-Policy": ("default-src 'none'", False), "X-Content-Type-Options": ("nosniff", True)})
POOL = LocalUserPool(
    pool_id="eu-west-1_local", client_id="localclient", issuer="", jwks_url="", endpoint="http://127.0.0.1:4566", region="eu-west-1",
    cognito=None, admin_group="admin",
)


class Echo(BaseHTTPRequestHandler):
    """An API stand-in that answers with what it received."""

    protocol_version = "HTTP/1.1"

    def _echo(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        answer = json.dumps({"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body.decode()}).encode()
        self.send_response(418)
        self.send_header("Content-Type", "application/problem+json")
        self.send_header("ETag", '"7"')
        self.send_header("X-Content-Type-Options", "sniff-away")
        if self.path.startswith("/docs"):
            self.send_header("Content-Security-Policy", "default-src 'self' 'unsafe-inline'")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_GET = do_POST = do_PATCH = _echo

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    public = tmp_path_factory.mktemp("console") / "public"
    public.mkdir()
    # Beside the served folder: what a path climbing out of it would reach.
    (public.parent / "secret.txt").write_text("outside the console's folder")
    (public / "index.html").write_text("<!doctype html><title>app</title>")
    (public / "js").mkdir()
    (public / "js" / "app.js").write_text("export {};")
    (public / "styles.css").write_text("body {}")
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    config = ConsoleConfig(SETTINGS, CONSOLE_HEADERS, API_HEADERS)
    server = ConsoleServer(0, f"http://127.0.0.1:{upstream.server_address[1]}", config, public=public).start()
    yield server.url
    server.stop()
    upstream.shutdown()


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/js/app.js", "text/javascript; charset=utf-8"), ("/styles.css", "text/css; charset=utf-8"), ("/index.html", "text/html; charset=utf-8")],
)
def test_files_are_served_with_their_content_type(console: str, path: str, content_type: str) -> None:
    response = requests.get(console + path, timeout=5)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type


@pytest.mark.parametrize("path", ["/", "/orders", "/orders/01J0ABC", "/admin/products/MUG-RED?x=1"])
def test_a_history_route_gets_the_app(console: str, path: str) -> None:
    response = requests.get(console + path, timeout=5)
    assert (response.status_code, response.text) == (200, "<!doctype html><title>app</title>")


@pytest.mark.parametrize("path", ["/js/missing.js", "/favicon.ico"])
def test_a_missing_asset_is_a_404(console: str, path: str) -> None:
    assert requests.get(console + path, timeout=5).status_code == 404


@pytest.mark.parametrize("path", ["/../secret.txt", "/js/../../secret.txt"])
def test_nothing_outside_the_folder_is_served(console: str, path: str) -> None:
    # Sent as written: requests would remove the dot segments before the server saw them.
    address = urlsplit(console)
    connection = http.client.HTTPConnection(address.netloc, timeout=5)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        assert (response.status, response.read()) == (404, b"not found\n")
    finally:
        connection.close()


def test_settings_come_from_the_stack(console: str) -> None:
    response = requests.get(console + "/settings.json", timeout=5)
    assert response.json() == SETTINGS
    assert response.headers["Cache-Control"] == "no-store"


def test_the_api_is_proxied_with_its_prefix_stripped_method_headers_body_status_and_headers(console: str) -> None:
    response = requests.patch(
        console + "/api/products/MUG-RED?limit=2",
        data=b'{"stock": 3}',
        headers={"Authorization": "Bearer t", "If-Match": '"6"', "Content-Type": "application/json"},
        timeout=5,
    )
    assert response.status_code == 418
    assert response.headers["ETag"] == '"7"'
    assert response.headers["Content-Type"] == "application/problem+json"
    received = response.json()
    assert (received["method"], received["path"], received["body"]) == ("PATCH", "/products/MUG-RED?limit=2", '{"stock": 3}')
    assert received["headers"]["Authorization"] == "Bearer t" and received["headers"]["If-Match"] == '"6"'
    # The API's headers policy: an overriding header replaces the origin's, any other fills a gap.
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'"
    assert "Referrer-Policy" not in response.headers


def test_a_header_the_api_policy_does_not_override_is_the_apis_own(console: str) -> None:
    assert requests.get(console + "/api/docs", timeout=5).headers["Content-Security-Policy"] == "default-src 'self' 'unsafe-inline'"


def test_the_consoles_own_responses_carry_the_console_policy(console: str) -> None:
    for path in ("/", "/orders/01J0ABC", "/js/app.js", "/settings.json", "/missing.js"):
        headers = requests.get(console + path, timeout=5).headers
        assert {name: headers.get(name) for name in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy")} == {
            "Content-Security-Policy": "default-src 'self'",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        }


def test_a_cloudfront_security_headers_config_makes_cloudfronts_headers() -> None:
    policy = HeadersPolicy.of(
        {
            "ContentSecurityPolicy": {"ContentSecurityPolicy": "default-src 'self'", "Override": False},
            "StrictTransportSecurity": {"AccessControlMaxAgeSec": 63072000, "IncludeSubdomains": True, "Preload": True, "Override": True},
            "ContentTypeOptions": {"Override": True},
            "FrameOptions": {"FrameOption": "SAMEORIGIN", "Override": True},
            "ReferrerPolicy": {"ReferrerPolicy": "no-referrer", "Override": True},
        }
    )
    assert policy.headers == {
        "Content-Security-Policy": ("default-src 'self'", False),
        "Strict-Transport-Security": ("max-age=63072000; includeSubDomains; preload", True),
        "X-Content-Type-Options": ("nosniff", True),
        "X-Frame-Options": ("SAMEORIGIN", True),
        "Referrer-Policy": ("no-referrer", True),
    }
    with pytest.raises(ValueError, match="XSSProtection"):
        HeadersPolicy.of({"XSSProtection": {"Protection": True, "Override": True}})


def test_the_local_stage_takes_web_s_settings_and_policies_with_the_local_pool() -> None:
    config = ConsoleConfig.of(resolved_config("web", env={**POOL.web_env, "PEDIDOS_CURRENCY": "BRL"}))
    assert config.settings == {
        "apiBaseUrl": "/api",
        "region": "eu-west-1",
        "cognitoEndpoint": "http://127.0.0.1:4566",
        "userPoolId": "eu-west-1_local",
        "clientId": "localclient",
        "currency": "BRL",
    }
    policy, override = config.console_headers.headers["Content-Security-Policy"]
    assert "; connect-src 'self' http://127.0.0.1:4566;" in policy and override
    # The API's own policy (Swagger UI's on /docs) is kept, as the /api/* behaviour keeps it.
    assert config.api_headers.headers["Content-Security-Policy"][1] is False


def test_only_reads_reach_the_files(console: str) -> None:
    assert requests.post(console + "/orders", timeout=5).status_code == 405


def test_the_real_console_folder_has_its_entry_points() -> None:
    public = Path(__file__).parents[2] / "services" / "web" / "public"
    assert '<script type="module" src="/js/app.js"></script>' in (public / "index.html").read_text()
    assert (public / "js" / "app.js").is_file() and (public / "styles.css").is_file()
