"""Fixtures every layer of tests shares: the local AWS endpoint and dev tokens."""

import os
from collections.abc import Iterator

import pytest

from devstack.dev_secrets import secrets_env
from devstack.dev_tokens import dev_token
from devstack.serverless import resolved_config
from devstack.stack import DevStack, Ports, aws_env


@pytest.fixture(scope="session")
def api_config() -> dict:
    """The api service's serverless.yml for the local stage, every variable resolved."""
    return resolved_config("api", env=secrets_env())


@pytest.fixture(scope="session")
def token_for(api_config: dict):  # noqa: ANN201
    environment = api_config["provider"]["environment"]

    def mint(subject: str, admin: bool = False) -> str:
        return dev_token(subject, environment["JWT_ISSUER"], environment["JWT_AUDIENCE"], admin=admin)

    return mint


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

