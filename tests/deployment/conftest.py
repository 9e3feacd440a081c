"""The real deployment artifacts of a production stage, built once per test session by `make package`'s code."""

import json
import sys
from pathlib import Path

import pytest

from infra.packaging import package

STAGE = "prod"
# How long each `serverless` command of test_deploy.py took, in seconds: printed at the end of the run.
DEPLOY_TIMES = pytest.StashKey[dict[str, float]]()


@pytest.fixture(scope="session")
def artifacts() -> dict[str, Path]:
    return package(STAGE, sys.executable)


@pytest.fixture(scope="session")
def templates(artifacts: dict[str, Path]) -> dict[str, dict]:
    return {name: json.loads((folder / "cloudformation-template-update-stack.json").read_text()) for name, folder in artifacts.items()}


def resources_of_type(template: dict, kind: str) -> dict[str, dict]:
    return {name: resource for name, resource in template["Resources"].items() if resource["Type"] == kind}


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    times = config.stash.get(DEPLOY_TIMES, {})
    if times:
        terminalreporter.section("deploy times (tests/deployment/test_deploy.py, local endpoint)")
        for command, seconds in times.items():
            terminalreporter.write_line(f"{seconds:6.1f} s  serverless {command}")
