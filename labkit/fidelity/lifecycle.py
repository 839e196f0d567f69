"""An image's life after creation, and what it costs: R24–R28.

AWS guide pages: deregister-ami (R24, R25: only the owner deregisters; snapshots stay and are
billed; a snapshot in use by an image cannot be deleted), ami-deprecate (R26),
ami-deregistration-protection and recycle-bin-working-with-amis (R27), snapshot-archive and
working-with-snapshot-archiving (R28), DescribeImageAttribute API reference.

State lives on moto's models: ``image.deprecation_time`` (with AWS's two-year default for
public images), ``image.lab_protection`` and ``image.lab_protection_until`` (cooldown),
``snapshot.archived_at`` (for the 90-day minimum), ``backend.lab_deleted_snapshots``, and the
Recycle Bin's ``backend.lab_recycle_bin`` and ``backend.lab_rbin_rules`` (end of this module).
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

import moto.backend_index
import moto.backends
import moto.core.utils
from moto.core.exceptions import JsonRESTError
from moto.core.responses import ActionResult, BaseResponse, EmptyResult
from moto.ec2.models.amis import Ami, AmiBackend
from moto.ec2.models.elastic_block_store import EBSBackend, Snapshot
from moto.ec2.responses import EC2Response

from .errors import AwsError, auth_failure, image_not_found, invalid_parameter, missing_parameter
from .images import backends_in_region, block_device_mappings, check_image_id, find_image
from .patching import Patches
from .rendering import aws_time
from .visibility import can_create_volume, can_launch

__all__ = [
    "ARCHIVE_MINIMUM_DAYS",
    "COOLDOWN",
    "RESTORE_DURATION",
    "deregistration_protection",
    "images_using_snapshot",
    "install",
    "owned_image",
    "require_standard_tier",
]

#: WithCooldown keeps an image protected this long after protection is disabled.
COOLDOWN = _dt.timedelta(hours=24)
#: Public images deprecate two years after creation unless set earlier (ami-deprecate, Note).
PUBLIC_DEPRECATION_YEARS = 2
#: DeprecateAt may be at most ten years ahead (EnableImageDeprecation API reference).
MAX_DEPRECATION_YEARS = 10
#: Archived snapshots are billed for at least 90 days (snapshot-archive, "Pricing and billing").
ARCHIVE_MINIMUM_DAYS = 90
#: AWS restores an archived snapshot in up to 72 hours; the sandbox takes six (of its own time).
RESTORE_DURATION = _dt.timedelta(hours=6)


def _now() -> _dt.datetime:
    return moto.core.utils.utcnow()


def _years_later(when: _dt.datetime, years: int) -> _dt.datetime:
    try:
        return when.replace(year=when.year + years)
    except ValueError:  # 29 February
        return when.replace(year=when.year + years, day=28)


# -- whose image ----------------------------------------------------------------------------------


def owned_image(backend: Any, image_id: Any, action: str) -> Ami:
    """The caller's own image, or AWS's error: NotFound if it cannot see it, AuthFailure if not
    its owner (R03: only the owner can modify, deprecate or deregister an image)."""
    if not image_id:
        raise missing_parameter("ImageId")
    check_image_id(image_id)
    caller, region = backend.account_id, backend.region_name
    image = find_image(region, image_id)
    if image is None or not can_launch(image, caller):
        if image_id in backend.deleted_amis:
            raise AwsError(
                "InvalidAMIID.Unavailable", f"The image id '[{image_id}]' is no longer available"
            )
        raise image_not_found(image_id)
    if image.owner_id != caller:
        raise auth_failure(
            f"Not authorized for image:{image_id}. Only its owner, account {image.owner_id}, "
            f"can {action} it"
        )
    return image


def images_using_snapshot(region: str, snapshot_id: str) -> list[Ami]:
    """Registered images (and images in the Recycle Bin) whose mappings name a snapshot."""
    users = []
    for backend in backends_in_region(region):
        candidates = list(backend.amis.values())
        candidates += [entry["image"] for entry in _bin(backend).values()]
        for image in candidates:
            for mapping in block_device_mappings(image):
                if (mapping.get("Ebs") or {}).get("SnapshotId") == snapshot_id:
                    users.append(image)
                    break
    return users


# -- R26: deprecation -------------------------------------------------------------------------


def _get_deprecation_time(self: Ami) -> _dt.datetime | None:
    """R26: the set deprecation time; public images deprecate two years after creation at most."""
    explicit = self.__dict__.get("_lab_deprecation_time")
    if not self.is_public or self.creation_date is None:
        return explicit
    default = _years_later(self.creation_date, PUBLIC_DEPRECATION_YEARS)
    return explicit if explicit is not None and explicit < default else default


def _set_deprecation_time(self: Ami, when: _dt.datetime | None) -> None:
    self.__dict__["_lab_deprecation_time"] = when


def _round_to_minute(when: _dt.datetime) -> _dt.datetime:
    when = when.astimezone(_dt.timezone.utc).replace(tzinfo=None) if when.tzinfo else when
    rounded = when.replace(second=0, microsecond=0)
    if when.second >= 30:
        rounded += _dt.timedelta(minutes=1)
    return rounded


def enable_image_deprecation(self: AmiBackend, image_id: str, deprecate_at: Any) -> None:
    """EnableImageDeprecation: owner only; rounded to the minute; not in the past; ≤ 10 years
    ahead, or ≤ two years after creation for a public image (ami-deprecate)."""
    image = owned_image(self, image_id, "deprecate")
    if deprecate_at is None or deprecate_at == "":
        raise missing_parameter("DeprecateAt")
    if isinstance(deprecate_at, str):
        try:
            deprecate_at = _dt.datetime.fromisoformat(deprecate_at.replace("Z", "+00:00"))
        except ValueError:
            raise invalid_parameter(
                f"DeprecateAt '{deprecate_at}' is not a date and time"
            ) from None
    when = _round_to_minute(deprecate_at)
    now = _now()
    if when < now.replace(second=0, microsecond=0):
        raise invalid_parameter(
            f"DeprecateAt {aws_time(when)} is in the past; choose a future date and time"
        )
    if image.is_public:
        limit = _years_later(image.creation_date, PUBLIC_DEPRECATION_YEARS)
        if when > limit:
            raise invalid_parameter(
                f"{image_id} is public, so it must deprecate within two years of its creation "
                f"(by {aws_time(limit)}); make it private to set a later date"
            )
    elif when > _years_later(now, MAX_DEPRECATION_YEARS):
        raise invalid_parameter(
            f"DeprecateAt {aws_time(when)} is more than {MAX_DEPRECATION_YEARS} years from now"
        )
    image.deprecation_time = when


def disable_image_deprecation(self: AmiBackend, image_id: str) -> None:
    """DisableImageDeprecation: owner only; a public image keeps its two-year default."""
    image = owned_image(self, image_id, "change the deprecation of")
    if image.is_public:
        raise invalid_parameter(
            f"{image_id} is public: public images always deprecate within two years of creation. "
            "Make it private (share it with specific accounts) to cancel its deprecation"
        )
    image.deprecation_time = None


def _enable_deprecation_response(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    self.ec2_backend.enable_image_deprecation(
        self._get_param("ImageId"), self._get_param("DeprecateAt")
    )
    return ActionResult({"Return": True})


def _disable_deprecation_response(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    self.ec2_backend.disable_image_deprecation(self._get_param("ImageId"))
    return ActionResult({"Return": True})


# -- R27: deregistration protection ---------------------------------------------------------------


def deregistration_protection(image: Ami) -> str:
    """DescribeImages' ``DeregistrationProtection``: ``disabled``, ``enabled-without-cooldown``
    or ``enabled-with-cooldown`` (also during the 24 hours after a cooled-down disable)."""
    mode = getattr(image, "lab_protection", None)
    if mode == "with-cooldown":
        return "enabled-with-cooldown"
    if mode == "without-cooldown":
        return "enabled-without-cooldown"
    until = getattr(image, "lab_protection_until", None)
    if until is not None and _now() < until:
        return "enabled-with-cooldown"
    return "disabled"


def enable_image_deregistration_protection(
    self: AmiBackend, image_id: str, with_cooldown: bool = False
) -> str:
    """EnableImageDeregistrationProtection (owner only); returns the new setting."""
    image = owned_image(self, image_id, "protect")
    image.lab_protection = "with-cooldown" if with_cooldown else "without-cooldown"
    image.lab_protection_until = None
    return deregistration_protection(image)


def disable_image_deregistration_protection(self: AmiBackend, image_id: str) -> str:
    """DisableImageDeregistrationProtection; with a cooldown the image stays protected 24 h."""
    image = owned_image(self, image_id, "unprotect")
    if getattr(image, "lab_protection", None) == "with-cooldown":
        image.lab_protection_until = _now() + COOLDOWN
    image.lab_protection = None
    return "disabled"


def _enable_protection_response(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    result = self.ec2_backend.enable_image_deregistration_protection(
        self._get_param("ImageId"), bool(self._get_param("WithCooldown", False))
    )
    return ActionResult({"Return": result})


def _disable_protection_response(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    result = self.ec2_backend.disable_image_deregistration_protection(self._get_param("ImageId"))
    return ActionResult({"Return": result})


# -- R24, R25, R27: deregistering ----------------------------------------------------------------


def deregister_image(
    self: AmiBackend, ami_id: str, delete_associated_snapshots: bool = False
) -> list[dict[str, str]]:
    """DeregisterImage as AWS does it (deregister-ami).

    Only the owner may deregister (``AuthFailure``, as AWS answers "Not authorized for image");
    protection refuses it (``OperationNotPermitted``); the snapshots stay, and are still billed,
    unless ``DeleteAssociatedSnapshots`` (a snapshot another image uses is skipped). An image
    that matches a Recycle Bin retention rule goes to the bin instead of disappearing.

    Returns:
        ``DeleteSnapshotResults``: one ``{SnapshotId, ReturnCode}`` per snapshot when asked.
    """
    backend: Any = self
    image = owned_image(backend, ami_id, "deregister")
    if deregistration_protection(image) != "disabled":
        until = getattr(image, "lab_protection_until", None)
        extra = (
            f" (the 24-hour cooldown after disabling it ends at {aws_time(until)})"
            if getattr(image, "lab_protection", None) is None and until is not None
            else "; disable it first with DisableImageDeregistrationProtection"
        )
        raise AwsError(
            "OperationNotPermitted",
            f"The image {ami_id} has deregistration protection enabled and cannot be "
            f"deregistered{extra}",
        )
    snapshots = [
        backend.snapshots[m["Ebs"]["SnapshotId"]]
        for m in block_device_mappings(image)
        if (m.get("Ebs") or {}).get("SnapshotId") in backend.snapshots
    ]
    backend.amis.pop(ami_id)
    rule = _matching_rule(backend, image)
    if rule is not None:
        now = _now()
        _bin(backend)[ami_id] = {
            "image": image,
            "enter": now,
            "exit": now + _retention(rule),
        }
    else:
        backend.deleted_amis.append(ami_id)
    results = []
    if delete_associated_snapshots:
        region = backend.region_name
        for snapshot in snapshots:
            if images_using_snapshot(region, snapshot.id):
                code = "skipped"
            else:
                _remove_snapshot(backend, snapshot)
                code = "success"
            results.append({"SnapshotId": snapshot.id, "ReturnCode": code})
    return results


def _deregister_image_response(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    delete = bool(self._get_param("DeleteAssociatedSnapshots", False))
    results = self.ec2_backend.deregister_image(self._get_param("ImageId"), delete)
    answer: dict[str, Any] = {"Return": True}
    if delete:
        answer["DeleteSnapshotResults"] = results
    return ActionResult(answer)


# -- R25: deleting snapshots ---------------------------------------------------------------------


def _remove_snapshot(backend: Any, snapshot: Snapshot) -> None:
    """Delete a snapshot, remembering when (billing charges archived ones their 90 days)."""
    backend.snapshots.pop(snapshot.id, None)
    deleted = getattr(backend, "lab_deleted_snapshots", None)
    if deleted is None:
        deleted = backend.lab_deleted_snapshots = {}
    snapshot.deleted_at = _now()
    deleted[snapshot.id] = snapshot


def delete_snapshot(self: EBSBackend, snapshot_id: str) -> Snapshot:
    """DeleteSnapshot: owner only; refused while a registered image uses it (deregister-ami)."""
    backend: Any = self
    if not snapshot_id:
        raise missing_parameter("SnapshotId")
    region = backend.region_name
    snapshot = backend.snapshots.get(snapshot_id)
    if snapshot is None:
        for other in backends_in_region(region):
            found = other.snapshots.get(snapshot_id)
            if found is not None and can_create_volume(found, backend.account_id):
                raise auth_failure(
                    f"Not authorized for snapshot:{snapshot_id}. Only its owner, account "
                    f"{found.owner_id}, can delete it"
                )
        raise AwsError("InvalidSnapshot.NotFound", f"The snapshot '{snapshot_id}' does not exist.")
    users = images_using_snapshot(region, snapshot_id)
    if users:
        raise AwsError(
            "InvalidSnapshot.InUse",
            f"The snapshot {snapshot_id} is currently in use by {users[0].id}",
        )
    _remove_snapshot(backend, snapshot)
    return snapshot


# -- R28: archive tier ---------------------------------------------------------------------------


def _refresh_tier(snapshot: Snapshot) -> None:
    """Bring a snapshot's tier up to the sandbox clock: restores finish, temporary ones expire."""
    status = getattr(snapshot, "last_tiering_operation_status", None)
    now = _now()
    ready = getattr(snapshot, "lab_restore_ready_at", None)
    if status in ("temporary-restore-in-progress", "permanent-restore-in-progress"):
        if ready is not None and now >= ready:
            snapshot.last_tiering_progress = 100
            snapshot.storage_tier = "standard"
            if status == "permanent-restore-in-progress":
                snapshot.last_tiering_operation_status = "permanent-restore-completed"
                snapshot.last_tiering_operation_status_detail = "Permanent restore completed"
                snapshot.restore_expiry_time = None
                history = list(getattr(snapshot, "lab_archive_history", []))
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
            f"The snapshot {snapshot.id} is in the archive tier; restore it with "
            "RestoreSnapshotTier before using it",
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
            raise auth_failure(
                f"Not authorized for snapshot:{snapshot_id}. You can {action} only snapshots "
                f"you own (this one belongs to account {found.owner_id}: copy it first)"
            )
    raise AwsError("InvalidSnapshot.NotFound", f"The snapshot '{snapshot_id}' does not exist.")


def modify_snapshot_tier(self: EBSBackend, snapshot_id: str, storage_tier: str) -> Snapshot:
    """ModifySnapshotTier to ``archive``, with the limits of snapshot-archive."""
    backend: Any = self
    snapshot = _own_snapshot(backend, snapshot_id, "archive")
    if storage_tier != "archive":
        raise invalid_parameter(
            f"StorageTier '{storage_tier}' is not valid: ModifySnapshotTier only moves snapshots "
            "to 'archive' (use RestoreSnapshotTier to bring one back)"
        )
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
    users = images_using_snapshot(backend.region_name, snapshot_id)
    if users:
        raise AwsError(
            "InvalidSnapshot.InUse",
            f"The snapshot {snapshot_id} is associated with the EBS-backed image {users[0].id}; "
            "snapshots of registered images cannot be archived",
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
            history = list(getattr(snapshot, "lab_archive_history", []))
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
    from moto.ec2.utils import generic_filter

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


# -- DescribeImageAttribute, ResetImageAttribute ----------------------------------------------

#: Attribute name → the member of DescribeImageAttribute's answer (ImageAttribute shape).
_ATTRIBUTES = {
    "description": "Description",
    "kernel": "KernelId",
    "ramdisk": "RamdiskId",
    "launchPermission": "LaunchPermissions",
    "productCodes": "ProductCodes",
    "blockDeviceMapping": "BlockDeviceMappings",
    "sriovNetSupport": "SriovNetSupport",
    "bootMode": "BootMode",
    "tpmSupport": "TpmSupport",
    "uefiData": "UefiData",
    "lastLaunchedTime": "LastLaunchedTime",
    "imdsSupport": "ImdsSupport",
    "deregistrationProtection": "DeregistrationProtection",
}


def _value(value: Any) -> dict[str, Any]:
    return {} if value in (None, "") else {"Value": value}


def describe_image_attribute(self: AmiBackend, ami_id: str, attribute_name: str) -> dict:
    """DescribeImageAttribute for the owner (others get ``AuthFailure``, as AWS answers)."""
    from .creating import last_launched_time

    if attribute_name not in _ATTRIBUTES:
        raise invalid_parameter(
            f"Value ({attribute_name}) for parameter attribute is invalid. Unknown attribute; "
            f"use one of {', '.join(_ATTRIBUTES)}"
        )
    image = owned_image(self, ami_id, "describe the attributes of")
    answer: dict[str, Any] = {"ImageId": image.id}
    if attribute_name == "blockDeviceMapping":
        # DescribeImageAttribute API reference: this attribute is deprecated and answers
        # Client.AuthFailure; DescribeImages shows the mappings.
        raise auth_failure(
            "Unauthorized attempt to access restricted resource: the blockDeviceMapping "
            "attribute is deprecated; describe the image to see its block device mappings"
        )
    if attribute_name == "launchPermission":
        answer["LaunchPermissions"] = list(image.launch_permissions)
    elif attribute_name == "productCodes":
        answer["ProductCodes"] = [
            {"ProductCodeId": code, "ProductCodeType": "marketplace"}
            for code in sorted(image.product_codes)
        ]
    else:
        value = {
            "description": image.description,
            "kernel": image.kernel_id,
            "ramdisk": getattr(image, "ramdisk_id", None),
            "sriovNetSupport": image.sriov,
            "bootMode": image.boot_mode,
            "tpmSupport": getattr(image, "tpm_support", None),
            "uefiData": getattr(image, "uefi_data", None),
            "lastLaunchedTime": aws_time(last_launched_time(image)),
            "imdsSupport": getattr(image, "imds_support", None),
            "deregistrationProtection": deregistration_protection(image),
        }[attribute_name]
        answer[_ATTRIBUTES[attribute_name]] = _value(value)
    return answer


def _describe_image_attribute_response(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    attribute = self._get_param("Attribute")
    if not attribute:
        raise missing_parameter("Attribute")
    return ActionResult(
        self.ec2_backend.describe_image_attribute(self._get_param("ImageId"), attribute)
    )


def reset_image_attribute(self: AmiBackend, ami_id: str, attribute: str) -> None:
    """ResetImageAttribute: only ``launchPermission``, which makes the image private again."""
    if attribute != "launchPermission":
        raise invalid_parameter(
            f"Value ({attribute}) for parameter attribute is invalid. Only launchPermission "
            "can be reset"
        )
    image = owned_image(self, ami_id, "reset the attributes of")
    image.launch_permissions.clear()


def _reset_image_attribute_response(self: EC2Response) -> Any:
    self.error_on_dryrun()
    self.ec2_backend.reset_image_attribute(self._get_param("ImageId"), self._get_param("Attribute"))
    return EmptyResult()


def _image_deregistration_protection(self: Ami) -> str:
    return deregistration_protection(self)


# -- Recycle Bin (R27) ---------------------------------------------------------------------------
#
# moto has no ``rbin`` service, so the sandbox adds a small one: retention rules for EC2_IMAGE
# (CreateRule, GetRule, ListRules, UpdateRule, DeleteRule) and EC2's ListImagesInRecycleBin and
# RestoreImageFromRecycleBin. Rules and the bin live on each account's EC2 backend for the
# Region, so a sandbox reset clears them. (recycle-bin, recycle-bin-working-with-amis)

_RULE_TYPES = ("EC2_IMAGE",)


class _RbinError(JsonRESTError):
    def __init__(self, error_type: str, message: str, status: int = 400) -> None:
        super().__init__(error_type, message)
        self.code = status


def _bin(backend: Any) -> dict[str, dict[str, Any]]:
    """Images of this account and Region in the Recycle Bin: ID → image, enter and exit times."""
    store = getattr(backend, "lab_recycle_bin", None)
    if store is None:
        store = backend.lab_recycle_bin = {}
    now = _now()
    for image_id in [i for i, e in store.items() if e["exit"] <= now]:
        store.pop(image_id)
        backend.deleted_amis.append(image_id)
    return store


def _rules(backend: Any) -> dict[str, dict[str, Any]]:
    rules = getattr(backend, "lab_rbin_rules", None)
    if rules is None:
        rules = backend.lab_rbin_rules = {}
    return rules


def _retention(rule: dict[str, Any]) -> _dt.timedelta:
    return _dt.timedelta(days=int(rule["RetentionPeriod"]["RetentionPeriodValue"]))


def _matching_rule(backend: Any, image: Ami) -> dict[str, Any] | None:
    """The retention rule that keeps a deregistered image: the longest of those that match."""
    tags = dict(image.ec2_backend.tags.get(image.id, {}))  # the owner's own tags

    def has(tag: dict[str, str]) -> bool:
        key, value = tag.get("ResourceTagKey"), tag.get("ResourceTagValue")
        return key in tags and (not value or tags[key] == value)

    matches = []
    for rule in _rules(backend).values():
        if rule["ResourceType"] != "EC2_IMAGE":
            continue
        if rule.get("ResourceTags"):
            if any(has(tag) for tag in rule["ResourceTags"]):
                matches.append(rule)
        elif not any(has(tag) for tag in rule.get("ExcludeResourceTags") or []):
            matches.append(rule)
    return max(matches, key=_retention) if matches else None


def _rule_answer(rule: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in rule.items() if v not in (None, []) and not k.startswith("lab_")}


class RecycleBinResponse(BaseResponse):
    """The ``rbin`` API for EC2_IMAGE retention rules (rest-json, as boto3's ``rbin`` client)."""

    def __init__(self) -> None:
        super().__init__(service_name="rbin")
        self.automated_parameter_parsing = True

    @property
    def _backend(self) -> Any:
        from moto.ec2.models import ec2_backends

        return ec2_backends[self.current_account][self.region]

    def _rule(self) -> dict[str, Any]:
        identifier = self._get_param("Identifier")
        rule = _rules(self._backend).get(identifier)
        if rule is None:
            raise _RbinError(
                "ResourceNotFoundException", f"Retention rule {identifier} does not exist", 404
            )
        return rule

    def _checked(self, rule: dict[str, Any]) -> dict[str, Any]:
        kind = rule.get("ResourceType")
        if kind not in _RULE_TYPES:
            raise _RbinError(
                "ValidationException",
                f"ResourceType {kind!r}: the sandbox's Recycle Bin keeps EC2_IMAGE (AMIs) only",
            )
        period = rule.get("RetentionPeriod") or {}
        value = period.get("RetentionPeriodValue")
        if period.get("RetentionPeriodUnit") != "DAYS" or not isinstance(value, int):
            raise _RbinError(
                "ValidationException", "RetentionPeriod needs RetentionPeriodUnit DAYS and a value"
            )
        if not 1 <= value <= 365:
            raise _RbinError(
                "ValidationException", "RetentionPeriodValue must be between 1 and 365 days"
            )
        if rule.get("ResourceTags") and rule.get("ExcludeResourceTags"):
            raise _RbinError(
                "ValidationException",
                "A rule takes ResourceTags (tag-level) or ExcludeResourceTags (Region-level), "
                "not both",
            )
        return rule

    def create_rule(self) -> ActionResult:
        from moto.moto_api._internal import mock_random

        identifier = mock_random.get_random_string(length=11)
        rule = self._checked(
            {
                "Identifier": identifier,
                "Description": self._get_param("Description"),
                "ResourceType": self._get_param("ResourceType"),
                "RetentionPeriod": self._get_param("RetentionPeriod"),
                "ResourceTags": self._get_param("ResourceTags") or [],
                "ExcludeResourceTags": self._get_param("ExcludeResourceTags") or [],
                "Status": "available",
                "LockState": "unlocked",
                "RuleArn": f"arn:aws:rbin:{self.region}:{self.current_account}:rule/{identifier}",
            }
        )
        _rules(self._backend)[identifier] = rule
        rule["lab_tags"] = {t["Key"]: t.get("Value", "") for t in self._get_param("Tags") or []}
        answer = _rule_answer(rule)
        answer["Tags"] = self._get_param("Tags") or []
        return ActionResult(answer)

    def get_rule(self) -> ActionResult:
        return ActionResult(_rule_answer(self._rule()))

    def update_rule(self) -> ActionResult:
        rule = dict(self._rule())
        for name in ("Description", "ResourceType", "RetentionPeriod"):
            if self._get_param(name) is not None:
                rule[name] = self._get_param(name)
        for name in ("ResourceTags", "ExcludeResourceTags"):
            if self._get_param(name) is not None:
                rule[name] = self._get_param(name)
        _rules(self._backend)[rule["Identifier"]] = self._checked(rule)
        return ActionResult(_rule_answer(rule))

    def delete_rule(self) -> ActionResult:
        _rules(self._backend).pop(self._rule()["Identifier"])
        return ActionResult({})

    def _rule_by_arn(self) -> dict[str, Any]:
        arn = self._get_param("ResourceArn") or ""
        for rule in _rules(self._backend).values():
            if rule["RuleArn"] == arn:
                return rule
        raise _RbinError("ResourceNotFoundException", f"Retention rule {arn} does not exist", 404)

    def list_tags_for_resource(self) -> ActionResult:
        tags = self._rule_by_arn().get("lab_tags", {})
        return ActionResult({"Tags": [{"Key": k, "Value": v} for k, v in tags.items()]})

    def tag_resource(self) -> ActionResult:
        rule = self._rule_by_arn()
        for tag in self._get_param("Tags") or []:
            rule.setdefault("lab_tags", {})[tag["Key"]] = tag.get("Value", "")
        return ActionResult({})

    def untag_resource(self) -> ActionResult:
        rule = self._rule_by_arn()
        for key in self._get_param("TagKeys") or []:
            rule.setdefault("lab_tags", {}).pop(key, None)
        return ActionResult({})

    def lock_rule(self) -> ActionResult:
        raise _RbinError(
            "ValidationException", "The sandbox does not simulate locked retention rules"
        )

    unlock_rule = lock_rule

    def list_rules(self) -> ActionResult:
        kind = self._get_param("ResourceType")
        rules = [
            {
                k: rule.get(k)
                for k in ("Identifier", "Description", "RetentionPeriod", "LockState", "RuleArn")
                if rule.get(k) is not None
            }
            for rule in _rules(self._backend).values()
            if rule["ResourceType"] == kind
        ]
        return ActionResult({"Rules": rules})


class _RecycleBinService:
    """What moto's request router needs from a backend: the URLs it answers."""

    urls = {r"https?://rbin\.(.+)\.amazonaws\.com/.*": RecycleBinResponse.dispatch}


_RBIN_URL = ("rbin", re.compile(r"https?://rbin\.(.+)\.amazonaws\.com"))
_ORIGINAL_GET_BACKEND = moto.backends.get_backend


def _get_backend(name: str) -> Any:
    if name == "rbin":
        return {"global": _RecycleBinService()}
    return _ORIGINAL_GET_BACKEND(name)  # type: ignore[call-overload]


def list_images_in_recycle_bin(self: AmiBackend, image_ids: list[str]) -> list[dict[str, Any]]:
    """ListImagesInRecycleBin: the caller's deregistered images that a rule still keeps."""
    entries = _bin(self)
    return [
        {
            "ImageId": image_id,
            "Name": entry["image"].name,
            "Description": entry["image"].description,
            "RecycleBinEnterTime": entry["enter"],
            "RecycleBinExitTime": entry["exit"],
        }
        for image_id, entry in entries.items()
        if not image_ids or image_id in image_ids
    ]


def restore_image_from_recycle_bin(self: AmiBackend, image_id: str) -> None:
    """RestoreImageFromRecycleBin: the image is registered again, as it was."""
    backend: Any = self
    if not image_id:
        raise missing_parameter("ImageId")
    check_image_id(image_id)
    entry = _bin(backend).pop(image_id, None)
    if entry is None:
        raise AwsError(
            "InvalidAMIID.NotFound",
            f"The image id '[{image_id}]' is not in the Recycle Bin of this account and Region",
        )
    image = entry["image"]
    image.state = "available"
    backend.amis[image_id] = image


def _list_recycle_bin_response(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    images = self.ec2_backend.list_images_in_recycle_bin(self._get_param("ImageIds", []))
    return ActionResult({"Images": images})


def _restore_from_recycle_bin_response(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    self.ec2_backend.restore_image_from_recycle_bin(self._get_param("ImageId"))
    return ActionResult({"Return": True})


def install(patches: Patches) -> None:
    """Apply R24–R28 to moto for every account and client."""
    patches.replace(Ami, "deprecation_time", property(_get_deprecation_time, _set_deprecation_time))
    patches.replace(Ami, "DeregistrationProtection", property(_image_deregistration_protection))
    patches.replace(AmiBackend, "enable_image_deprecation", enable_image_deprecation)
    patches.replace(AmiBackend, "disable_image_deprecation", disable_image_deprecation)
    patches.replace(EC2Response, "enable_image_deprecation", _enable_deprecation_response)
    patches.replace(EC2Response, "disable_image_deprecation", _disable_deprecation_response)
    patches.replace(
        AmiBackend, "enable_image_deregistration_protection", enable_image_deregistration_protection
    )
    patches.replace(
        AmiBackend,
        "disable_image_deregistration_protection",
        disable_image_deregistration_protection,
    )
    patches.replace(
        EC2Response, "enable_image_deregistration_protection", _enable_protection_response
    )
    patches.replace(
        EC2Response, "disable_image_deregistration_protection", _disable_protection_response
    )
    patches.replace(AmiBackend, "deregister_image", deregister_image)
    patches.replace(EC2Response, "deregister_image", _deregister_image_response)
    patches.replace(EBSBackend, "delete_snapshot", delete_snapshot)
    patches.replace(EBSBackend, "modify_snapshot_tier", modify_snapshot_tier)
    patches.replace(EBSBackend, "restore_snapshot_tier", restore_snapshot_tier)
    patches.replace(EBSBackend, "describe_snapshot_tier_status", describe_snapshot_tier_status)
    patches.replace(Snapshot, "StorageTier", property(_storage_tier))
    patches.replace(Snapshot, "RestoreExpiryTime", property(_restore_expiry))
    patches.replace(AmiBackend, "describe_image_attribute", describe_image_attribute)
    patches.replace(EC2Response, "describe_image_attribute", _describe_image_attribute_response)
    patches.replace(AmiBackend, "reset_image_attribute", reset_image_attribute)
    patches.replace(EC2Response, "reset_image_attribute", _reset_image_attribute_response)
    # R27: the Recycle Bin, a service moto lacks.
    patches.replace(moto.backends, "get_backend", _get_backend)
    patches.replace(
        moto.backend_index,
        "backend_url_patterns",
        [*moto.backend_index.backend_url_patterns, _RBIN_URL],
    )
    patches.replace(AmiBackend, "list_images_in_recycle_bin", list_images_in_recycle_bin)
    patches.replace(AmiBackend, "restore_image_from_recycle_bin", restore_image_from_recycle_bin)
    patches.replace(EC2Response, "list_images_in_recycle_bin", _list_recycle_bin_response)
    patches.replace(
        EC2Response, "restore_image_from_recycle_bin", _restore_from_recycle_bin_response
    )
