"""Public images of accounts outside the lab, planted straight into moto's state.

No lab account can make these through boto3: they belong to a stranger, or to Amazon, and carry
fixed IDs and dates so every run shows the learner the same candidates.
"""

from __future__ import annotations

__all__ = ["STRANGER_ACCOUNT", "publish_image", "publish_lookalike"]

#: An account outside the lab that publishes a public look-alike of Amazon Linux (lessons 1, 6).
STRANGER_ACCOUNT = "444455556666"

_LOOKALIKE_NAME = "al2023-ami-2023.6.20250301.0-kernel-6.1-arm64"


def publish_lookalike(region: str, image_id: str) -> None:
    """A stranger's public image named like Amazon Linux 2023, and newer than Amazon's."""
    import datetime as dt

    from labkit.seam.moto import Ami, ec2_backends

    from ..fidelity.pending import mark_ready

    backend = ec2_backends[STRANGER_ACCOUNT][region]
    image = Ami(
        backend,
        image_id,
        name=_LOOKALIKE_NAME,
        description="Amazon Linux 2023 AMI 2023.6.20250301.0 arm64 HVM kernel-6.1",
        owner_id=STRANGER_ACCOUNT,
        public=True,
        virtualization_type="hvm",
        architecture="arm64",
        creation_date=dt.datetime(2025, 3, 1, 6, 12, 40),
        image_location=f"{STRANGER_ACCOUNT}/{_LOOKALIKE_NAME}",
        hypervisor="xen",
        root_device_type="ebs",
        root_device_name="/dev/xvda",
        region_name=f"{region}a",
        snapshot_description=f"Snapshot of {_LOOKALIKE_NAME}",
        boot_mode="uefi",
    )
    image.ebs_snapshot.volume.size = 8
    image.ebs_snapshot.volume.volume_type = "gp3"
    image.platform_details, image.usage_operation = "Linux/UNIX", "RunInstances"
    image.ena_support, image.imds_support, image.deprecation_time = True, None, None
    image.catalog_key, image.default_instance_type = None, "t4g.micro"
    image.software_price_per_hour_usd = 0.0
    mark_ready(image)
    mark_ready(image.ebs_snapshot)
    backend.amis[image.id] = image


def publish_image(
    owner: str, image_id: str, name: str, created: str, *, alias: str | None, deprecated: str
) -> None:
    """Register a public Amazon Linux-style image of another owner in the home Region."""
    import datetime as dt

    from labkit.seam.moto import Ami, ec2_backends

    from ..accounts import HOME_REGION
    from ..fidelity.pending import mark_ready

    release = name.split("-")[2]
    image = Ami(
        ec2_backends[owner][HOME_REGION],
        image_id,
        name=name,
        description=f"Amazon Linux 2023 AMI {release} x86_64 HVM kernel-6.1",
        owner_id=owner,
        owner_alias=alias,
        public=True,
        virtualization_type="hvm",
        architecture="x86_64",
        creation_date=dt.datetime.fromisoformat(created),
        image_location=f"{alias or owner}/{name}",
        hypervisor="xen",
        root_device_type="ebs",
        root_device_name="/dev/xvda",
        region_name=f"{HOME_REGION}a",
        snapshot_description=f"Snapshot of {name}",
        boot_mode="uefi-preferred",
    )
    image.ebs_snapshot.volume.size = 8
    image.ebs_snapshot.volume.volume_type = "gp3"
    image.platform_details, image.usage_operation = "Linux/UNIX", "RunInstances"
    image.ena_support, image.imds_support = True, "v2.0"
    image.deprecation_time = dt.datetime.fromisoformat(deprecated)
    image.catalog_key, image.default_instance_type = None, "t3.micro"
    image.software_price_per_hour_usd = 0.0
    mark_ready(image)
    mark_ready(image.ebs_snapshot)
    ec2_backends[owner][HOME_REGION].amis[image.id] = image
