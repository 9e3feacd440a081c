"""The patches to serverless offline: applied once, and only to the code they expect."""

import pytest

from devstack import offline_fix


@pytest.mark.parametrize("patch", offline_fix.PATCHES, ids=lambda patch: patch.path.name)
def test_the_installed_code_is_patched(patch):
    assert patch.patched in patch.path.read_text()


def test_patching_is_idempotent_and_refuses_unknown_code(tmp_path):
    runner = tmp_path / "invoke.py"
    original = offline_fix.RUNNER_GUARD.original
    runner.write_text("while True:\n" + original + "        print(result)\n")
    patch = offline_fix.Patch(runner, original, offline_fix.RUNNER_GUARD.patched)
    assert offline_fix.apply((patch,)) is True
    assert offline_fix.apply((patch,)) is False
    compile(runner.read_text(), str(runner), "exec")

    runner.write_text("something else entirely\n")
    with pytest.raises(RuntimeError):
        offline_fix.apply((patch,))

