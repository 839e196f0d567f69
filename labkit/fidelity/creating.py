"""Creating images from an instance (CreateImage, R05), and the name and tag rules every new image
follows (RegisterImage, in ``registering.py``, uses them too).

AWS guide pages: creating-an-ami-ebs ("Create an AMI from an instance"),
block-device-mapping-concepts (what a mapping may change), CopyingAMIs (R22: launch, then
CreateImage, keeps the billing codes).

``CreateImage`` snapshots each EBS volume of the instance (one snapshot per kept volume, sized as
the volume), lets ``BlockDeviceMappings`` leave volumes out (``NoDevice``), grow them or add new
ones, reboots the instance unless ``NoReboot``, tags the image and its snapshots, refuses
malformed and duplicate names, and carries the source image's billing codes (R22 relies on it).

Registering an image from snapshots is ``registering.py``; launching from an image is
``launching.py``; what volumes and snapshots hold is ``volumes.py``. A reboot, which AWS performs
inside the instance, is recorded as ``instance.lab_reboots``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from labkit.seam.moto import (
    ActionResult,
    Ami,
    AmiBackend,
    EC2Response,
    Instance,
    Snapshot,
    Volume,
    moto_core_utils,
    random_ami_id,
    random_snapshot_id,
)

from .ancestry import record_parent
from .errors import AwsError, invalid_parameter, missing_parameter
from .image_annotations import inherit_watermarks
from .images import find_image
from .launching import last_launched_time
from .mappings import added_mapping, as_bool, bad_mapping, ebs_mapping, requested_mappings
from .patching import Patches
from .state import IMAGE_ID, PLATFORM_DETAILS, PRODUCT_CODES, REBOOTS, USAGE_OPERATION
from .volumes import (
    INSTALLED_TAG,
    find_snapshot,
    freeze,
    installed_software,
    snapshot_data_gib,
    tag_installed,
    volume_data_gib,
)

# INSTALLED_TAG, find_snapshot, installed_software, last_launched_time, snapshot_data_gib and
# volume_data_gib moved to volumes.py and launching.py; they stay importable from here.
__all__ = [
    "INSTALLED_TAG",
    "check_image_name",
    "check_name_free",
    "drop_placeholder_snapshot",
    "find_snapshot",
    "install",
    "installed_software",
    "last_launched_time",
    "snapshot_data_gib",
    "tags_by_type",
    "volume_data_gib",
]

#: AMI names: 3–128 characters from this set (CreateImage / RegisterImage API reference, Name).
_NAME_CHARACTERS = re.compile(r"^[A-Za-z0-9()\[\] ./\-'@_]+$")
_INSTANCE_ID = re.compile(r"^i-([0-9a-f]{8}|[0-9a-f]{17})$")


def _source_image(instance: Instance) -> Ami | None:
    image_id = IMAGE_ID.get(instance) or instance.image_id
    if not image_id:
        return None
    return find_image(instance.ec2_backend.region_name, image_id)


# -- names and tags -------------------------------------------------------------------------------


def check_image_name(name: Any) -> str:
    """An AMI name as AWS allows it, or ``InvalidAMIName.Malformed`` (CreateImage, Name)."""
    if name is None or name == "":
        raise missing_parameter("Name")
    text = str(name)
    if not 3 <= len(text) <= 128:
        raise AwsError(
            "InvalidAMIName.Malformed",
            f"AMI name '{text}' is {len(text)} characters long; it must be 3 to 128 characters",
        )
    if not _NAME_CHARACTERS.match(text):
        raise AwsError(
            "InvalidAMIName.Malformed",
            f"AMI name '{text}' contains characters AWS does not allow; use letters, numbers, "
            "spaces and ( ) [ ] . / - ' @ _",
        )
    return text


def check_name_free(backend: Any, name: str) -> None:
    """R05: an account cannot have two images with one name in one Region."""
    for image in list(backend.amis.values()):
        if image.name == name and image.owner_id == backend.account_id:
            raise AwsError(
                "InvalidAMIName.Duplicate", f"AMI name {name} is already in use by AMI {image.id}"
            )


def tags_by_type(specifications: Iterable[dict[str, Any]], allowed: tuple[str, ...]) -> dict:
    """``TagSpecifications`` as ``{resource type: {key: value}}``; other types are refused."""
    tags: dict[str, dict[str, str]] = {kind: {} for kind in allowed}
    for specification in specifications or []:
        kind = specification.get("ResourceType")
        if kind not in allowed:
            raise AwsError(
                "InvalidParameterValue",
                f"'{kind}' is not a valid taggable resource type for this operation.",
            )
        for tag in specification.get("Tags") or specification.get("Tag") or []:
            key = tag.get("Key")
            if not key:
                raise invalid_parameter("Each tag needs a Key")
            if str(key).lower().startswith("aws:"):
                raise invalid_parameter(
                    f"Tag keys starting with 'aws:' are reserved for AWS use (got '{key}')"
                )
            tags[kind][key] = tag.get("Value", "")
    return tags


# -- CreateImage (R05) --------------------------------------------------------------------------


def _require_own_instance(backend: Any, instance_id: Any) -> Instance:
    if not instance_id:
        raise missing_parameter("InstanceId")
    if not isinstance(instance_id, str) or not _INSTANCE_ID.match(instance_id):
        raise AwsError(
            "InvalidInstanceID.Malformed", f'Invalid id: "{instance_id}" (expecting "i-...")'
        )
    for instance in backend.all_instances():
        if instance.id == instance_id:
            if instance.state == "terminated":
                raise AwsError(
                    "IncorrectInstanceState",
                    f"The instance '{instance_id}' is terminated; an image can only be created "
                    "from a running or stopped instance",
                )
            return instance
    raise AwsError("InvalidInstanceID.NotFound", f"The instance ID '{instance_id}' does not exist")


def _instance_volumes(instance: Instance) -> list[tuple[str, Volume, bool]]:
    """(device, volume, delete on termination) for each EBS volume, root device first."""
    found = []
    for device, block in instance.get_block_device_mapping:
        volume = instance.ec2_backend.volumes.get(block.volume_id)
        if volume is not None:
            found.append((device, volume, bool(block.delete_on_termination)))
    found.sort(key=lambda item: item[0] != instance.root_device_name)
    return found


def _new_snapshot(
    backend: Any, volume: Volume, description: str, image_id: str, tags: dict[str, str]
) -> Snapshot:
    """A snapshot of a volume as it is now, owned by the volume's account."""
    snapshot = Snapshot(
        backend,
        random_snapshot_id(),
        freeze(volume),
        description,
        encrypted=bool(volume.encrypted),
        kms_key_id=volume.kms_key_id if volume.encrypted else None,
        owner_id=backend.account_id,
        from_ami=image_id,
    )
    snapshot.add_tags(tags)
    backend.snapshots[snapshot.id] = snapshot
    return snapshot


def drop_placeholder_snapshot(backend: Any, image: Ami) -> None:
    """moto's Ami makes a 15 GiB snapshot of its own; a real image has only its volumes'."""
    placeholder = getattr(image, "ebs_snapshot", None)
    if placeholder is not None:
        backend.snapshots.pop(placeholder.id, None)


def _inherit_billing(image: Ami, source: Ami | None, instance: Instance | None) -> None:
    """R22: an image made from an instance keeps the codes of the image it was launched from."""
    codes = PRODUCT_CODES.get(instance)
    if codes is None and source is not None:
        codes = set(source.product_codes)
    image.product_codes = set(codes or ())
    image.platform_details = PLATFORM_DETAILS.get(instance) or getattr(
        source, "platform_details", "Linux/UNIX"
    )
    image.usage_operation = USAGE_OPERATION.get(instance) or getattr(
        source, "usage_operation", "RunInstances"
    )


def create_image(
    self: AmiBackend,
    instance_id: str,
    name: str,
    description: str | None,
    tag_specifications: list[dict[str, Any]] | None = None,
    block_device_mappings: list[dict[str, Any]] | None = None,
    no_reboot: bool = False,
) -> Ami:
    """R05: CreateImage from one of the caller's instances (creating-an-ami-ebs)."""
    backend: Any = self
    instance = _require_own_instance(backend, instance_id)
    name = check_image_name(name)
    if description is not None and len(str(description)) > 255:
        raise invalid_parameter("An image description can be at most 255 characters long")
    tags = tags_by_type(tag_specifications or [], ("image", "snapshot"))
    requested = requested_mappings(block_device_mappings)
    check_name_free(backend, name)

    # Plan every mapping first, so that a refused request leaves nothing behind.
    plan: list[tuple[str, Any]] = []
    attached = {device: (volume, dot) for device, volume, dot in _instance_volumes(instance)}
    root = instance.root_device_name
    for device, (volume, delete_on_termination) in attached.items():
        change = requested.pop(device, {})
        if "NoDevice" in change:
            if device == root:
                raise bad_mapping(
                    f"The root device {device} cannot be left out of the image (NoDevice)"
                )
            continue
        ebs = change.get("Ebs") or {}
        if ebs.get("SnapshotId"):
            raise bad_mapping(f"{device} is a volume of the instance; it cannot name a snapshot")
        size = ebs.get("VolumeSize") or volume.size
        if size < volume.size:
            raise bad_mapping(
                f"Volume of size {size} GiB for {device} is smaller than the instance's volume "
                f"({volume.size} GiB); an image's volume can grow but not shrink"
            )
        plan.append(
            (
                "snapshot",
                {
                    "device": device,
                    "volume": volume,
                    "size": size,
                    "type": ebs.get("VolumeType") or volume.volume_type,
                    "delete": ebs["DeleteOnTermination"]
                    if ebs.get("DeleteOnTermination") is not None
                    else delete_on_termination,
                    "iops": ebs.get("Iops"),
                },
            )
        )
    for device, change in requested.items():
        plan.append(("extra", added_mapping(backend, device, change)))

    image_id = random_ami_id()
    image = Ami(
        backend,
        image_id,
        instance=instance,
        name=name,
        description=description or None,
        owner_id=backend.account_id,
        snapshot_description=f"Created by CreateImage({instance.id}) for {image_id}",
    )
    drop_placeholder_snapshot(backend, image)
    source = _source_image(instance)
    mappings: list[dict[str, Any]] = []
    kept_volumes = []
    root_snapshot = None
    description_text = f"Created by CreateImage({instance.id}) for {image_id}"
    for kind, item in plan:
        if kind == "extra":
            mappings.append(item)
            continue
        volume = item["volume"]
        snapshot = _new_snapshot(backend, volume, description_text, image_id, tags["snapshot"])
        kept_volumes.append(volume)
        if item["device"] == root:
            root_snapshot = snapshot
        mappings.append(
            ebs_mapping(
                item["device"],
                snapshot,
                item["size"],
                item["type"],
                item["delete"],
                bool(volume.encrypted),
                volume.kms_key_id,
                item["iops"],
            )
        )
    image.lab_mappings = mappings
    if root_snapshot is not None:
        image.ebs_snapshot = root_snapshot
    image.root_device_name = root
    image.root_device_type = "ebs"
    image.image_location = f"{backend.account_id}/{name}"
    image.hypervisor = "xen"
    image.virtualization_type = instance.virtualization_type or "hvm"
    image.architecture = instance.architecture
    image.platform = getattr(source, "platform", None) or instance.platform
    image.boot_mode = getattr(source, "boot_mode", None)
    image.ena_support = getattr(source, "ena_support", True)
    image.imds_support = getattr(source, "imds_support", None)
    _inherit_billing(image, source, instance)
    launched_from = IMAGE_ID.get(instance) or instance.image_id
    record_parent(image, launched_from, backend.region_name)  # R47
    inherit_watermarks(image, source)
    image.add_tags(tags["image"])
    tag_installed(image, kept_volumes)
    if not no_reboot:
        _reboot(instance)
    backend.amis[image_id] = image
    return image


def _reboot(instance: Instance) -> None:
    """R05: without ``NoReboot`` AWS reboots a running instance for a consistent image."""
    if instance.state != "running":
        return
    reboots = list(REBOOTS.get(instance, []))
    reboots.append(moto_core_utils.utcnow())
    instance.lab_reboots = reboots
    instance.reboot()


def _create_image_response(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    image = self.ec2_backend.create_image(
        self._get_param("InstanceId"),
        self._get_param("Name"),
        self._get_param("Description"),
        tag_specifications=self._get_param("TagSpecifications", []),
        block_device_mappings=self._get_param("BlockDeviceMappings", []),
        no_reboot=bool(as_bool(self._get_param("NoReboot"), False)),
    )
    return ActionResult({"ImageId": image.id})


def install(patches: Patches) -> None:
    """Apply R05 to moto: CreateImage."""
    patches.replace(AmiBackend, "create_image", create_image)
    patches.replace(EC2Response, "create_image", _create_image_response)
