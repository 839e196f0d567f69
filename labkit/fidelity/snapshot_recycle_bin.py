"""The Recycle Bin for snapshots: deleted snapshots wait, restorable, while a rule says so (R39).

AWS guide pages: recycle-bin ("Recycle Bin"), recycle-bin-working-with-snaps ("Recover
snapshots from the Recycle Bin"), recycle-bin-factors ("Considerations": a snapshot in the bin
cannot be used, shared or deleted by hand; it loses its sharing while inside and gets it back
when restored; when its retention ends it is deleted for good; it is billed as usual).

A snapshot that DeleteSnapshot removes (``lifecycle.py``) comes here when an ``EBS_SNAPSHOT``
retention rule (``retention_rules.py``) matches it: it leaves ``backend.snapshots`` (so every
other action answers ``InvalidSnapshot.NotFound`` and DescribeSnapshots leaves it out, one of
the two readings the guide allows) and waits in ``backend.lab_snapshot_recycle_bin`` with its
create-volume permissions set aside. The sandbox clock ends its stay, lazily, when the bin is
read. R40 (a snapshot behind a registered AMI is refused before it gets here) is in
``lifecycle.py``.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from labkit.seam.moto import ActionResult, EBSBackend, EC2Response, Snapshot, moto_core_utils

from .errors import AwsError, missing_parameter
from .patching import Patches
from .retention_rules import matching_rule, retention
from .state import DELETED_SNAPSHOTS, SNAPSHOT_RECYCLE_BIN

__all__ = ["binned_snapshots", "install", "retain_snapshot"]


def _now() -> _dt.datetime:
    return moto_core_utils.utcnow()


def binned_snapshots(backend: Any) -> dict[str, dict[str, Any]]:
    """Snapshots of this account and Region in the Recycle Bin: ID → snapshot, times, sharing.

    Snapshots whose retention has ended on the sandbox clock are deleted for good first (and
    recorded, as DeleteSnapshot records them, with the time they left).
    """
    store = SNAPSHOT_RECYCLE_BIN.get(backend)
    if store is None:
        store = backend.lab_snapshot_recycle_bin = {}
    now = _now()
    for snapshot_id in [i for i, entry in store.items() if entry["exit"] <= now]:
        entry = store.pop(snapshot_id)
        deleted = DELETED_SNAPSHOTS.get(backend)
        if deleted is None:
            deleted = backend.lab_deleted_snapshots = {}
        entry["snapshot"].deleted_at = entry["exit"]
        deleted[snapshot_id] = entry["snapshot"]
    return store


def retain_snapshot(backend: Any, snapshot: Snapshot) -> bool:
    """Put a snapshot being deleted in the bin if an ``EBS_SNAPSHOT`` rule matches it.

    Returns:
        True if a rule keeps it; the caller then does not delete it.
    """
    tags = dict(backend.tags.get(snapshot.id, {}))
    rule = matching_rule(backend, "EBS_SNAPSHOT", tags)
    if rule is None:
        return False
    now = _now()
    binned_snapshots(backend)[snapshot.id] = {
        "snapshot": snapshot,
        "enter": now,
        "exit": now + retention(rule),
        "groups": set(snapshot.create_volume_permission_groups),
        "users": set(snapshot.create_volume_permission_userids),
    }
    snapshot.create_volume_permission_groups.clear()
    snapshot.create_volume_permission_userids.clear()
    backend.snapshots.pop(snapshot.id, None)
    return True


def list_snapshots_in_recycle_bin(self: EBSBackend, snapshot_ids: list[str]) -> list[dict]:
    """ListSnapshotsInRecycleBin: the caller's deleted snapshots that a rule still keeps."""
    return [
        {
            "SnapshotId": snapshot_id,
            "RecycleBinEnterTime": entry["enter"],
            "RecycleBinExitTime": entry["exit"],
            "Description": entry["snapshot"].description,
            "VolumeId": entry["snapshot"].volume.id,
        }
        for snapshot_id, entry in binned_snapshots(self).items()
        if not snapshot_ids or snapshot_id in snapshot_ids
    ]


def restore_snapshot_from_recycle_bin(self: EBSBackend, snapshot_id: str) -> Snapshot:
    """RestoreSnapshotFromRecycleBin: the snapshot comes back as it was, sharing included."""
    backend: Any = self
    if not snapshot_id:
        raise missing_parameter("SnapshotId")
    entry = binned_snapshots(backend).pop(snapshot_id, None)
    if entry is None:
        raise AwsError(
            "InvalidSnapshot.NotFound",
            f"The snapshot '{snapshot_id}' is not in the Recycle Bin of this account and Region",
        )
    snapshot = entry["snapshot"]
    snapshot.create_volume_permission_groups.update(entry["groups"])
    snapshot.create_volume_permission_userids.update(entry["users"])
    backend.snapshots[snapshot_id] = snapshot
    return snapshot


def _list_response(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    listed = self.ec2_backend.list_snapshots_in_recycle_bin(self._get_param("SnapshotIds", []))
    return ActionResult({"Snapshots": listed})


def _restore_response(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    snapshot = self.ec2_backend.restore_snapshot_from_recycle_bin(self._get_param("SnapshotId"))
    return ActionResult(
        {
            "SnapshotId": snapshot.id,
            "Description": snapshot.description,
            "Encrypted": bool(snapshot.encrypted),
            "OwnerId": snapshot.owner_id,
            "Progress": "100%",
            "StartTime": snapshot.start_time,
            "State": snapshot.status,
            "VolumeId": snapshot.volume.id,
            "VolumeSize": snapshot.volume.size,
        }
    )


def install(patches: Patches) -> None:
    """EC2's Recycle Bin actions for snapshots."""
    patches.add(EBSBackend, "list_snapshots_in_recycle_bin", list_snapshots_in_recycle_bin)
    patches.add(EBSBackend, "restore_snapshot_from_recycle_bin", restore_snapshot_from_recycle_bin)
    patches.add(EC2Response, "list_snapshots_in_recycle_bin", _list_response)
    patches.add(EC2Response, "restore_snapshot_from_recycle_bin", _restore_response)
