"""Changes to Rasa 3.6.21 internals, each measured in benchmarks/latency.py and tested to behave as Rasa does.

Nothing here changes Rasa when imported. `install()` applies the patches, once, at Rasa
server start-up (`python -m rasa_server`, which `hrbot serve` runs); `rasa train`, `rasa
test` and the test suite run unpatched unless they ask. Each patch was written for one
Rasa version: on any other, `install()` refuses with a clear message rather than patch
code it has not seen. `HRBOT_RASA_PATCHES` turns them off ("none") or picks some
("keepalive,admission").
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

import rasa

from bot.config import rasa_patches

RASA_VERSION = "3.6.21"


class PatchError(RuntimeError):
    """A patch cannot be applied safely (another Rasa version, an unknown name)."""


@dataclass
class Patch:
    """`owner.attribute = replacement`, remembering the original so it can be restored."""

    name: str
    owner: Any
    attribute: str
    replacement: Any
    original: Any = None

    @property
    def installed(self) -> bool:
        return getattr(self.owner, self.attribute) is self.replacement

    def install(self) -> None:
        if not self.installed:
            self.original = getattr(self.owner, self.attribute)
            setattr(self.owner, self.attribute, self.replacement)

    def uninstall(self) -> None:
        if self.installed:
            setattr(self.owner, self.attribute, self.original)


# name -> module whose `PATCH` it is (imported only when asked for).
MODULES = {
    "keepalive": "rasa_server.patches.endpoint_keepalive",
    "admission": "rasa_server.patches.message_admission",
    "action_validation": "rasa_server.patches.remote_action_validation",
    "sequential_runner": "rasa_server.patches.sequential_runner",
}


def patch(name: str) -> Patch:
    if name not in MODULES:
        raise PatchError(f"unknown Rasa patch {name!r}; known: {', '.join(MODULES)}")
    return importlib.import_module(MODULES[name]).PATCH


def install(names: list[str] | None = None, version: str | None = None) -> list[str]:
    """Apply the patches named (default: `HRBOT_RASA_PATCHES`); return their names."""
    names = rasa_patches(list(MODULES)) if names is None else names
    found = version or rasa.__version__
    if names and found != RASA_VERSION:
        raise PatchError(
            f"these Rasa patches were written for rasa {RASA_VERSION}, but rasa {found} is installed: "
            f"install rasa=={RASA_VERSION}, or start with HRBOT_RASA_PATCHES=none"
        )
    for name in names:
        patch(name).install()
    return names


def uninstall(names: list[str] | None = None) -> None:
    for name in names or list(MODULES):
        patch(name).uninstall()
