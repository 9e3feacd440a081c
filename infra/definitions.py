"""The services' own definitions, as the Serverless Framework resolves them.

``serverless print`` takes about a second (Node starts, every plugin loads), and
devstack, the tests and the benchmark read the same few resolutions over and
over. Each is made once and kept under ``.local/definitions/``, which every
process of a run shares (pytest, devstack's subprocesses, the next run), under a
key made of everything the resolution depends on:

- the stage;
- the service's definition files: every file of its folder but Python code,
  build output and installed packages, and every file beside the ones its
  ``${file(...)}`` variables (and theirs) read, ``services/shared/resources``,
  since a fragment may read its neighbours (dashboard.js reads dashboard.json);
- the installed framework and plugins (npm's record of node_modules, and the
  files of the plugins installed from this repository);
- the value of every environment variable those files name (``${env:NAME}``).

Change any of them and the key changes: a resolution is never served stale.
"""

import hashlib
import json
import os
import re
import subprocess
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ROOT / "services"
SERVERLESS = ROOT / "node_modules" / ".bin" / "serverless"
LOCAL_STAGE = "local"
CACHE = ROOT / ".local" / "definitions"
# Resolutions older than a week are dropped: most belong to a definition or an environment
# long gone (every edit and every new local user pool makes a new key); one still in use is
# simply made again.
_KEPT_SECONDS = 7 * 24 * 3600

_FILE_VARIABLE = re.compile(r"\$\{file\(([^)]+)\)")
_ENV_VARIABLE = re.compile(r"\$\{env:(\w+)")
# Build output and installed packages, never read by a definition: hidden files and folders
# (.serverless, .requirements.zip), bytecode caches and node_modules.
_NOT_DEFINITIONS = {"__pycache__", "node_modules"}

_resolved: dict[str, str] = {}


def resolved_config(
    service: str, stage: str = LOCAL_STAGE, env: dict[str, str] | None = None, *, services: Path = SERVICES, cache: Path = CACHE
) -> dict[str, Any]:
    """``serverless print`` of one service: its serverless.yml with every variable resolved (a fresh copy each call)."""
    folder = services / service
    environment = {**os.environ, **(env or {})}
    key = _key(folder, stage, environment)
    if key not in _resolved:
        stored = cache / f"{service}-{stage}-{key}.json"
        if stored.exists():
            _resolved[key] = stored.read_text()
        else:
            _resolved[key] = _print(folder, stage, environment)
            _store(stored, _resolved[key])
    return json.loads(_resolved[key])


def _print(folder: Path, stage: str, environment: dict[str, str]) -> str:
    command = [str(SERVERLESS), "print", "--stage", stage, "--format", "json"]
    output = subprocess.run(command, cwd=folder, env=environment, check=True, capture_output=True, text=True).stdout
    json.loads(output)  # never keep what is not a resolution
    return output


def _store(path: Path, resolution: str) -> None:
    """Writes atomically (a concurrent reader sees all or nothing) and drops resolutions older than a week."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.partial")
    partial.write_text(resolution)
    partial.replace(path)
    for old in path.parent.glob("*.json"):
        if time.time() - old.stat().st_mtime > _KEPT_SECONDS:
            old.unlink(missing_ok=True)


def _key(folder: Path, stage: str, environment: dict[str, str]) -> str:
    files = sorted(set(_definition_files(folder)) | set(_framework_files()))
    digest = hashlib.sha256(stage.encode())
    names: set[str] = set()
    for path in files:
        content = path.read_bytes()
        digest.update(f"\0{path}\0".encode() + content)
        names.update(_ENV_VARIABLE.findall(content.decode(errors="replace")))
    for name in sorted(names):
        digest.update(f"\0{name}={environment.get(name)!r}".encode())
    return digest.hexdigest()[:32]


def _definition_files(folder: Path) -> list[Path]:
    """The service's folder, and the folders its ``${file()}`` variables read from, however deep (a fragment's own
    ``${file()}`` paths are the service's too, as the framework resolves them)."""
    files, folders, scanned, pending = _files_under(folder, skip_python=True), {folder}, set(), [folder / "serverless.yml"]
    while pending:
        path = pending.pop()
        if path in scanned or not path.is_file():
            continue
        scanned.add(path)
        for reference in _FILE_VARIABLE.findall(path.read_text(errors="replace")):
            if "${" in reference:
                raise ValueError(f"{folder.name}: ${{file({reference})}} names its file by a variable; the cache could not know what it reads")
            target = (folder / reference.strip().strip("'\"")).resolve()
            if not any(target.parent.is_relative_to(each) for each in folders):
                folders.add(target.parent)
                files += [each for each in target.parent.iterdir() if each.is_file()]
            pending.append(target)
    return files


def _framework_files() -> list[Path]:
    """npm's record of what node_modules holds, and the files of the plugins package.json installs from this repository."""
    manifest = json.loads((ROOT / "package.json").read_text())
    local = [ROOT / spec.removeprefix("file:") for spec in manifest["devDependencies"].values() if spec.startswith("file:")]
    return [ROOT / "node_modules" / ".package-lock.json", *(path for folder in local for path in _files_under(folder, skip_python=False))]


def _files_under(folder: Path, skip_python: bool) -> list[Path]:
    return [
        path
        for path in folder.rglob("*")
        if path.is_file()
        and not any(part.startswith(".") or part in _NOT_DEFINITIONS for part in path.relative_to(folder).parts)
        and not (skip_python and path.suffix in (".py", ".pyc"))
    ]
