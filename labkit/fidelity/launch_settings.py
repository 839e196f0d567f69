"""What a launch chooses besides the image: its instance type and its security groups (R06).

AWS pages: instance-types and ComponentsAMIs (an instance type runs one architecture, an AMI
is built for one), the RunInstances API reference (``InstanceType`` "Default: m1.small"; "If
you don't specify a security group ID, we use the default security group for the VPC").

``launching.py`` calls these while it serves RunInstances, before anything is made.
"""

from __future__ import annotations

from typing import Any

from labkit.seam.moto import INSTANCE_TYPES, Ami

from .errors import invalid_parameter
from .image_annotations import check_instance_type_specification

__all__ = [
    "DEFAULT_INSTANCE_TYPE",
    "check_instance_type",
    "default_security_group",
    "requested_instance_type",
]

#: The instance type RunInstances uses when none is named (RunInstances API reference,
#: InstanceType: "Default: m1.small").
DEFAULT_INSTANCE_TYPE = "m1.small"


# -- instance types and architectures ------------------------------------------------------------


def requested_instance_type(kwargs: dict[str, Any], template_data: dict[str, Any]) -> str:
    """The instance type a launch asks for: the request's, the launch template's, or m1.small."""
    if kwargs.get("instance_type") and not kwargs.get("is_instance_type_default"):
        return str(kwargs["instance_type"])
    return str(template_data.get("InstanceType") or DEFAULT_INSTANCE_TYPE)


def check_instance_type(instance_type: str, image: Ami) -> None:
    """Refuse an instance type EC2 does not have, or one whose processors cannot run the image.

    An AMI is built for one architecture (ComponentsAMIs lists it among the characteristics
    to choose an AMI by) and an instance type runs one (instance-types; DescribeInstanceTypes
    ``ProcessorInfo.SupportedArchitectures``): an arm64 (Graviton) image does not run on an
    x86_64 type, nor the other way round, and Windows, built for x86_64 only, has no Graviton
    type. The types are moto's copy of AWS's DescribeInstanceTypes data. The messages are the
    ones AWS returns, as quoted in public issue trackers.

    Raises:
        AwsError: ``InvalidParameterValue`` for an unknown type or a type of another
            architecture.
    """
    details = INSTANCE_TYPES.get(instance_type)
    if details is None:
        raise invalid_parameter(f"Invalid value '{instance_type}' for InstanceType.")
    supported = details.get("ProcessorInfo", {}).get("SupportedArchitectures") or []
    architecture = image.architecture or "x86_64"
    if supported and architecture not in supported:
        raise invalid_parameter(
            f"The architecture '{supported[-1]}' of the specified instance type does not match "
            f"the architecture '{architecture}' of the specified AMI. Specify an instance type "
            "and an AMI that have matching architectures, and try again. You can use "
            "'describe-instance-types' or 'describe-images' to discover the architecture of "
            "the instance type or AMI."
        )
    check_instance_type_specification(image, instance_type)


# -- security groups ------------------------------------------------------------------------------


def default_security_group(
    backend: Any,
    security_group_names: list[str],
    kwargs: dict[str, Any],
    template_data: dict[str, Any],
) -> Any:
    """The VPC's ``default`` group when the launch names no group, else None.

    RunInstances API reference: "If you don't specify a security group ID, we use the default
    security group for the VPC." moto attached none (the instance showed no SecurityGroups).
    The VPC is the subnet's (the request's or its network interface's), else the default VPC.
    """
    if security_group_names or kwargs.get("security_group_ids"):
        return None
    if template_data.get("SecurityGroupIds") or template_data.get("SecurityGroups"):
        return None
    nics = kwargs.get("nics") or []
    if any(nic.get("Groups") or nic.get("NetworkInterfaceId") for nic in nics):
        return None
    subnet_id = kwargs.get("subnet_id") or next(
        (nic["SubnetId"] for nic in nics if nic.get("SubnetId")), None
    )
    if subnet_id:
        vpc_id = backend.get_subnet(subnet_id).vpc_id
    else:
        vpc = backend.get_default_vpc()
        if vpc is None:
            return None
        vpc_id = vpc.id
    return backend.get_security_group_from_name("default", vpc_id=vpc_id)
