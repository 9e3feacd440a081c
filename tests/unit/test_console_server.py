"""The console's local server: files, history routes, settings, the /api proxy and the headers policy."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from devstack.console import ConsoleServer

SETTINGS = {"apiBaseUrl": "/api", "region": "eu-west-1", "cognitoEndpoint": "http://127.0.0.1:4566", "userPoolId": "p", "clientId": "c"}


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
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_GET = do_POST = do_PATCH = _echo  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    public = tmp_path_factory.mktemp("public")
    (public / "index.html").write_text("<!doctype html><title>app</title>")
    (public / "js").mkdir()
    (public / "js" / "app.js").write_text("export {};")
    (public / "styles.css").write_text("body {}")
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    server = ConsoleServer(0, f"http://127.0.0.1:{upstream.server_address[1]}", SETTINGS, public=public).start()
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


@pytest.mark.parametrize("path", ["/js/missing.js", "/favicon.ico", "/../../etc/passwd.txt", "/%2e%2e/index.html"])
def test_a_missing_asset_is_a_404_and_nothing_outside_the_folder_is_served(console: str, path: str) -> None:
    assert requests.get(console + path, timeout=5).status_code == 404


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
    # The headers policy overrides the origin's, as CloudFront's does.
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_every_response_carries_the_headers_policy(console: str) -> None:
    for path in ("/", "/js/app.js", "/settings.json", "/api/health", "/missing.js"):
        headers = requests.get(console + path, timeout=5).headers
        assert headers["Content-Security-Policy"] == (
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self' http://127.0.0.1:4566; "
            "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        )
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_only_reads_reach_the_files(console: str) -> None:
    assert requests.post(console + "/orders", timeout=5).status_code == 405


def test_the_real_console_folder_has_its_entry_points() -> None:
    public = Path(__file__).parents[2] / "services" / "web" / "public"
    assert '<script type="module" src="/js/app.js"></script>' in (public / "index.html").read_text()
    assert (public / "js" / "app.js").is_file() and (public / "styles.css").is_file()
