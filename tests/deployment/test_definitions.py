"""Each service's resolution is made once, and made again whenever anything it depends on changes."""

from pathlib import Path

import pytest

from infra import definitions

DEFINITION = """\
service: probe
frameworkVersion: "4"
provider:
  name: aws
  runtime: python3.13
custom:
  fromFragment: ${file(../fragments/values.yml):value}
  greeting: ${env:PEDIDOS_PROBE_GREETING, 'hello'}
"""


@pytest.fixture
def services(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A service whose definition reads a fragment beside it and an environment variable, as api's does."""
    (tmp_path / "probe").mkdir()
    (tmp_path / "probe" / "serverless.yml").write_text(DEFINITION)
    (tmp_path / "fragments").mkdir()
    (tmp_path / "fragments" / "values.yml").write_text("value: one\n")
    monkeypatch.delenv("PEDIDOS_PROBE_GREETING", raising=False)
    monkeypatch.setattr(definitions, "_resolved", {})
    return tmp_path


@pytest.fixture
def prints(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every `serverless print` spawned, by service folder."""
    spawned: list[str] = []
    real = definitions._print

    def counted(folder: Path, stage: str, environment: dict[str, str]) -> str:
        spawned.append(folder.name)
        return real(folder, stage, environment)

    monkeypatch.setattr(definitions, "_print", counted)
    return spawned


def resolve(services: Path, **env: str) -> dict:
    return definitions.resolved_config("probe", services=services, cache=services / "cache", env=env)["custom"]


def test_a_resolution_is_made_once_per_run_and_shared_with_the_next_process(services, prints, monkeypatch):
    assert resolve(services) == {"fromFragment": "one", "greeting": "hello"}
    assert resolve(services) == {"fromFragment": "one", "greeting": "hello"}
    assert prints == ["probe"]
    # Another process (devstack's, the next run's) starts with nothing in memory: it reads the stored one.
    monkeypatch.setattr(definitions, "_resolved", {})
    assert resolve(services) == {"fromFragment": "one", "greeting": "hello"}
    # Each caller gets its own copy: one cannot change what the next one reads.
    resolve(services)["greeting"] = "changed by a caller"
    assert resolve(services)["greeting"] == "hello"
    assert prints == ["probe"]


def test_everything_the_resolution_reads_is_in_its_key_and_nothing_else(services, prints):
    """Each change below is resolved anew (one more print each); a variable no file names is not."""
    resolve(services)
    assert resolve(services, PEDIDOS_NOT_NAMED_ANYWHERE="x") == {"fromFragment": "one", "greeting": "hello"}
    assert len(prints) == 1

    assert resolve(services, PEDIDOS_PROBE_GREETING="hola")["greeting"] == "hola"
    (services / "probe" / "serverless.yml").write_text(DEFINITION.replace("hello", "bonjour"))
    assert resolve(services)["greeting"] == "bonjour"
    (services / "fragments" / "values.yml").write_text("value: two\n")
    assert resolve(services)["fromFragment"] == "two"
    assert len(prints) == 4

    # A fragment may read its neighbours (dashboard.js reads dashboard.json) ...
    (services / "fragments" / "read-by-a-fragment.json").write_text("{}")
    resolve(services)
    assert len(prints) == 5
    # ... and, through its own ${file()} (local-stage.yml reads names.yml), files anywhere.
    (services / "deeper").mkdir()
    (services / "deeper" / "value.yml").write_text("value: deep\n")
    (services / "fragments" / "values.yml").write_text("value: ${file(../deeper/value.yml):value}\n")
    assert resolve(services)["fromFragment"] == "deep"
    (services / "deeper" / "value.yml").write_text("value: deeper\n")
    assert resolve(services)["fromFragment"] == "deeper"
    assert len(prints) == 7
