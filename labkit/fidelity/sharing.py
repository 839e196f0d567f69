"""Sharing images: launch permissions and who may change an image (R03, R11–R13, R17, R18).

AWS guide pages: sharingamis-explicit, sharingamis-intro ("Make an AMI public"),
share-amis-with-organizations-and-OUs, ebs-modifying-snapshot-permissions, and the feature page
"Block public access for AMIs" (block-public-access-to-amis), disable-an-ami (a disabled image
can't be shared); the ModifyImageAttribute API reference for the attributes an owner may change
(description, imdsSupport, launchPermission, one per request; ImdsSupport ``v2.0`` cannot be
undone; ProductCodes "Not supported").

Only an image's owner can share or change it; the accounts it is shared with can launch it and
nothing else. Sharing moves neither ownership nor the storage bill (R12): no snapshot changes
hands. User tags are per account (R13): each account sees the tags it attached itself, so the
owner's tags never reach the accounts it shares with. Create volume permission on snapshots is
``snapshot_permissions.py``; the block public access switch is ``block_public_access.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from labkit.seam.moto import Ami, AmiBackend, EC2Response, EmptyResult, Snapshot, ec2_backends

from . import pending
from .block_public_access import BLOCK_NEW_SHARING, UNBLOCKED, image_block_public_access_state
from .callers import answer_remembering_caller, current_caller
from .errors import AwsError, auth_failure, image_not_found, missing_parameter
from .images import backends_in_region, check_image_id, image_snapshots
from .patching import Patches
from .snapshot_permissions import (
    require_own_snapshot,
    snapshots_needing_permission,
    uses_aws_managed_key,
)
from .visibility import can_launch

__all__ = [
    "BLOCK_NEW_SHARING",
    "IMDS_V2",
    "UNBLOCKED",
    "current_caller",
    "image_block_public_access_state",
    "install",
    "require_own_image",
    "require_own_snapshot",
    "snapshots_needing_permission",
]

#: Account IDs are 12 digits; organization and OU ARNs as AWS Organizations writes them.
_ACCOUNT_ID = re.compile(r"^\d{12}$")
_ORG_ARN = re.compile(r"^arn:aws:organizations::\d{12}:organization/o-[a-z0-9]{10,32}$")
_OU_ARN = re.compile(
    r"^arn:aws:organizations::\d{12}:ou/o-[a-z0-9]{10,32}/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$"
)
_PERMISSION_KEYS = ("UserId", "Group", "OrganizationArn", "OrganizationalUnitArn")


def _resource_owner_and_region(resource: Ami | Snapshot) -> tuple[str, str]:
    return resource.owner_id, resource.ec2_backend.region_name


def _tags_seen_by_caller(self: Ami | Snapshot) -> list[dict[str, str]]:
    """R13: user tags belong to the account that attached them; others never see them.

    An account sees its own tags on a resource, including on an image or snapshot that another
    account shared with it; outside a request (checks, tests) the owner's tags are returned.
    (sharingamis-explicit "Tags")
    """
    owner, region = _resource_owner_and_region(self)
    account = current_caller() or owner
    backend = ec2_backends[account][region]
    if not self.id:
        return []
    return backend.describe_tags(filters={"resource-id": [self.id]})


# -- finding what the caller owns ------------------------------------------------------------------


def require_own_image(region: str, image_id: str, caller: str) -> Ami:
    """R03: the image, if the caller owns it.

    Raises:
        AwsError: ``InvalidAMIID.NotFound`` if the caller cannot see it (as if it did not
            exist); ``AuthFailure`` if it can see it (shared or public) but does not own it.
    """
    check_image_id(image_id)
    image = None
    for backend in backends_in_region(region):
        image = backend.amis.get(image_id) or image
    if image is None or not can_launch(image, caller):
        raise image_not_found(image_id)
    if image.owner_id != caller:
        raise auth_failure(f"Not authorized for image:{image_id}")
    return image


# -- launch permissions (R03, R11, R17, R18) -------------------------------------------------------


def _split_permissions(entries: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    """One dict per grantee (a request may put several keys in one entry)."""
    permissions = []
    for entry in entries or []:
        for key in _PERMISSION_KEYS:
            if entry.get(key) is not None:
                permissions.append({key: str(entry[key])})
    return permissions


def _invalid_item(kind: str, value: str) -> AwsError:
    return AwsError(
        "InvalidAMIAttributeItemValue",
        f'Invalid attribute item value "{value}" for {kind} item type.',
    )


def _validate_launch_permission(permission: dict[str, str]) -> None:
    """R11: 12-digit account IDs, the group ``all``, and full organization/OU ARNs only."""
    ((kind, value),) = permission.items()
    if kind == "UserId" and not _ACCOUNT_ID.match(value):
        raise _invalid_item("userId", value)
    if kind == "Group" and value != "all":
        raise _invalid_item("UserGroup", value)
    if kind == "OrganizationArn" and not _ORG_ARN.match(value):
        raise _invalid_item("OrganizationArn", value)
    if kind == "OrganizationalUnitArn" and not _OU_ARN.match(value):
        raise _invalid_item("OrganizationalUnitArn", value)


def _check_not_disabled(image: Ami) -> None:
    """A disabled image cannot be shared until its owner enables it again.

    disable-an-ami: "A disabled AMI can't be shared"; once re-enabled, "The AMI can be shared."
    AWS documents no code: ``InvalidAMIID.Unavailable`` is its observed answer to sharing an
    image that is not available ("The AMI ID '…' is currently pending and may not be used for
    this operation"), worded here for the disabled state.
    """
    if image.state == "disabled":
        raise AwsError(
            "InvalidAMIID.Unavailable",
            f"The AMI ID '{image.id}' is currently disabled and may not be used for this "
            "operation.",
        )


def _check_not_pending(image: Ami) -> None:
    """A pending image cannot be shared until it is available.

    AWS documents no code; ``InvalidAMIID.Unavailable`` with this wording is its observed
    answer to an operation on an image that is not yet available (as for DisableImage).
    """
    pending.settle([image])  # reported pending once already: available now
    if image.state == "pending":
        raise AwsError(
            "InvalidAMIID.Unavailable",
            f"The AMI ID '{image.id}' is currently pending and may not be used for this operation.",
        )


def _check_can_share(image: Ami, adding: list[dict[str, str]]) -> None:
    """R17, R18: what may not be shared at all, or not publicly."""
    if not adding:
        return
    snapshots = image_snapshots(image)
    if {"Group": "all"} in adding and not image.is_public:
        region = image.ec2_backend.region_name
        if image_block_public_access_state(image.owner_id, region) == BLOCK_NEW_SHARING:
            raise AwsError(
                "OperationNotPermitted",
                "You can't publicly share this image because block public access for AMIs is "
                f"enabled for this account in {region}. To publicly share the image, you must "
                "call the DisableImageBlockPublicAccess API.",
            )
        encrypted = [s.id for s in snapshots if s.encrypted]
        if encrypted:
            raise AwsError(
                "UnsupportedOperation",
                "Encrypted snapshots can't be shared publicly. Specify another snapshot.",
            )
        if image.product_codes:
            raise AwsError(
                "UnsupportedOperation",
                "Images with product codes can't be made public.",
            )
    managed = [s.id for s in snapshots if uses_aws_managed_key(s)]
    if managed:
        raise AwsError(
            "InvalidParameter",
            "Snapshots encrypted with the AWS Managed CMK can't be shared. Specify another "
            "snapshot.",
        )


#: What ModifyImageAttribute changes: one of these per request (API reference, "Attribute").
_MODIFIABLE_ATTRIBUTES = ("description", "imdsSupport", "launchPermission")
#: The only ImdsSupport value; once set it stays (ModifyImageAttribute API reference).
IMDS_V2 = "v2.0"


def _check_imds_support(image: Ami, value: str) -> None:
    """``ImdsSupport`` can be set to ``v2.0`` and never taken back.

    ModifyImageAttribute API reference, ImdsSupport: "After you set the value to v2.0, you
    can't undo it. The only way to 'reset' your AMI is to create a new AMI from the underlying
    snapshot." AWS documents no error code; ``InvalidParameterValue`` was chosen.
    """
    if value == IMDS_V2:
        return
    if getattr(image, "imds_support", None) == IMDS_V2:
        hint = (
            f"{image.id} already requires IMDSv2, which cannot be undone; to have an image "
            "without it, register a new image from its snapshots"
        )
    else:
        hint = "the only value is v2.0 (instances launched from the image then require IMDSv2)"
    raise AwsError(
        "InvalidParameterValue", f"Value ({value}) for parameter ImdsSupport is invalid: {hint}"
    )


def modify_image_attribute(
    self: AmiBackend,
    ami_id: str,
    launch_permissions_to_add: list[dict[str, Any]] | None = None,
    launch_permissions_to_remove: list[dict[str, Any]] | None = None,
    description: str | None = None,
    imds_support: str | None = None,
) -> None:
    """ModifyImageAttribute as AWS does it: owner only, validated, all or nothing.

    Launch permissions (R11), the description, and ``ImdsSupport`` (``v2.0`` only, for good).

    Raises:
        AwsError: ``InvalidAMIID.NotFound`` / ``AuthFailure`` for an image the caller does not
            own (R03); ``InvalidAMIAttributeItemValue`` for a bad grantee;
            ``InvalidAMIID.Unavailable`` for sharing a disabled image; the R17/R18 refusals
            of public or managed-key sharing; ``InvalidParameterValue`` for an ImdsSupport other
            than ``v2.0``.
    """
    caller, region = self.account_id, self.region_name  # type: ignore[attr-defined]
    image = require_own_image(region, ami_id, caller)
    adding = _split_permissions(launch_permissions_to_add or [])
    removing = _split_permissions(launch_permissions_to_remove or [])
    for permission in adding + removing:
        _validate_launch_permission(permission)
    if imds_support is not None:
        _check_imds_support(image, imds_support)
    # The owner's permission is implicit and cannot be granted or taken away.
    adding = [p for p in adding if p != {"UserId": image.owner_id}]
    removing = [p for p in removing if p != {"UserId": image.owner_id}]
    if adding:
        _check_not_disabled(image)
        _check_not_pending(image)
    _check_can_share(image, [p for p in adding if p not in image.launch_permissions])
    for permission in adding:
        if permission not in image.launch_permissions:
            image.launch_permissions.append(permission)
    for permission in removing:
        if permission in image.launch_permissions:
            image.launch_permissions.remove(permission)
    if description is not None:
        image.description = description
    if imds_support is not None:
        image.imds_support = imds_support


def _attribute_value(value: Any) -> str | None:
    """An ``AttributeValue`` parameter (``{'Value': ...}``) as its string, or None if absent."""
    if isinstance(value, dict):
        value = value.get("Value")
    return None if value is None else str(value)


def _check_one_attribute(attribute: str | None, given: list[str]) -> None:
    """ModifyImageAttribute changes one attribute per request, the one ``Attribute`` names.

    API reference: "You can specify only one attribute at a time." ``ProductCodes`` is marked
    "Not supported" there: product codes come from AWS Marketplace (the old DevPay way of
    attaching them is retired), so the sandbox refuses them.
    AWS documents no codes for these cases; ``UnsupportedOperation``,
    ``InvalidParameterValue`` and ``InvalidParameterCombination`` were chosen.
    """
    if attribute == "productCodes" or "productCodes" in given:
        raise AwsError(
            "UnsupportedOperation",
            "The ProductCodes parameter is not supported by ModifyImageAttribute.",
        )
    if attribute is not None and attribute not in _MODIFIABLE_ATTRIBUTES:
        raise AwsError(
            "InvalidParameterValue",
            f"Value ({attribute}) for parameter attribute is invalid: ModifyImageAttribute "
            f"changes {', '.join(_MODIFIABLE_ATTRIBUTES)}",
        )
    if len(given) > 1:
        raise AwsError(
            "InvalidParameterCombination",
            f"Specify only one attribute at a time (this request changes {' and '.join(given)})",
        )
    if attribute is not None and given and given != [attribute]:
        raise AwsError(
            "InvalidParameterCombination",
            f"The request names the attribute {attribute} but changes {given[0]}",
        )
    if attribute in ("description", "imdsSupport") and not given:
        raise missing_parameter("Value")


def _modify_image_attribute_response(self: EC2Response) -> EmptyResult:
    ami_id = self._get_param("ImageId")
    attribute = self._get_param("Attribute")
    launch_permission = self._get_param("LaunchPermission", {}) or {}
    adding = list(launch_permission.get("Add", []) or [])
    removing = list(launch_permission.get("Remove", []) or [])
    operation = self._get_param("OperationType")
    grantees = (
        [{"Group": g} for g in self._get_param("UserGroups", []) or []]
        + [{"UserId": u} for u in self._get_param("UserIds", []) or []]
        + [{"OrganizationArn": a} for a in self._get_param("OrganizationArns", []) or []]
        + [
            {"OrganizationalUnitArn": a}
            for a in self._get_param("OrganizationalUnitArns", []) or []
        ]
    )
    # AWS SDK for Go v1 callers (Packer 1.6) send LaunchPermission.Add and repeat the accounts as
    # UserId.N with no OperationType; AWS accepts that, the structure naming what changes.
    if grantees and operation is None and (adding or removing):
        grantees = []
    if grantees:
        if operation not in ("add", "remove"):
            raise AwsError(
                "InvalidParameterValue",
                "OperationType must be 'add' or 'remove' when UserIds, UserGroups, "
                "OrganizationArns or OrganizationalUnitArns are given",
            )
        (adding if operation == "add" else removing).extend(grantees)
    description = _attribute_value(self._get_param("Description"))
    imds_support = _attribute_value(self._get_param("ImdsSupport"))
    value = self._get_param("Value")
    if attribute == "description" and description is None:
        description = value
    if attribute == "imdsSupport" and imds_support is None:
        imds_support = value
    given = [
        name
        for name, present in (
            ("description", description is not None),
            ("imdsSupport", imds_support is not None),
            ("launchPermission", bool(adding or removing)),
            ("productCodes", bool(self._get_param("ProductCodes"))),
        )
        if present
    ]
    _check_one_attribute(attribute, given)
    self.error_on_dryrun()
    self.ec2_backend.modify_image_attribute(
        ami_id,
        launch_permissions_to_add=adding,
        launch_permissions_to_remove=removing,
        description=description,
        imds_support=imds_support,
    )
    return EmptyResult()


# -- install ---------------------------------------------------------------------------------------


def install(patches: Patches) -> None:
    """Apply R03, R11–R13 and R17 to moto for every account and client."""
    patches.replace(EC2Response, "call_action", answer_remembering_caller)
    patches.replace(Ami, "get_tags", _tags_seen_by_caller)
    patches.replace(Snapshot, "get_tags", _tags_seen_by_caller)
    patches.replace(AmiBackend, "modify_image_attribute", modify_image_attribute)
    patches.replace(EC2Response, "modify_image_attribute", _modify_image_attribute_response)
