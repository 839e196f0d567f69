"""The lab's explanation of each AWS error code, in the context of the call that got it.

One entry per code (``@explains("Code")``), each a function of the error and the failed call that
returns an Explanation, or None when it has nothing true to add. AWS's message is never changed:
the learner sees it as AWS sends it, and this text beside it. ``tests/explain`` causes each code
in a sandbox and checks its entry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .context import Explanation, FailedCall

__all__ = ["EXPLANATIONS", "explain_client_error", "explains"]

Entry = Callable[[str, "FailedCall | None", Any], "Explanation | None"]
EXPLANATIONS: dict[str, Entry] = {}


def explains(*codes: str) -> Callable[[Entry], Entry]:
    """Register an entry for one or more AWS error codes."""

    def register(entry: Entry) -> Entry:
        for code in codes:
            EXPLANATIONS[code] = entry
        return entry

    return register


def explain_client_error(error: Any, call: FailedCall | None, lab: Any) -> Explanation | None:
    """The explanation of a botocore ClientError, from its code's entry (None if none)."""
    details = error.response.get("Error", {})
    entry = EXPLANATIONS.get(details.get("Code", ""))
    return entry(details.get("Message", ""), call, lab) if entry else None


# -- finding things in the sandbox, to say where they really are --------------------------------


def _sandbox(lab: Any) -> Any:
    sandbox = getattr(lab, "sandbox", None)
    return sandbox if sandbox is not None and sandbox.running else None


def _where_image_is(lab: Any, image_id: str) -> list[tuple[str, str]]:
    """(account, Region) pairs in which ``image_id`` is visible, the owner's first."""
    sandbox = _sandbox(lab)
    if sandbox is None or not isinstance(image_id, str):
        return []
    seen = []
    for account in sandbox.accounts:
        for region in sandbox.regions:
            ec2 = sandbox.client("ec2", region=region, account=account)
            try:
                images = ec2.describe_images(ImageIds=[image_id], IncludeDisabled=True)["Images"]
            except Exception:
                continue
            if images:
                seen.append((account, region))
    return seen


def _named_image(lab: Any, call: FailedCall, name: str) -> dict[str, Any] | None:
    sandbox = _sandbox(lab)
    if sandbox is None or call.region is None:
        return None
    ec2 = sandbox.client("ec2", region=call.region, account=call.account or "learner")
    found = ec2.describe_images(Owners=["self"], Filters=[{"Name": "name", "Values": [name]}])
    return found["Images"][0] if found["Images"] else None


# -- images --------------------------------------------------------------------------------------


@explains("InvalidAMIName.Duplicate")
def _duplicate_name(message: str, call: FailedCall | None, lab: Any) -> Explanation | None:
    name = (call.params.get("Name") if call else None) or ""
    image = _named_image(lab, call, name) if call and name else None
    if image is not None and image["ImageId"] not in set(getattr(lab, "ids", {}).values()):
        return Explanation(
            f"Image names are unique per account and Region, and {image['ImageId']} already has "
            f"the name {name!r}: an earlier run of this cell (or another cell) made it.",
            f"To go on, use {image['ImageId']} as it is; or deregister it and run the cell again; "
            "or give this image another name.",
        )
    return Explanation(
        "Image names are unique per account and Region, and one of your images already has this "
        "name.",
        "Choose another name, or find that image with describe_images(Owners=['self']).",
    )


@explains("InvalidAMIName.Malformed")
def _bad_name(message: str, call: FailedCall | None, lab: Any) -> Explanation:
    return Explanation(
        "An image name is 3 to 128 characters: letters, numbers, spaces and ( ) [ ] . / - ' @ _.",
        "Look for other characters (a colon, a comma) in the name.",
    )


@explains("InvalidAMIID.Malformed")
def _bad_image_id(message: str, call: FailedCall | None, lab: Any) -> Explanation:
    return Explanation(
        "An image ID is 'ami-' and 8 or 17 hexadecimal characters (0-9, a-f), such as "
        "ami-0abcdef1234567890.",
        "Look for a typo, a missing 'ami-', or a name given where an ID belongs.",
    )


@explains("InvalidAMIID.NotFound")
def _image_not_found(message: str, call: FailedCall | None, lab: Any) -> Explanation:
    ids = (call.params.get("ImageIds") or [call.params.get("ImageId")]) if call else []
    ids += [call.params.get("SourceImageId")] if call else []
    for image_id in [i for i in ids if isinstance(i, str)]:
        where = _where_image_is(lab, image_id)
        here = (call.account or "learner", call.region) if call else None
        if not where or here in where:
            continue
        regions = sorted({region for _, region in where})
        if call and call.operation == "CopyImage" and call.region not in regions:
            return Explanation(
                f"CopyImage runs in the destination Region and reads {image_id} from "
                "SourceRegion; the image is not visible to this account in the SourceRegion given.",
                f"It is in {', '.join(regions)}: check SourceRegion and who can see the image.",
            )
        if any(account == (call.account if call else "learner") for account, _ in where):
            return Explanation(
                f"{image_id} exists, but in {', '.join(regions)}: an image belongs to one Region, "
                f"and this client works in {call.region if call else 'another Region'}.",
                "Use a client for the image's Region, such as lab.client('ec2', region=...).",
            )
        return Explanation(
            f"{image_id} exists, but this account cannot see it: it is not this account's, not "
            "shared with it, and not public (in this Region).",
            "Its owner can share it (modify_image_attribute with LaunchPermission).",
        )
    return Explanation(
        "No image with that ID is visible to this account in this Region: it may have been "
        "deregistered, it may belong to another Region, or the ID may have a typo.",
        "Look the image up with describe_images, with Owners or Filters, in the right Region.",
    )


@explains("InvalidAMIID.Unavailable")
def _image_unavailable(message: str, call: FailedCall | None, lab: Any) -> Explanation:
    return Explanation(
        "The image exists but cannot be used for this now: it may still be pending, or be "
        "disabled, or on its way out.",
        "Read its State with describe_images (a disabled image can be enabled by its owner).",
    )


@explains("AuthFailure")
def _auth_failure(message: str, call: FailedCall | None, lab: Any) -> Explanation:
    who = f"the {call.account} account" if call and call.account else "this account"
    return Explanation(
        f"The call was made as {who}, which may not do this to that resource: only an image's or "
        "snapshot's owner can change its attributes, share it or deregister it.",
        "Check which account's client made the call, and who owns the resource (OwnerId).",
    )


@explains("InvalidUserID.Malformed")
def _bad_account(message: str, call: FailedCall | None, lab: Any) -> Explanation:
    return Explanation(
        "An account is named by its 12-digit ID, as a string, such as '222222222222'.",
        "lab.account_id('partner') gives the partner's; check every entry of Add and Remove.",
    )


def _permission_entries(call: FailedCall | None) -> list[dict[str, Any]]:
    permission = (call.params.get("LaunchPermission") if call else None) or {}
    if not isinstance(permission, dict):
        return []
    entries = [*(permission.get("Add") or []), *(permission.get("Remove") or [])]
    return [entry for entry in entries if isinstance(entry, dict)]


@explains("InvalidAMIAttributeItemValue")
def _bad_item(message: str, call: FailedCall | None, lab: Any) -> Explanation:
    for entry in _permission_entries(call):
        for key in ("OrganizationArn", "OrganizationalUnitArn"):
            value = entry.get(key)
            if isinstance(value, str) and not value.startswith("arn:"):
                return Explanation(
                    f"{key} takes the full ARN, not the bare {value[:3]}... ID: "
                    "arn:aws:organizations::<management account>:organization/o-... for an "
                    "organization, .../ou/o-.../ou-... for an OU.",
                    "The lesson shows the lab's organization and OU ARNs.",
                )
        user = entry.get("UserId")
        if user is not None and not (isinstance(user, str) and user.isdigit() and len(user) == 12):
            return _bad_account(message, call, lab)
    return Explanation(
        "One of the values given for the attribute is not one AWS accepts for it.",
        "AWS's message quotes the value; compare it with the lesson's example.",
    )


@explains("InvalidParameter")
def _invalid_parameter(message: str, call: FailedCall | None, lab: Any) -> Explanation | None:
    if call and call.operation in ("ModifyImageAttribute", "ModifySnapshotAttribute"):
        return Explanation(
            "Snapshots encrypted with the AWS managed key (aws/ebs) cannot be shared: no other "
            "account can ever be allowed to use that key.",
            "Copy the image encrypted with a customer managed key (KmsKeyId=...), allow the other "
            "account in that key's policy, and share the copy.",
        )
    return None


@explains("InvalidParameterCombination", "InvalidParameterDependency")
def _combination(message: str, call: FailedCall | None, lab: Any) -> Explanation:
    if call and "KmsKeyId" in call.params and not call.params.get("Encrypted"):
        return Explanation(
            "KmsKeyId only counts together with Encrypted=True: naming a key is how you choose "
            "which key encrypts the copy.",
            "Add Encrypted=True to the call.",
        )
    return Explanation(
        "Two of the call's parameters do not fit together: one needs or excludes the other.",
        "AWS's message names them; compare the call with the lesson's example.",
    )


@explains("InvalidParameterValue")
def _bad_value(message: str, call: FailedCall | None, lab: Any) -> Explanation:
    return Explanation(
        "AWS refused one value of the call; its message names the parameter and the value.",
        "Compare that value with the lesson's example just above the exercise.",
    )


@explains("MissingParameter")
def _missing(message: str, call: FailedCall | None, lab: Any) -> Explanation:
    return Explanation(
        "The call lacks a parameter that AWS needs in this combination (botocore cannot know).",
        "AWS's message names it.",
    )


# -- instances -----------------------------------------------------------------------------------


@explains("IncorrectInstanceState")
def _instance_state(message: str, call: FailedCall | None, lab: Any) -> Explanation:
    return Explanation(
        "The instance is in a state that does not allow this: an image can be made from a "
        "running or stopped instance, never a terminated one.",
        "Read its state with describe_instances; if it is gone, launch a new one from the image.",
    )


@explains("InvalidInstanceID.NotFound", "InvalidInstanceID.Malformed")
def _no_instance(message: str, call: FailedCall | None, lab: Any) -> Explanation:
    return Explanation(
        "No instance with that ID is in this account and Region (IDs start with 'i-').",
        "Check the Region of the client, and the ID that run_instances gave back.",
    )


# -- snapshots -----------------------------------------------------------------------------------


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


# -- KMS -----------------------------------------------------------------------------------------


def _keys_the_call_uses(lab: Any, call: FailedCall) -> list[Any]:
    """The KMS keys an EC2 call needed: the one it names, and those of the snapshots it reads."""
    from ..fidelity import encryption, images, kms_keys, volumes

    sandbox = _sandbox(lab)
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

    sandbox = _sandbox(lab)
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
