"""DescribeImageAttribute and ResetImageAttribute, for the image's owner only (R03).

AWS guide pages: the DescribeImageAttribute and ResetImageAttribute API references (the
attributes and their answer shape; ``blockDeviceMapping`` is deprecated and answers
``AuthFailure``), sharingamis-explicit (resetting ``launchPermission`` makes an image private).
ModifyImageAttribute is the sharing family's (``sharing.py``).
"""

from __future__ import annotations

from typing import Any

from labkit.seam.moto import ActionResult, AmiBackend, EC2Response, EmptyResult

from .errors import auth_failure, invalid_parameter, missing_parameter
from .launching import last_launched_time
from .lifecycle import deregistration_protection, owned_image
from .patching import Patches
from .rendering import aws_time

__all__ = ["install"]

#: Attribute name → the member of DescribeImageAttribute's answer (ImageAttribute shape).
_ATTRIBUTES = {
    "description": "Description",
    "kernel": "KernelId",
    "ramdisk": "RamdiskId",
    "launchPermission": "LaunchPermissions",
    "productCodes": "ProductCodes",
    "blockDeviceMapping": "BlockDeviceMappings",
    "sriovNetSupport": "SriovNetSupport",
    "bootMode": "BootMode",
    "tpmSupport": "TpmSupport",
    "uefiData": "UefiData",
    "lastLaunchedTime": "LastLaunchedTime",
    "imdsSupport": "ImdsSupport",
    "deregistrationProtection": "DeregistrationProtection",
}


def _value(value: Any) -> dict[str, Any]:
    return {} if value in (None, "") else {"Value": value}


def describe_image_attribute(self: AmiBackend, ami_id: str, attribute_name: str) -> dict:
    """DescribeImageAttribute for the owner (others get ``AuthFailure``, as AWS answers)."""
    if attribute_name not in _ATTRIBUTES:
        raise invalid_parameter(
            f"Value ({attribute_name}) for parameter attribute is invalid. Unknown attribute; "
            f"use one of {', '.join(_ATTRIBUTES)}"
        )
    image = owned_image(self, ami_id, "describe the attributes of")
    answer: dict[str, Any] = {"ImageId": image.id}
    if attribute_name == "blockDeviceMapping":
        # DescribeImageAttribute API reference: this attribute is deprecated and answers
        # Client.AuthFailure; DescribeImages shows the mappings.
        raise auth_failure("Unauthorized attempt to access restricted resource")
    if attribute_name == "launchPermission":
        answer["LaunchPermissions"] = list(image.launch_permissions)
    elif attribute_name == "productCodes":
        answer["ProductCodes"] = [
            {"ProductCodeId": code, "ProductCodeType": "marketplace"}
            for code in sorted(image.product_codes)
        ]
    else:
        value = {
            "description": image.description,
            "kernel": image.kernel_id,
            "ramdisk": getattr(image, "ramdisk_id", None),
            "sriovNetSupport": image.sriov,
            "bootMode": image.boot_mode,
            "tpmSupport": getattr(image, "tpm_support", None),
            "uefiData": getattr(image, "uefi_data", None),
            "lastLaunchedTime": aws_time(last_launched_time(image)),
            "imdsSupport": getattr(image, "imds_support", None),
            "deregistrationProtection": deregistration_protection(image),
        }[attribute_name]
        answer[_ATTRIBUTES[attribute_name]] = _value(value)
    return answer


def _describe_image_attribute_response(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    attribute = self._get_param("Attribute")
    if not attribute:
        raise missing_parameter("Attribute")
    return ActionResult(
        self.ec2_backend.describe_image_attribute(self._get_param("ImageId"), attribute)
    )


def reset_image_attribute(self: AmiBackend, ami_id: str, attribute: str) -> None:
    """ResetImageAttribute: only ``launchPermission``, which makes the image private again."""
    if attribute != "launchPermission":
        raise invalid_parameter(
            f"Value ({attribute}) for parameter attribute is invalid. Only launchPermission "
            "can be reset"
        )
    image = owned_image(self, ami_id, "reset the attributes of")
    image.launch_permissions.clear()


def _reset_image_attribute_response(self: EC2Response) -> Any:
    self.error_on_dryrun()
    self.ec2_backend.reset_image_attribute(self._get_param("ImageId"), self._get_param("Attribute"))
    return EmptyResult()


def install(patches: Patches) -> None:
    """Apply R03 to moto's image attribute reads and resets."""
    patches.replace(AmiBackend, "describe_image_attribute", describe_image_attribute)
    patches.replace(EC2Response, "describe_image_attribute", _describe_image_attribute_response)
    patches.add(AmiBackend, "reset_image_attribute", reset_image_attribute)
    patches.replace(EC2Response, "reset_image_attribute", _reset_image_attribute_response)
