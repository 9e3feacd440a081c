"""The guard on serverless offline's Python runner: applied once, and only to the code it expects."""

import pytest

from devstack import offline_fix


def test_the_installed_runner_is_guarded():
    assert offline_fix.GUARDED in offline_fix.INVOKE.read_text()


def test_guarding_is_idempotent_and_refuses_unknown_code(tmp_path, monkeypatch):
    runner = tmp_path / "invoke.py"
    runner.write_text("while True:\n" + offline_fix.ORIGINAL + "        print(result)\n")
    monkeypatch.setattr(offline_fix, "INVOKE", runner)
    assert offline_fix.apply() is True
    assert offline_fix.apply() is False
    compile(runner.read_text(), str(runner), "exec")

    runner.write_text("something else entirely\n")
    with pytest.raises(RuntimeError):
        offline_fix.apply()
