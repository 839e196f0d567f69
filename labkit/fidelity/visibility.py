"""Who sees which image: Regions, ownership, launch permissions, owner aliases (R01–R04).

AWS guide pages: usingsharedamis-finding, sharingamis-explicit, ComponentsAMIs.
"""

from __future__ import annotations

from typing import Any

from labkit.seam.moto import (
    ActionResult,
    Ami,
    AmiBackend,
    EBSBackend,
    EC2Response,
    Snapshot,
    generic_filter,
    moto_core_utils,
)

from ..accounts import memberships
from . import allowed_images, pending, snapshot_public_access
from .errors import AwsError, image_not_found
from .images import backends_in_region, check_image_id
from .patching import Patches

__all__ = [
    "can_create_volume",
    "can_launch",
    "explicitly_shared_with",
    "is_deprecated",
    "visible_images",
    "install",
]


def _permission_names(permission: dict[str, str], account_id: str) -> bool:
    """True if one launch-permission entry names this account (directly or through its org)."""
    if permission.get("UserId") == account_id:
        return True
    orgs = memberships(account_id)
    return (
        permission.get("OrganizationArn") in orgs or permission.get("OrganizationalUnitArn") in orgs
    )


def explicitly_shared_with(image: Ami, account_id: str) -> bool:
    """R11: the image's launch permissions name this account, its organization or its OU."""
    return any(_permission_names(p, account_id) for p in image.launch_permissions)


def can_launch(image: Ami, account_id: str) -> bool:
    """R02: the owner, an account it was shared with, or anyone when it is public."""
    return (
        image.owner_id == account_id or image.is_public or explicitly_shared_with(image, account_id)
    )


def is_deprecated(image: Ami) -> bool:
    """R26: the image's deprecation time has passed on the sandbox clock."""
    when = getattr(image, "deprecation_time", None)
    return when is not None and when <= moto_core_utils.utcnow()


def visible_images(region: str, account_id: str) -> list[Ami]:
    """R01, R02: the registered images in one Region that this account may launch."""
    seen: dict[str, Ami] = {}
    for backend in backends_in_region(region):
        for image in list(backend.amis.values()):
            if image.id not in seen and can_launch(image, account_id):
                seen[image.id] = image
    return list(seen.values())


def _recently_deregistered(region: str, image_id: str) -> bool:
    return any(image_id in backend.deleted_amis for backend in backends_in_region(region))


def _matches_executable_users(image: Ami, users: list[str], caller: str) -> bool:
    """R04: ``ExecutableUsers`` names accounts with explicit launch permission, or ``all``."""
    for user in users:
        if user == "all" and image.is_public:
            return True
        account = caller if user == "self" else user
        if explicitly_shared_with(image, account):
            return True
    return False


def _matches_owners(image: Ami, owners: list[str], caller: str) -> bool:
    """R04: ``Owners`` takes account IDs, ``self``, or a verified alias such as ``amazon``."""
    wanted = {caller if owner == "self" else owner for owner in owners}
    return image.owner_id in wanted or (
        image.owner_alias is not None and image.owner_alias in wanted
    )


def describe_images(
    self: AmiBackend,
    ami_ids: list[str] | None = None,
    filters: dict[str, Any] | None = None,
    exec_users: list[str] | None = None,
    owners: list[str] | None = None,
    include_deprecated: bool = False,
    include_disabled: bool = False,
) -> list[Ami]:
    """DescribeImages as AWS answers it, across every account that shares with the caller."""
    caller, region = self.account_id, self.region_name  # type: ignore[attr-defined]
    # disable-an-ami: "A disabled AMI does not appear in DescribeImages API calls by default";
    # asking for the disabled state without IncludeDisabled is refused (AWS's observed
    # InvalidParameter and message, quoted by public tools).
    if not include_disabled and "disabled" in (filters or {}).get("state", []):
        raise AwsError(
            "InvalidParameter",
            "When filtering by the 'disabled' state, 'IncludeDisabled' must be set to 'true' "
            "in the request.",
        )
    filters = dict(filters or {})
    wanted_allowed = filters.pop("image-allowed", None)  # R32, applied by allowed_images
    images = visible_images(region, caller)
    pending.settle(images)
    if ami_ids:
        for image_id in ami_ids:
            check_image_id(image_id)
        images = [image for image in images if image.id in ami_ids]
        found = {image.id for image in images}
        missing = [i for i in ami_ids if i not in found and not _recently_deregistered(region, i)]
        if missing:
            raise image_not_found(missing)
    else:
        # R26: deprecated images drop out of other accounts' listings unless asked for.
        images = [
            image
            for image in images
            if include_deprecated or image.owner_id == caller or not is_deprecated(image)
        ]
    if not include_disabled:
        images = [image for image in images if image.state != "disabled"]
    if exec_users:
        images = [image for image in images if _matches_executable_users(image, exec_users, caller)]
    if owners:
        images = [image for image in images if _matches_owners(image, owners, caller)]
    if filters:
        images = generic_filter(filters, images)
    return allowed_images.describable(images, caller, region, wanted_allowed)


def _describe_images_response(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    images = self.ec2_backend.describe_images(
        ami_ids=self._get_param("ImageIds", []),
        filters=self._filters_from_querystring(),
        exec_users=self._get_param("ExecutableUsers", []),
        owners=self._get_param("Owners", []),
        include_deprecated=self._get_bool_param("IncludeDeprecated", False),
        include_disabled=self._get_bool_param("IncludeDisabled", False),
    )
    pending.after_answer(images)
    return ActionResult({"Images": images})


def can_create_volume(snapshot: Snapshot, account_id: str) -> bool:
    """R14: the owner, or an account given create-volume permission (or everyone, if public).

    DescribeSnapshots API reference: "The snapshots available to you include public snapshots,
    private snapshots that you own, and private snapshots owned by other Amazon Web Services
    accounts for which you have explicit create volume permissions." Every use of a snapshot
    named by its ID goes through this test, so the snapshots behind a public image (such as
    Amazon's catalogue images) are nobody else's to describe, copy or make volumes from;
    launching the image, or copying it, reads them through the image instead (R14, R15).
    """
    public = "all" in snapshot.create_volume_permission_groups
    return (
        snapshot.owner_id == account_id
        # R37: the owner's block-all-sharing treats its public snapshots as private.
        or (public and not snapshot_public_access.public_access_blocked(snapshot))
        or account_id in snapshot.create_volume_permission_userids
    )


def describe_snapshots(
    self: EBSBackend,
    snapshot_ids: list[str] | None = None,
    filters: dict[str, Any] | None = None,
    owner_ids: list[str] | None = None,
    restorable_by: list[str] | None = None,
) -> list[Snapshot]:
    """DescribeSnapshots across accounts: the caller's own and those it may create volumes from."""
    caller, region = self.account_id, self.region_name  # type: ignore[attr-defined]
    snapshots: dict[str, Snapshot] = {}
    existing: set[str] = set()
    for backend in backends_in_region(region):
        for snapshot in list(backend.snapshots.values()):
            existing.add(snapshot.id)
            if can_create_volume(snapshot, caller):
                snapshots.setdefault(snapshot.id, snapshot)
    found = list(snapshots.values())
    pending.settle(found)
    if snapshot_ids:
        # DescribeSnapshots API reference: "If you specify an invalid snapshot ID, an error is
        # returned. If you specify a snapshot ID for which you do not have access, it is not
        # included in the returned results."
        missing = [i for i in snapshot_ids if i not in existing]
        if missing:
            raise AwsError(
                "InvalidSnapshot.NotFound", f"The snapshot '{', '.join(missing)}' does not exist."
            )
        found = [snapshots[i] for i in snapshot_ids if i in snapshots]
    if owner_ids:
        wanted = {caller if owner == "self" else owner for owner in owner_ids}
        found = [s for s in found if s.owner_id in wanted]
    if restorable_by:
        users = {caller if user == "self" else user for user in restorable_by}
        found = [
            s
            for s in found
            if users & s.create_volume_permission_userids
            or "all" in s.create_volume_permission_groups
            or s.owner_id in users
        ]
    if filters:
        found = generic_filter(filters, found)
    return found


def _describe_snapshots_response(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    snapshots = self.ec2_backend.describe_snapshots(
        snapshot_ids=self._get_param("SnapshotIds", []),
        filters=self._filters_from_querystring(),
        owner_ids=self._get_param("OwnerIds", []),
        restorable_by=self._get_param("RestorableByUserIds", []),
    )
    pending.after_answer(snapshots)
    return ActionResult({"Snapshots": snapshots})


def install(patches: Patches) -> None:
    """Apply R01–R04 to moto for every account and client."""
    patches.replace(AmiBackend, "describe_images", describe_images)
    patches.replace(EC2Response, "describe_images", _describe_images_response)
    patches.replace(EBSBackend, "describe_snapshots", describe_snapshots)
    patches.replace(EC2Response, "describe_snapshots", _describe_snapshots_response)
