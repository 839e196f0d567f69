"""Shared helpers over moto's image model: where images live and what their volumes are."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from labkit.seam.moto import Ami, ec2_backends

from .errors import image_not_found, malformed_image_id
from .state import MAPPINGS

__all__ = [
    "IMAGE_ID",
    "backends_in_region",
    "block_device_mappings",
    "find_image",
    "image_snapshots",
    "check_image_id",
]

#: AWS image IDs: ``ami-`` and 8 or 17 lowercase hex digits.
IMAGE_ID = re.compile(r"^ami-([0-9a-f]{8}|[0-9a-f]{17})$")


def check_image_id(image_id: Any) -> str:
    """Return the ID if it is shaped like an AMI ID; raise ``InvalidAMIID.Malformed`` if not."""
    if not isinstance(image_id, str) or not IMAGE_ID.match(image_id):
        raise malformed_image_id(str(image_id))
    return image_id


def backends_in_region(region: str) -> Iterator[Any]:
    """Every account's EC2 backend that already exists in a Region (none is created)."""
    for account_backends in list(ec2_backends.values()):
        backend = dict.get(account_backends, region)
        if backend is not None:
            yield backend


def find_image(region: str, image_id: str) -> Ami | None:
    """The registered image with this ID in a Region, whoever owns it (no permission check)."""
    for backend in backends_in_region(region):
        image = backend.amis.get(image_id)
        if image is not None:
            return image
    return None


def require_image(region: str, image_id: str) -> Ami:
    """Like :func:`find_image`, raising ``InvalidAMIID.NotFound`` when there is none."""
    image = find_image(region, check_image_id(image_id))
    if image is None:
        raise image_not_found(image_id)
    return image


def block_device_mappings(image: Ami) -> list[dict[str, Any]]:
    """The image's block device mappings as EC2 returns them."""
    mappings = MAPPINGS.get(image)
    if mappings is not None:
        return mappings
    snapshot = image.ebs_snapshot
    return [
        {
            "DeviceName": image.root_device_name,
            "Ebs": {
                "DeleteOnTermination": True,
                "SnapshotId": snapshot.id,
                "VolumeSize": snapshot.volume.size,
                "VolumeType": getattr(snapshot.volume, "volume_type", None) or "gp3",
                "Encrypted": bool(snapshot.encrypted),
            },
        }
    ]


def image_snapshots(image: Ami) -> list[Any]:
    """The EBS snapshot objects behind an image, in mapping order (missing ones skipped)."""
    backend = image.ec2_backend
    found = []
    for mapping in block_device_mappings(image):
        snapshot_id = mapping.get("Ebs", {}).get("SnapshotId")
        if snapshot_id and snapshot_id in backend.snapshots:
            found.append(backend.snapshots[snapshot_id])
    return found
