"""AMI ancestry: new AMIs remember their parent; GetImageAncestry walks the chain (R47, R48).

AWS guide page: ami-ancestry ("Use AMI ancestry to trace the origin of an AMI": CreateImage
records the AMI the instance was launched from, CopyImage the copied AMI,
CreateRestoreImageTask the stored AMI; RegisterImage records none; the fields stay when the
parent is deregistered; the chain stops at a public AMI of a verified provider, at an AMI
without a parent, at another partition, or after 50 entries; it crosses Regions), and the
GetImageAncestry and ImageAncestryEntry API reference.

The parent is ``image.source_image_id`` / ``image.source_image_region`` (set by
``copying.py``, ``creating.py`` and ``image_storage_tasks.py``; rendered by ``copying.py``).
Choices where the pages are silent (docs/fidelity.md): the chain continues through parents the
caller cannot see (ancestry shows IDs, not the images), and it ends at a parent that is no
longer registered (the last entry still names it as its source).
"""

from __future__ import annotations

from typing import Any

from labkit.seam.moto import ActionResult, Ami, EC2Response

from .errors import image_not_found, missing_parameter
from .images import check_image_id, find_image
from .patching import Patches
from .visibility import can_launch

__all__ = ["ancestry", "install", "record_parent"]

#: GetImageAncestry lists at most this many entries (ami-ancestry, "How AMI ancestry works").
MAX_ENTRIES = 50
#: A public AMI of these verified providers is a root: the chain stops there.
VERIFIED_PROVIDERS = ("amazon", "aws-marketplace")


def record_parent(image: Ami, parent_id: str | None, parent_region: str) -> None:
    """R47: remember the AMI an image came from (nothing for an image without a parent)."""
    if parent_id:
        image.source_image_id = parent_id
        image.source_image_region = parent_region


def _is_root(image: Ami) -> bool:
    return image.is_public and getattr(image, "owner_alias", None) in VERIFIED_PROVIDERS


def ancestry(image: Ami, region: str) -> list[dict[str, Any]]:
    """R48: the entries from ``image`` back to its root, as ImageAncestryEntry describes them."""
    entries: list[dict[str, Any]] = []
    current: Ami | None = image
    while current is not None and len(entries) < MAX_ENTRIES:
        parent_id = getattr(current, "source_image_id", None)
        parent_region = getattr(current, "source_image_region", None)
        entry = {
            "ImageId": current.id,
            "SourceImageId": parent_id,
            "SourceImageRegion": parent_region,
            "CreationDate": current.creation_date,
            "ImageOwnerAlias": getattr(current, "owner_alias", None),
        }
        entries.append({k: v for k, v in entry.items() if v is not None})
        if _is_root(current) or not parent_id:
            break
        region = parent_region or region
        current = find_image(region, parent_id)
    return entries


def get_image_ancestry(backend: Any, image_id: Any) -> list[dict[str, Any]]:
    """GetImageAncestry for an AMI the caller can see (others are not found, as DescribeImages)."""
    if not image_id:
        raise missing_parameter("ImageId")
    check_image_id(image_id)
    image = find_image(backend.region_name, image_id)
    if image is None or not can_launch(image, backend.account_id):
        raise image_not_found(image_id)
    return ancestry(image, backend.region_name)


def _get_image_ancestry_response(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    entries = get_image_ancestry(self.ec2_backend, self._get_param("ImageId"))
    return ActionResult({"ImageAncestryEntries": entries})


def install(patches: Patches) -> None:
    """GetImageAncestry."""
    patches.add(EC2Response, "get_image_ancestry", _get_image_ancestry_response)
