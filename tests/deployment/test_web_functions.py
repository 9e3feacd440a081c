"""The web service's CloudFront Functions, run by node on the events CloudFront gives them."""

import json
import shutil
import subprocess

import pytest

from infra.definitions import SERVICES

FUNCTIONS = SERVICES / "web" / "functions"
# Evaluates a function file as CloudFront does (one script defining `handler`) and runs
# it on a viewer-request event per URI; prints each resulting request.
HARNESS = """
const fs = require('node:fs');
const vm = require('node:vm');
const [file, ...uris] = process.argv.slice(1);
const handler = vm.runInNewContext(fs.readFileSync(file, 'utf8') + '\\n;handler');
const requests = uris.map((uri) => handler({
  version: '1.0',
  context: { eventType: 'viewer-request' },
  viewer: { ip: '192.0.2.1' },
  request: { method: 'GET', uri, querystring: { limit: { value: '2' } }, headers: { host: { value: 'd1.cloudfront.net' } }, cookies: {} },
}));
process.stdout.write(JSON.stringify(requests));
"""


def run(function: str, uris: list[str]) -> list[dict]:
    node = shutil.which("node")
    assert node, "node is needed (Node 20, as for the Serverless Framework)"
    result = subprocess.run([node, "-e", HARNESS, str(FUNCTIONS / function), *uris], capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("uri", "served"),
    [
        ("/", "/index.html"),
        ("/orders/6f1c9d0e-7a2b-4c3d-8e9f-0a1b2c3d4e5f", "/index.html"),
        ("/admin/products/", "/index.html"),
        ("/orders", "/index.html"),
        ("/index.html", "/index.html"),
        ("/js/app.js", "/js/app.js"),
        ("/js/views/orders.js", "/js/views/orders.js"),
        ("/favicon.svg", "/favicon.svg"),
        ("/settings.json", "/settings.json"),
        ("/missing.css", "/missing.css"),
    ],
)
def test_console_routes_are_served_index_html_and_files_pass_as_they_are(uri, served):
    [request] = run("spa-routes.js", [uri])
    assert request["uri"] == served
    assert request["querystring"] == {"limit": {"value": "2"}}


@pytest.mark.parametrize(
    ("uri", "forwarded"),
    [
        ("/api/orders", "/orders"),
        ("/api/orders/6f1c9d/cancel", "/orders/6f1c9d/cancel"),
        ("/api/products/MUG-GREEN", "/products/MUG-GREEN"),
        ("/api/docs", "/docs"),
        ("/api/", "/"),
        ("/api/api/x", "/api/x"),
    ],
)
def test_the_api_prefix_is_stripped_once_and_the_query_string_kept(uri, forwarded):
    [request] = run("strip-api-prefix.js", [uri])
    assert request["uri"] == forwarded
    assert request["querystring"] == {"limit": {"value": "2"}}
    assert request["method"] == "GET" and request["headers"] == {"host": {"value": "d1.cloudfront.net"}}
