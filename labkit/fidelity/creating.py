"""Creating images and launching instances from them (R05, R06, R07).

AWS guide pages: creating-an-ami-ebs ("Create an AMI from an instance"), ComponentsAMIs (root
device storage, R07), block-device-mapping-concepts (what a mapping may change),
AMIEncryption ("Instance-launching scenarios", R21), usingsharedamis-finding (launching a
shared image), ami-deprecate (a deprecated image still launches by ID, R26).

- ``CreateImage`` snapshots each EBS volume of the instance (one snapshot per kept volume, sized
  as the volume), lets ``BlockDeviceMappings`` leave volumes out (``NoDevice``), grow them or add
  new ones, reboots the instance unless ``NoReboot``, tags the image and its snapshots, refuses
  malformed and duplicate names, and carries the source image's billing codes (R22 relies on it).
- ``RegisterImage`` makes an EBS-backed image from snapshots (the manual path of R20);
  registering an instance store-backed image from an S3 manifest is refused (out of scope).
- ``RunInstances`` refuses images the caller cannot launch, and gives each instance new volumes
  made from the image's snapshots in the launcher's account, encrypted per R21.

What the sandbox records that AWS keeps inside the instance (a reboot, software on disk) is
kept on moto's models: ``instance.lab_reboots`` and the volume's ``lab_data_gib`` /
``lab_installed`` (see ``labkit/provisioning.py``).
"""

from __future__ import annotations

import copy
import datetime as _dt
import re
from collections.abc import Iterable
from typing import Any

import moto.core.utils
from moto.core.responses import ActionResult
from moto.ec2.models.amis import Ami, AmiBackend
from moto.ec2.models.elastic_block_store import EBSBackend, Snapshot, Volume
from moto.ec2.models.instances import Instance, InstanceBackend
from moto.ec2.responses import EC2Response
from moto.ec2.utils import random_ami_id, random_snapshot_id

from .encryption import launch_volume_encryption
from .errors import AwsError, image_not_found, invalid_parameter, missing_parameter
from .images import backends_in_region, block_device_mappings, check_image_id, find_image
from .patching import Patches
from .rendering import aws_time
from .visibility import can_create_volume, can_launch

__all__ = [
    "INSTALLED_TAG",
    "check_image_name",
    "find_snapshot",
    "install",
    "installed_software",
    "last_launched_time",
    "snapshot_data_gib",
    "volume_data_gib",
]

#: The tag through which the sandbox shows the software on an image's or instance's disks.
INSTALLED_TAG = "amilab:installed"

#: AMI names: 3–128 characters from this set (CreateImage / RegisterImage API reference, Name).
_NAME_CHARACTERS = re.compile(r"^[A-Za-z0-9()\[\] ./\-'@_]+$")
_INSTANCE_ID = re.compile(r"^i-([0-9a-f]{8}|[0-9a-f]{17})$")

#: AWS reports an image's last launch with a delay of about a day (ami-deprecate, LastLaunchedTime).
LAST_LAUNCHED_DELAY = _dt.timedelta(hours=24)

#: Volume types EBS accepts in a block device mapping.
_VOLUME_TYPES = ("gp2", "gp3", "io1", "io2", "st1", "sc1", "standard")


# -- what a volume holds ------------------------------------------------------------------------


def volume_data_gib(volume: Any) -> float:
    """GiB actually written on a volume (what its snapshots store), not its size."""
    value = getattr(volume, "lab_data_gib", None)
    if value is not None:
        return float(value)
    return 0.0


def installed_software(volume: Any) -> tuple[str, ...]:
    """The packages the lab's ``install`` helper put on a volume (the sandbox's view of a disk)."""
    return tuple(getattr(volume, "lab_installed", ()) or ())


def snapshot_data_gib(snapshot: Snapshot) -> float:
    """GiB a snapshot stores: the data written on its volume when it was taken.

    EBS snapshots are sized by the blocks written, not by the volume size (EBSSnapshots,
    "How incremental snapshots work"). Catalogue images' root snapshots use the base image's
    typical used size (``labkit.provisioning.BASE_IMAGE_USED_GIB``).
    """
    explicit = snapshot.__dict__.get("_lab_data_gib")
    if explicit is not None:
        return float(explicit)
    if getattr(snapshot.volume, "lab_data_gib", None) is not None:
        return volume_data_gib(snapshot.volume)
    from ..provisioning import base_image_used_gib

    image = snapshot.ec2_backend.amis.get(snapshot.from_ami) if snapshot.from_ami else None
    key = getattr(image, "catalog_key", None)
    if key is not None:
        return min(float(snapshot.volume.size), base_image_used_gib(key))
    return 0.0


def _set_snapshot_data_gib(snapshot: Snapshot, value: float) -> None:
    snapshot.__dict__["_lab_data_gib"] = float(value)


def _freeze(volume: Volume) -> Volume:
    """A copy of a volume as it is now, for a snapshot to keep (same ID, size and contents).

    moto's snapshots read their size from the live volume; AWS's keep the size at snapshot
    time, so later changes to the volume must not reach its snapshots.
    """
    frozen = copy.copy(volume)
    frozen.attachment = None
    frozen.modifications = []
    return frozen


_ORIGINAL_CREATE_SNAPSHOT = EBSBackend.create_snapshot


def create_snapshot(
    self: EBSBackend,
    volume_id: str,
    description: str,
    owner_id: str | None = None,
    from_ami: str | None = None,
) -> Snapshot:
    """CreateSnapshot keeps the volume as it is now (size, data, key), as an EBS snapshot does."""
    snapshot = _ORIGINAL_CREATE_SNAPSHOT(self, volume_id, description, owner_id, from_ami)
    volume = snapshot.volume
    snapshot.volume = _freeze(volume)
    if volume.encrypted and not snapshot.kms_key_id:
        snapshot.kms_key_id = volume.kms_key_id
    return snapshot


# -- lookups ------------------------------------------------------------------------------------


def find_snapshot(region: str, snapshot_id: str) -> Snapshot | None:
    """The snapshot with this ID in a Region, whoever owns it (no permission check)."""
    for backend in backends_in_region(region):
        snapshot = backend.snapshots.get(snapshot_id)
        if snapshot is not None:
            return snapshot
    return None


def _snapshot_not_found(snapshot_id: str) -> AwsError:
    return AwsError("InvalidSnapshot.NotFound", f"The snapshot '{snapshot_id}' does not exist.")


def _usable_snapshot(region: str, snapshot_id: Any, account_id: str) -> Snapshot:
    """A snapshot the account may make volumes from (its own, or shared with it), or an error."""
    if not isinstance(snapshot_id, str) or not snapshot_id.startswith("snap-"):
        raise AwsError(
            "InvalidSnapshotID.Malformed", f'Invalid id: "{snapshot_id}" (expecting "snap-...")'
        )
    snapshot = find_snapshot(region, snapshot_id)
    if snapshot is None or not can_create_volume(snapshot, account_id):
        raise _snapshot_not_found(snapshot_id)
    from .lifecycle import require_standard_tier

    require_standard_tier(snapshot)
    return snapshot


def _source_image(instance: Instance) -> Ami | None:
    image_id = getattr(instance, "lab_image_id", None) or instance.image_id
    if not image_id:
        return None
    return find_image(instance.ec2_backend.region_name, image_id)


# -- names, tags, block device mappings ---------------------------------------------------------


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


def _check_name_free(backend: Any, name: str) -> None:
    """R05: an account cannot have two images with one name in one Region."""
    for image in list(backend.amis.values()):
        if image.name == name and image.owner_id == backend.account_id:
            raise AwsError(
                "InvalidAMIName.Duplicate", f"AMI name {name} is already in use by AMI {image.id}"
            )


def _tags_by_type(specifications: Iterable[dict[str, Any]], allowed: tuple[str, ...]) -> dict:
    """``TagSpecifications`` as ``{resource type: {key: value}}``; other types are refused."""
    tags: dict[str, dict[str, str]] = {kind: {} for kind in allowed}
    for specification in specifications or []:
        kind = specification.get("ResourceType")
        if kind not in allowed:
            raise AwsError(
                "InvalidParameterValue",
                f"'{kind}' is not a valid taggable resource type for this operation; "
                f"use {' or '.join(repr(a) for a in allowed)}",
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


def _as_bool(value: Any, default: bool | None = None) -> bool | None:
    if value is None:
        return default
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


def _as_size(value: Any, device: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        size = int(value)
    except (TypeError, ValueError):
        raise invalid_parameter(f"VolumeSize for {device} must be a whole number of GiB") from None
    if not 1 <= size <= 65536:
        raise invalid_parameter(f"VolumeSize for {device} must be between 1 and 65536 GiB")
    return size


def _check_volume_type(value: Any, device: str) -> str | None:
    if value in (None, ""):
        return None
    if value not in _VOLUME_TYPES:
        raise invalid_parameter(
            f"Volume type '{value}' for {device} is not valid; "
            f"use one of {', '.join(_VOLUME_TYPES)}"
        )
    return str(value)


def _bad_mapping(message: str) -> AwsError:
    return AwsError("InvalidBlockDeviceMapping", message)


def _requested_mappings(raw: Iterable[dict[str, Any]] | None) -> dict[str, dict[str, Any]]:
    """Block device mappings from a request, by device name, with values checked and typed."""
    requested: dict[str, dict[str, Any]] = {}
    for mapping in raw or []:
        device = mapping.get("DeviceName")
        if not device:
            raise _bad_mapping("Each block device mapping needs a DeviceName")
        ebs = {k: v for k, v in (mapping.get("Ebs") or {}).items() if v is not None}
        entry: dict[str, Any] = {"DeviceName": device}
        if mapping.get("NoDevice") is not None:
            entry["NoDevice"] = ""
        elif mapping.get("VirtualName"):
            entry["VirtualName"] = mapping["VirtualName"]
        if ebs:
            entry["Ebs"] = {
                "SnapshotId": ebs.get("SnapshotId"),
                "VolumeSize": _as_size(ebs.get("VolumeSize"), device),
                "VolumeType": _check_volume_type(ebs.get("VolumeType"), device),
                "DeleteOnTermination": _as_bool(ebs.get("DeleteOnTermination")),
                "Encrypted": _as_bool(ebs.get("Encrypted")),
                "KmsKeyId": ebs.get("KmsKeyId"),
                "Iops": ebs.get("Iops"),
                "Throughput": ebs.get("Throughput"),
            }
        if device in requested:
            raise _bad_mapping(f"The device {device} appears twice in the block device mappings")
        requested[device] = entry
    return requested


def _too_small(size: int, snapshot_id: str, needed: int) -> AwsError:
    return _bad_mapping(
        f"Volume of size {size} GiB is smaller than snapshot '{snapshot_id}', "
        f"expect size >= {needed} GiB"
    )


def _ebs_mapping(
    device: str,
    snapshot: Snapshot | None,
    size: int,
    volume_type: str,
    delete_on_termination: bool,
    encrypted: bool,
    kms_key_id: str | None,
    iops: Any = None,
) -> dict[str, Any]:
    ebs: dict[str, Any] = {"DeleteOnTermination": delete_on_termination}
    if snapshot is not None:
        ebs["SnapshotId"] = snapshot.id
    ebs["VolumeSize"] = size
    ebs["VolumeType"] = volume_type
    if iops is not None:
        ebs["Iops"] = int(iops)
    ebs["Encrypted"] = bool(encrypted)
    if encrypted and kms_key_id:
        ebs["KmsKeyId"] = kms_key_id
    return {"DeviceName": device, "Ebs": ebs}


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
        _freeze(volume),
        description,
        encrypted=bool(volume.encrypted),
        kms_key_id=volume.kms_key_id if volume.encrypted else None,
        owner_id=backend.account_id,
        from_ami=image_id,
    )
    snapshot.add_tags(tags)
    backend.snapshots[snapshot.id] = snapshot
    return snapshot


def _drop_placeholder_snapshot(backend: Any, image: Ami) -> None:
    """moto's Ami makes a 15 GiB snapshot of its own; a real image has only its volumes'."""
    placeholder = getattr(image, "ebs_snapshot", None)
    if placeholder is not None:
        backend.snapshots.pop(placeholder.id, None)


def _inherit_billing(image: Ami, source: Ami | None, instance: Instance | None) -> None:
    """R22: an image made from an instance keeps the codes of the image it was launched from."""
    codes = getattr(instance, "lab_product_codes", None)
    if codes is None and source is not None:
        codes = set(source.product_codes)
    image.product_codes = set(codes or ())
    image.platform_details = getattr(instance, "lab_platform_details", None) or getattr(
        source, "platform_details", "Linux/UNIX"
    )
    image.usage_operation = getattr(instance, "lab_usage_operation", None) or getattr(
        source, "usage_operation", "RunInstances"
    )


def _tag_installed(resource: Any, volumes: Iterable[Any]) -> None:
    """Show the software on an image's or instance's disks as the ``amilab:installed`` tag."""
    packages: list[str] = []
    for volume in volumes:
        for package in installed_software(volume):
            if package not in packages:
                packages.append(package)
    if packages:
        resource.add_tag(INSTALLED_TAG, ",".join(packages))


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
    tags = _tags_by_type(tag_specifications or [], ("image", "snapshot"))
    requested = _requested_mappings(block_device_mappings)
    _check_name_free(backend, name)

    # Plan every mapping first, so that a refused request leaves nothing behind.
    plan: list[tuple[str, Any]] = []
    attached = {device: (volume, dot) for device, volume, dot in _instance_volumes(instance)}
    root = instance.root_device_name
    for device, (volume, delete_on_termination) in attached.items():
        change = requested.pop(device, {})
        if "NoDevice" in change:
            if device == root:
                raise _bad_mapping(
                    f"The root device {device} cannot be left out of the image (NoDevice)"
                )
            continue
        ebs = change.get("Ebs") or {}
        if ebs.get("SnapshotId"):
            raise _bad_mapping(f"{device} is a volume of the instance; it cannot name a snapshot")
        size = ebs.get("VolumeSize") or volume.size
        if size < volume.size:
            raise _bad_mapping(
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
        plan.append(("extra", _extra_mapping(backend, device, change)))

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
    _drop_placeholder_snapshot(backend, image)
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
            _ebs_mapping(
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
    image.add_tags(tags["image"])
    _tag_installed(image, kept_volumes)
    if not no_reboot:
        _reboot(instance)
    backend.amis[image_id] = image
    return image


def _extra_mapping(backend: Any, device: str, change: dict[str, Any]) -> dict[str, Any]:
    """A volume that CreateImage or RegisterImage adds: empty, or from a snapshot; or a NoDevice."""
    if "NoDevice" in change:
        return {"DeviceName": device, "NoDevice": ""}
    if "VirtualName" in change and "Ebs" not in change:
        return {"DeviceName": device, "VirtualName": change["VirtualName"]}
    ebs = change.get("Ebs") or {}
    region = backend.region_name
    snapshot = None
    if ebs.get("SnapshotId"):
        snapshot = _usable_snapshot(region, ebs["SnapshotId"], backend.account_id)
    size = ebs.get("VolumeSize")
    if snapshot is None and size is None:
        raise _bad_mapping(f"The new volume {device} needs a VolumeSize or a SnapshotId")
    if snapshot is not None:
        size = size or snapshot.volume.size
        if size < snapshot.volume.size:
            raise _too_small(size, snapshot.id, snapshot.volume.size)
    encrypted = bool(ebs.get("Encrypted")) or bool(snapshot is not None and snapshot.encrypted)
    kms_key_id = ebs.get("KmsKeyId") or (snapshot.kms_key_id if snapshot is not None else None)
    if ebs.get("KmsKeyId") and not ebs.get("Encrypted"):
        raise AwsError(
            "InvalidParameterDependency",
            f"KmsKeyId for {device} requires Encrypted to be set to true",
        )
    return _ebs_mapping(
        device,
        snapshot,
        int(size),
        ebs.get("VolumeType") or "gp2",
        True if ebs.get("DeleteOnTermination") is None else bool(ebs["DeleteOnTermination"]),
        encrypted,
        kms_key_id,
        ebs.get("Iops"),
    )


def _reboot(instance: Instance) -> None:
    """R05: without ``NoReboot`` AWS reboots a running instance for a consistent image."""
    if instance.state != "running":
        return
    reboots = list(getattr(instance, "lab_reboots", []))
    reboots.append(moto.core.utils.utcnow())
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
        no_reboot=bool(_as_bool(self._get_param("NoReboot"), False)),
    )
    return ActionResult({"ImageId": image.id})


# -- RegisterImage (R07, the manual path of R20) -------------------------------------------------


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
    requested = _requested_mappings(block_device_mappings)
    root = requested.get(root_device_name)
    if root is None or not (root.get("Ebs") or {}).get("SnapshotId"):
        raise _bad_mapping(
            f"The root device {root_device_name} needs a block device mapping with a SnapshotId"
        )
    tags = _tags_by_type(tag_specifications or [], ("image",))
    _check_name_free(backend, name)
    mappings = [_extra_mapping(backend, device, change) for device, change in requested.items()]

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
    _drop_placeholder_snapshot(backend, image)
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
    _tag_installed(image, [s.volume for s in snapshots if s is not None])
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
        ena_support=_as_bool(self._get_param("EnaSupport")),
        imds_support=self._get_param("ImdsSupport"),
        image_location=self._get_param("ImageLocation"),
        tag_specifications=self._get_param("TagSpecifications", []),
    )
    return ActionResult({"ImageId": image.id})


# -- RunInstances (R06, R21, R26) ---------------------------------------------------------------

_ORIGINAL_RUN_INSTANCES = InstanceBackend.run_instances


def launchable_image(region: str, image_id: Any, account_id: str) -> Ami:
    """The image an account may launch, or the error AWS gives (R01, R02, R26).

    Deprecated images still launch by ID (ami-deprecate); deregistered, disabled and pending
    ones do not (``InvalidAMIID.Unavailable``, as AWS answers for them).
    """
    if not image_id:
        raise missing_parameter("ImageId")
    check_image_id(image_id)
    image = find_image(region, image_id)
    if image is None or not can_launch(image, account_id):
        if image is None and any(image_id in b.deleted_amis for b in backends_in_region(region)):
            raise AwsError(
                "InvalidAMIID.Unavailable",
                f"The image id '[{image_id}]' is no longer available: it was deregistered",
            )
        raise image_not_found(image_id)
    if image.state == "disabled":
        raise AwsError(
            "InvalidAMIID.Unavailable",
            f"AMI '{image_id}' is disabled and cannot be run; its owner can enable it again",
        )
    if image.state == "pending":
        raise AwsError(
            "InvalidAMIID.Unavailable",
            f"AMI '{image_id}' is pending, and cannot be run. Wait until it is available "
            "(ec2.get_waiter('image_available').wait(ImageIds=[...]))",
        )
    return image


def _launch_plan(
    image: Ami, requested: dict[str, dict[str, Any]], account_id: str, region: str
) -> list[dict[str, Any]]:
    """The volumes each instance gets: the image's mappings, changed by the request's."""
    plan: list[dict[str, Any]] = []
    requested = dict(requested)
    for mapping in block_device_mappings(image):
        device = mapping["DeviceName"]
        change = requested.pop(device, {})
        if "NoDevice" in mapping or "Ebs" not in mapping:
            if change.get("Ebs"):
                plan.append(_new_volume_plan(device, change, account_id, region))
            continue
        if "NoDevice" in change:
            if device == image.root_device_name:
                raise _bad_mapping(f"The root device {device} cannot be removed (NoDevice)")
            continue
        ebs = dict(mapping["Ebs"])
        ask = change.get("Ebs") or {}
        if ask.get("SnapshotId") and ask["SnapshotId"] != ebs.get("SnapshotId"):
            raise _bad_mapping(
                f"{device} comes from the image's snapshot {ebs.get('SnapshotId')}; "
                "it cannot name another snapshot"
            )
        snapshot = None
        if ebs.get("SnapshotId"):
            snapshot = find_snapshot(region, ebs["SnapshotId"])
            if snapshot is None:
                raise _snapshot_not_found(ebs["SnapshotId"])
        floor = snapshot.volume.size if snapshot is not None else 1
        size = ask.get("VolumeSize") or ebs.get("VolumeSize") or floor
        if snapshot is not None and size < snapshot.volume.size:
            raise _too_small(size, snapshot.id, snapshot.volume.size)
        plan.append(
            _volume_plan(
                device,
                snapshot,
                size,
                ask.get("VolumeType") or ebs.get("VolumeType") or "gp2",
                ask["DeleteOnTermination"]
                if ask.get("DeleteOnTermination") is not None
                else bool(ebs.get("DeleteOnTermination", True)),
                ask.get("Encrypted") or bool(ebs.get("Encrypted")),
                ask.get("KmsKeyId"),
                ask.get("Iops") or ebs.get("Iops"),
                ask.get("Throughput"),
                account_id,
                region,
            )
        )
    for device, change in requested.items():
        if change.get("Ebs"):
            plan.append(_new_volume_plan(device, change, account_id, region))
        elif "NoDevice" not in change and "VirtualName" not in change:
            raise _bad_mapping(f"The mapping for {device} needs Ebs, VirtualName or NoDevice")
    return plan


def _new_volume_plan(
    device: str, change: dict[str, Any], account_id: str, region: str
) -> dict[str, Any]:
    ebs = change["Ebs"]
    snapshot = None
    if ebs.get("SnapshotId"):
        snapshot = _usable_snapshot(region, ebs["SnapshotId"], account_id)
    size = ebs.get("VolumeSize") or (snapshot.volume.size if snapshot is not None else None)
    if size is None:
        raise _bad_mapping(f"The new volume {device} needs a VolumeSize or a SnapshotId")
    if snapshot is not None and size < snapshot.volume.size:
        raise _too_small(size, snapshot.id, snapshot.volume.size)
    return _volume_plan(
        device,
        snapshot,
        size,
        ebs.get("VolumeType") or "gp2",
        True if ebs.get("DeleteOnTermination") is None else bool(ebs["DeleteOnTermination"]),
        bool(ebs.get("Encrypted")),
        ebs.get("KmsKeyId"),
        ebs.get("Iops"),
        ebs.get("Throughput"),
        account_id,
        region,
    )


def _volume_plan(
    device: str,
    snapshot: Snapshot | None,
    size: int,
    volume_type: str,
    delete_on_termination: bool,
    encrypted: bool,
    kms_key_id: str | None,
    iops: Any,
    throughput: Any,
    account_id: str,
    region: str,
) -> dict[str, Any]:
    """One volume to create at launch, with R21's encryption worked out (and R20 checked)."""
    if kms_key_id and not encrypted:
        raise AwsError(
            "InvalidParameterDependency",
            f"KmsKeyId for {device} requires Encrypted to be set to true",
        )
    if snapshot is not None:
        encrypted, kms_key_id = launch_volume_encryption(
            snapshot, account_id, region, kms_key_id, encrypted=encrypted
        )
    elif encrypted or kms_key_id:
        encrypted, kms_key_id = True, kms_key_id
    if volume_type in ("io1", "io2") and not iops:
        raise AwsError(
            "InvalidParameterDependency", f"Volume type {volume_type} for {device} requires Iops"
        )
    return {
        "device": device,
        "snapshot": snapshot,
        "size": int(size),
        "type": volume_type,
        "delete": bool(delete_on_termination),
        "encrypted": bool(encrypted),
        "kms_key_id": kms_key_id,
        "iops": int(iops) if iops else None,
        "throughput": int(throughput) if throughput and volume_type == "gp3" else None,
    }


def _equip(backend: Any, instance: Instance, image: Ami, plan: list[dict[str, Any]], tags) -> None:
    """Give a new instance its volumes (in its own account) and its image's properties."""
    volumes = []
    for item in plan:
        volume = backend.create_volume(
            size=item["size"],
            zone_name=instance.placement.zone,
            encrypted=item["encrypted"],
            kms_key_id=item["kms_key_id"],
            volume_type=item["type"],
            iops=item["iops"],
            throughput=item["throughput"],
        )
        snapshot = item["snapshot"]
        if snapshot is not None:
            # R06: the volume is made from the image's snapshot, even one of another account.
            volume.snapshot_id = snapshot.id
            volume.lab_data_gib = snapshot_data_gib(snapshot)
            volume.lab_installed = installed_software(snapshot.volume)
        else:
            volume.lab_data_gib = 0.0
            volume.lab_installed = ()
        volume.add_tags(tags)
        backend.attach_volume(volume.id, instance.id, item["device"], item["delete"])
        volumes.append(volume)
    instance.lab_image_id = image.id
    instance.root_device_name = image.root_device_name
    instance.root_device_type = "ebs"
    instance.platform = image.platform
    instance.architecture = image.architecture or instance.architecture
    instance.virtualization_type = image.virtualization_type or instance.virtualization_type
    instance.lab_product_codes = set(image.product_codes)
    instance.lab_platform_details = getattr(image, "platform_details", None) or "Linux/UNIX"
    instance.lab_usage_operation = getattr(image, "usage_operation", None) or "RunInstances"
    _tag_installed(instance, volumes)


def run_instances(
    self: InstanceBackend,
    image_id: str,
    count: int,
    user_data: Any,
    security_group_names: list[str],
    **kwargs: Any,
) -> Any:
    """R06: RunInstances with the image's volumes, tags and security groups chosen at launch."""
    backend: Any = self
    account_id, region = backend.account_id, backend.region_name
    template = kwargs.get("launch_template")
    template_data: dict[str, Any] = {}
    if template:
        version = backend._get_template_from_args(template)
        template_data = version.data or {}
        image_id = image_id or version.image_id
    image = launchable_image(region, image_id, account_id)
    raw = kwargs.get("block_device_mappings")
    if raw is None:
        raw = template_data.get("BlockDeviceMappings")
    requested = _requested_mappings(raw)
    plan = _launch_plan(image, requested, account_id, region)
    volume_tags = dict((kwargs.get("tags") or {}).get("volume", {}))
    kwargs["block_device_mappings"] = []  # the volumes are made below, from the plan
    reservation = _ORIGINAL_RUN_INSTANCES(
        self, image_id, count, user_data, security_group_names, **kwargs
    )
    for instance in reservation.instances:
        _equip(backend, instance, image, plan, volume_tags)
    launches = list(getattr(image, "lab_launch_times", []))
    launches.append(moto.core.utils.utcnow())
    image.lab_launch_times = launches
    return reservation


def _parse_block_device_mapping(self: EC2Response) -> list[dict[str, Any]]:
    """RunInstances' mappings as the learner sent them.

    moto fills every mapping from a template (``DeleteOnTermination`` and ``Encrypted`` false),
    which would override the image's values, and refuses overrides AWS accepts (``Encrypted``
    alone, an instance store ``VirtualName``); ``run_instances`` above checks the mappings
    against the image instead.
    """
    return [dict(mapping) for mapping in self._get_param("BlockDeviceMappings", [])]


def last_launched_time(image: Ami) -> _dt.datetime | None:
    """When the image last launched an instance, as AWS reports it: a day late (ami-deprecate)."""
    cutoff = moto.core.utils.utcnow() - LAST_LAUNCHED_DELAY
    reported = [t for t in getattr(image, "lab_launch_times", []) if t <= cutoff]
    return max(reported) if reported else None


# -- how images and instances answer ------------------------------------------------------------


def _image_last_launched(self: Ami) -> str | None:
    return aws_time(last_launched_time(self))


def _instance_product_codes(self: Instance) -> list[dict[str, str]]:
    return [
        {"ProductCodeId": code, "ProductCodeType": "marketplace"}
        for code in sorted(getattr(self, "lab_product_codes", ()) or ())
    ]


def _instance_platform_details(self: Instance) -> str:
    return getattr(self, "lab_platform_details", None) or "Linux/UNIX"


def _instance_usage_operation(self: Instance) -> str:
    return getattr(self, "lab_usage_operation", None) or "RunInstances"


def install(patches: Patches) -> None:
    """Apply R05–R07 to moto: CreateImage, RegisterImage, RunInstances."""
    patches.replace(AmiBackend, "create_image", create_image)
    patches.replace(EC2Response, "create_image", _create_image_response)
    patches.replace(AmiBackend, "register_image", register_image)
    patches.replace(EC2Response, "register_image", _register_image_response)
    patches.replace(InstanceBackend, "run_instances", run_instances)
    patches.replace(EBSBackend, "create_snapshot", create_snapshot)
    patches.replace(EC2Response, "_parse_block_device_mapping", _parse_block_device_mapping)
    patches.replace(Snapshot, "data_gib", property(snapshot_data_gib, _set_snapshot_data_gib))
    patches.replace(Ami, "LastLaunchedTime", property(_image_last_launched))
    patches.replace(Instance, "ProductCodes", property(_instance_product_codes))
    patches.replace(Instance, "PlatformDetails", property(_instance_platform_details))
    patches.replace(Instance, "UsageOperation", property(_instance_usage_operation))
