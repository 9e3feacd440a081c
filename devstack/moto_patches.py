"""Patching moto where Pedidos relies on it, each patch checked against the moto it was written for.

A patch names the moto function it replaces and the sha256 of that function's source as
the pinned moto ships it: a moto upgrade that changes or moves the code fails loudly
instead of being patched blindly. Kept apart from devstack/cloud_fixes.py, so that the
endpoint's own DynamoDB fix does not load moto's CloudFormation at every start.
"""

import hashlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import moto

CONSTRAINTS = Path(__file__).resolve().parent.parent / "constraints.txt"
PINNED = next(line.split("==", 1)[1].strip() for line in CONSTRAINTS.read_text().splitlines() if line.startswith("moto=="))


def source_digest(function: Any) -> str:
    """What identifies a version of moto's code: the sha256 of its source text."""
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()


@dataclass(frozen=True)
class Workaround:
    """A patch of ``owner.name``: ``replacement(original)`` returns what replaces it.

    ``digest`` is the sha256 of the source of the original as moto ships it,
    or None where moto has no such attribute of its own (the patch adds it).
    """

    owner: type
    name: str
    digest: str | None
    replacement: Callable[[Any], Any]

    def original(self) -> Any:
        return inspect.getattr_static(self.owner, self.name, None)

    def check(self) -> None:
        if moto.__version__ != PINNED:
            raise RuntimeError(f"devstack/moto_patches.py: this patch is written for moto {PINNED}, not {moto.__version__}: re-check it")
        original = self.original()
        where = f"{self.owner.__module__}.{self.owner.__qualname__}.{self.name}"
        if self.digest is None:
            if self.name in vars(self.owner):
                raise RuntimeError(f"moto now defines {where}: re-check the workaround that adds it")
            return
        function = original.__func__ if isinstance(original, classmethod | staticmethod) else original
        if function is None or source_digest(function) != self.digest:
            raise RuntimeError(f"{where} is not the moto {PINNED} code this workaround patches: re-check it")

    def apply(self) -> None:
        self.check()
        setattr(self.owner, self.name, self.replacement(self.original()))
