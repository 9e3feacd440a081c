"""The console's local server: what CloudFront does on AWS, on one port.

    /settings.json   the console's runtime settings, from the running stack
    /api/*           proxied to serverless offline with `/api` stripped
    /<file>          services/web/public, with its content type
    anything else    index.html when the path names no file (history routes)

The settings and the security headers are services/web/serverless.yml's, as the
framework resolves it for the local stage (`serverless print`): settings.json is
``custom.consoleFiles.settings``, and each response gets the headers of the
response headers policy the distribution attaches to its path (the console's, or
the API's under /api), with CloudFront's Override semantics. HSTS is sent too;
browsers ignore it over plain HTTP.
"""

import http.client
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from infra.definitions import SERVICES

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


@dataclass(frozen=True)
class HeadersPolicy:
    """A CloudFront response headers policy's security headers: name -> (value, whether it replaces the origin's)."""

    headers: dict[str, tuple[str, bool]]

    @classmethod
    def of(cls, security_headers_config: dict[str, Any]) -> "HeadersPolicy":
        """The headers CloudFront sends for a ``SecurityHeadersConfig``."""
        headers = {}
        for setting, config in security_headers_config.items():
            if setting not in SECURITY_HEADERS:
                raise ValueError(f"{setting}: a security header the local console server does not send")
            name, value_of = SECURITY_HEADERS[setting]
            headers[name] = (value_of(config), config["Override"])
        return cls(headers)

    def applied_to(self, origin_headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """The origin's headers with the policy's: an overriding header replaces the origin's, any other fills a gap."""
        sent = {name.lower() for name, _ in origin_headers}
        replaced = {name.lower() for name, (_, override) in self.headers.items() if override}
        kept = [(name, value) for name, value in origin_headers if name.lower() not in replaced]
        added = [(name, value) for name, (value, override) in self.headers.items() if override or name.lower() not in sent]
        return kept + added


def _hsts(config: dict[str, Any]) -> str:
    flags = [flag for setting, flag in (("IncludeSubdomains", "includeSubDomains"), ("Preload", "preload")) if config.get(setting)]
    return "; ".join([f"max-age={config['AccessControlMaxAgeSec']}", *flags])


# CloudFront's SecurityHeadersConfig settings, as the headers they make.
SECURITY_HEADERS: dict[str, tuple[str, Callable[[dict[str, Any]], str]]] = {
    "ContentSecurityPolicy": ("Content-Security-Policy", lambda config: config["ContentSecurityPolicy"]),
    "StrictTransportSecurity": ("Strict-Transport-Security", _hsts),
    "ContentTypeOptions": ("X-Content-Type-Options", lambda config: "nosniff"),
    "FrameOptions": ("X-Frame-Options", lambda config: config["FrameOption"]),
    "ReferrerPolicy": ("Referrer-Policy", lambda config: config["ReferrerPolicy"]),
}


@dataclass(frozen=True)
class ConsoleConfig:
    """What the local console server takes from the web service: its settings and both behaviours' headers policies."""

    settings: dict[str, Any]
    console_headers: HeadersPolicy
    api_headers: HeadersPolicy

    @classmethod
    def of(cls, web: dict[str, Any]) -> "ConsoleConfig":
        """From services/web/serverless.yml as ``serverless print`` resolves it."""
        resources = web["resources"]["Resources"]
        [distribution] = [each for each in resources.values() if each["Type"] == "AWS::CloudFront::Distribution"]
        behaviours = distribution["Properties"]["DistributionConfig"]
        [api] = [each for each in behaviours["CacheBehaviors"] if each["PathPattern"] == API_PREFIX + "/*"]

        def policy(behaviour: dict[str, Any]) -> HeadersPolicy:
            config = resources[behaviour["ResponseHeadersPolicyId"]["Ref"]]["Properties"]["ResponseHeadersPolicyConfig"]
            return HeadersPolicy.of(config["SecurityHeadersConfig"])

        return cls(web["custom"]["consoleFiles"]["settings"], policy(behaviours["DefaultCacheBehavior"]), policy(api))


class ConsoleServer:
    """Serves the console and proxies its API calls, until stopped."""

    def __init__(self, port: int, api_url: str, config: ConsoleConfig, public: Path = PUBLIC) -> None:
        api = urlsplit(api_url)
        handler = type(
            "Handler",
            (ConsoleHandler,),
            {
                "public": public.resolve(),
                "settings_body": json.dumps(config.settings).encode(),
                "api_host": api.hostname,
                "api_port": api.port,
                "console_headers": config.console_headers,
                "api_headers": config.api_headers,
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
    console_headers: HeadersPolicy
    api_headers: HeadersPolicy

    def do_GET(self) -> None:  # http.server's naming
        self._handle()

    def do_HEAD(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_PATCH(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def do_OPTIONS(self) -> None:
        self._handle()

    def log_message(self, format: str, *args: Any) -> None:  # http.server's signature
        pass

    def _handle(self) -> None:
        path = urlsplit(self.path).path
        if path == API_PREFIX or path.startswith(API_PREFIX + "/"):
            self._proxy()
        elif self.command not in ("GET", "HEAD"):
            self._send(405, b"", CONTENT_TYPES[".txt"], {"Allow": "GET, HEAD"})
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
            # Date and Server are the proxy's own (send_response writes them).
            forwarded = [(name, value) for name, value in response.getheaders() if name.lower() not in HOP_BY_HOP | {"date", "server"}]
        except OSError:
            problem = b'{"title": "Bad Gateway", "status": 502, "detail": "the API is not reachable"}'
            self._respond(502, problem, [("Content-Type", "application/problem+json")], self.api_headers)
            return
        finally:
            connection.close()
        self._respond(response.status, payload, forwarded, self.api_headers)

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str]) -> None:
        """A response of the console's own (its files, settings.json), under the console's headers policy."""
        self._respond(status, body, [("Content-Type", content_type), *headers.items()], self.console_headers)

    def _respond(self, status: int, body: bytes, headers: list[tuple[str, str]], policy: HeadersPolicy) -> None:
        self.send_response(status)
        for name, value in policy.applied_to(headers):
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
