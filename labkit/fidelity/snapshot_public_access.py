"""Block public access for EBS snapshots: an account setting per Region (R36, R37).

AWS guide pages: "Block public access for Amazon EBS snapshots"
(ebs/latest/userguide/block-public-access-snapshots.html, "Considerations"), "Disable block
public access for Amazon EBS snapshots" (block-public-access-snapshots-disable.html); API
reference: EnableSnapshotBlockPublicAccess, DisableSnapshotBlockPublicAccess,
GetSnapshotBlockPublicAccessState.

States: ``unblocked`` (the start), ``block-new-sharing`` (no snapshot can be made public; those
already public stay public) and ``block-all-sharing`` (no new public sharing, and snapshots
already public are treated as private: their attribute still lists ``all``, but other accounts
can neither see nor use them until the setting is relaxed). Sharing with named accounts is not
affected, nor are AMIs (their own block public access is R18, in ``sharing``).
"""

from __future__ import annotations

from labkit.seam.moto import ActionResult, EC2Response, Snapshot

from .account_settings import region_settings
from .errors import AwsError
from .patching import Patches

__all__ = [
    "BLOCK_ALL_SHARING",
    "BLOCK_NEW_SHARING",
    "UNBLOCKED",
    "install",
    "public_access_blocked",
    "require_public_sharing_allowed",
    "snapshot_block_public_access_state",
]

BLOCK_ALL_SHARING = "block-all-sharing"
BLOCK_NEW_SHARING = "block-new-sharing"
UNBLOCKED = "unblocked"


def snapshot_block_public_access_state(account_id: str, region: str) -> str:
    """R36: ``unblocked``, ``block-new-sharing`` or ``block-all-sharing``."""
    return region_settings(account_id, region).snapshot_block_public_access


def require_public_sharing_allowed(snapshot: Snapshot) -> None:
    """R37: in either blocking mode a snapshot cannot be made public.

    The guide documents the refusal but no error code; ``OperationNotPermitted`` was chosen,
    as for block public access for AMIs (R18).
    """
    region = snapshot.ec2_backend.region_name
    state = snapshot_block_public_access_state(snapshot.owner_id, region)
    if state != UNBLOCKED:
        raise AwsError(
            "OperationNotPermitted",
            f"Block public access for snapshots is enabled in this Region ({state}); "
            f"snapshot {snapshot.id} can't be shared publicly.",
        )


def public_access_blocked(snapshot: Snapshot) -> bool:
    """R37: is a public snapshot private for now, because its owner blocks all sharing?"""
    region = snapshot.ec2_backend.region_name
    return snapshot_block_public_access_state(snapshot.owner_id, region) == BLOCK_ALL_SHARING


def _enable(self: EC2Response) -> ActionResult:
    state = self._get_param("State")
    self.error_on_dryrun()
    if state not in (BLOCK_ALL_SHARING, BLOCK_NEW_SHARING):
        raise AwsError(
            "InvalidParameterValue",
            f"Value ({state}) for parameter State is invalid. Valid values are "
            f"{BLOCK_ALL_SHARING} and {BLOCK_NEW_SHARING}",
        )
    region_settings(self.current_account, self.region).snapshot_block_public_access = state
    return ActionResult({"State": state})


def _disable(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    region_settings(self.current_account, self.region).snapshot_block_public_access = UNBLOCKED
    return ActionResult({"State": UNBLOCKED})


def _get(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    state = snapshot_block_public_access_state(self.current_account, self.region)
    return ActionResult({"State": state, "ManagedBy": "account"})


def install(patches: Patches) -> None:
    """Answer the snapshot block public access settings (``sharing`` and ``visibility`` apply
    them)."""
    patches.add(EC2Response, "enable_snapshot_block_public_access", _enable)
    patches.add(EC2Response, "disable_snapshot_block_public_access", _disable)
    patches.add(EC2Response, "get_snapshot_block_public_access_state", _get)
