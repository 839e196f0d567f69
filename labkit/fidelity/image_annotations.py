"""What an owner attaches to an AMI besides launch permissions: watermarks, an instance type
specification, and (from Amazon Inspector) findings.

AWS API reference (botocore 1.44.8 model): AttachImageWatermark ("a structured identifier that
automatically propagates to all derivative images created through CreateImage, and CopyImage.
Only the AMI owner can attach watermarks. Watermarks cannot be added to public AMIs"; the key is
``accountId:watermarkName``), DetachImageWatermark (idempotent; derivatives keep theirs),
ReplaceImageInstanceTypeSpecification (supported and unsupported types with ``*`` wildcards;
RunInstances refuses other types with ``InvalidParameterCombination``; owner only; not for
Marketplace AMIs), GetImageFindings (Inspector findings, only for AMIs it has scanned).

State: ``image.lab_watermarks`` (key → entry) and ``image.lab_instance_types``; DescribeImages
shows them as ``ImageWatermarks`` and ``InstanceTypeSpecification``. The sandbox runs no
Amazon Inspector, so no AMI has been scanned: GetImageFindings answers an empty list for an AMI
the caller can see. Codes AWS does not document are chosen (docs/fidelity.md).
"""

from __future__ import annotations

import fnmatch
import re
from typing import Any

from labkit.seam.moto import ActionResult, Ami, EC2Response, moto_core_utils

from .errors import AwsError, image_not_found, invalid_parameter, missing_parameter
from .images import check_image_id, find_image
from .lifecycle import owned_image
from .patching import Patches
from .state import INSTANCE_TYPES, WATERMARKS
from .visibility import can_launch

__all__ = ["check_instance_type_specification", "inherit_watermarks", "install"]

_WATERMARK_NAME = re.compile(r"^[A-Za-z0-9()\[\] ./\-'@_]{3,128}$")


def inherit_watermarks(image: Ami, parent: Ami | None) -> None:
    """CreateImage and CopyImage: the new AMI carries its parent's watermarks."""
    marks = WATERMARKS.get(parent) if parent is not None else None
    if marks:
        image.lab_watermarks = {key: dict(entry) for key, entry in marks.items()}


def _attach(backend: Any, image_id: Any, name: Any) -> str:
    image = owned_image(backend, image_id, "attach a watermark to")
    if not name:
        raise missing_parameter("WatermarkName")
    if not _WATERMARK_NAME.match(str(name)):
        raise invalid_parameter(
            "WatermarkName must be 3-128 letters, numbers, spaces and ( ) [ ] . / - ' @ _"
        )
    if image.is_public:
        raise AwsError(
            "UnsupportedOperation", f"Watermarks cannot be added to public AMIs: {image.id}"
        )
    key = f"{backend.account_id}:{name}"
    marks = WATERMARKS.get(image) or {}
    marks[key] = {
        "WatermarkKey": key,
        "SourceImageId": image.id,
        "SourceImageRegion": backend.region_name,
        "SourceImageCreationTime": image.creation_date,
        "WatermarkCreationTime": moto_core_utils.utcnow(),
    }
    image.lab_watermarks = marks
    return key


def _watermarks(self: Ami) -> list[dict[str, Any]] | None:
    marks = WATERMARKS.get(self)
    return list(marks.values()) if marks else None


def check_instance_type_specification(image: Ami, instance_type: str) -> None:
    """RunInstances: the type must fit the AMI's instance type specification, if it has one."""
    spec = INSTANCE_TYPES.get(image)
    if not spec:
        return

    def matches(patterns: list[str]) -> bool:
        return any(fnmatch.fnmatchcase(instance_type, pattern) for pattern in patterns)

    supported, unsupported = (
        spec.get("SupportedInstanceTypes"),
        spec.get("UnsupportedInstanceTypes"),
    )
    if (supported and not matches(supported)) or (unsupported and matches(unsupported)):
        raise AwsError(
            "InvalidParameterCombination",
            f"The instance type '{instance_type}' is not compatible with the instance type "
            f"specification of the AMI {image.id}",
        )


def _instance_types(self: Ami) -> dict[str, list[dict[str, str]]] | None:
    spec = INSTANCE_TYPES.get(self)
    if not spec:
        return None
    return {name: [{"InstanceType": t} for t in types] for name, types in spec.items()}


def _attach_response(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    key = _attach(self.ec2_backend, self._get_param("ImageId"), self._get_param("WatermarkName"))
    return ActionResult({"WatermarkKey": key})


def _detach_response(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    image = owned_image(self.ec2_backend, self._get_param("ImageId"), "detach a watermark from")
    key = self._get_param("WatermarkKey")
    if not key:
        raise missing_parameter("WatermarkKey")
    (WATERMARKS.get(image) or {}).pop(key, None)
    return ActionResult({"Return": True})


def _replace_types_response(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    image = owned_image(self.ec2_backend, self._get_param("ImageId"), "set the instance types of")
    spec = self._get_param("InstanceTypeSpecification") or {}
    if image.product_codes and spec:
        raise AwsError(
            "UnsupportedOperation",
            f"An instance type specification cannot be set on an AWS Marketplace AMI: {image.id}",
        )
    cleaned = {
        name: [str(v) for v in spec.get(name) or []]
        for name in ("SupportedInstanceTypes", "UnsupportedInstanceTypes")
        if spec.get(name)
    }
    image.lab_instance_types = cleaned or None
    return ActionResult({"ReturnValue": True})


def _findings_response(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    image_id = self._get_param("ImageId")
    if not image_id:
        raise missing_parameter("ImageId")
    check_image_id(image_id)
    image = find_image(self.ec2_backend.region_name, image_id)
    if image is None or not can_launch(image, self.ec2_backend.account_id):
        raise image_not_found(image_id)
    return ActionResult({"ImageFindings": []})  # no Amazon Inspector: nothing was scanned


def install(patches: Patches) -> None:
    """Watermarks, instance type specifications and image findings."""
    patches.add(Ami, "ImageWatermarks", property(_watermarks))
    patches.add(Ami, "InstanceTypeSpecification", property(_instance_types))
    patches.add(EC2Response, "attach_image_watermark", _attach_response)
    patches.add(EC2Response, "detach_image_watermark", _detach_response)
    patches.add(EC2Response, "replace_image_instance_type_specification", _replace_types_response)
    patches.add(EC2Response, "get_image_findings", _findings_response)
