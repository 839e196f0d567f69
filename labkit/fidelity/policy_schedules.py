"""When a Data Lifecycle Manager schedule runs next: the piece policies and their runs share.

``lifecycle_policies`` (the API) starts a policy's schedules when it is created or changed;
``policy_runs`` (the runs on the sandbox clock) advances them. Both import this module, which
imports neither, so the two need no function-level imports of each other.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

__all__ = ["schedule_interval", "start_schedules"]


def schedule_interval(schedule: dict[str, Any]) -> _dt.timedelta:
    """How often a schedule runs (``CreateRule.Interval``, in hours)."""
    return _dt.timedelta(hours=int(schedule["CreateRule"]["Interval"]))


def start_schedules(policy: dict[str, Any], now: _dt.datetime) -> None:
    """Each schedule's first run after ``now``: its start time (``Times``, UTC) plus whole
    intervals, or one interval from now when it names no time."""
    runs = {}
    for schedule in policy["PolicyDetails"]["Schedules"]:
        interval = schedule_interval(schedule)
        times = schedule["CreateRule"].get("Times") or []
        if times:
            hour, minute = (int(part) for part in times[0].split(":"))
            run = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
            while run > now:
                run -= interval
            while run <= now:
                run += interval
        else:
            run = now + interval
        runs[schedule["Name"]] = run
    policy["lab_next_runs"] = runs
