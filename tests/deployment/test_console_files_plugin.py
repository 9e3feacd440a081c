"""The deploy-time upload plugin (tools/serverless-console-files): its node tests, run without AWS."""

import re
import shutil
import subprocess

from infra.definitions import ROOT

PLUGIN = ROOT / "tools" / "serverless-console-files"


def test_the_plugins_own_tests_pass():
    node = shutil.which("node")
    assert node, "node is needed (Node 20, as for the Serverless Framework)"
    result = subprocess.run([node, "--test", "--test-reporter=tap", str(PLUGIN / "test")], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    counts = dict(re.findall(r"^# (tests|pass|fail) (\d+)$", result.stdout, re.MULTILINE))
    assert int(counts["tests"]) > 0 and counts["fail"] == "0" and counts["pass"] == counts["tests"], result.stdout
