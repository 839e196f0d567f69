"""The lab's explanations of KMS errors, and of EC2's when a key cannot be used."""

from __future__ import annotations

from typing import Any

from .context import FailedCall
from .registry import Explanation, explains, running_sandbox

__all__: list[str] = []  # entries register themselves in EXPLANATIONS


def _keys_the_call_uses(lab: Any, call: FailedCall) -> list[Any]:
    """The KMS keys an EC2 call needed: the one it names, and those of the snapshots it reads."""
    from ..fidelity import encryption, images, kms_keys, volumes

    sandbox = running_sandbox(lab)
    if sandbox is None or call.region is None:
        return []
    account_id = sandbox.account_id(call.account or "learner")
    source_region = call.params.get("SourceRegion") or call.region
    snapshots = []
    image_id = call.params.get("ImageId") or call.params.get("SourceImageId")
    image = images.find_image(source_region, image_id) if isinstance(image_id, str) else None
    if image is not None:
        snapshots += images.image_snapshots(image)
    snapshot_id = call.params.get("SourceSnapshotId") or call.params.get("SnapshotId")
    if isinstance(snapshot_id, str):
        snapshots.append(volumes.find_snapshot(source_region, snapshot_id))
    keys = []
    for snapshot in filter(None, snapshots):
        arn = encryption.snapshot_key_arn(snapshot)
        key = kms_keys.find_key(arn, snapshot.owner_id, source_region) if arn else None
        keys.append(key)
    named = call.params.get("KmsKeyId")
    if isinstance(named, str):
        keys.append(kms_keys.find_key(named, account_id, call.region))
    return [key for key in keys if key is not None]


@explains("InvalidKMSKey.InvalidState", "KMSInvalidStateException")
def _key_state(message: str, call: FailedCall | None, lab: Any) -> Explanation:
    """EC2's message is the same whatever the reason: the sandbox's own rule says which it is."""
    from ..fidelity import kms_keys

    sandbox = running_sandbox(lab)
    if call is not None and call.service == "ec2" and sandbox is not None:
        account_id = sandbox.account_id(call.account or "learner")
        for key in _keys_the_call_uses(lab, call):
            reason = kms_keys.unusable_key_reason(key, account_id)
            if reason:
                return Explanation(
                    f"This account may not use the KMS key {key.arn} for EBS now: {reason}.",
                    "A disabled key can be enabled (enable_key, or cancel_key_deletion first); "
                    "another account's key needs a key policy statement or grant for you.",
                )
    return Explanation(
        "The KMS key cannot be used now: it is disabled or scheduled for deletion, or this "
        "account is not allowed to use it.",
        "Read the key's state (describe_key) and its policy (get_key_policy).",
    )


@explains("NotFoundException")
def _no_key(message: str, call: FailedCall | None, lab: Any) -> Explanation | None:
    if call and call.service != "kms":
        return None
    return Explanation(
        "No key or alias by that name in this account and Region: keys belong to one Region, and "
        "another account's key is named by its full ARN.",
        "List your keys with list_aliases in the same Region.",
    )


@explains("AccessDeniedException")
def _key_denied(message: str, call: FailedCall | None, lab: Any) -> Explanation | None:
    if call and call.service != "kms":
        return None
    return Explanation(
        "The key's policy does not let this account do this with the key.",
        "The key's owner adds a statement for this account to the key policy (put_key_policy).",
    )


@explains("AlreadyExistsException")
def _exists(message: str, call: FailedCall | None, lab: Any) -> Explanation:
    name = call.params.get("AliasName") if call else None
    what = f"the alias {name}" if name else "a resource with this name"
    return Explanation(
        f"This account already has {what} in this Region: most likely an earlier run of this "
        "cell made it.",
        "Use the existing one (list_aliases shows it), or delete it and run the cell again.",
    )
