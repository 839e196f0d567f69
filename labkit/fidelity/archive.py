"""Snapshot storage tiers: archiving snapshots and restoring them (R28).

AWS guide pages: snapshot-archive ("Archive Amazon EBS snapshots": only completed snapshots you
own; restore temporarily for 1–180 days or permanently; restores take hours; a 90-day minimum),
archive-snapshot (the snapshots of an AMI can be archived once the AMI is disabled) and
restore-archived-snapshot (to use such an AMI again, restore its snapshots permanently first).

State lives on moto's snapshot: ``storage_tier`` and the ``last_tiering_*`` fields moto already
has, ``archived_at`` (for the 90-day minimum, which pricing reads), ``lab_archive_history``
(past archive periods), and ``lab_restore_ready_at`` / ``lab_restore_days`` while a restore
runs. Tiers move with the sandbox clock whenever a snapshot is read.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from labkit.seam.moto import EBSBackend, Snapshot, moto_core_utils

from .errors import AwsError, auth_failure, invalid_parameter, missing_parameter
from .images import backends_in_region
from .lifecycle import images_using_snapshot
from .patching import Patches
from .rendering import aws_time
from .state import ARCHIVE_HISTORY, RESTORE_READY_AT
from .visibility import can_create_volume

__all__ = ["ARCHIVE_MINIMUM_DAYS", "RESTORE_DURATION", "install", "require_standard_tier"]

#: Archived snapshots are billed for at least 90 days (snapshot-archive, "Pricing and billing").
ARCHIVE_MINIMUM_DAYS = 90
#: AWS restores an archived snapshot in up to 72 hours; the sandbox takes six (of its own time).
RESTORE_DURATION = _dt.timedelta(hours=6)


def _now() -> _dt.datetime:
    return moto_core_utils.utcnow()


def _refresh_tier(snapshot: Snapshot) -> None:
    """Bring a snapshot's tier up to the sandbox clock: restores finish, temporary ones expire."""
    status = getattr(snapshot, "last_tiering_operation_status", None)
    now = _now()
    ready = RESTORE_READY_AT.get(snapshot)
    if status in ("temporary-restore-in-progress", "permanent-restore-in-progress"):
        if ready is not None and now >= ready:
            snapshot.last_tiering_progress = 100
            snapshot.storage_tier = "standard"
            if status == "permanent-restore-in-progress":
                snapshot.last_tiering_operation_status = "permanent-restore-completed"
                snapshot.last_tiering_operation_status_detail = "Permanent restore completed"
                snapshot.restore_expiry_time = None
                history = list(ARCHIVE_HISTORY.get(snapshot, []))
                history.append((snapshot.archived_at, ready))
                snapshot.lab_archive_history = history
                snapshot.archived_at = None
            else:
                snapshot.last_tiering_operation_status = "temporary-restore-completed"
                snapshot.last_tiering_operation_status_detail = "Temporary restore completed"
                snapshot.restore_expiry_time = ready + snapshot.lab_restore_days
        else:
            snapshot.last_tiering_progress = 0
    expiry = getattr(snapshot, "restore_expiry_time", None)
    if (
        snapshot.last_tiering_operation_status == "temporary-restore-completed"
        and expiry is not None
        and now >= expiry
    ):
        snapshot.storage_tier = "archive"
        snapshot.restore_expiry_time = None
        snapshot.last_tiering_operation_status = "archival-completed"
        snapshot.last_tiering_operation_status_detail = "The temporary restore period ended"


def _settle_with_images(snapshot: Snapshot) -> None:
    """A snapshot of an available image is complete: AWS makes an image available only then."""
    if snapshot.status != "pending" or not snapshot.from_ami:
        return
    image = snapshot.ec2_backend.amis.get(snapshot.from_ami)
    if image is None or image.state == "available":
        from .pending import mark_ready

        mark_ready(snapshot)


def _is_restored(snapshot: Snapshot) -> bool:
    return snapshot.last_tiering_operation_status == "temporary-restore-completed"


def require_standard_tier(snapshot: Snapshot) -> None:
    """An archived snapshot must be restored before volumes, images or copies use it (R28)."""
    _refresh_tier(snapshot)
    if snapshot.storage_tier == "archive" and not _is_restored(snapshot):
        raise AwsError(
            "IncorrectState",
            f"The snapshot {snapshot.id} is in the archive tier and cannot be used.",
        )


def _own_snapshot(backend: Any, snapshot_id: Any, action: str) -> Snapshot:
    if not snapshot_id:
        raise missing_parameter("SnapshotId")
    snapshot = backend.snapshots.get(snapshot_id)
    if snapshot is not None:
        return snapshot
    for other in backends_in_region(backend.region_name):
        found = other.snapshots.get(snapshot_id)
        if found is not None and can_create_volume(found, backend.account_id):
            raise auth_failure(f"Not authorized for snapshot:{snapshot_id}")
    raise AwsError("InvalidSnapshot.NotFound", f"The snapshot '{snapshot_id}' does not exist.")


def modify_snapshot_tier(self: EBSBackend, snapshot_id: str, storage_tier: str) -> Snapshot:
    """ModifySnapshotTier to ``archive``, with the limits of snapshot-archive.

    Raises:
        AwsError: ``IncorrectState`` for a snapshot that is not completed, already archived or
            being restored; ``InvalidSnapshot.InUse`` while an image that is not disabled uses
            it (a disabled or deregistered image does not stop it).
    """
    backend: Any = self
    snapshot = _own_snapshot(backend, snapshot_id, "archive")
    if storage_tier != "archive":
        raise invalid_parameter(f"Value ({storage_tier}) for parameter StorageTier is invalid.")
    _refresh_tier(snapshot)
    _settle_with_images(snapshot)
    if snapshot.status != "completed":
        raise AwsError(
            "IncorrectState",
            f"The snapshot {snapshot_id} is {snapshot.status}; only completed snapshots can be "
            "archived",
        )
    if snapshot.storage_tier == "archive" or _is_restored(snapshot):
        raise AwsError("IncorrectState", f"The snapshot {snapshot_id} is already archived")
    if str(snapshot.last_tiering_operation_status or "").endswith("in-progress"):
        raise AwsError("IncorrectState", f"The snapshot {snapshot_id} is being restored")
    # archive-snapshot: "If the snapshot is associated with one or more AMIs, then you must
    # first disable those associated AMIs before you can archive the snapshot."
    enabled = [
        image
        for image in images_using_snapshot(backend.region_name, snapshot_id)
        if image.state != "disabled"
    ]
    if enabled:
        image = enabled[0]
        raise AwsError(
            "InvalidSnapshot.InUse",
            f"The snapshot {snapshot_id} is associated with the EBS-backed image {image.id}",
        )
    now = _now()
    snapshot.storage_tier = "archive"
    snapshot.last_tiering_start_time = now
    snapshot.last_tiering_progress = 100
    snapshot.last_tiering_operation_status = "archival-completed"
    snapshot.last_tiering_operation_status_detail = "Archival completed successfully"
    snapshot.archival_complete_time = now
    snapshot.restore_expiry_time = None
    snapshot.archived_at = now
    # Archived snapshots cannot be shared: accounts it was shared with lose access.
    snapshot.create_volume_permission_groups.clear()
    snapshot.create_volume_permission_userids.clear()
    return snapshot


def restore_snapshot_tier(
    self: EBSBackend,
    snapshot_id: str,
    temporary_restore_days: int | None = None,
    permanent_restore: bool = False,
) -> Snapshot:
    """RestoreSnapshotTier: temporary (1–180 days) or permanent; finishes after some hours."""
    backend: Any = self
    snapshot = _own_snapshot(backend, snapshot_id, "restore")
    _refresh_tier(snapshot)
    if permanent_restore and temporary_restore_days:
        raise AwsError(
            "InvalidParameterCombination",
            "Specify either PermanentRestore or TemporaryRestoreDays, not both",
        )
    days = 1 if temporary_restore_days is None else int(temporary_restore_days)
    if not permanent_restore and not 1 <= days <= 180:
        raise invalid_parameter("TemporaryRestoreDays must be between 1 and 180")
    status = snapshot.last_tiering_operation_status
    now = _now()
    if _is_restored(snapshot):
        # Change a temporary restore: a new period from now, or make it permanent.
        snapshot.restore_start_time = now
        if permanent_restore:
            snapshot.last_tiering_operation_status = "permanent-restore-completed"
            snapshot.restore_expiry_time = None
            history = list(ARCHIVE_HISTORY.get(snapshot, []))
            history.append((snapshot.archived_at, now))
            snapshot.lab_archive_history = history
            snapshot.archived_at = None
        else:
            snapshot.restore_expiry_time = now + _dt.timedelta(days=days)
        return snapshot
    if snapshot.storage_tier != "archive":
        raise AwsError(
            "IncorrectState", f"The snapshot {snapshot_id} is not archived; nothing to restore"
        )
    if str(status or "").endswith("restore-in-progress"):
        raise AwsError("IncorrectState", f"The snapshot {snapshot_id} is already being restored")
    snapshot.restore_start_time = now
    snapshot.last_tiering_start_time = now
    snapshot.last_tiering_progress = 0
    snapshot.lab_restore_ready_at = now + RESTORE_DURATION
    snapshot.lab_restore_days = _dt.timedelta(days=days)
    snapshot.restore_expiry_time = None
    kind = "permanent" if permanent_restore else "temporary"
    snapshot.last_tiering_operation_status = f"{kind}-restore-in-progress"
    snapshot.last_tiering_operation_status_detail = (
        f"Restore in progress; it completes at {aws_time(snapshot.lab_restore_ready_at)}"
    )
    return snapshot


def describe_snapshot_tier_status(self: EBSBackend, filters: Any = None) -> list[Snapshot]:
    from labkit.seam.moto import generic_filter

    snapshots = list(self.snapshots.values())
    for snapshot in snapshots:
        _refresh_tier(snapshot)
    if filters:
        snapshots = generic_filter(filters, snapshots)
    return snapshots


def _storage_tier(self: Snapshot) -> str:
    _refresh_tier(self)
    return self.storage_tier


def _restore_expiry(self: Snapshot) -> _dt.datetime | None:
    _refresh_tier(self)
    return self.restore_expiry_time


def install(patches: Patches) -> None:
    """Apply R28 to moto: ModifySnapshotTier, RestoreSnapshotTier and the tiers they report."""
    patches.replace(EBSBackend, "modify_snapshot_tier", modify_snapshot_tier)
    patches.replace(EBSBackend, "restore_snapshot_tier", restore_snapshot_tier)
    patches.replace(EBSBackend, "describe_snapshot_tier_status", describe_snapshot_tier_status)
    patches.add(Snapshot, "StorageTier", property(_storage_tier))
    patches.add(Snapshot, "RestoreExpiryTime", property(_restore_expiry))
