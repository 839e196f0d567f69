"""Registering images from EBS snapshots (RegisterImage, R07; the manual path of R20).

AWS guide pages: ComponentsAMIs (root device storage, R07: EBS-backed images keep their data in
EBS snapshots, instance store-backed ones in an S3 bundle), creating-an-ami-ebs ("Create an AMI
from a snapshot"). R20's manual path: copy a shared encrypted snapshot under your own key, then
register an image from the copy.

``RegisterImage`` makes an EBS-backed image from snapshots the caller owns or may create volumes
from, each completed (``volumes.usable_snapshot``, through ``mappings.added_mapping``). The
image has no billing product of its own. Registering an instance store-backed image from an S3
manifest is refused: the sandbox does not simulate S3 bundles. Names and tags follow
CreateImage's rules (``creating.py``).
"""

from __future__ import annotations

from typing import Any

from labkit.seam.moto import ActionResult, Ami, AmiBackend, EC2Response, random_ami_id

from .creating import check_image_name, check_name_free, drop_placeholder_snapshot, tags_by_type
from .errors import AwsError, invalid_parameter, missing_parameter
from .mappings import added_mapping, as_bool, bad_mapping, requested_mappings
from .patching import Patches
from .volumes import find_snapshot, tag_installed

__all__ = ["install", "register_image"]


def register_image(
    self: AmiBackend,
    name: str | None = None,
    description: str | None = None,
    *,
    root_device_name: str | None = None,
    block_device_mappings: list[dict[str, Any]] | None = None,
    architecture: str | None = None,
    virtualization_type: str | None = None,
    boot_mode: str | None = None,
    ena_support: bool | None = None,
    imds_support: str | None = None,
    image_location: str | None = None,
    tag_specifications: list[dict[str, Any]] | None = None,
) -> Ami:
    """RegisterImage from EBS snapshots the caller may use (RegisterImage API reference).

    Raises:
        AwsError: ``UnsupportedOperation`` for an instance store-backed registration (an S3
            manifest): the sandbox has no S3 bundles; ``InvalidBlockDeviceMapping`` when the
            root device is missing or has no snapshot; ``InvalidSnapshot.NotFound`` for a
            snapshot the caller may not use.
    """
    backend: Any = self
    name = check_image_name(name)
    if image_location and not block_device_mappings:
        raise AwsError(
            "UnsupportedOperation",
            "The sandbox registers EBS-backed images only: an instance store-backed image "
            f"({image_location}) is a bundle in S3, which the sandbox does not simulate. "
            "Register from snapshots with BlockDeviceMappings and RootDeviceName instead",
        )
    if architecture is not None and architecture not in ("i386", "x86_64", "arm64"):
        raise invalid_parameter(
            f"Architecture '{architecture}' is not valid; use x86_64, arm64 or i386"
        )
    if virtualization_type is not None and virtualization_type not in ("hvm", "paravirtual"):
        raise invalid_parameter(
            f"VirtualizationType '{virtualization_type}' is not valid; use hvm or paravirtual"
        )
    if boot_mode is not None and boot_mode not in ("legacy-bios", "uefi", "uefi-preferred"):
        raise invalid_parameter(
            f"BootMode '{boot_mode}' is not valid; use legacy-bios, uefi or uefi-preferred"
        )
    if imds_support is not None and imds_support != "v2.0":
        raise invalid_parameter(f"ImdsSupport '{imds_support}' is not valid; use v2.0")
    if not root_device_name:
        raise missing_parameter("RootDeviceName")
    requested = requested_mappings(block_device_mappings)
    root = requested.get(root_device_name)
    if root is None or not (root.get("Ebs") or {}).get("SnapshotId"):
        raise bad_mapping(
            f"The root device {root_device_name} needs a block device mapping with a SnapshotId"
        )
    tags = tags_by_type(tag_specifications or [], ("image",))
    check_name_free(backend, name)
    mappings = [added_mapping(backend, device, change) for device, change in requested.items()]

    image_id = random_ami_id()
    image = Ami(
        backend,
        image_id,
        name=name,
        description=description or None,
        owner_id=backend.account_id,
        virtualization_type=virtualization_type or "paravirtual",
        architecture=architecture or "i386",
        image_location=f"{backend.account_id}/{name}",
        hypervisor="xen",
        root_device_type="ebs",
        root_device_name=root_device_name,
        boot_mode=boot_mode,
    )
    drop_placeholder_snapshot(backend, image)
    region = backend.region_name
    snapshots = [
        find_snapshot(region, m["Ebs"]["SnapshotId"])
        for m in mappings
        if "Ebs" in m and m["Ebs"].get("SnapshotId")
    ]
    root_snapshot = find_snapshot(region, root["Ebs"]["SnapshotId"])
    image.lab_mappings = mappings
    image.ebs_snapshot = root_snapshot
    image.ena_support = bool(ena_support) if ena_support is not None else False
    image.imds_support = imds_support
    # A registered image has no billing product of its own (no Windows or Marketplace codes).
    image.product_codes = set()
    image.platform = None
    image.platform_details = "Linux/UNIX"
    image.usage_operation = "RunInstances"
    image.add_tags(tags["image"])
    tag_installed(image, [s.volume for s in snapshots if s is not None])
    backend.amis[image_id] = image
    return image


def _register_image_response(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    image = self.ec2_backend.register_image(
        self._get_param("Name"),
        self._get_param("Description"),
        root_device_name=self._get_param("RootDeviceName"),
        block_device_mappings=self._get_param("BlockDeviceMappings", []),
        architecture=self._get_param("Architecture"),
        virtualization_type=self._get_param("VirtualizationType"),
        boot_mode=self._get_param("BootMode"),
        ena_support=as_bool(self._get_param("EnaSupport")),
        imds_support=self._get_param("ImdsSupport"),
        image_location=self._get_param("ImageLocation"),
        tag_specifications=self._get_param("TagSpecifications", []),
    )
    return ActionResult({"ImageId": image.id})


def install(patches: Patches) -> None:
    """Apply R07 to moto: RegisterImage."""
    patches.replace(AmiBackend, "register_image", register_image)
    patches.replace(EC2Response, "register_image", _register_image_response)
