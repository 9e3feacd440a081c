"""The console's local server: what CloudFront does on AWS, on one port.

    /settings.json   the console's runtime settings, from the running stack
    /api/*           proxied to serverless offline with `/api` stripped
    /<file>          services/web/public, with its content type
    anything else    index.html when the path names no file (history routes)

Every response carries the security headers the CloudFront response headers
policy sends (without HSTS: this is plain HTTP on loopback).
"""

import http.client
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from devstack.serverless import SERVICES

PUBLIC = SERVICES / "web" / "public"
API_PREFIX = "/api"

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
}

# RFC 9110 7.6.1: hop-by-hop headers are the proxy's own, never forwarded. Host names
# the origin (CloudFront does not forward the viewer's either); lengths are recomputed.
HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length"}
)


def security_headers(cognito_origin: str) -> dict[str, str]:
    """The response headers policy: the console talks only to its own origin and to Cognito."""
    policy = "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self'",
            f"connect-src 'self' {cognito_origin}",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )
    return {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "strict-origin-when-cross-origin",
    }


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class ConsoleServer:
    """Serves the console and proxies its API calls, until stopped."""

    def __init__(self, port: int, api_url: str, settings: dict[str, Any], public: Path = PUBLIC) -> None:
        api = urlsplit(api_url)
        handler = type(
            "Handler",
            (ConsoleHandler,),
            {
                "public": public.resolve(),
                "settings_body": json.dumps(settings).encode(),
                "api_host": api.hostname,
                "api_port": api.port,
                "headers_policy": security_headers(origin_of(settings["cognitoEndpoint"])),
            },
        )
        self.server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, name="console", daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "ConsoleServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)


class ConsoleHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    public: Path
    settings_body: bytes
    api_host: str
    api_port: int
    headers_policy: dict[str, str]

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._handle()

    def do_HEAD(self) -> None:  # noqa: N802
        self._handle()

    def do_POST(self) -> None:  # noqa: N802
        self._handle()

    def do_PUT(self) -> None:  # noqa: N802
        self._handle()

    def do_PATCH(self) -> None:  # noqa: N802
        self._handle()

    def do_DELETE(self) -> None:  # noqa: N802
        self._handle()

    def do_OPTIONS(self) -> None:  # noqa: N802
        self._handle()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's signature
        pass

    def _handle(self) -> None:
        path = urlsplit(self.path).path
        if path == API_PREFIX or path.startswith(API_PREFIX + "/"):
            self._proxy()
        elif self.command not in ("GET", "HEAD"):
            self._send(405, b"", "text/plain; charset=utf-8", {"Allow": "GET, HEAD"})
        elif path == "/settings.json":
            self._send(200, self.settings_body, CONTENT_TYPES[".json"], {"Cache-Control": "no-store"})
        else:
            self._static(path)

    def _static(self, path: str) -> None:
        target = (self.public / path.lstrip("/")).resolve()
        if target.is_file() and target.is_relative_to(self.public):
            self._send(200, target.read_bytes(), CONTENT_TYPES.get(target.suffix, "application/octet-stream"), {"Cache-Control": "no-cache"})
        elif "." in path.rsplit("/", 1)[-1]:
            # A missing asset is a 404, not the app: a wrong script path must fail visibly.
            self._send(404, b"not found\n", CONTENT_TYPES[".txt"], {})
        else:
            self._send(200, (self.public / "index.html").read_bytes(), CONTENT_TYPES[".html"], {"Cache-Control": "no-cache"})

    def _proxy(self) -> None:
        upstream_path = self.path[len(API_PREFIX) :] or "/"
        if not upstream_path.startswith("/"):
            upstream_path = "/" + upstream_path
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {name: value for name, value in self.headers.items() if name.lower() not in HOP_BY_HOP}
        connection = http.client.HTTPConnection(self.api_host, self.api_port, timeout=60)
        try:
            connection.request(self.command, upstream_path, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            # The headers policy overrides what the origin sent, as CloudFront's does.
            # Date and Server are the proxy's own (send_response writes them).
            overridden = HOP_BY_HOP | {"date", "server"} | {name.lower() for name in self.headers_policy}
            forwarded = [(name, value) for name, value in response.getheaders() if name.lower() not in overridden]
        except OSError:
            self._send(502, b'{"title": "Bad Gateway", "status": 502, "detail": "the API is not reachable"}', "application/problem+json", {})
            return
        finally:
            connection.close()
        self.send_response(response.status)
        for name, value in forwarded:
            self.send_header(name, value)
        self._finish(payload)

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in headers.items():
            self.send_header(name, value)
        self._finish(body)

    def _finish(self, body: bytes) -> None:
        for name, value in self.headers_policy.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
