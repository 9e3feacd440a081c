"""devstack/cloud_fixes.py patches only the moto it was written against, and says so when moto changes."""

import dataclasses

import moto
import pytest

from devstack import cloud_fixes, moto_patches


def test_every_workaround_fits_the_pinned_moto():
    # What the endpoint runs before it patches anything (test_deploy.py proves the patches work).
    assert moto.__version__ == moto_patches.PINNED
    cloud_fixes.check()


def test_another_moto_version_fails_loudly(monkeypatch):
    monkeypatch.setattr(moto, "__version__", "5.2.6")
    with pytest.raises(RuntimeError, match="written for moto 5.2.5, not 5.2.6"):
        cloud_fixes.check()


@pytest.mark.parametrize("workaround", [each for each in cloud_fixes.WORKAROUNDS if isinstance(each, moto_patches.Workaround) and each.digest])
def test_a_patched_function_whose_code_changed_fails_loudly(workaround):
    changed = dataclasses.replace(workaround, digest="0" * 64)
    with pytest.raises(RuntimeError, match=f"{workaround.name} is not the moto 5.2.5 code"):
        changed.check()


@pytest.mark.parametrize("workaround", [each for each in cloud_fixes.WORKAROUNDS if isinstance(each, moto_patches.Workaround) and each.digest is None])
def test_an_attribute_moto_now_defines_itself_fails_loudly(workaround):
    # As if moto defined it: a name its class does define.
    defined = dataclasses.replace(workaround, name="create_from_cloudformation_json")
    with pytest.raises(RuntimeError, match="moto now defines"):
        defined.check()


def test_a_resource_type_moto_now_supports_fails_loudly():
    supported = cloud_fixes.ResourceSupport(("AWS::Lambda::Function",), define=tuple)
    with pytest.raises(RuntimeError, match="now creates"):
        supported.check()
