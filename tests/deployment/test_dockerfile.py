"""The image's `npm ci` applies the same fix to serverless offline as `make`'s: package.json's postinstall.

No Docker engine runs here, so the build is replayed where it matters: the files the
Dockerfile copies before `npm ci`, alone in a directory, with the runner as npm
installs it, and the postinstall run by npm with a Python that has nothing but its
standard library, as Debian's python3 in the image.
"""

import fnmatch
import json
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from devstack import offline_fix
from infra.definitions import ROOT

WORKDIR = "/app"


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(instruction, arguments) in order, continuation lines joined and comments dropped."""
    lines = [line for line in dockerfile.read_text().splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1].strip()) for line in joined.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def steps() -> list[tuple[str, str]]:
    return instructions(ROOT / "Dockerfile")


@pytest.fixture(scope="module")
def before_npm_ci(steps) -> list[tuple[str, str]]:
    npm_ci = [index for index, (kind, arguments) in enumerate(steps) if kind == "RUN" and "npm ci" in arguments]
    assert len(npm_ci) == 1, "the image installs the npm packages once"
    return steps[: npm_ci[0] + 1]


def copies(steps: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(source, destination in the work dir) of each COPY from the build context."""
    copied = []
    for kind, arguments in steps:
        if kind == "COPY":
            words = [word for word in shlex.split(arguments) if not word.startswith("--")]
            *sources, destination = words
            destination = destination.removeprefix(WORKDIR).lstrip("/") or "."
            copied += [(source, str(Path(destination) / Path(source).name) if destination.endswith(("/", ".")) else destination) for source in sources]
    return copied


def postinstall() -> str:
    return json.loads((ROOT / "package.json").read_text())["scripts"]["postinstall"]


def test_package_json_postinstall_is_the_offline_fix():
    assert postinstall().split() == ["python3", "devstack/offline_fix.py"]


def test_npm_ci_runs_install_scripts_in_the_image_and_under_make(steps, before_npm_ci):
    kind, npm_ci = before_npm_ci[-1]
    assert "--ignore-scripts" not in npm_ci
    makefile = (ROOT / "Makefile").read_text()
    assert "npm ci" in makefile and "--ignore-scripts" not in makefile
    # One code path: neither applies the fix beside npm ci.
    assert not [arguments for kind, arguments in steps if kind == "RUN" and "offline_fix" in arguments]
    assert not re.search(r"^\t.*offline_fix", makefile, re.MULTILINE)


def test_python3_is_installed_before_npm_ci(before_npm_ci):
    assert any(kind == "RUN" and re.search(r"apt-get install\b.*\bpython3\b", arguments) for kind, arguments in before_npm_ci)


def test_what_the_postinstall_needs_is_copied_before_npm_ci_and_not_docker_ignored(before_npm_ci):
    copied = dict(copies(before_npm_ci))
    assert {"package.json", "package-lock.json", "devstack/offline_fix.py"} <= set(copied.values())
    ignored = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines() if line.strip() and not line.startswith("#")]
    for source in copied:
        assert not any(fnmatch.fnmatch(source, pattern) or source.startswith(pattern.rstrip("/") + "/") for pattern in ignored), source


def test_the_postinstall_patches_an_unpatched_serverless_offline_with_only_what_the_image_copied(before_npm_ci, tmp_path):
    npm = shutil.which("npm")
    assert npm, "npm is missing: `make test` needs it"
    app = tmp_path / "app"
    for source, destination in copies(before_npm_ci):
        target = app / destination
        target.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if (ROOT / source).is_dir() else shutil.copy2)(ROOT / source, target)
    # serverless-offline's files as npm ci unpacks them, before any fix.
    for patch in offline_fix.PATCHES:
        unpatched = patch.path.read_text().replace(patch.patched, patch.original)
        assert patch.patched not in unpatched and unpatched.count(patch.original) == 1
        copy = app / patch.path.relative_to(ROOT)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(unpatched)

    # A python3 with nothing but the standard library, none of the repository's paths and no venv.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "python3"
    shim.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -I -S "$@"\n')
    shim.chmod(shim.stat().st_mode | stat.S_IXUSR)
    outside = [entry for entry in os.environ["PATH"].split(os.pathsep) if not Path(entry).resolve().is_relative_to(ROOT)]
    env = {name: value for name, value in os.environ.items() if name not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PATH"] = os.pathsep.join([str(bin_dir), *outside])

    ran = subprocess.run([npm, "run", "--silent", "postinstall"], cwd=app, env=env, capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr
    for patch in offline_fix.PATCHES:
        assert (app / patch.path.relative_to(ROOT)).read_text() == patch.path.read_text(), patch.path.name
    runner = app / offline_fix.RUNNER_GUARD.path.relative_to(ROOT)
    compile(runner.read_text(), str(runner), "exec")
