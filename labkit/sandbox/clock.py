"""The sandbox clock: the lab's own calendar, which lessons can move forward without waiting.

The sandbox's day one is fixed (``LAB_EPOCH``), so every run of a lesson sees the same dates and
the base-image catalogue is as fresh as it was then. From there the clock ticks with real time,
plus whatever ``advance`` added.
"""

from __future__ import annotations

import datetime as _dt
import sys
import time

from labkit.seam.moto import moto_core_utils

from ..fidelity.pinned_time import pinned, pinned_moment
from ..patches import Patches, PatchTargetError

__all__ = ["LAB_EPOCH", "SandboxClock", "pinned"]

#: The moment every sandbox starts at: the catalogue pictures AWS's public images at this date.
LAB_EPOCH = _dt.datetime(2025, 3, 3, 9, 0, 0, tzinfo=_dt.timezone.utc)

_ORIGINAL_UTCNOW = moto_core_utils.utcnow


class SandboxClock:
    """Time as the sandbox sees it; ``advance`` moves it forward without waiting."""

    def __init__(self) -> None:
        self.offset = _dt.timedelta(0)
        self._started = time.monotonic()
        self._patches = Patches()

    def now(self) -> _dt.datetime:
        """The sandbox's current time, as an aware UTC datetime."""
        moment = pinned_moment()
        if moment is not None:
            return moment
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
        """Make moto read this clock wherever it asks for the current time (through ``Patches``).

        Raises:
            PatchTargetError: if no loaded moto module reads ``moto.core.utils.utcnow`` any more:
                moto moved its clock, and the sandbox's time would silently be the real one.
        """
        for module in list(sys.modules.values()):
            name = getattr(module, "__name__", "") or ""
            if name.startswith("moto") and getattr(module, "utcnow", None) is _ORIGINAL_UTCNOW:
                self._patches.replace(module, "utcnow", self.utcnow)
        targets = self._patches.targets()
        readers = [owner for owner, _name in targets if owner is not moto_core_utils]
        if not readers:
            self.uninstall()
            raise PatchTargetError(
                "labkit moves moto's clock through moto.core.utils.utcnow, which no moto module "
                "but moto.core.utils reads any more: moto changed how it tells the time"
            )

    def uninstall(self) -> None:
        """Give moto back the real clock."""
        self._patches.undo()
