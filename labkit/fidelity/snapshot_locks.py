"""EBS snapshot lock: governance and compliance modes on the sandbox clock (R41–R43).

AWS guide pages: snapshot-lock-concepts ("Amazon EBS snapshot lock concepts": modes, the
cooling-off period, lock duration or expiration date), snapshot-lock-considerations (locks and
AMIs coexist; only closing the account deletes a compliance-locked snapshot early), and the
LockSnapshot, UnlockSnapshot and DescribeLockedSnapshots API reference.

A lock is ``snapshot.lab_lock`` (mode, times, durations). Its state is worked out from the
sandbox clock whenever it is read: ``governance``; ``compliance-cooloff`` until the cooling-off
period ends, then ``compliance``; ``expired`` once the lock's time is up. DeleteSnapshot
(``lifecycle.py``) asks :func:`refuse_if_locked`. AWS documents the refusals but no error
codes: the sandbox answers ``OperationNotPermitted`` for what a lock forbids (as for
deregistration protection), ``InvalidParameterCombination``/``InvalidParameterValue`` for bad
requests and ``IncorrectState`` for a snapshot that cannot be locked.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from labkit.seam.moto import ActionResult, EC2Response, Snapshot, moto_core_utils

from .errors import AwsError, invalid_parameter, missing_parameter
from .patching import Patches
from .state import LOCK

__all__ = ["install", "lock_state", "refuse_if_locked"]

MAX_LOCK_DAYS = 36_500
MAX_COOL_OFF_HOURS = 72


def _now() -> _dt.datetime:
    return moto_core_utils.utcnow()


def lock_state(snapshot: Snapshot) -> str | None:
    """The lock's state now, or None for a snapshot that was never locked (or was unlocked)."""
    lock = LOCK.get(snapshot)
    if lock is None:
        return None
    now = _now()
    if now >= lock["expires"]:
        return "expired"
    if lock["mode"] == "governance":
        return "governance"
    if lock["cooloff_end"] is not None and now < lock["cooloff_end"]:
        return "compliance-cooloff"
    return "compliance"


def refuse_if_locked(snapshot: Snapshot) -> None:
    """R41: a snapshot whose lock has not expired cannot be deleted."""
    state = lock_state(snapshot)
    if state in (None, "expired"):
        return
    until = snapshot.lab_lock["expires"]
    raise AwsError(
        "OperationNotPermitted",
        f"The snapshot {snapshot.id} is locked in {state} mode until "
        f"{until:%Y-%m-%dT%H:%M:%S.000Z} and cannot be deleted",
    )


def _combination(message: str) -> AwsError:
    return AwsError("InvalidParameterCombination", message)


def _own_snapshot(backend: Any, snapshot_id: Any) -> Snapshot:
    if not snapshot_id:
        raise missing_parameter("SnapshotId")
    snapshot = backend.snapshots.get(snapshot_id)
    if snapshot is None:  # another account's snapshot cannot be locked by this one
        raise AwsError("InvalidSnapshot.NotFound", f"The snapshot '{snapshot_id}' does not exist.")
    return snapshot


def _as_naive_utc(when: Any) -> _dt.datetime:
    if isinstance(when, str):
        when = _dt.datetime.fromisoformat(when.replace("Z", "+00:00"))
    if when.tzinfo is not None:
        when = when.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    return when


def lock_snapshot(
    backend: Any,
    snapshot_id: str,
    mode: str,
    cool_off_hours: int | None,
    duration_days: int | None,
    expiration: Any,
) -> dict[str, Any]:
    """LockSnapshot: lock a snapshot, or change its lock as far as the lock's state allows."""
    snapshot = _own_snapshot(backend, snapshot_id)
    if snapshot.status not in ("pending", "completed"):
        raise AwsError("IncorrectState", f"Snapshot '{snapshot_id}' is {snapshot.status}")
    if mode not in ("governance", "compliance"):
        raise invalid_parameter(f"LockMode '{mode}' is not valid: use governance or compliance")
    if (duration_days is None) == (expiration is None):
        raise _combination("Specify either LockDuration or ExpirationDate, not both or neither")
    if cool_off_hours is not None:
        if mode != "compliance":
            raise _combination("CoolOffPeriod can only be specified with LockMode compliance")
        if not 1 <= cool_off_hours <= MAX_COOL_OFF_HOURS:
            raise invalid_parameter("CoolOffPeriod must be between 1 and 72 hours")
    now = _now()
    if duration_days is not None:
        if not 1 <= duration_days <= MAX_LOCK_DAYS:
            raise invalid_parameter("LockDuration must be between 1 and 36500 days")
        expires = now + _dt.timedelta(days=duration_days)
    else:
        expires = _as_naive_utc(expiration)
        if expires <= now:
            raise invalid_parameter("ExpirationDate must be in the future")
    state = lock_state(snapshot)
    if state == "compliance":  # R42: only a longer lock, in the same mode, no new cooling-off
        current = snapshot.lab_lock
        if mode != "compliance":
            raise AwsError(
                "OperationNotPermitted",
                f"The snapshot {snapshot_id} is locked in compliance mode; its mode cannot change",
            )
        if cool_off_hours is not None:
            raise _combination("The cooling-off period of this compliance lock has already ended")
        if expires <= current["expires"]:
            raise AwsError(
                "OperationNotPermitted",
                f"The snapshot {snapshot_id} is locked in compliance mode; its lock can only be "
                "extended",
            )
        current.update(expires=expires, duration_days=duration_days)
        return current
    created = snapshot.lab_lock["created"] if state not in (None, "expired") else now
    snapshot.lab_lock = {
        "mode": mode,
        "created": created,
        "start": now,
        "expires": expires,
        "duration_days": duration_days,
        "cooloff_hours": cool_off_hours,
        "cooloff_end": now + _dt.timedelta(hours=cool_off_hours) if cool_off_hours else None,
    }
    return snapshot.lab_lock


def _description(snapshot: Snapshot) -> dict[str, Any]:
    lock = snapshot.lab_lock
    answer = {
        "OwnerId": snapshot.owner_id,
        "SnapshotId": snapshot.id,
        "LockState": lock_state(snapshot),
        "LockCreatedOn": lock["created"],
        "LockDurationStartTime": lock["start"],
        "LockExpiresOn": lock["expires"],
        "LockDuration": lock["duration_days"],
        "CoolOffPeriod": lock["cooloff_hours"],
        "CoolOffPeriodExpiresOn": lock["cooloff_end"],
    }
    return {k: v for k, v in answer.items() if v is not None}


def _lock_response(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    cool_off, duration = self._get_param("CoolOffPeriod"), self._get_param("LockDuration")
    snapshot_id = self._get_param("SnapshotId")
    lock_snapshot(
        self.ec2_backend,
        snapshot_id,
        self._get_param("LockMode"),
        None if cool_off is None else int(cool_off),
        None if duration is None else int(duration),
        self._get_param("ExpirationDate"),
    )
    answer = _description(self.ec2_backend.snapshots[snapshot_id])
    answer.pop("OwnerId")
    return ActionResult(answer)


def _unlock_response(self: EC2Response) -> ActionResult:
    """UnlockSnapshot: governance, or compliance while cooling off (R41, R42)."""
    self.error_on_dryrun()
    snapshot = _own_snapshot(self.ec2_backend, self._get_param("SnapshotId"))
    state = lock_state(snapshot)
    if state is None:
        raise AwsError("IncorrectState", f"The snapshot {snapshot.id} is not locked")
    if state == "compliance":
        raise AwsError(
            "OperationNotPermitted",
            f"The snapshot {snapshot.id} is locked in compliance mode and its cooling-off period "
            "has ended; it cannot be unlocked",
        )
    snapshot.lab_lock = None
    return ActionResult({"SnapshotId": snapshot.id})


def _describe_response(self: EC2Response) -> ActionResult:
    """DescribeLockedSnapshots: the caller's locked snapshots (``lock-state`` filter)."""
    self.error_on_dryrun()
    wanted_ids = self._get_param("SnapshotIds", [])
    states: list[str] = []
    for entry in self._get_param("Filters", []):
        if entry.get("Name") != "lock-state":
            raise invalid_parameter(f"The filter '{entry.get('Name')}' is invalid")
        states += entry.get("Values", [])
    listed = [
        _description(snapshot)
        for snapshot in self.ec2_backend.snapshots.values()
        if LOCK.get(snapshot) is not None
        and (not wanted_ids or snapshot.id in wanted_ids)
        and (not states or lock_state(snapshot) in states)
    ]
    return ActionResult({"Snapshots": listed})


def install(patches: Patches) -> None:
    """LockSnapshot, UnlockSnapshot and DescribeLockedSnapshots."""
    patches.add(EC2Response, "lock_snapshot", _lock_response)
    patches.add(EC2Response, "unlock_snapshot", _unlock_response)
    patches.add(EC2Response, "describe_locked_snapshots", _describe_response)
