"""The lab's explanations of AWS's errors about images, their parameters and instances."""

from __future__ import annotations

import re
from typing import Any

from .context import FailedCall
from .registry import Explanation, explains, running_sandbox

__all__: list[str] = []  # entries register themselves in EXPLANATIONS


def _where_image_is(lab: Any, image_id: str) -> list[tuple[str, str]]:
    """(account, Region) pairs in which ``image_id`` is visible, the owner's first."""
    sandbox = running_sandbox(lab)
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
    sandbox = running_sandbox(lab)
    if sandbox is None or call.region is None:
        return None
    ec2 = sandbox.client("ec2", region=call.region, account=call.account or "learner")
    found = ec2.describe_images(Owners=["self"], Filters=[{"Name": "name", "Values": [name]}])
    return found["Images"][0] if found["Images"] else None


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
    quoted = re.search(r'"([^"]*)"', message)
    if quoted and re.fullmatch(r"[\d\s-]+", quoted[1]) and len(re.sub(r"\D", "", quoted[1])) == 12:
        return Explanation(
            "An account ID is its 12 digits and nothing else: the dashes or spaces that the "
            "console's account menu, or an email, puts between them are not part of it.",
            "Look at the account ID in the call, character by character.",
        )
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
    if "is not a valid taggable resource type" in message:
        if call and call.operation in ("CreateImage", "CopyImage"):
            return Explanation(
                "TagSpecifications can tag only what the call makes: the new image ('image') "
                "and its snapshots ('snapshot'). An instance is tagged at launch, or with "
                "create_tags.",
                "Look at each ResourceType in TagSpecifications.",
            )
        made = "the launch makes" if call and call.operation == "RunInstances" else "the call makes"
        return Explanation(
            f"TagSpecifications can tag only what {made}: each ResourceType must be one of its "
            "own resources (an image is tagged by create_image, or later with create_tags).",
            "Look at each ResourceType in TagSpecifications, and at the example the lesson gives "
            "for this call.",
        )
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
