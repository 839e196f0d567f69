"""Copying images and snapshots, within and across Regions and accounts (R08–R10, R14, R16, R22).

AWS guide pages: CopyingAMIs ("Considerations", "Costs", "Cross-account copying", "Encryption
and copying"), ebs-copy-snapshot, sharingamis-explicit ("Copying shared AMIs").

- ``CopyImage`` is called in the destination Region; it finds the source in ``SourceRegion``
  whoever owns it, if the caller may launch it. The copy is a new image owned by the caller,
  with copies of every snapshot in the caller's account and Region (R08, R16). The caller pays
  the copy's storage and the source's owner the transfer: that is billing
  (``labkit.pricing.bills``), not state. A first copy to a Region is full and later ones
  incremental (R10/R46); the sandbox's copies record the full data size, as a first copy's do.
- A caller that does not own the source needs create-volume permission on each of its
  snapshots (R14); encrypted snapshots also need the use of their KMS key (R20, in
  ``encryption``); another account's Marketplace image, or one derived from it, is refused
  (R22/R45, in ``billing``); a shared Windows image is not.
- Launch permissions are never copied; user tags only with ``CopyImageTags``, and only the
  tags the caller attached itself (R09). ``ClientToken`` makes the call idempotent.
- An archived snapshot is not copied until it is restored (R28, snapshot-archive
  "Limitations"), whether it is copied alone or as part of an image.

CopySnapshot and the full snapshot copies both actions make are ``snapshot_copies.py``; this
module installs CopySnapshot with CopyImage.
"""

from __future__ import annotations

import copy
from typing import Any

from labkit.seam.moto import (
    ActionResult,
    Ami,
    AmiBackend,
    EBSBackend,
    EC2Response,
    Snapshot,
    ec2_backends,
    random_ami_id,
)

from . import allowed_images, billing, encryption, pending
from .archive import require_standard_tier
from .errors import AwsError, image_not_found
from .image_annotations import inherit_watermarks
from .images import block_device_mappings, check_image_id, find_image
from .patching import Patches
from .snapshot_copies import check_source_region, copy_snapshot, copy_snapshot_response, full_copy
from .visibility import can_create_volume, can_launch
from .volumes import INSTALLED_TAG, find_snapshot

__all__ = [
    "copy_image",
    "copy_snapshot",
    "install",
    "storage_readable",
]


# -- helpers -------------------------------------------------------------------------------------


def storage_readable(image: Ami, snapshot: Snapshot, account_id: str) -> bool:
    """R14: may this account read the snapshot's data, to copy it?

    Its owner may; others need create-volume permission (for them, or ``all``). AWS publishes
    the snapshots of its public base images (Amazon Linux, Ubuntu, Windows), so the lab's
    catalogue images without billing codes count as public storage.
    """
    if can_create_volume(snapshot, account_id):
        return True
    return bool(getattr(image, "catalog_key", None) and image.is_public and not image.product_codes)


def _tags_by_type(specifications: list[dict[str, Any]] | None) -> dict[str, dict[str, str]]:
    """``TagSpecifications`` for CopyImage: tags for the new image and its snapshots."""
    tags: dict[str, dict[str, str]] = {"image": {}, "snapshot": {}}
    for specification in specifications or []:
        kind = specification.get("ResourceType")
        if kind not in tags:
            raise AwsError(
                "InvalidParameterValue",
                f"'{kind}' is not a valid taggable resource type for this operation.",
            )
        for tag in specification.get("Tags") or specification.get("Tag") or []:
            key = tag.get("Key")
            if not key or str(key).lower().startswith("aws:"):
                raise AwsError(
                    "InvalidParameterValue",
                    f"Tag key {key!r} is not allowed: keys are required, and those starting "
                    "with 'aws:' are reserved for AWS",
                )
            tags[kind][str(key)] = str(tag.get("Value", ""))
    return tags


def _own_tags(account_id: str, region: str, resource_id: str) -> dict[str, str]:
    """R09: the user tags this account attached to a resource (never AWS's ``aws:`` tags)."""
    found = ec2_backends[account_id][region].tags.get(resource_id, {})
    return {k: v for k, v in found.items() if not k.lower().startswith("aws:")}


def _check_name_free(backend: Any, name: str) -> None:
    """An account cannot have two images with one name in one Region (as CreateImage)."""
    for image in list(backend.amis.values()):
        if image.name == name and image.owner_id == backend.account_id:
            raise AwsError(
                "InvalidAMIName.Duplicate", f"AMI name {name} is already in use by AMI {image.id}"
            )


def _idempotent(backend: Any, token: str | None, request: tuple) -> Ami | None:
    """The image an earlier CopyImage with this ClientToken made (EC2 idempotency)."""
    if not token:
        return None
    tokens = backend.__dict__.setdefault("lab_copy_tokens", {})
    earlier = tokens.get(token)
    if earlier is None:
        return None
    image_id, earlier_request = earlier
    if earlier_request != request:
        raise AwsError(
            "IdempotentParameterMismatch",
            f"The client token {token} was already used for a different CopyImage request "
            f"(which made {image_id})",
        )
    image = backend.amis.get(image_id)
    return image


# -- CopyImage -----------------------------------------------------------------------------------


def copy_image(
    self: AmiBackend,
    source_image_id: str,
    source_region: str,
    name: str | None = None,
    description: str | None = None,
    *,
    encrypted: bool = False,
    kms_key_id: str | None = None,
    copy_image_tags: bool = False,
    tag_specifications: list[dict[str, Any]] | None = None,
    client_token: str | None = None,
) -> Ami:
    """CopyImage into the caller's account, in the Region the call is made (R08–R10, R14, R16).

    Raises:
        AwsError: ``InvalidAMIID.NotFound`` for a source the caller cannot see in
            ``SourceRegion``; ``InvalidRequest`` without create-volume permission on every
            snapshot of another account's image (R14), or for another account's Marketplace
            or Marketplace-derived image (R22/R45); ``IncorrectState`` for a snapshot in the
            archive tier (R28);
            KMS and encryption errors from ``encryption`` (R19, R20).
    """
    backend: Any = self
    caller, region = backend.account_id, backend.region_name
    source_region = check_source_region(source_region, "AMI")
    check_image_id(source_image_id)
    from .creating import check_image_name

    name = check_image_name(name)
    request = (source_image_id, source_region, name, description, bool(encrypted), kms_key_id)
    earlier = _idempotent(backend, client_token, request)
    if earlier is not None:
        return earlier
    _check_name_free(backend, name)

    source = find_image(source_region, source_image_id)
    if source is None or not can_launch(source, caller):
        raise image_not_found(source_image_id)
    allowed_images.require_allowed(source, caller, source_region)  # R31
    pending.settle([source])  # reported pending once already: ready now
    if source.state == "disabled":
        raise AwsError(
            "InvalidAMIID.Unavailable",
            f"The AMI ID '{source_image_id}' is currently disabled and may not be used for "
            "this operation.",
        )
    if source.state != "available":
        raise AwsError(
            "InvalidAMIID.Unavailable",
            f"The AMI ID '{source_image_id}' is currently {source.state} and may not be used "
            "for this operation.",
        )
    billing.check_copy_allowed(source, caller)
    encryption.check_kms_key_dependency(bool(encrypted), kms_key_id)
    tags = _tags_by_type(tag_specifications)

    # Plan every snapshot first, so that a refused copy leaves nothing behind.
    plan = []
    for mapping in block_device_mappings(source):
        ebs = mapping.get("Ebs") or {}
        snapshot_id = ebs.get("SnapshotId")
        if not snapshot_id:
            plan.append((mapping, None, None))
            continue
        snapshot = find_snapshot(source_region, snapshot_id)
        if snapshot is None or not storage_readable(source, snapshot, caller):
            raise AwsError(
                "InvalidRequest",
                "You do not have permission to access the storage of this ami",
            )
        require_standard_tier(snapshot)
        plan.append(
            (
                mapping,
                snapshot,
                encryption.copy_encryption(snapshot, caller, region, bool(encrypted), kms_key_id),
            )
        )

    image_id = random_ami_id()
    text = description
    if text is None:
        text = f"[Copied {source_image_id} from {source_region}] {source.description or ''}"
        text = text.rstrip()
    image = Ami(
        backend,
        image_id,
        source_ami=source,
        name=name,
        description=text,
        owner_id=caller,
        root_device_name=source.root_device_name,
        root_device_type=source.root_device_type,
        boot_mode=source.boot_mode,
        region_name=f"{region}a",
    )
    placeholder = image.ebs_snapshot
    backend.snapshots.pop(placeholder.id, None)
    mappings: list[dict[str, Any]] = []
    copies: dict[str, Snapshot] = {}
    for mapping, snapshot, planned in plan:
        new_mapping = copy.deepcopy(mapping)
        if snapshot is not None:
            enc, key = planned
            new = full_copy(
                backend,
                snapshot,
                f"Copied for DestinationAmi {image_id} from SourceAmi {source_image_id} for "
                f"SourceSnapshot {snapshot.id}",
                enc,
                key,
                tags["snapshot"],
                from_ami=image_id,
            )
            copies[mapping["DeviceName"]] = new
            new_mapping["Ebs"]["SnapshotId"] = new.id
            new_mapping["Ebs"]["Encrypted"] = enc
            new_mapping["Ebs"].pop("KmsKeyId", None)
            if enc and key:
                new_mapping["Ebs"]["KmsKeyId"] = key
        mappings.append(new_mapping)
    root_snapshot = copies.get(source.root_device_name) or next(iter(copies.values()), None)
    image.lab_mappings = mappings
    if root_snapshot is not None:
        image.ebs_snapshot = root_snapshot
    _copy_image_attributes(source, image, source_region)
    image_tags = dict(_own_tags(caller, source_region, source.id)) if copy_image_tags else {}
    image_tags.update(tags["image"])
    if image_tags:
        image.add_tags(image_tags)
    _retag_installed(source, image)
    backend.amis[image_id] = image
    if client_token:
        backend.__dict__.setdefault("lab_copy_tokens", {})[client_token] = (image_id, request)
    return image


def _copy_image_attributes(source: Ami, image: Ami, source_region: str) -> None:
    """What a copy keeps from its source (not launch permissions, tags or deprecation)."""
    image.source_image_id = source.id
    image.source_image_region = source_region
    inherit_watermarks(image, source)
    image.image_location = f"{image.owner_id}/{image.name}"
    image.hypervisor = source.hypervisor
    image.sriov = source.sriov
    image.kernel_id = source.kernel_id
    for attribute in ("ena_support", "imds_support", "platform_details", "usage_operation"):
        if hasattr(source, attribute):
            setattr(image, attribute, getattr(source, attribute))
    # A copy keeps the billing codes: the owner's copy of its Marketplace-derived image (another
    # account's is refused, R22/R45), and anyone's copy of a shared Windows image.
    image.product_codes = set(source.product_codes)
    price = getattr(source, "software_price_per_hour_usd", None)
    if price:
        image.software_price_per_hour_usd = price


def _retag_installed(source: Ami, image: Ami) -> None:
    """The lab's marker of the software on an image's disks travels with its data."""
    owner_tags = _own_tags(source.owner_id, source.ec2_backend.region_name, source.id)
    if INSTALLED_TAG in owner_tags:
        image.add_tag(INSTALLED_TAG, owner_tags[INSTALLED_TAG])


def _copy_image_response(self: EC2Response) -> ActionResult:
    encrypted = self._get_bool_param("Encrypted", False)
    kms_key_id = self._get_param("KmsKeyId")
    self.error_on_dryrun()
    image = self.ec2_backend.copy_image(
        self._get_param("SourceImageId"),
        self._get_param("SourceRegion"),
        self._get_param("Name"),
        self._get_param("Description"),
        encrypted=bool(encrypted),
        kms_key_id=kms_key_id,
        copy_image_tags=bool(self._get_bool_param("CopyImageTags", False)),
        tag_specifications=self._get_param("TagSpecifications", []),
        client_token=self._get_param("ClientToken"),
    )
    return ActionResult({"ImageId": image.id})


# -- install -------------------------------------------------------------------------------------


def _source_image_id(self: Ami) -> str | None:
    return getattr(self, "source_image_id", None)


def _source_image_region(self: Ami) -> str | None:
    return getattr(self, "source_image_region", None)


def install(patches: Patches) -> None:
    """CopyImage and CopySnapshot as AWS does them, across Regions and accounts."""
    patches.replace(AmiBackend, "copy_image", copy_image)
    patches.replace(EC2Response, "copy_image", _copy_image_response)
    patches.replace(EBSBackend, "copy_snapshot", copy_snapshot)
    patches.replace(EC2Response, "copy_snapshot", copy_snapshot_response)
    patches.add(Ami, "SourceImageId", property(_source_image_id))
    patches.add(Ami, "SourceImageRegion", property(_source_image_region))
