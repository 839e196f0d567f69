"""The sandbox clock: the lab's own calendar, which lessons can move forward without waiting.

The sandbox's day one is fixed (``LAB_EPOCH``), so every run of a lesson sees the same dates and
the base-image catalogue is as fresh as it was then. From there the clock ticks with real time,
plus whatever ``advance`` added.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import sys
import time
from collections.abc import Iterator

from labkit.seam.moto import moto_core_utils

__all__ = ["LAB_EPOCH", "SandboxClock", "pinned"]

#: The moment every sandbox starts at: the catalogue pictures AWS's public images at this date.
LAB_EPOCH = _dt.datetime(2025, 3, 3, 9, 0, 0, tzinfo=_dt.timezone.utc)

_ORIGINAL_UTCNOW = moto_core_utils.utcnow
_PINNED: list[_dt.datetime] = []


@contextlib.contextmanager
def pinned(when: _dt.datetime) -> Iterator[None]:
    """Within the block the sandbox's time reads ``when`` (naive UTC, as moto stores times).

    Time-driven effects that are applied late (a lifecycle policy's runs, caught up when the
    sandbox is next asked) happen at the moment they were due, so what they make and remove is
    dated as it would have been.
    """
    _PINNED.append(when.replace(tzinfo=_dt.timezone.utc) if when.tzinfo is None else when)
    try:
        yield
    finally:
        _PINNED.pop()


class SandboxClock:
    """Time as the sandbox sees it; ``advance`` moves it forward without waiting."""

    def __init__(self) -> None:
        self.offset = _dt.timedelta(0)
        self._started = time.monotonic()
        self._patched: list[object] = []

    def now(self) -> _dt.datetime:
        """The sandbox's current time, as an aware UTC datetime."""
        if _PINNED:
            return _PINNED[-1]
        elapsed = _dt.timedelta(seconds=time.monotonic() - self._started)
        return LAB_EPOCH + elapsed + self.offset

    def utcnow(self) -> _dt.datetime:
        """The sandbox's current time as a naive UTC datetime (what moto stores)."""
        return self.now().replace(tzinfo=None)

    def advance(self, seconds: float) -> _dt.datetime:
        """Move the clock forward and return the new time.

        Raises:
            ValueError: if ``seconds`` is negative or not a number (time only moves forward).
        """
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
            raise ValueError(f"advance_clock takes a number of seconds, not {seconds!r}")
        if not seconds >= 0:
            raise ValueError(f"The sandbox clock only moves forward; got {seconds} seconds")
        self.offset += _dt.timedelta(seconds=seconds)
        return self.now()

    def reset(self) -> None:
        """Go back to the lab's day one."""
        self.offset = _dt.timedelta(0)
        self._started = time.monotonic()

    def install(self) -> None:
        """Make moto read this clock wherever it asks for the current time."""
        for module in list(sys.modules.values()):
            name = getattr(module, "__name__", "") or ""
            if name.startswith("moto") and getattr(module, "utcnow", None) is _ORIGINAL_UTCNOW:
                module.utcnow = self.utcnow
                self._patched.append(module)

    def uninstall(self) -> None:
        """Give moto back the real clock."""
        for module in self._patched:
            module.utcnow = _ORIGINAL_UTCNOW
        self._patched.clear()
