"""The issuer's keys over real HTTP: rotation, forgeries, and an issuer that resets, truncates or answers junk."""

import base64
import hashlib
import hmac
import json
import socket
import struct
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from devstack.signing_issuer import Clock, Issuer, bearer, claims, rs_settings
from pedidos_api.issuer_keys import IssuerKeys
from pedidos_api.tokens import InvalidToken, KeysUnavailable, TokenVerifier

# How the test's issuer may answer a JWKS request besides with its keys.
BROKEN_ANSWERS = ("reset", "disconnect", "truncated", "500", "junk")


@pytest.fixture
def issuer() -> Iterator[tuple[Issuer, str]]:
    published = Issuer()

    class JwksHandler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # the http.server API
            published.requests += 1
            if published.answer == "reset":  # RST before any byte of the response
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.connection.close()
                self.close_connection = True
                return
            if published.answer == "disconnect":  # closed cleanly, with no response at all
                self.close_connection = True
                return
            status, body = {
                "500": (500, b'{"message": "internal error"}'),
                "junk": (200, b"<html>not a key set</html>"),
            }.get(published.answer, (200, json.dumps(published.jwks()).encode()))
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            if published.answer == "truncated":  # promises more than it sends
                self.send_header("Content-Length", str(len(body) + 100))
                self.end_headers()
                self.wfile.write(body)
                self.close_connection = True
                return
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    class JwksServer(HTTPServer):
        def handle_error(self, request: object, client_address: object) -> None:
            pass  # writing to a socket the handler reset on purpose

    server = JwksServer(("127.0.0.1", 0), JwksHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield published, f"http://127.0.0.1:{server.server_port}/.well-known/jwks.json"
    server.shutdown()
    server.server_close()



def rs_verifier(jwks_url: str) -> TokenVerifier:
    # No wait between JWKS refetches, so a rotation shows at once in the test.
    return TokenVerifier(rs_settings(jwks_url), keys=IssuerKeys(jwks_url, retry_after=0))


def hs256_signed_with(secret: bytes, kid: str) -> str:
    """A token whose HMAC key is the RSA public key: the classic algorithm-confusion forgery."""

    def encode(part: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()

    signing_input = f"{encode({'alg': 'HS256', 'typ': 'JWT', 'kid': kid})}.{encode(claims())}"
    signature = base64.urlsafe_b64encode(hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()).rstrip(b"=")
    return f"{signing_input}.{signature.decode()}"


def test_rs256_tokens_verify_against_the_issuers_jwks_across_a_key_rotation(issuer):
    published, url = issuer
    verifier = rs_verifier(url)
    old_token = published.sign()
    assert verifier.verify(f"Bearer {old_token}").subject == "alice"

    published.rotate("key-2")
    assert verifier.verify(f"Bearer {published.sign(sub='bob')}").subject == "bob"
    with pytest.raises(InvalidToken):
        verifier.verify(f"Bearer {old_token}")  # signed by a key the issuer rotated out


def test_rs256_refuses_unknown_kids_foreign_keys_and_algorithm_confusion(issuer):
    published, url = issuer
    verifier = rs_verifier(url)
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = published.keys["key-1"].public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    forged = (
        published.sign(kid="key-9", key=stranger),
        published.sign(kid="key-1", key=stranger),
        published.sign(iss="https://evil.test"),
        hs256_signed_with(public_pem, "key-1"),
    )
    for token in forged:
        with pytest.raises(InvalidToken):
            verifier.verify(f"Bearer {token}")
    assert verifier.verify(f"Bearer {published.sign()}").subject == "alice"


@pytest.mark.parametrize("answer", BROKEN_ANSWERS)
def test_an_issuer_failing_at_the_first_fetch_is_keys_unavailable_never_a_crash(issuer, answer):
    published, url = issuer
    published.answer = answer
    verifier = TokenVerifier(rs_settings(url))  # as the authorizer builds it
    with pytest.raises(KeysUnavailable):
        verifier.verify(bearer(published.sign()))
    assert published.requests == 1


@pytest.mark.parametrize("answer", BROKEN_ANSWERS)
def test_the_cached_key_set_serves_while_the_issuer_fails_over_http(issuer, answer):
    published, url = issuer
    clock = Clock()
    verifier = TokenVerifier(rs_settings(url), keys=IssuerKeys(url, clock=clock))
    token = published.sign()
    assert verifier.verify(bearer(token)).subject == "alice"

    published.answer = answer
    clock.advance(301)
    assert verifier.verify(bearer(token)).subject == "alice"
    assert published.requests == 2  # the refresh was tried, and failed
    published.rotate("key-2")
    with pytest.raises(KeysUnavailable):
        verifier.verify(bearer(published.sign()))
    assert published.requests == 2  # and is not tried again within 30 s
