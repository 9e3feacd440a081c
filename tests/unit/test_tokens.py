"""Bearer-token verification: RS256 against the issuer's JWKS, on tokens shaped as Cognito's are."""

import http.client
import json
import time
import urllib.error

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from pydantic import ValidationError

from devstack.signing_issuer import (
    AUDIENCE,
    COGNITO_SCOPE,
    PUBLISHED,
    Clock,
    Issuer,
    bearer,
    claims,
    id_claims,
    issuer_settings,
    rs_settings,
    verifier,
)
from pedidos_api.issuer_keys import IssuerKeys
from pedidos_api.tokens import InvalidToken, KeysUnavailable, TokenVerifier


def principal_of(token: str, **settings: str):
    return verifier(**settings).verify(f"Bearer {token}")


# Claim mapping: the defaults take Cognito's access tokens as they are.

ADMIN_BY_GROUP = {
    "admin-group": ({"cognito:groups": ["admin"]}, True),
    "admin-among-groups": ({"cognito:groups": ["staff", "admin"]}, True),
    "no-groups": ({}, False),
    "other-groups": ({"cognito:groups": ["admins", "Admin", "staff"]}, False),
    "cognito-scope-only": ({"scope": COGNITO_SCOPE}, False),
    "admin-scope-is-not-a-group": ({"scope": f"admin {COGNITO_SCOPE}"}, False),
}


@pytest.mark.parametrize(("extra", "admin"), ADMIN_BY_GROUP.values(), ids=ADMIN_BY_GROUP.keys())
def test_by_default_a_cognito_access_token_names_its_sub_and_admin_is_the_admin_group(extra, admin):
    principal = principal_of(PUBLISHED.sign(sub="7457305e-4dad-4d11-ac6e-535e6a0c5c16", **extra))
    assert principal.subject == "7457305e-4dad-4d11-ac6e-535e6a0c5c16"
    assert principal.is_admin is admin


def test_the_groups_claim_is_a_setting():
    assert principal_of(PUBLISHED.sign(groups=["admin"]), JWT_GROUPS_CLAIM="groups").is_admin
    assert not principal_of(PUBLISHED.sign_claims(claims(**{"cognito:groups": ["admin"]})), JWT_GROUPS_CLAIM="groups").is_admin


ADMIN_BY_SCOPE = {
    "admin-word": ("admin", True),
    "admin-among-words": (f"{COGNITO_SCOPE} orders:read admin", True),
    "cognito-scope-only": (COGNITO_SCOPE, False),
    "admin-inside-a-word": ("admin:read pedidos/admin", False),
    "no-scope": (None, False),
}


@pytest.mark.parametrize(("scope", "admin"), ADMIN_BY_SCOPE.values(), ids=ADMIN_BY_SCOPE.keys())
def test_with_admin_from_scope_only_the_word_admin_makes_an_administrator(scope, admin):
    token = PUBLISHED.sign_claims(claims(scope=scope, **{"cognito:groups": ["admin"]}))  # the group counts for nothing here
    assert principal_of(token, JWT_ADMIN_FROM="scope").is_admin is admin


def test_with_the_aud_claim_cognito_id_tokens_verify_and_their_groups_make_admins():
    settings = {"JWT_AUDIENCE_CLAIM": "aud"}
    assert principal_of(PUBLISHED.sign_claims(id_claims()), **settings).subject == "alice"
    assert not principal_of(PUBLISHED.sign_claims(id_claims()), **settings).is_admin
    assert principal_of(PUBLISHED.sign_claims(id_claims(**{"cognito:groups": ["admin"]})), **settings).is_admin
    # An ID token has no scope: where admin comes from the scope, it is never an administrator.
    assert not principal_of(PUBLISHED.sign_claims(id_claims(**{"cognito:groups": ["admin"]})), JWT_ADMIN_FROM="scope", **settings).is_admin
    with pytest.raises(InvalidToken):  # an access token carries no aud
        principal_of(PUBLISHED.sign(), **settings)
    with pytest.raises(InvalidToken):
        principal_of(PUBLISHED.sign_claims(id_claims(aud="another-client")), **settings)


SHAPES_REFUSED_BY_DEFAULT = {
    "id-token": id_claims(),
    "id-token-with-client-id": id_claims(client_id=AUDIENCE),
    "another-client": claims(client_id="another-client"),
    "no-client-id": claims(client_id=None),
    "client-id-not-a-string": claims(client_id=[AUDIENCE]),
    "no-token-use": claims(token_use=None),
    "token-use-id": claims(token_use="id"),
    "groups-not-a-list": claims(**{"cognito:groups": "admin"}),
    "groups-not-strings": claims(**{"cognito:groups": [["admin"]]}),
}


@pytest.mark.parametrize("payload", SHAPES_REFUSED_BY_DEFAULT.values(), ids=SHAPES_REFUSED_BY_DEFAULT.keys())
def test_by_default_anything_but_an_access_token_of_the_console_client_is_refused(payload):
    with pytest.raises(InvalidToken):
        principal_of(PUBLISHED.sign_claims(payload))


def test_a_scope_that_is_not_a_string_is_refused_where_admin_comes_from_the_scope():
    with pytest.raises(InvalidToken):
        principal_of(PUBLISHED.sign(scope=["admin"]), JWT_ADMIN_FROM="scope")


@pytest.mark.parametrize(
    "token",
    [
        PUBLISHED.sign(exp=int(time.time()) - 3600),
        PUBLISHED.sign(nbf=int(time.time()) + 3600),
        PUBLISHED.sign(iss="https://evil.test"),
        PUBLISHED.sign(key=rsa.generate_private_key(public_exponent=65537, key_size=2048)),
        jwt.encode(claims(), "", "none"),  # pyjwt takes no key, "" or None, for "none"
        jwt.encode(claims(), "a-shared-secret-" + "y" * 32, "HS256"),
        PUBLISHED.sign(sub=None),
        PUBLISHED.sign(exp=None),
        PUBLISHED.sign(sub=42),
        "not.a.token",
        "",
    ],
    ids=["expired", "not-yet-valid", "wrong-issuer", "bad-signature", "alg-none", "hs256", "no-sub", "no-exp", "sub-not-a-string", "garbage", "empty"],
)
def test_bad_tokens_are_refused(token):
    with pytest.raises(InvalidToken):
        principal_of(token)


@pytest.mark.parametrize(
    "subject", ["", "x" * 257, "\ud800", "ok\udfff"], ids=["empty", "longer-than-a-customer-id", "lone-surrogate", "trailing-surrogate"]
)
def test_a_signed_token_whose_subject_cannot_key_orders_is_refused(subject):
    # A 3,000-character sub made POST /orders a 500: its listing key is over DynamoDB's 2,048 bytes.
    with pytest.raises(InvalidToken):
        principal_of(PUBLISHED.sign(sub=subject))


def test_the_longest_subject_a_customer_id_may_be_is_accepted():
    assert principal_of(PUBLISHED.sign(sub="\U0001f600" * 256)).subject == "\U0001f600" * 256


@pytest.mark.parametrize("header", [None, "", "Basic abc", "Bearer", "Bearer   "])
def test_a_missing_or_non_bearer_header_is_refused(header):
    with pytest.raises(InvalidToken):
        verifier().verify(header)


@pytest.mark.parametrize(
    "settings",
    [
        {"JWT_ALGORITHMS": "HS256"},
        {"JWT_ALGORITHMS": "HS256,RS256"},
        {"JWT_ALGORITHMS": "none"},
        {"JWT_ALGORITHMS": ""},
        {"JWKS_URL": ""},
        {"JWT_ADMIN_FROM": "role"},
        {"JWT_AUDIENCE_CLAIM": ""},
        {"JWT_GROUPS_CLAIM": "a b"},
    ],
    ids=["symmetric", "mixed", "none", "no-algorithm", "no-jwks", "unknown-admin-source", "no-audience-claim", "bad-groups-claim"],
)
def test_settings_accept_only_asymmetric_algorithms_a_key_set_and_known_mappings(settings):
    with pytest.raises(ValidationError):
        issuer_settings(**settings)


def test_the_defaults_are_cognitos_access_tokens():
    settings = issuer_settings()
    assert (settings.audience_claim, settings.admin_from, settings.groups_claim, settings.algorithms) == (
        "client_id",
        "group",
        "cognito:groups",
        ("RS256",),
    )
















# An issuer that cannot be reached, or answers with something that is not its keys.
# The verifier must keep the last good key set through it, and never let the failure out.




class JwksEndpoint:
    """The issuer's JWKS endpoint as a fetch function: its keys, or the failure it is set to, counting calls."""

    def __init__(self, published: Issuer) -> None:
        self.published = published
        self.failure: BaseException | None = None
        self.document: object = None  # answered instead of the keys, when set
        self.calls = 0

    def __call__(self) -> object:
        self.calls += 1
        if self.failure is not None:
            raise self.failure
        return self.document if self.document is not None else self.published.jwks()


def fake_issuer(**limits: float) -> tuple[Issuer, JwksEndpoint, Clock, TokenVerifier]:
    published, clock = Issuer(), Clock()
    endpoint = JwksEndpoint(published)
    keys = IssuerKeys("http://issuer.test/.well-known/jwks.json", fetch=endpoint, clock=clock, **limits)
    return published, endpoint, clock, TokenVerifier(rs_settings(), keys=keys)




FAILED_FETCHES = {
    "connection-reset": ConnectionResetError(104, "Connection reset by peer"),
    "remote-disconnected": http.client.RemoteDisconnected("Remote end closed connection without response"),
    "incomplete-read": http.client.IncompleteRead(b'{"keys": [', 100),
    "timeout": TimeoutError("timed out"),
    "unreachable": urllib.error.URLError(ConnectionRefusedError(111, "Connection refused")),
    "http-500": jwt.PyJWKClientConnectionError('Fail to fetch data from the url, err: "HTTP Error 500"'),
    "not-json": json.JSONDecodeError("Expecting value", "<html>", 0),
    "not-an-object": jwt.PyJWKClientError("The JWKS endpoint did not return a JSON object"),
    "no-usable-key": jwt.PyJWKSetError("The JWK Set did not contain any usable keys"),
}
JUNK_DOCUMENTS = {
    "a-list": [],
    "no-keys": {"keys": []},
    "keys-not-a-list": {"keys": "key-1"},
    "keys-not-objects": {"keys": ["key-1"]},
    "unknown-key-type": {"keys": [{"kty": "nonsense", "kid": "key-1"}]},
    "no-signing-key": {"keys": [{"kty": "oct", "k": "c2VjcmV0", "kid": "key-1", "use": "enc"}]},
}


def test_the_last_good_key_set_serves_past_its_lifespan_while_the_issuer_is_down():
    published, endpoint, clock, verifier = fake_issuer()
    token = published.sign()
    assert verifier.verify(bearer(token)).subject == "alice"

    endpoint.failure = ConnectionResetError(104, "Connection reset by peer")
    for _ in range(6):
        clock.advance(3_600)  # well past the 5 minutes a set is fresh, within the day it may serve stale
        assert verifier.verify(bearer(token)).subject == "alice"
    assert endpoint.calls == 7  # each hour, one refresh was tried


BAD_REFRESHES = {
    **{f"failed-{name}": ("failure", failure) for name, failure in FAILED_FETCHES.items()},
    **{f"junk-{name}": ("document", document) for name, document in JUNK_DOCUMENTS.items()},
}


@pytest.mark.parametrize(("attribute", "value"), BAD_REFRESHES.values(), ids=BAD_REFRESHES.keys())
def test_a_failed_fetch_or_an_answer_that_is_not_a_key_set_keeps_the_last_good_set(attribute, value):
    published, endpoint, clock, verifier = fake_issuer()
    token = published.sign()
    verifier.verify(bearer(token))

    setattr(endpoint, attribute, value)
    clock.advance(301)
    assert verifier.verify(bearer(token)).subject == "alice"
    assert endpoint.calls == 2


def test_a_key_set_older_than_the_stale_bound_is_not_served():
    published, endpoint, clock, verifier = fake_issuer(stale_for=3_600)
    token = published.sign()
    verifier.verify(bearer(token))

    endpoint.failure = TimeoutError("timed out")
    clock.advance(3_599)
    assert verifier.verify(bearer(token)).subject == "alice"
    clock.advance(1)
    with pytest.raises(KeysUnavailable):  # not InvalidToken: the token was never checked
        verifier.verify(bearer(token))

    endpoint.failure = None
    clock.advance(30)
    assert verifier.verify(bearer(token)).subject == "alice"  # back as soon as the issuer is


@pytest.mark.parametrize("failure", FAILED_FETCHES.values(), ids=FAILED_FETCHES.keys())
def test_with_no_key_set_at_all_a_failed_fetch_is_keys_unavailable(failure):
    published, endpoint, _, verifier = fake_issuer()
    endpoint.failure = failure
    with pytest.raises(KeysUnavailable):
        verifier.verify(bearer(published.sign()))


def test_a_failed_fetch_is_not_tried_again_before_retry_after():
    published, endpoint, clock, verifier = fake_issuer(retry_after=30)
    token = published.sign()
    endpoint.failure = ConnectionResetError(104, "Connection reset by peer")
    for _ in range(20):  # a cold start during the outage: one fetch, not one per request
        with pytest.raises(KeysUnavailable):
            verifier.verify(bearer(token))
        clock.advance(1)
    assert endpoint.calls == 1

    clock.advance(10)  # 30 s after the failure
    endpoint.failure = None
    assert verifier.verify(bearer(token)).subject == "alice"
    assert endpoint.calls == 2

    endpoint.failure = ConnectionResetError(104, "Connection reset by peer")
    clock.advance(301)  # stale now: served, with a refresh tried once per 30 s
    for _ in range(29):
        assert verifier.verify(bearer(token)).subject == "alice"
        clock.advance(1)
    assert endpoint.calls == 3
    clock.advance(1)
    verifier.verify(bearer(token))
    assert endpoint.calls == 4


def test_tokens_naming_unknown_keys_refetch_at_most_once_per_interval():
    published, endpoint, clock, verifier = fake_issuer(retry_after=30)
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    verifier.verify(bearer(published.sign()))

    clock.advance(30)
    for number in range(50):  # the issuer up: each is refused, one refetch between them
        with pytest.raises(InvalidToken):
            verifier.verify(bearer(published.sign(kid=f"made-up-{number}", key=stranger)))
    assert endpoint.calls == 2

    endpoint.failure = ConnectionResetError(104, "Connection reset by peer")
    clock.advance(30)
    for number in range(50):  # the issuer down: still one fetch per 30 s, however many kids
        with pytest.raises(KeysUnavailable):
            verifier.verify(bearer(published.sign(kid=f"made-up-{number}", key=stranger)))
    assert endpoint.calls == 3
    assert verifier.verify(bearer(published.sign())).subject == "alice"  # the known key still serves


def test_a_rotated_key_is_fetched_when_a_token_names_it_also_after_an_outage():
    published, endpoint, clock, verifier = fake_issuer(retry_after=30)
    old_token = published.sign()
    verifier.verify(bearer(old_token))

    published.rotate("key-2")
    clock.advance(30)
    assert verifier.verify(bearer(published.sign(sub="bob"))).subject == "bob"
    assert endpoint.calls == 2
    with pytest.raises(InvalidToken):
        verifier.verify(bearer(old_token))  # signed by a key the issuer rotated out

    endpoint.failure = TimeoutError("timed out")
    clock.advance(600)
    bobs = published.sign(sub="bob")
    assert verifier.verify(bearer(bobs)).subject == "bob"  # stale, during the outage

    endpoint.failure = None
    published.rotate("key-3")
    clock.advance(30)  # back, rotated meanwhile: the periodic refresh picks it up
    assert verifier.verify(bearer(published.sign(sub="carol"))).subject == "carol"
    with pytest.raises(InvalidToken):
        verifier.verify(bearer(bobs))


def test_a_key_the_last_set_lacks_is_not_called_invalid_while_the_issuer_is_down():
    published, endpoint, clock, verifier = fake_issuer()
    verifier.verify(bearer(published.sign()))

    endpoint.failure = ConnectionResetError(104, "Connection reset by peer")
    clock.advance(301)
    published.rotate("key-2")  # perhaps the issuer rotated: there is no asking it
    with pytest.raises(KeysUnavailable):
        verifier.verify(bearer(published.sign()))


def test_a_failed_fetch_is_logged_and_the_token_is_not(caplog):
    published, endpoint, _, verifier = fake_issuer()
    endpoint.failure = ConnectionResetError(104, "Connection reset by peer")
    token = published.sign()
    with pytest.raises(KeysUnavailable):
        verifier.verify(bearer(token))
    [record] = [record for record in caplog.records if record.getMessage() == "issuer keys not refreshed"]
    assert record.levelname == "WARNING"
    assert record.error == "ConnectionResetError"
    logged = json.dumps(vars(record), default=str)
    assert not any(part in logged for part in token.split("."))


# The same over HTTP, against an issuer that breaks the connection or answers badly.




