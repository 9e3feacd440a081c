"""docker-compose.yml, read by a real compose parser: every service, port, profile and variable docs/containers.md promises."""

import os
import re
import shutil
import subprocess

import pytest
import yaml

from infra.definitions import ROOT

PROFILES = {
    "localstack": {"dynamodb", "localstack", "cognito", "provision", "api", "worker"},
    "moto": {"moto", "provision-moto", "api-moto", "worker-moto"},
}


@pytest.fixture(scope="module")
def compose() -> dict:
    parser = shutil.which("docker-compose")
    assert parser, "docker-compose is missing: `make test` installs it"
    result = subprocess.run(
        [parser, "--file", str(ROOT / "docker-compose.yml"), "config"],
        env={**os.environ, "LOCALSTACK_AUTH_TOKEN": "token-from-the-environment"},
        capture_output=True,
        text=True,
        check=True,
    )
    return yaml.safe_load(result.stdout)["services"]


def test_each_profile_has_its_endpoints_and_the_api_and_worker(compose):
    for profile, services in PROFILES.items():
        assert {name for name, service in compose.items() if profile in service.get("profiles", [])} == services


def test_the_api_is_published_on_3000_in_both_profiles(compose):
    for name in ("api", "api-moto"):
        assert [(port["published"], port["target"]) for port in compose[name]["ports"]] == [(3000, 3000)]


def test_third_party_images_are_pinned_and_ours_is_built_here(compose):
    for service in compose.values():
        if "build" in service:
            assert service["build"]["context"] == str(ROOT)
            continue
        image, _, tag = service["image"].rpartition(":")
        assert image and re.fullmatch(r"\d+(\.\d+)+", tag), service["image"]
    assert {service["image"].split(":")[0] for service in compose.values() if "build" not in service} == {
        "amazon/dynamodb-local",
        "localstack/localstack",
        "motoserver/moto",
    }


def test_the_localstack_token_comes_from_the_environment_only(compose):
    assert compose["localstack"]["environment"]["LOCALSTACK_AUTH_TOKEN"] == "token-from-the-environment"
    assert "token-from-the-environment" not in (ROOT / "docker-compose.yml").read_text()


def test_our_containers_run_the_same_provisioning_and_services_as_make_dev(compose):
    from devstack.__main__ import build_parser

    parser = build_parser()
    for service in compose.values():
        if "build" in service:
            command = parser.parse_args(service["command"])
            assert command.command in {"provision", "serve"}
    endpoints = {name: service["environment"] for name, service in compose.items() if "build" in service}
    assert all(env["AWS_ENDPOINT_URL"] == "http://moto:5000" for name, env in endpoints.items() if name.endswith("-moto"))
    assert all(env["AWS_ENDPOINT_URL_SQS"] == "http://localstack:4566" for name, env in endpoints.items() if not name.endswith("-moto"))
    assert all(env["AWS_ENDPOINT_URL_COGNITO_IDP"] == "http://cognito:5000" for name, env in endpoints.items() if not name.endswith("-moto"))


def test_the_containers_guide_tells_how_to_run_each_profile_and_what_it_needs():
    guide = (ROOT / "docs" / "containers.md").read_text()
    for needed in ("docker compose --profile localstack up", "docker compose --profile moto up", "LOCALSTACK_AUTH_TOKEN", "3000"):
        assert needed in guide
