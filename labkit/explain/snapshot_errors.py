"""The lab's explanations of AWS's errors about snapshots, states and what is not allowed."""

from __future__ import annotations

from typing import Any

from .context import FailedCall
from .registry import Explanation, explains

__all__: list[str] = []  # entries register themselves in EXPLANATIONS


@explains("InvalidSnapshot.NotFound", "InvalidSnapshotID.Malformed")
def _no_snapshot(message: str, call: FailedCall | None, lab: Any) -> Explanation:
    return Explanation(
        "This account cannot use that snapshot here: it is in another Region, or deleted, or "
        "another account's and not shared with create volume permission. Seeing a snapshot's ID "
        "in an image's block device mappings gives no access to the snapshot.",
        "Check the Region, and whether the owner added create volume permission for you.",
    )


@explains("InvalidSnapshot.InUse")
def _snapshot_in_use(message: str, call: FailedCall | None, lab: Any) -> Explanation:
    return Explanation(
        "A registered image still uses this snapshot, so it cannot be deleted.",
        "Deregister the image first (its ID is in AWS's message); then delete the snapshot.",
    )


@explains("IncorrectState")
def _incorrect_state(message: str, call: FailedCall | None, lab: Any) -> Explanation:
    return Explanation(
        "The resource is not in a state that allows this yet, such as a snapshot still pending "
        "or a key that cannot be used.",
        "Read the resource's state again (the sandbox settles as you read), then retry.",
    )


@explains("OperationNotPermitted")
def _not_permitted(message: str, call: FailedCall | None, lab: Any) -> Explanation:
    if call and call.operation == "DeregisterImage":
        return Explanation(
            "Deregistration protection is on for this image: that is its purpose.",
            "If you really mean it, disable_image_deregistration_protection first.",
        )
    if call and call.operation == "LockSnapshot" and "compliance mode" in message:
        return Explanation(
            "The snapshot is already locked in compliance mode (by an earlier run of this cell, "
            "perhaps): such a lock can be made longer, never shorter, and never lifted.",
            "describe_locked_snapshots shows the lock it has; if that is the lock you wanted, "
            "there is nothing left to do.",
        )
    if "public" in message.lower():
        return Explanation(
            "Block public access is on for this account in this Region, so nothing can be made "
            "public here.",
            "Share with accounts, an organization or an OU instead; or read "
            "get_image_block_public_access_state.",
        )
    return Explanation("AWS does not allow this operation on this resource in its current setting.")


@explains("UnsupportedOperation", "InvalidRequest")
def _unsupported(message: str, call: FailedCall | None, lab: Any) -> Explanation | None:
    if call and call.operation == "ModifyImageAttribute":
        return Explanation(
            "An image backed by encrypted snapshots, or one with product codes, cannot be made "
            "public.",
            "Share it with accounts, an organization or an OU instead.",
        )
    if call and call.operation == "CopyImage" and "arketplace" in message:
        return Explanation(
            "An AWS Marketplace image shared with you (or one derived from it) cannot be copied "
            "into your account.",
            "The way round it: launch an instance from it and create_image from the instance; "
            "the new image keeps the product codes, and so the seller's charges.",
        )
    return None
