"""Bearer-token verification, on both the dev (HS256) and the production (RS256 + JWKS) paths."""

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pydantic import ValidationError

from pedidos_api.settings import TokenSettings
from pedidos_api.tokens import InvalidToken, TokenVerifier

ISSUER, AUDIENCE = "https://issuer.test", "pedidos-api"
SECRET = "dev-only-test-secret-" + "x" * 43  # 64 bytes: long enough for every HMAC size, HS512 included


def claims(**overrides: object) -> dict:
    now = int(time.time())
    return {"sub": "alice", "iss": ISSUER, "aud": AUDIENCE, "iat": now, "nbf": now, "exp": now + 600, **overrides}


def hs_verifier() -> TokenVerifier:
    return TokenVerifier(
        TokenSettings.model_validate(
            {"JWT_ISSUER": ISSUER, "JWT_AUDIENCE": AUDIENCE, "JWT_ALGORITHMS": "HS256", "JWT_DEV_SECRET": SECRET}
        )
    )


def test_a_valid_token_names_the_customer_and_its_scopes():
    principal = hs_verifier().verify("Bearer " + jwt.encode(claims(scope="admin orders:read"), SECRET, "HS256"))
    assert principal.subject == "alice"
    assert principal.is_admin
    assert not hs_verifier().verify("Bearer " + jwt.encode(claims(), SECRET, "HS256")).is_admin


@pytest.mark.parametrize(
    "token",
    [
        jwt.encode(claims(exp=int(time.time()) - 3600), SECRET, "HS256"),
        jwt.encode(claims(nbf=int(time.time()) + 3600), SECRET, "HS256"),
        jwt.encode(claims(iss="https://evil.test"), SECRET, "HS256"),
        jwt.encode(claims(aud="another-api"), SECRET, "HS256"),
        jwt.encode(claims(), "another-secret-" + "y" * 32, "HS256"),
        jwt.encode(claims(), None, "none"),
        jwt.encode({k: v for k, v in claims().items() if k != "sub"}, SECRET, "HS256"),
        jwt.encode({k: v for k, v in claims().items() if k != "exp"}, SECRET, "HS256"),
        jwt.encode(claims(sub=42), SECRET, "HS512"),
        "not.a.token",
        "",
    ],
    ids=["expired", "not-yet-valid", "wrong-issuer", "wrong-audience", "bad-signature", "alg-none", "no-sub", "no-exp", "other-alg", "garbage", "empty"],
)
def test_bad_tokens_are_refused(token):
    with pytest.raises(InvalidToken):
        hs_verifier().verify(f"Bearer {token}")


@pytest.mark.parametrize("header", [None, "", "Basic abc", "Bearer", "Bearer   "])
def test_a_missing_or_non_bearer_header_is_refused(header):
    with pytest.raises(InvalidToken):
        hs_verifier().verify(header)


def test_one_deployment_never_mixes_symmetric_and_asymmetric_algorithms():
    base = {"JWT_ISSUER": ISSUER, "JWT_AUDIENCE": AUDIENCE, "JWT_DEV_SECRET": SECRET, "JWKS_URL": "http://jwks.test"}
    with pytest.raises(ValidationError):
        TokenSettings.model_validate({**base, "JWT_ALGORITHMS": "HS256,RS256"})
    with pytest.raises(ValidationError):
        TokenSettings.model_validate({**base, "JWT_ALGORITHMS": "HS256", "JWT_DEV_SECRET": "short"})
    with pytest.raises(ValidationError):
        TokenSettings.model_validate({**base, "JWT_ALGORITHMS": "RS256", "JWKS_URL": None})


class Issuer:
    """An OIDC issuer's signing keys, published as a JWKS over HTTP."""

    def __init__(self) -> None:
        self.keys: dict[str, rsa.RSAPrivateKey] = {}
        self.rotate("key-1")

    def rotate(self, kid: str) -> None:
        self.keys = {kid: rsa.generate_private_key(public_exponent=65537, key_size=2048)}

    def jwks(self) -> dict:
        return {
            "keys": [
                {**json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key())), "kid": kid, "use": "sig", "alg": "RS256"}
                for kid, key in self.keys.items()
            ]
        }

    def sign(self, kid: str | None = None, key: rsa.RSAPrivateKey | None = None, **overrides: object) -> str:
        kid = kid or next(iter(self.keys))
        return jwt.encode(claims(**overrides), key or self.keys[kid], "RS256", headers={"kid": kid})


@pytest.fixture
def issuer() -> Iterator[tuple[Issuer, str]]:
    published = Issuer()

    class JwksHandler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            body = json.dumps(published.jwks()).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), JwksHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield published, f"http://127.0.0.1:{server.server_port}/.well-known/jwks.json"
    server.shutdown()


def rs_verifier(jwks_url: str) -> TokenVerifier:
    settings = TokenSettings.model_validate(
        {"JWT_ISSUER": ISSUER, "JWT_AUDIENCE": AUDIENCE, "JWT_ALGORITHMS": "RS256", "JWKS_URL": jwks_url}
    )
    # No cool-down between JWKS refreshes, so a rotation shows at once in the test.
    return TokenVerifier(settings, jwks_client=jwt.PyJWKClient(jwks_url, cooldown_duration=0))


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
