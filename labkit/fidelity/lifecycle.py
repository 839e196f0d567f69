"""An image's life after creation, and what it leaves behind: R24, R25, R27.

AWS guide pages: deregister-ami (R24, R25: only the owner deregisters; snapshots stay and are
billed; a snapshot in use by an image cannot be deleted), ami-deregistration-protection (R27),
disable-an-ami (DisableImage and EnableImage: a disabled image loses every launch permission,
for good). Deprecation (R26) is ``deprecation.py``.

State lives on moto's models: ``image.lab_protection`` and ``image.lab_protection_until``
(cooldown), and ``backend.lab_deleted_snapshots``. A deregistered image that a retention rule
matches goes to the Recycle Bin (``recycle_bin.py``), a deleted snapshot to its own bin
(``snapshot_recycle_bin.py``) unless it is locked (``snapshot_locks.py``); snapshot tiers are
``archive.py``; image attributes are ``image_attributes.py``.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from labkit.seam.moto import (
    ActionResult,
    Ami,
    AmiBackend,
    EBSBackend,
    EC2Response,
    Snapshot,
    moto_core_utils,
)

from . import pending
from .errors import AwsError, auth_failure, image_not_found, missing_parameter
from .images import backends_in_region, block_device_mappings, check_image_id, find_image
from .patching import Patches
from .recycle_bin import binned, retain
from .rendering import aws_time
from .snapshot_locks import lock_state, refuse_if_locked
from .snapshot_recycle_bin import retain_snapshot
from .state import DELETED_SNAPSHOTS, PROTECTION, PROTECTION_UNTIL
from .visibility import can_create_volume, can_launch

__all__ = [
    "COOLDOWN",
    "deregistration_protection",
    "images_using_snapshot",
    "install",
    "owned_image",
]

#: WithCooldown keeps an image protected this long after protection is disabled.
COOLDOWN = _dt.timedelta(hours=24)


def _now() -> _dt.datetime:
    return moto_core_utils.utcnow()


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
        raise auth_failure(f"Not authorized for image:{image_id}")
    return image


def images_using_snapshot(region: str, snapshot_id: str) -> list[Ami]:
    """Registered images (and images in the Recycle Bin) whose mappings name a snapshot."""
    users = []
    for backend in backends_in_region(region):
        candidates = list(backend.amis.values())
        candidates += [entry["image"] for entry in binned(backend).values()]
        for image in candidates:
            for mapping in block_device_mappings(image):
                if (mapping.get("Ebs") or {}).get("SnapshotId") == snapshot_id:
                    users.append(image)
                    break
    return users


# -- R27: deregistration protection ---------------------------------------------------------------


def deregistration_protection(image: Ami) -> str:
    """DescribeImages' ``DeregistrationProtection``: ``disabled``, ``enabled-without-cooldown``
    or ``enabled-with-cooldown`` (also during the 24 hours after a cooled-down disable)."""
    mode = PROTECTION.get(image)
    if mode == "with-cooldown":
        return "enabled-with-cooldown"
    if mode == "without-cooldown":
        return "enabled-without-cooldown"
    until = PROTECTION_UNTIL.get(image)
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
    if PROTECTION.get(image) == "with-cooldown":
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


# -- disabling (disable-an-ami) -------------------------------------------------------------------


def disable_image(self: AmiBackend, ami_id: str) -> None:
    """DisableImage as the guide's "Disable an AMI" page (disable-an-ami) describes it.

    "Only the AMI owner can disable an AMI." When it is disabled, "The AMI's state changes to
    disabled" and "A disabled AMI can't be shared. If an AMI was public or previously shared,
    it is made private. If an AMI was shared with an AWS account, organization, or
    Organizational Unit, they lose access to the disabled AMI." ("Warning: Disabling an AMI
    removes all its launch permissions.") The permissions are gone, not suspended: re-enabling
    does not bring them back (see :func:`enable_image`). Instances already launched from it
    are not affected, and its snapshots stay in use (DeleteSnapshot is refused).

    Raises:
        AwsError: ``InvalidAMIID.NotFound`` / ``AuthFailure`` for an image the caller does not
            own (as :func:`owned_image`); ``InvalidAMIID.Unavailable`` for one still pending
            (AWS documents no code; this is its observed answer for a pending image).
    """
    image = owned_image(self, ami_id, "disable")
    pending.settle([image])  # reported pending once already: available now
    if image.state == "pending":
        raise AwsError(
            "InvalidAMIID.Unavailable",
            f"The AMI ID '{ami_id}' is currently pending and may not be used for this operation.",
        )
    image.state = "disabled"
    image.launch_permissions.clear()


def enable_image(self: AmiBackend, ami_id: str) -> None:
    """EnableImage: the owner makes a disabled image ``available`` again, still private.

    EnableImage API reference: "Amazon Web Services accounts, organizations, and Organizational
    Units that lost access to the AMI when it was disabled do not regain access automatically.
    Once the AMI is available, it can be shared with them again. Only the AMI owner can
    re-enable a disabled AMI." An image that is not disabled is left as it is (moto made even a
    pending image available).
    """
    image = owned_image(self, ami_id, "enable")
    if image.state == "disabled":
        image.state = "available"


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
        until = PROTECTION_UNTIL.get(image)
        extra = (
            f" (the 24-hour cooldown after disabling it ends at {aws_time(until)})"
            if PROTECTION.get(image) is None and until is not None
            else ""
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
    if not retain(backend, image):
        backend.deleted_amis.append(ami_id)
    results = []
    if delete_associated_snapshots:
        region = backend.region_name
        for snapshot in snapshots:
            if images_using_snapshot(region, snapshot.id):
                code = "skipped"
            elif lock_state(snapshot) not in (None, "expired"):
                code = "client-error"  # R41: a locked snapshot is not deleted
            else:
                _delete_or_retain(backend, snapshot)
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
    deleted = DELETED_SNAPSHOTS.get(backend)
    if deleted is None:
        deleted = backend.lab_deleted_snapshots = {}
    snapshot.deleted_at = _now()
    deleted[snapshot.id] = snapshot


def delete_snapshot(self: EBSBackend, snapshot_id: str) -> Snapshot:
    """DeleteSnapshot: owner only; refused while a registered image uses it (deregister-ami) or
    while it is locked (R41); kept in the Recycle Bin when a rule matches it (R39)."""
    backend: Any = self
    if not snapshot_id:
        raise missing_parameter("SnapshotId")
    region = backend.region_name
    snapshot = backend.snapshots.get(snapshot_id)
    if snapshot is None:
        for other in backends_in_region(region):
            found = other.snapshots.get(snapshot_id)
            if found is not None and can_create_volume(found, backend.account_id):
                raise auth_failure(f"Not authorized for snapshot:{snapshot_id}")
        raise AwsError("InvalidSnapshot.NotFound", f"The snapshot '{snapshot_id}' does not exist.")
    users = images_using_snapshot(region, snapshot_id)
    if users:
        raise AwsError(
            "InvalidSnapshot.InUse",
            f"The snapshot {snapshot_id} is currently in use by {users[0].id}",
        )
    refuse_if_locked(snapshot)
    _delete_or_retain(backend, snapshot)
    return snapshot


def _delete_or_retain(backend: Any, snapshot: Snapshot) -> None:
    """R39: a snapshot an EBS_SNAPSHOT retention rule matches goes to the Recycle Bin."""
    if not retain_snapshot(backend, snapshot):
        _remove_snapshot(backend, snapshot)


def _image_deregistration_protection(self: Ami) -> str:
    return deregistration_protection(self)


def install(patches: Patches) -> None:
    """Apply R24, R25, R27 and disabling to moto for every account and client."""
    patches.add(Ami, "DeregistrationProtection", property(_image_deregistration_protection))
    patches.add(
        AmiBackend, "enable_image_deregistration_protection", enable_image_deregistration_protection
    )
    patches.add(
        AmiBackend,
        "disable_image_deregistration_protection",
        disable_image_deregistration_protection,
    )
    patches.add(EC2Response, "enable_image_deregistration_protection", _enable_protection_response)
    patches.add(
        EC2Response, "disable_image_deregistration_protection", _disable_protection_response
    )
    patches.replace(AmiBackend, "disable_image", disable_image)
    patches.replace(AmiBackend, "enable_image", enable_image)
    patches.replace(AmiBackend, "deregister_image", deregister_image)
    patches.replace(EC2Response, "deregister_image", _deregister_image_response)
    patches.replace(EBSBackend, "delete_snapshot", delete_snapshot)
