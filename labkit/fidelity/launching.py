"""Launching instances from images: RunInstances (R06, R20, R21, R26).

AWS guide pages: creating-an-ami-ebs (R06: an instance launched from the image gets new volumes
made from its snapshots; tags and security groups are chosen at launch),
block-device-mapping-concepts (what a launch may change), AMIEncryption
("Instance-launching scenarios", R21), usingsharedamis-finding (launching a shared image),
ami-deprecate (a deprecated image still launches by ID, R26; ``LastLaunchedTime``).

``RunInstances`` refuses images the caller cannot launch, plans every volume before anything is
made (so a refused request leaves nothing behind), and gives each instance new volumes made
from the image's snapshots in the launcher's account, encrypted per R21. The instance remembers
its image's platform and billing codes, which CreateImage carries on (R22). What a launch
chooses besides the image (instance type, security groups) is ``launch_settings.py``.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from labkit.seam.moto import Ami, EC2Response, Instance, InstanceBackend, Snapshot, moto_core_utils

from .allowed_images import require_allowed
from .archive import require_standard_tier
from .ebs_defaults import new_volume_encryption
from .encryption import launch_volume_encryption
from .errors import AwsError, image_not_found, invalid_parameter, missing_parameter
from .images import backends_in_region, block_device_mappings, check_image_id, find_image
from .instance_defaults import launch_metadata_options
from .launch_settings import (
    DEFAULT_INSTANCE_TYPE,
    check_instance_type,
    default_security_group,
    requested_instance_type,
)
from .mappings import bad_mapping, requested_mappings, too_small
from .patching import Patches
from .pending import require_completed
from .rendering import aws_time
from .state import LAUNCH_TIMES, PLATFORM_DETAILS, PRODUCT_CODES, USAGE_OPERATION
from .visibility import can_launch
from .volumes import (
    fill_from_snapshot,
    find_snapshot,
    snapshot_not_found,
    tag_installed,
    usable_snapshot,
)

__all__ = [
    "DEFAULT_INSTANCE_TYPE",
    "LAST_LAUNCHED_DELAY",
    "check_instance_type",
    "install",
    "last_launched_time",
    "launchable_image",
]

#: AWS reports an image's last launch with a delay of about a day (ami-deprecate, LastLaunchedTime).
LAST_LAUNCHED_DELAY = _dt.timedelta(hours=24)

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
                f"The image id '[{image_id}]' is no longer available",
            )
        raise image_not_found(image_id)
    require_allowed(image, account_id, region)  # R31
    if image.state == "disabled":
        raise AwsError(
            "InvalidAMIID.Unavailable",
            f"AMI '{image_id}' is disabled, and cannot be run.",
        )
    if image.state == "pending":
        raise AwsError(
            "InvalidAMIID.Unavailable",
            f"AMI '{image_id}' is pending, and cannot be run.",
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
                raise bad_mapping(f"The root device {device} cannot be removed (NoDevice)")
            continue
        ebs = dict(mapping["Ebs"])
        ask = change.get("Ebs") or {}
        if ask.get("SnapshotId") and ask["SnapshotId"] != ebs.get("SnapshotId"):
            raise bad_mapping(
                f"{device} comes from the image's snapshot {ebs.get('SnapshotId')}; "
                "it cannot name another snapshot"
            )
        snapshot = None
        if ebs.get("SnapshotId"):
            snapshot = find_snapshot(region, ebs["SnapshotId"])
            if snapshot is None:
                raise snapshot_not_found(ebs["SnapshotId"])
            # R28: a snapshot back in the archive (a temporary restore that ended) must be
            # restored again; an available image's snapshots are complete (pending.settle).
            require_standard_tier(snapshot)
            require_completed(snapshot)
        floor = snapshot.volume.size if snapshot is not None else 1
        size = ask.get("VolumeSize") or ebs.get("VolumeSize") or floor
        if snapshot is not None and size < snapshot.volume.size:
            raise too_small(size, snapshot.id, snapshot.volume.size)
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
            raise bad_mapping(f"The mapping for {device} needs Ebs, VirtualName or NoDevice")
    return plan


def _new_volume_plan(
    device: str, change: dict[str, Any], account_id: str, region: str
) -> dict[str, Any]:
    ebs = change["Ebs"]
    snapshot = None
    if ebs.get("SnapshotId"):
        snapshot = usable_snapshot(region, ebs["SnapshotId"], account_id)
    size = ebs.get("VolumeSize") or (snapshot.volume.size if snapshot is not None else None)
    if size is None:
        raise bad_mapping(f"The new volume {device} needs a VolumeSize or a SnapshotId")
    if snapshot is not None and size < snapshot.volume.size:
        raise too_small(size, snapshot.id, snapshot.volume.size)
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
    else:
        # R33: a new empty volume is encrypted when asked or by the account's default.
        encrypted, kms_key_id = new_volume_encryption(account_id, region, encrypted, kms_key_id)
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
            fill_from_snapshot(volume, snapshot)
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
    tag_installed(instance, volumes)


#: What RunInstances may tag as it launches (RunInstances API reference, TagSpecifications: "You
#: can specify tags for the following resources only: Instances, Volumes, Spot Instance
#: requests, Network interfaces"). An image is tagged by CreateImage, not here.
LAUNCH_TAGGABLE = ("instance", "volume", "spot-instances-request", "network-interface")


def check_launch_tag_types(tags: dict[str, Any] | None) -> None:
    """R06: tags chosen at launch go on the launch's own resources; another type (``image``,
    as in CreateImage's TagSpecifications) is refused with AWS's words, nothing launched."""
    for kind in tags or {}:
        if kind not in LAUNCH_TAGGABLE:
            raise invalid_parameter(
                f"'{kind}' is not a valid taggable resource type for this operation."
            )


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
    check_launch_tag_types(kwargs.get("tags"))
    template = kwargs.get("launch_template")
    template_data: dict[str, Any] = {}
    if template:
        version = backend._get_template_from_args(template)
        template_data = version.data or {}
        image_id = image_id or version.image_id
    image = launchable_image(region, image_id, account_id)
    check_instance_type(requested_instance_type(kwargs, template_data), image)
    raw = kwargs.get("block_device_mappings")
    if raw is None:
        raw = template_data.get("BlockDeviceMappings")
    requested = requested_mappings(raw)
    plan = _launch_plan(image, requested, account_id, region)
    volume_tags = dict((kwargs.get("tags") or {}).get("volume", {}))
    default_group = default_security_group(backend, security_group_names, kwargs, template_data)
    if default_group is not None:
        kwargs["security_group_ids"] = [default_group]  # moto accepts the group itself
    kwargs["block_device_mappings"] = []  # the volumes are made below, from the plan
    # R50, R51: launch request (or template), then account default, then the AMI.
    requested_options = kwargs.get("metadata_options") or template_data.get("MetadataOptions")
    kwargs["metadata_options"] = launch_metadata_options(
        requested_options, image, account_id, region
    )
    reservation = _ORIGINAL_RUN_INSTANCES(
        self, image_id, count, user_data, security_group_names, **kwargs
    )
    for instance in reservation.instances:
        _equip(backend, instance, image, plan, volume_tags)
    launches = list(LAUNCH_TIMES.get(image, []))
    launches.append(moto_core_utils.utcnow())
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
    cutoff = moto_core_utils.utcnow() - LAST_LAUNCHED_DELAY
    reported = [t for t in LAUNCH_TIMES.get(image, []) if t <= cutoff]
    return max(reported) if reported else None


# -- how images and instances answer ------------------------------------------------------------


def _image_last_launched(self: Ami) -> str | None:
    return aws_time(last_launched_time(self))


def _instance_product_codes(self: Instance) -> list[dict[str, str]]:
    return [
        {"ProductCodeId": code, "ProductCodeType": "marketplace"}
        for code in sorted(PRODUCT_CODES.get(self, ()) or ())
    ]


def _instance_platform_details(self: Instance) -> str:
    return PLATFORM_DETAILS.get(self) or "Linux/UNIX"


def _instance_usage_operation(self: Instance) -> str:
    return USAGE_OPERATION.get(self) or "RunInstances"


def install(patches: Patches) -> None:
    """Apply R06, R20, R21 to RunInstances; instances answer with their image's billing codes."""
    patches.replace(InstanceBackend, "run_instances", run_instances)
    patches.replace(EC2Response, "_parse_block_device_mapping", _parse_block_device_mapping)
    patches.add(Ami, "LastLaunchedTime", property(_image_last_launched))
    patches.add(Instance, "ProductCodes", property(_instance_product_codes))
    patches.add(Instance, "PlatformDetails", property(_instance_platform_details))
    patches.add(Instance, "UsageOperation", property(_instance_usage_operation))
