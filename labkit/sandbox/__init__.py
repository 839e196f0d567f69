"""The running offline AWS: ``Sandbox`` (moto with the lab's accounts, Regions, clock and rules),
kept sealed (``safety``), served on loopback (``endpoint``), read into an ``Estate`` (``estate``),
made fast while it runs (``speed``).

Light to import: ``Sandbox``, ``SandboxError`` and ``active_sandbox`` load moto on first use
(PEP 562), so the rules can use ``labkit.sandbox.clock`` without importing the sandbox itself.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .sandbox import Sandbox, SandboxError, active_sandbox

__all__ = ["Sandbox", "SandboxError", "active_sandbox"]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module 'labkit.sandbox' has no attribute {name!r}")
    value = getattr(importlib.import_module(".sandbox", __name__), name)
    globals()[name] = value
    return value
