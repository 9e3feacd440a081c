"""Fixtures every layer of tests shares: the local AWS endpoint, its user pool and their tokens."""

import os
from collections.abc import Callable, Iterator

import pytest
import yaml

from devstack.cognito import LocalUserPool, SignedIn
from devstack.dev_secrets import secrets_env
from devstack.stack import DevStack, Ports, aws_env
from infra.definitions import ROOT, resolved_config

# Powertools' Metrics takes its namespace from the environment when pedidos.observability is
# first imported, and test modules import the handlers at collection, before any fixture runs:
# the namespace the functions are given, from its one definition, is set first.
os.environ.setdefault(
    "POWERTOOLS_METRICS_NAMESPACE", yaml.safe_load((ROOT / "services/shared/resources/names.yml").read_text())["metricsNamespace"]
)


@pytest.fixture(scope="session")
def api_config() -> dict:
    """The api service's serverless.yml for the local stage, every variable resolved."""
    return resolved_config("api", env=secrets_env())


@pytest.fixture(scope="session")
def user_pool(local_aws: DevStack) -> LocalUserPool:
    """The user pool whose tokens the code under test verifies (the e2e stack has its own)."""
    return local_aws.users


@pytest.fixture(scope="session")
def token_for(user_pool: LocalUserPool) -> Callable[..., SignedIn]:
    """``username`` signed in to the session's user pool, an administrator or not: its access token and its ``sub``.

    Each user signs in once per session (tokens last an hour), so a test may ask as often as it likes.
    """
    signed_in: dict[tuple[str, bool], SignedIn] = {}

    def sign_in(username: str, admin: bool = False) -> SignedIn:
        if (username, admin) not in signed_in:
            signed_in[username, admin] = user_pool.token_for(username, admin=admin)
        return signed_in[username, admin]

    return sign_in


@pytest.fixture(scope="session")
def local_aws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevStack]:
    """A moto server on a free port, holding the shared stack's tables and queues."""
    stack = DevStack(ports=Ports.free(), log_dir=tmp_path_factory.mktemp("logs"))
    stack.start_aws_endpoint()
    yield stack
    stack.stop()


@pytest.fixture(scope="session")
def lambda_environment(local_aws: DevStack, api_config: dict) -> Iterator[dict[str, str]]:
    """The process environment of a deployed api function, pointed at the local endpoint.

    Settings and clients are read once per process, as on Lambda, so this is
    set for the whole session before any handler runs.
    """
    values = {
        **api_config["provider"]["environment"],
        **aws_env(local_aws.ports),
        "POWERTOOLS_SERVICE_NAME": "pedidos-tests",
        "AWS_LAMBDA_FUNCTION_NAME": "pedidos-tests",
    }
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    yield values
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value

