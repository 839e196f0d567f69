"""Create volume permission on snapshots (R14, R17): who may read a snapshot, and so copy it.

AWS guide pages: ebs-modifying-snapshot-permissions, sharingamis-explicit ("Copying shared
AMIs"), and the Modify/Describe/ResetSnapshotAttribute API references. Only a snapshot's owner
changes who may create volumes from it, with 12-digit account IDs or the group ``all``; an
encrypted snapshot is never public, and one under the AWS-managed ``aws/ebs`` key is never
shared. A request is checked whole (``Add`` and ``Remove`` together) before anything changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from labkit.seam.moto import ActionResult, Ami, EBSBackend, EC2Response, EmptyResult, Snapshot

from . import encryption, snapshot_public_access
from .errors import AwsError, auth_failure
from .images import backends_in_region, image_snapshots
from .patching import Patches
from .visibility import can_create_volume

__all__ = [
    "change_create_volume_permission",
    "install",
    "require_own_snapshot",
    "snapshots_needing_permission",
    "uses_aws_managed_key",
]

_ACCOUNT_ID = re.compile(r"^\d{12}$")


def _snapshot_not_found(snapshot_id: str) -> AwsError:
    return AwsError("InvalidSnapshot.NotFound", f"The snapshot '{snapshot_id}' does not exist.")


def require_own_snapshot(region: str, snapshot_id: str, caller: str) -> Snapshot:
    """The snapshot, if the caller owns it (``InvalidSnapshot.NotFound``/``AuthFailure`` if not)."""
    snapshot = None
    for backend in backends_in_region(region):
        snapshot = backend.snapshots.get(snapshot_id) or snapshot
    if snapshot is None or not can_create_volume(snapshot, caller):
        raise _snapshot_not_found(snapshot_id)
    if snapshot.owner_id != caller:
        raise auth_failure(f"Not authorized for snapshot:{snapshot_id}")
    return snapshot


def uses_aws_managed_key(snapshot: Snapshot) -> bool:
    if not snapshot.encrypted:
        return False
    arn = encryption.snapshot_key_arn(snapshot)
    key = encryption.find_key(arn, snapshot.owner_id, snapshot.ec2_backend.region_name)
    return key is not None and encryption.is_aws_managed(key)


def snapshots_needing_permission(image: Ami, account_id: str) -> list[str]:
    """R14: the image's snapshots the account may not yet create volumes from (to copy it).

    The console's "Add create volume permission" box grants exactly these.
    """
    return [s.id for s in image_snapshots(image) if not can_create_volume(s, account_id)]


# -- create-volume permissions on snapshots (R14, R17) ---------------------------------------------


def _validate_volume_permission(user_ids: list[str], groups: list[str]) -> None:
    for user_id in user_ids:
        if not _ACCOUNT_ID.match(str(user_id)):
            raise AwsError(
                "InvalidUserID.Malformed",
                f'Invalid user id: "{user_id}"',
            )
    for group in groups:
        if group != "all":
            raise AwsError(
                "InvalidParameterValue",
                f"Value ({group}) for parameter group is invalid.",
            )


def _check_can_add_volume_permission(
    snapshot: Snapshot, user_ids: list[str], groups: list[str]
) -> None:
    """R17: an encrypted snapshot is never public, and an aws/ebs one is never shared at all."""
    if groups and snapshot.encrypted:
        raise AwsError(
            "UnsupportedOperation",
            "Encrypted snapshots can't be shared publicly.",
        )
    if groups:
        snapshot_public_access.require_public_sharing_allowed(snapshot)  # R37
    if user_ids and uses_aws_managed_key(snapshot):
        raise AwsError(
            "OperationNotPermitted",
            "Encrypted snapshots with EBS default key cannot be shared.",
        )


def change_create_volume_permission(
    self: EBSBackend,
    snapshot_id: str,
    add: tuple[list[str], list[str]] = ([], []),
    remove: tuple[list[str], list[str]] = ([], []),
) -> None:
    """ModifySnapshotAttribute as AWS does it: the whole request is checked, then applied.

    ``add`` and ``remove`` are ``(user IDs, groups)``. A request refused for any part of it
    (a malformed account ID in ``Remove``, a public grant of an encrypted snapshot in ``Add``)
    changes nothing, as in AWS.
    """
    caller, region = self.account_id, self.region_name  # type: ignore[attr-defined]
    snapshot = require_own_snapshot(region, snapshot_id, caller)
    add_users, add_groups = [str(u) for u in add[0]], [str(g) for g in add[1]]
    remove_users, remove_groups = [str(u) for u in remove[0]], [str(g) for g in remove[1]]
    _validate_volume_permission(add_users + remove_users, add_groups + remove_groups)
    _check_can_add_volume_permission(snapshot, add_users, add_groups)
    snapshot.create_volume_permission_userids.update(u for u in add_users if u != caller)
    snapshot.create_volume_permission_groups.update(add_groups)
    snapshot.create_volume_permission_userids.difference_update(remove_users)
    snapshot.create_volume_permission_groups.difference_update(remove_groups)


def add_create_volume_permission(
    self: EBSBackend, snapshot_id: str, user_ids: list[str], groups: list[str]
) -> None:
    """ModifySnapshotAttribute ``add``: owner only; never public when encrypted (R17)."""
    change_create_volume_permission(
        self, snapshot_id, add=(list(user_ids or []), list(groups or []))
    )


def remove_create_volume_permission(
    self: EBSBackend,
    snapshot_id: str,
    user_ids: list[str] | None = None,
    groups: Iterable[str] | None = None,
) -> None:
    """ModifySnapshotAttribute ``remove``: owner only."""
    change_create_volume_permission(
        self, snapshot_id, remove=(list(user_ids or []), list(groups or []))
    )


def reset_snapshot_attribute(self: EBSBackend, snapshot_id: str) -> None:
    """ResetSnapshotAttribute ``createVolumePermission``: only the owner may create volumes."""
    caller, region = self.account_id, self.region_name  # type: ignore[attr-defined]
    snapshot = require_own_snapshot(region, snapshot_id, caller)
    snapshot.create_volume_permission_userids.clear()
    snapshot.create_volume_permission_groups.clear()


def _check_snapshot_attribute(attribute: str | None, allowed: tuple[str, ...]) -> None:
    if attribute not in allowed:
        raise AwsError(
            "InvalidParameterValue",
            f"Value ({attribute}) for parameter attribute is invalid: expected one of "
            f"{', '.join(allowed)}",
        )


def _modify_snapshot_attribute_response(self: EC2Response) -> EmptyResult:
    snapshot_id = self._get_param("SnapshotId")
    attribute = self._get_param("Attribute") or "createVolumePermission"
    _check_snapshot_attribute(attribute, ("createVolumePermission",))
    structured = self._get_param("CreateVolumePermission", {}) or {}
    changes = {
        "add": list(structured.get("Add", []) or []),
        "remove": list(structured.get("Remove", []) or []),
    }
    operation = self._get_param("OperationType")
    flat = [{"Group": g} for g in self._get_param("GroupNames", []) or []] + [
        {"UserId": u} for u in self._get_param("UserIds", []) or []
    ]
    if flat:
        if operation not in changes:
            raise AwsError(
                "InvalidParameterValue",
                "OperationType must be 'add' or 'remove' when UserIds or GroupNames are given",
            )
        changes[operation].extend(flat)
    self.error_on_dryrun()
    grantees = {
        operation: (
            [str(e["UserId"]) for e in entries if e.get("UserId") is not None],
            [str(e["Group"]) for e in entries if e.get("Group") is not None],
        )
        for operation, entries in changes.items()
    }
    # One call checks Add and Remove together: a request refused for any part changes nothing.
    change_create_volume_permission(
        self.ec2_backend, snapshot_id, add=grantees["add"], remove=grantees["remove"]
    )
    return EmptyResult()


def _describe_snapshot_attribute_response(self: EC2Response) -> ActionResult:
    snapshot_id = self._get_param("SnapshotId")
    attribute = self._get_param("Attribute")
    _check_snapshot_attribute(attribute, ("createVolumePermission", "productCodes"))
    self.error_on_dryrun()
    snapshot = require_own_snapshot(self.region, snapshot_id, self.current_account)
    if attribute == "productCodes":
        return ActionResult({"SnapshotId": snapshot_id, "ProductCodes": []})
    permissions = [{"Group": g} for g in sorted(snapshot.create_volume_permission_groups)] + [
        {"UserId": u} for u in sorted(snapshot.create_volume_permission_userids)
    ]
    return ActionResult({"SnapshotId": snapshot_id, "CreateVolumePermissions": permissions})


def _reset_snapshot_attribute_response(self: EC2Response) -> EmptyResult:
    snapshot_id = self._get_param("SnapshotId")
    _check_snapshot_attribute(self._get_param("Attribute"), ("createVolumePermission",))
    self.error_on_dryrun()
    self.ec2_backend.reset_snapshot_attribute(snapshot_id)
    return EmptyResult()


def install(patches: Patches) -> None:
    """Apply R14 and R17 to moto's snapshot permissions, for every account and client."""
    patches.replace(EBSBackend, "add_create_volume_permission", add_create_volume_permission)
    patches.replace(EBSBackend, "remove_create_volume_permission", remove_create_volume_permission)
    patches.add(EBSBackend, "reset_snapshot_attribute", reset_snapshot_attribute)
    patches.replace(EC2Response, "modify_snapshot_attribute", _modify_snapshot_attribute_response)
    patches.replace(
        EC2Response, "describe_snapshot_attribute", _describe_snapshot_attribute_response
    )
    patches.replace(EC2Response, "reset_snapshot_attribute", _reset_snapshot_attribute_response)
