"""The Recycle Bin for AMIs: retention rules keep deregistered images restorable (R27).

AWS guide pages: recycle-bin ("Recycle Bin"), recycle-bin-working-with-amis ("Recover deleted
AMIs from the Recycle Bin"), and the ``rbin`` API reference.

EC2's ListImagesInRecycleBin and RestoreImageFromRecycleBin. The rules are the ``rbin`` service
of ``retention_rules.py``; the bin lives on each account's EC2 backend for the Region
(``backend.lab_recycle_bin``), so a sandbox reset clears it. DeregisterImage (``lifecycle.py``)
hands images to :func:`retain`. Snapshots have their own bin (``snapshot_recycle_bin.py``).
"""

from __future__ import annotations

from typing import Any

from labkit.seam.moto import ActionResult, Ami, AmiBackend, EC2Response, moto_core_utils

from .errors import AwsError, missing_parameter
from .images import check_image_id
from .patching import Patches
from .retention_rules import matching_rule, retention
from .state import RECYCLE_BIN

__all__ = ["binned", "install", "retain"]


def binned(backend: Any) -> dict[str, dict[str, Any]]:
    """Images of this account and Region in the Recycle Bin: ID → image, enter and exit times.

    Images whose retention has ended on the sandbox clock leave the bin for good first.
    """
    store = RECYCLE_BIN.get(backend)
    if store is None:
        store = backend.lab_recycle_bin = {}
    now = moto_core_utils.utcnow()
    for image_id in [i for i, e in store.items() if e["exit"] <= now]:
        store.pop(image_id)
        backend.deleted_amis.append(image_id)
    return store


def retain(backend: Any, image: Ami) -> bool:
    """Put a just-deregistered image in the bin if a retention rule matches it.

    Returns:
        True if a rule keeps the image (until the rule's retention period ends).
    """
    tags = dict(image.ec2_backend.tags.get(image.id, {}))  # the owner's own tags
    rule = matching_rule(backend, "EC2_IMAGE", tags)
    if rule is None:
        return False
    now = moto_core_utils.utcnow()
    binned(backend)[image.id] = {"image": image, "enter": now, "exit": now + retention(rule)}
    return True


def list_images_in_recycle_bin(self: AmiBackend, image_ids: list[str]) -> list[dict[str, Any]]:
    """ListImagesInRecycleBin: the caller's deregistered images that a rule still keeps."""
    entries = binned(self)
    return [
        {
            "ImageId": image_id,
            "Name": entry["image"].name,
            "Description": entry["image"].description,
            "RecycleBinEnterTime": entry["enter"],
            "RecycleBinExitTime": entry["exit"],
        }
        for image_id, entry in entries.items()
        if not image_ids or image_id in image_ids
    ]


def restore_image_from_recycle_bin(self: AmiBackend, image_id: str) -> None:
    """RestoreImageFromRecycleBin: the image is registered again, as it was."""
    backend: Any = self
    if not image_id:
        raise missing_parameter("ImageId")
    check_image_id(image_id)
    entry = binned(backend).pop(image_id, None)
    if entry is None:
        raise AwsError(
            "InvalidAMIID.NotFound",
            f"The image id '[{image_id}]' does not exist",
        )
    image = entry["image"]
    image.state = "available"
    backend.amis[image_id] = image


def _list_recycle_bin_response(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    images = self.ec2_backend.list_images_in_recycle_bin(self._get_param("ImageIds", []))
    return ActionResult({"Images": images})


def _restore_from_recycle_bin_response(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    self.ec2_backend.restore_image_from_recycle_bin(self._get_param("ImageId"))
    return ActionResult({"Return": True})


def install(patches: Patches) -> None:
    """EC2's Recycle Bin actions for images."""
    patches.add(AmiBackend, "list_images_in_recycle_bin", list_images_in_recycle_bin)
    patches.add(AmiBackend, "restore_image_from_recycle_bin", restore_image_from_recycle_bin)
    patches.add(EC2Response, "list_images_in_recycle_bin", _list_recycle_bin_response)
    patches.add(EC2Response, "restore_image_from_recycle_bin", _restore_from_recycle_bin_response)
