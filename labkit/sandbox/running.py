"""Which sandbox runs in this process (at most one), for whoever needs it without starting one.

Its own module, below ``sandbox`` (which sets it) and ``endpoint`` (whose ``%aws`` magic reads it),
so neither imports the other to reach it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["active_sandbox", "set_active"]

_active: list[Any] = [None]


def active_sandbox() -> Any:
    """The sandbox running in this process (a ``labkit.sandbox.Sandbox``), or None."""
    return _active[0]


def set_active(sandbox: Any) -> None:
    """Record ``sandbox`` (or None) as the one running (``Sandbox.start`` and ``stop`` only)."""
    _active[0] = sandbox
