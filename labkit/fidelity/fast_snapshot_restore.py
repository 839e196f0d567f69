"""Fast snapshot restore: per snapshot, per Availability Zone, moving on the sandbox clock (R52).

AWS guide page: ebs-fast-snapshot-restore ("Amazon EBS fast snapshot restore": enabled for a
snapshot in chosen Availability Zones; each pair goes enabling → optimizing (about 60 minutes
per TiB) → enabled, and disabling → disabled; up to 5 snapshots per Region; snapshots of
16 TiB at most; your own snapshots and those shared with you), and the
Enable/Disable/DescribeFastSnapshotRestores API reference (``Successful`` and ``Unsuccessful``
items instead of a failed request).

Each pair is a record on the caller's EC2 backend (``backend.lab_fast_restores``, keyed by
snapshot and zone) holding the times of its transitions; the state is read from the sandbox
clock. The sandbox takes one minute to enable, 60 minutes per TiB (at least one minute) to
optimize, and one minute to disable. Billing (per minute per zone, one-hour minimum) is not
priced by ``labkit.pricing``.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from labkit.seam.moto import ActionResult, EC2Response, moto_core_utils

from .errors import invalid_parameter, missing_parameter
from .images import backends_in_region
from .patching import Patches
from .state import FAST_RESTORES
from .visibility import can_create_volume
from .volumes import find_snapshot

__all__ = ["install", "pair_state"]

ENABLING = _dt.timedelta(minutes=1)
DISABLING = _dt.timedelta(minutes=1)
OPTIMIZING_PER_TIB = _dt.timedelta(minutes=60)
MAX_SNAPSHOTS_PER_REGION = 5
MAX_SIZE_GIB = 16 * 1024
_USER = "Client.UserInitiated"
_LIFECYCLE = "Client.UserInitiated - Lifecycle state transition"


def _now() -> _dt.datetime:
    return moto_core_utils.utcnow()


def _pairs(backend: Any) -> dict[tuple[str, str], dict[str, Any]]:
    """The caller's pairs; those of snapshots deleted since are dropped (deleting a snapshot
    ends its fast snapshot restore)."""
    store = FAST_RESTORES.get(backend)
    if store is None:
        store = backend.lab_fast_restores = {}
    for key in [k for k in store if find_snapshot(backend.region_name, k[0]) is None]:
        del store[key]
    return store


def pair_state(record: dict[str, Any]) -> tuple[str, str]:
    """The pair's state and transition reason now, from the times it recorded."""
    now = _now()
    if record.get("DisablingTime") is not None:
        if now >= record["DisabledTime"]:
            return "disabled", _LIFECYCLE
        return "disabling", _USER
    if now >= record["EnabledTime"]:
        return "enabled", _LIFECYCLE
    if now >= record["OptimizingTime"]:
        return "optimizing", _LIFECYCLE
    return "enabling", _USER


def _item(record: dict[str, Any]) -> dict[str, Any]:
    state, reason = pair_state(record)
    item = {k: v for k, v in record.items() if not k.startswith("lab_")}
    item.update(State=state, StateTransitionReason=reason)
    if state in ("enabling", "optimizing"):
        item.pop("EnabledTime", None)
    if state == "enabling":
        item.pop("OptimizingTime", None)
    if state == "disabling":
        item.pop("DisabledTime", None)
    return {k: v for k, v in item.items() if v is not None}


def _zones(backend: Any, names: list[str], ids: list[str]) -> list[tuple[str, str | None]]:
    """The requested zones as (name, zone ID), or ``MissingParameter`` when none is named."""
    if not names and not ids:
        raise missing_parameter("AvailabilityZones")
    known = {zone.name: zone.zone_id for zone in backend.describe_availability_zones()}
    by_id = {zone_id: name for name, zone_id in known.items()}
    chosen = [(name, known.get(name)) for name in names]
    chosen += [(by_id.get(zone_id, zone_id), zone_id) for zone_id in ids]
    return chosen


def _snapshot_error(backend: Any, snapshot_id: str) -> tuple[Any, str | None, str | None]:
    """The snapshot the caller may use, or the code and message that refuse it."""
    for other in backends_in_region(backend.region_name):
        snapshot = other.snapshots.get(snapshot_id)
        if snapshot is not None and can_create_volume(snapshot, backend.account_id):
            if snapshot.volume.size > MAX_SIZE_GIB:
                return None, "InvalidParameterValue", "Snapshots over 16 TiB are not supported"
            return snapshot, None, None
    return None, "InvalidSnapshot.NotFound", f"The snapshot '{snapshot_id}' does not exist."


def _enabled_snapshots(backend: Any) -> set[str]:
    return {sid for (sid, _), r in _pairs(backend).items() if pair_state(r)[0] != "disabled"}


def enable_fast_snapshot_restores(
    backend: Any, snapshot_ids: list[str], zone_names: list[str], zone_ids: list[str]
) -> dict[str, list[dict[str, Any]]]:
    """EnableFastSnapshotRestores: each (snapshot, zone) pair succeeds or is listed as failed."""
    if not snapshot_ids:
        raise missing_parameter("SourceSnapshotIds")
    zones = _zones(backend, zone_names, zone_ids)
    known = {zone.name for zone in backend.describe_availability_zones()}
    successful, unsuccessful = [], []
    now = _now()
    for snapshot_id in snapshot_ids:
        snapshot, code, message = _snapshot_error(backend, snapshot_id)
        enabled = _enabled_snapshots(backend)
        if snapshot is not None and snapshot_id not in enabled:
            if len(enabled) >= MAX_SNAPSHOTS_PER_REGION:
                code = "ResourceLimitExceeded"
                message = "Fast snapshot restore is enabled for 5 snapshots in this Region already"
        errors = []
        for name, zone_id in zones:
            if code is not None or name not in known:
                error = {"Code": code, "Message": message}
                if code is None:
                    error = {
                        "Code": "InvalidParameterValue",
                        "Message": f"Invalid availability zone: [{name}]",
                    }
                errors.append({"AvailabilityZone": name, "Error": error})
                continue
            record = _pairs(backend).get((snapshot_id, name))
            if record is None or pair_state(record)[0] in ("disabling", "disabled"):
                optimizing = now + ENABLING
                size_tib = snapshot.volume.size / 1024
                took = max(OPTIMIZING_PER_TIB * size_tib, _dt.timedelta(minutes=1))
                record = {
                    "SnapshotId": snapshot_id,
                    "AvailabilityZone": name,
                    "AvailabilityZoneId": zone_id,
                    "OwnerId": snapshot.owner_id,
                    "EnablingTime": now,
                    "OptimizingTime": optimizing,
                    "EnabledTime": optimizing + took,
                    "DisablingTime": None,
                    "DisabledTime": None,
                }
                _pairs(backend)[(snapshot_id, name)] = record
            successful.append(_item(record))
        if errors:
            unsuccessful.append(
                {"SnapshotId": snapshot_id, "FastSnapshotRestoreStateErrors": errors}
            )
    return {"Successful": successful, "Unsuccessful": unsuccessful}


def disable_fast_snapshot_restores(
    backend: Any, snapshot_ids: list[str], zone_names: list[str], zone_ids: list[str]
) -> dict[str, list[dict[str, Any]]]:
    """DisableFastSnapshotRestores: enabled (or enabling) pairs start disabling."""
    if not snapshot_ids:
        raise missing_parameter("SourceSnapshotIds")
    zones = _zones(backend, zone_names, zone_ids)
    successful, unsuccessful = [], []
    now = _now()
    for snapshot_id in snapshot_ids:
        errors = []
        for name, _zone_id in zones:
            record = _pairs(backend).get((snapshot_id, name))
            if record is None or pair_state(record)[0] in ("disabling", "disabled"):
                errors.append(
                    {
                        "AvailabilityZone": name,
                        "Error": {
                            "Code": "IncorrectState",
                            "Message": f"Fast snapshot restore is not enabled for {snapshot_id} "
                            f"in {name}",
                        },
                    }
                )
                continue
            record.update(DisablingTime=now, DisabledTime=now + DISABLING)
            successful.append(_item(record))
        if errors:
            unsuccessful.append(
                {"SnapshotId": snapshot_id, "FastSnapshotRestoreStateErrors": errors}
            )
    return {"Successful": successful, "Unsuccessful": unsuccessful}


_FILTERS = {
    "snapshot-id": "SnapshotId",
    "availability-zone": "AvailabilityZone",
    "owner-id": "OwnerId",
    "state": "State",
}


def describe_fast_snapshot_restores(backend: Any, filters: list[dict]) -> list[dict[str, Any]]:
    """DescribeFastSnapshotRestores: the caller's pairs, filtered as AWS filters them."""
    items = [_item(record) for record in _pairs(backend).values()]
    for entry in filters:
        field = _FILTERS.get(entry.get("Name", ""))
        if field is None:
            raise invalid_parameter(f"The filter '{entry.get('Name')}' is invalid")
        values = entry.get("Values", [])
        items = [item for item in items if item.get(field) in values]
    return items


def _zones_param(self: EC2Response) -> tuple[list[str], list[str]]:
    return self._get_param("AvailabilityZones", []), self._get_param("AvailabilityZoneIds", [])


def _enable_response(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    names, ids = _zones_param(self)
    snapshots = self._get_param("SourceSnapshotIds", [])
    return ActionResult(enable_fast_snapshot_restores(self.ec2_backend, snapshots, names, ids))


def _disable_response(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    names, ids = _zones_param(self)
    snapshots = self._get_param("SourceSnapshotIds", [])
    return ActionResult(disable_fast_snapshot_restores(self.ec2_backend, snapshots, names, ids))


def _describe_response(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    items = describe_fast_snapshot_restores(self.ec2_backend, self._get_param("Filters", []))
    return ActionResult({"FastSnapshotRestores": items})


def install(patches: Patches) -> None:
    """Enable/Disable/DescribeFastSnapshotRestores."""
    patches.add(EC2Response, "enable_fast_snapshot_restores", _enable_response)
    patches.add(EC2Response, "disable_fast_snapshot_restores", _disable_response)
    patches.add(EC2Response, "describe_fast_snapshot_restores", _describe_response)
