"""Data Lifecycle Manager AMI policies at work on the sandbox clock.

AWS guide page: ami-policy ("Create an Amazon Data Lifecycle Manager custom policy for
EBS-backed AMIs": each schedule images every instance carrying one of the target tags, tags
the AMIs ``dlm:managed`` and with the policy and schedule, copies the instance's tags when
``CopyTags`` is set, keeps the newest ``Count`` AMIs per instance (or those younger than the
retain period), deregistering the rest and deleting their snapshots, and deprecates by the
deprecate rule; ``NoReboot`` defaults to true).

How it runs (chosen; docs/fidelity.md). Before moto answers any request, :func:`catch_up` runs
every schedule whose next run is due on the sandbox clock, in time order, each with the clock
pinned to its own time (``pinned_time.pinned``, which the sandbox clock reads), retention and
deprecation included. So
``lab.advance_clock(days=30)`` followed by DescribeImages shows a month of a policy's work,
dated day by day, the same way every time. Runs start at the schedule's ``Times`` (or one
interval after the policy was created or changed), exactly on time (AWS: within the hour).
Runs older than the retain window plus a year are left out: their AMIs would be gone, from
the Recycle Bin too, so nothing shows the difference (only IDs drawn later differ). Targets
are the instances tagged when the catch-up runs; as every request (a launch, a tag, a
termination) catches up first, those are the instances tagged at each run's time.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from labkit.seam.moto import BaseResponse, moto_core_utils

from . import pending
from .errors import AwsError
from .images import image_snapshots
from .lifecycle_policies import LifecyclePolicyResponse, holders, period_days
from .patching import Patches
from .pinned_time import pinned
from .policy_schedules import schedule_interval, start_schedules
from .routing import route_service
from .state import DLM

__all__ = ["catch_up", "install", "start_schedules"]

_SYSTEM_TAG = "aws:dlm:"


def _all_policies() -> list[tuple[Any, dict[str, Any]]]:
    return [
        (backend, policy)
        for backend in holders()
        for policy in backend.lab_dlm_policies.values()
        if policy["State"] == "ENABLED"
    ]


def _first_observable(schedule: dict[str, Any], first: _dt.datetime, now: _dt.datetime) -> int:
    """How many of the due runs from ``first`` can be left out without anyone seeing it.

    An AMI of a run older than the retain window plus a year has been retired, and has left any
    Recycle Bin (365 days at most), by ``now``: making it and removing it again changes nothing
    the API shows, only time.
    """
    interval = schedule_interval(schedule)
    retain = schedule["RetainRule"]
    if retain.get("Count"):
        window = interval * int(retain["Count"])
    else:
        window = _dt.timedelta(days=period_days(retain))
    horizon = now - window - _dt.timedelta(days=366)
    return max(0, int((horizon - first) / interval))


def catch_up() -> None:
    """Run every due schedule of every enabled policy, oldest run first, each at its own time.

    Each run (and the retention and deprecation after it) happens with the sandbox clock pinned
    to the run's time, so AMIs, snapshots, deregistrations and Recycle Bin stays are dated as
    they would have been.
    """
    enabled = _all_policies()
    if not enabled:
        return
    now = moto_core_utils.utcnow()
    work = []
    for backend, policy in enabled:
        for index, schedule in enumerate(policy["PolicyDetails"]["Schedules"]):
            first = policy["lab_next_runs"][schedule["Name"]]
            if first > now:
                continue
            interval = schedule_interval(schedule)
            steps = int((now - first) / interval) + 1
            policy["lab_next_runs"][schedule["Name"]] = first + interval * steps
            skip = min(_first_observable(schedule, first, now), steps)
            work += [
                (first + interval * k, policy["PolicyId"], index, backend, policy, schedule)
                for k in range(skip, steps)
            ]
    for when, _pid, _index, backend, policy, schedule in sorted(work, key=lambda w: w[:3]):
        with pinned(when):
            _run(backend, policy, schedule, when)
            _retain_and_deprecate(backend, policy, schedule, when)


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
            policy["lab_error"] = f"{name}: {refused.message}"
            continue
        backend.create_tags(
            [image.id],
            {
                "dlm:managed": "true",
                f"{_SYSTEM_TAG}lifecycle-policy-id": policy["PolicyId"],
                f"{_SYSTEM_TAG}lifecycle-schedule-name": name,
            },
        )
        image.lab_dlm = (policy["PolicyId"], name, instance.id)
        pending.mark_ready(image)
        for snapshot in image_snapshots(image):
            pending.mark_ready(snapshot)


def _retain_and_deprecate(
    backend: Any, policy: dict[str, Any], schedule: dict[str, Any], now: _dt.datetime
) -> None:
    """Deregister the AMIs the retain rule no longer keeps (snapshots deleted), per instance,
    and deprecate by the deprecate rule."""
    key = (policy["PolicyId"], schedule["Name"])
    groups: dict[str, list[Any]] = {}
    for image in list(backend.amis.values()):
        made = DLM.get(image)
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
    route_service(patches, "dlm", LifecyclePolicyResponse.dispatch)
    if "_dispatch" not in BaseResponse.__dict__:  # every request passes here; loud if it moved
        raise RuntimeError("moto's BaseResponse._dispatch moved: policy_runs must be reviewed")
    previous = BaseResponse._dispatch

    def _dispatch(self: BaseResponse, *args: Any, **kwargs: Any) -> Any:
        catch_up()
        return previous(self, *args, **kwargs)

    patches.replace(BaseResponse, "_dispatch", _dispatch)
