"""Data Lifecycle Manager AMI policies at work on the sandbox clock.

AWS guide page: ami-policy ("Create an Amazon Data Lifecycle Manager custom policy for
EBS-backed AMIs": each schedule images every instance carrying one of the target tags, tags
the AMIs ``dlm:managed`` and with the policy and schedule, copies the instance's tags when
``CopyTags`` is set, keeps the newest ``Count`` AMIs per instance (or those younger than the
retain period), deregistering the rest and deleting their snapshots, and deprecates by the
deprecate rule; ``NoReboot`` defaults to true).

How it runs (chosen; docs/fidelity.md). Before moto answers any request, :func:`catch_up` runs
every schedule whose next run is due on the sandbox clock, in time order, then applies retention
and deprecation as of now. So ``lab.advance_clock(days=30)`` followed by DescribeImages shows a
month of a policy's work, the same way every time. Runs start at the schedule's ``Times`` (or
one interval after the policy was created or changed), exactly on time (AWS: within the hour).
Runs whose AMIs retention would remove before now are not made: advancing a year with a daily
schedule that keeps 7 makes 7 AMIs, not 365 (their IDs then depend on how far the clock
jumped). Targets are the instances tagged at the time of the catch-up.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import moto.core.utils
from moto.core.responses import BaseResponse
from moto.ec2.models import ec2_backends

from . import pending
from .errors import AwsError
from .images import image_snapshots
from .lifecycle_policies import period_days
from .patching import Patches

__all__ = ["catch_up", "install", "start_schedules"]

_SYSTEM_TAG = "aws:dlm:"


def _interval(schedule: dict[str, Any]) -> _dt.timedelta:
    return _dt.timedelta(hours=int(schedule["CreateRule"]["Interval"]))


def start_schedules(policy: dict[str, Any], now: _dt.datetime) -> None:
    """Each schedule's first run after ``now``: its start time (``Times``, UTC) plus whole
    intervals, or one interval from now when it names no time."""
    runs = {}
    for schedule in policy["PolicyDetails"]["Schedules"]:
        interval = _interval(schedule)
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


def _all_policies() -> list[tuple[Any, dict[str, Any]]]:
    found = []
    for account_backends in list(ec2_backends.values()):
        for backend in list(dict.values(account_backends)):
            for policy in getattr(backend, "lab_dlm_policies", {}).values():
                if policy["State"] == "ENABLED":
                    found.append((backend, policy))
    return found


def _due_times(schedule: dict[str, Any], first: _dt.datetime, now: _dt.datetime) -> list:
    """The run times from ``first`` up to ``now`` whose AMIs would still be kept now."""
    interval = _interval(schedule)
    count = int((now - first) / interval) + 1
    retain = schedule["RetainRule"]
    if retain.get("Count"):
        skip = max(count - int(retain["Count"]), 0)
    else:
        oldest_kept = now - _dt.timedelta(days=period_days(retain))
        skip = max(0, min(count, int((oldest_kept - first) / interval) + 1))
    return [first + interval * k for k in range(skip, count)]


def catch_up() -> None:
    """Run every due schedule of every enabled policy, oldest run first, then retention."""
    now = moto.core.utils.utcnow()
    work = []
    touched = []
    for backend, policy in _all_policies():
        for index, schedule in enumerate(policy["PolicyDetails"]["Schedules"]):
            first = policy["lab_next_runs"][schedule["Name"]]
            if first > now:
                continue
            times = _due_times(schedule, first, now)
            steps = int((now - first) / _interval(schedule)) + 1
            policy["lab_next_runs"][schedule["Name"]] = first + _interval(schedule) * steps
            work += [(t, policy["PolicyId"], index, backend, policy, schedule) for t in times]
            touched.append((backend, policy, schedule))
    for when, _pid, _index, backend, policy, schedule in sorted(work, key=lambda w: w[:3]):
        _run(backend, policy, schedule, when)
    for backend, policy, schedule in touched:
        _retain_and_deprecate(backend, policy, schedule, now)


def _targets(backend: Any, policy: dict[str, Any]) -> list[Any]:
    wanted = {(t["Key"], t.get("Value", "")) for t in policy["PolicyDetails"]["TargetTags"]}
    found = []
    for instance in backend.all_instances():
        if instance.state not in ("running", "stopped"):
            continue
        tags = backend.tags.get(instance.id, {})
        if any(tags.get(key) == value for key, value in wanted):
            found.append(instance)
    return sorted(found, key=lambda i: i.id)


def _run(
    backend: Any, policy: dict[str, Any], schedule: dict[str, Any], when: _dt.datetime
) -> None:
    """One run of a schedule: an AMI of each targeted instance, dated ``when``."""
    name = schedule["Name"]
    no_reboot = (policy["PolicyDetails"].get("Parameters") or {}).get("NoReboot", True)
    for instance in _targets(backend, policy):
        tags = {t["Key"]: t["Value"] for t in schedule.get("TagsToAdd") or []}
        if schedule.get("CopyTags"):
            own = backend.tags.get(instance.id, {})
            tags = {**{k: v for k, v in own.items() if not k.startswith("aws:")}, **tags}
        image_name = f"dlm-{name}-{instance.id}-{when:%Y-%m-%dT%H-%M}"[:128]
        try:
            image = backend.create_image(
                instance.id,
                image_name,
                f"Created for policy: {policy['PolicyId']} schedule: {name}",
                [
                    {
                        "ResourceType": "image",
                        "Tags": [{"Key": k, "Value": v} for k, v in tags.items()],
                    }
                ]
                if tags
                else [],
                None,
                no_reboot,
            )
        except AwsError as refused:  # e.g. an AMI of that name exists: AWS reports it on the policy
            policy["StatusMessage"] = f"ERROR: {refused.message}"
            continue
        backend.create_tags(
            [image.id],
            {
                "dlm:managed": "true",
                f"{_SYSTEM_TAG}lifecycle-policy-id": policy["PolicyId"],
                f"{_SYSTEM_TAG}lifecycle-schedule-name": name,
            },
        )
        image.creation_date = when
        image.lab_dlm = (policy["PolicyId"], name, instance.id)
        pending.mark_ready(image)
        for snapshot in image_snapshots(image):
            snapshot.start_time = when
            pending.mark_ready(snapshot)


def _retain_and_deprecate(
    backend: Any, policy: dict[str, Any], schedule: dict[str, Any], now: _dt.datetime
) -> None:
    """Deregister the AMIs the retain rule no longer keeps (snapshots deleted), per instance,
    and deprecate by the deprecate rule."""
    key = (policy["PolicyId"], schedule["Name"])
    groups: dict[str, list[Any]] = {}
    for image in list(backend.amis.values()):
        made = getattr(image, "lab_dlm", None)
        if made is not None and made[:2] == key:
            groups.setdefault(made[2], []).append(image)
    retain, deprecate = schedule["RetainRule"], schedule.get("DeprecateRule")
    for images in groups.values():
        images.sort(key=lambda i: i.creation_date)
        if retain.get("Count"):
            drop = images[: max(len(images) - int(retain["Count"]), 0)]
        else:
            limit = _dt.timedelta(days=period_days(retain))
            drop = [i for i in images if i.creation_date + limit <= now]
        for image in drop:
            try:
                backend.deregister_image(image.id, True)
                images.remove(image)
            except AwsError:  # protected from deregistration: AWS's policy leaves it too
                pass
        if not deprecate:
            continue
        if deprecate.get("Count"):
            undeprecated = int(retain["Count"]) - int(deprecate["Count"])
            for image in images[: max(len(images) - undeprecated, 0)]:
                if image.deprecation_time is None:
                    image.deprecation_time = now.replace(second=0, microsecond=0)
        else:
            after = _dt.timedelta(days=period_days(deprecate))
            for image in images:
                if image.deprecation_time is None:
                    image.deprecation_time = image.creation_date + after


def install(patches: Patches) -> None:
    """Route ``dlm`` and run due policies before moto answers any request."""
    from .lifecycle_policies import LifecyclePolicyResponse
    from .routing import route_service

    route_service(patches, "dlm", LifecyclePolicyResponse.dispatch)
    previous = BaseResponse._dispatch

    def _dispatch(self: BaseResponse, *args: Any, **kwargs: Any) -> Any:
        catch_up()
        return previous(self, *args, **kwargs)

    patches.replace(BaseResponse, "_dispatch", _dispatch)
