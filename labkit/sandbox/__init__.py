"""The running offline AWS: ``Sandbox`` (moto with the lab's accounts, Regions, clock and rules),
kept sealed (``safety``), served on loopback (``endpoint``), read into an ``Estate`` (``estate``),
made fast while it runs (``speed``).

Light to import: ``Sandbox``, ``SandboxError`` and ``active_sandbox`` load moto on first use
(PEP 562), so the rules can use ``labkit.sandbox.clock`` without importing the sandbox itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_names

if TYPE_CHECKING:
    from .sandbox import Sandbox, SandboxError, active_sandbox

__all__ = ["Sandbox", "SandboxError", "active_sandbox"]


__getattr__, __dir__ = lazy_names(__name__, dict.fromkeys(__all__, ".sandbox"), __all__)
