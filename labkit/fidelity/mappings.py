"""Block device mappings as CreateImage, RegisterImage and RunInstances receive and return them.

AWS guide page: block-device-mapping-concepts (what a mapping may name and change). Each
request's mappings are read by :func:`requested_mappings` into one checked entry per device;
:func:`ebs_mapping` builds a mapping as DescribeImages shows it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from labkit.seam.moto import Snapshot

from .errors import AwsError, invalid_parameter
from .volumes import usable_snapshot

__all__ = [
    "VOLUME_TYPES",
    "added_mapping",
    "as_bool",
    "bad_mapping",
    "ebs_mapping",
    "requested_mappings",
    "too_small",
]

#: Volume types EBS accepts in a block device mapping.
VOLUME_TYPES = ("gp2", "gp3", "io1", "io2", "st1", "sc1", "standard")


def as_bool(value: Any, default: bool | None = None) -> bool | None:
    """A boolean request parameter (``"true"``/``"false"`` or a bool); ``default`` if absent."""
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
    if value not in VOLUME_TYPES:
        raise invalid_parameter(
            f"Volume type '{value}' for {device} is not valid; use one of {', '.join(VOLUME_TYPES)}"
        )
    return str(value)


def bad_mapping(message: str) -> AwsError:
    """``InvalidBlockDeviceMapping`` with a plain explanation."""
    return AwsError("InvalidBlockDeviceMapping", message)


def requested_mappings(raw: Iterable[dict[str, Any]] | None) -> dict[str, dict[str, Any]]:
    """Block device mappings from a request, by device name, with values checked and typed."""
    requested: dict[str, dict[str, Any]] = {}
    for mapping in raw or []:
        device = mapping.get("DeviceName")
        if not device:
            raise bad_mapping("Each block device mapping needs a DeviceName")
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
                "DeleteOnTermination": as_bool(ebs.get("DeleteOnTermination")),
                "Encrypted": as_bool(ebs.get("Encrypted")),
                "KmsKeyId": ebs.get("KmsKeyId"),
                "Iops": ebs.get("Iops"),
                "Throughput": ebs.get("Throughput"),
            }
        if device in requested:
            raise bad_mapping(f"The device {device} appears twice in the block device mappings")
        requested[device] = entry
    return requested


def too_small(size: int, snapshot_id: str, needed: int) -> AwsError:
    """A volume smaller than its snapshot, in AWS's words ("expect size >= N GiB")."""
    return bad_mapping(
        f"Volume of size {size} GiB is smaller than snapshot '{snapshot_id}', "
        f"expect size >= {needed} GiB"
    )


def ebs_mapping(
    device: str,
    snapshot: Snapshot | None,
    size: int,
    volume_type: str,
    delete_on_termination: bool,
    encrypted: bool,
    kms_key_id: str | None,
    iops: Any = None,
) -> dict[str, Any]:
    """An image's EBS mapping as DescribeImages shows it."""
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


def added_mapping(backend: Any, device: str, change: dict[str, Any]) -> dict[str, Any]:
    """A volume that CreateImage or RegisterImage adds: empty, or from a snapshot; or a NoDevice."""
    if "NoDevice" in change:
        return {"DeviceName": device, "NoDevice": ""}
    if "VirtualName" in change and "Ebs" not in change:
        return {"DeviceName": device, "VirtualName": change["VirtualName"]}
    ebs = change.get("Ebs") or {}
    region = backend.region_name
    snapshot = None
    if ebs.get("SnapshotId"):
        snapshot = usable_snapshot(region, ebs["SnapshotId"], backend.account_id)
    size = ebs.get("VolumeSize")
    if snapshot is None and size is None:
        raise bad_mapping(f"The new volume {device} needs a VolumeSize or a SnapshotId")
    if snapshot is not None:
        size = size or snapshot.volume.size
        if size < snapshot.volume.size:
            raise too_small(size, snapshot.id, snapshot.volume.size)
    encrypted = bool(ebs.get("Encrypted")) or bool(snapshot is not None and snapshot.encrypted)
    kms_key_id = ebs.get("KmsKeyId") or (snapshot.kms_key_id if snapshot is not None else None)
    if ebs.get("KmsKeyId") and not ebs.get("Encrypted"):
        raise AwsError(
            "InvalidParameterDependency",
            f"KmsKeyId for {device} requires Encrypted to be set to true",
        )
    return ebs_mapping(
        device,
        snapshot,
        int(size),
        ebs.get("VolumeType") or "gp2",
        True if ebs.get("DeleteOnTermination") is None else bool(ebs["DeleteOnTermination"]),
        encrypted,
        kms_key_id,
        ebs.get("Iops"),
    )
