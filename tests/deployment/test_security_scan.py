"""checkov on the packaged templates: no failure, and every skip says why."""

import json
import re
import subprocess

import pytest

from infra.definitions import ROOT

CHECKOV = ROOT / ".tools" / "checkov" / "bin" / "checkov"
CONFIG = ROOT / ".checkov.yaml"


@pytest.mark.parametrize("service", ["shared", "api", "worker", "web"])
def test_checkov_finds_no_failure_and_every_skip_has_a_reason(artifacts, service):
    template = artifacts[service] / "cloudformation-template-update-stack.json"
    result = subprocess.run(
        [str(CHECKOV), "-f", str(template), "--config-file", str(CONFIG), "-o", "json", "--skip-download"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    report = json.loads(result.stdout)
    assert report["summary"]["parsing_errors"] == 0
    failed = [f"{check['check_id']} {check['resource']}" for check in report["results"]["failed_checks"]]
    assert failed == []
    assert report["summary"]["passed"] > 0
    for skipped in report["results"]["skipped_checks"]:
        assert len(skipped["check_result"].get("suppress_comment", "")) > 20, skipped["check_id"]


def test_every_check_skipped_for_the_whole_project_is_explained_where_it_is_declared():
    lines = CONFIG.read_text().splitlines()
    skips = [index for index, line in enumerate(lines) if re.match(r"^\s+- CKV_", line)]
    assert skips
    for index in skips:
        assert lines[index - 1].strip().startswith("#"), lines[index]
