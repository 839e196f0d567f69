"""Pinned moments: time-driven effects applied late happen at the moment they were due.

A lifecycle policy's runs are caught up when the sandbox is next asked (``policy_runs``); within
:func:`pinned` the sandbox clock (``labkit.sandbox.clock``, which reads :func:`pinned_moment`)
says ``when``, so what a run makes and removes is dated as it would have been. It lives with the
rules, below the sandbox, so the rules need not import the sandbox to pin its clock.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
from collections.abc import Iterator

__all__ = ["pinned", "pinned_moment"]

_PINNED: list[_dt.datetime] = []


@contextlib.contextmanager
def pinned(when: _dt.datetime) -> Iterator[None]:
    """Within the block the sandbox's time reads ``when`` (naive UTC, as moto stores times)."""
    _PINNED.append(when.replace(tzinfo=_dt.timezone.utc) if when.tzinfo is None else when)
    try:
        yield
    finally:
        _PINNED.pop()


def pinned_moment() -> _dt.datetime | None:
    """The innermost pinned moment (aware UTC), or None when time runs freely."""
    return _PINNED[-1] if _PINNED else None
