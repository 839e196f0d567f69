"""Each lesson's starting state, built fresh and the same way every time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["Scenario", "scenario", "get_scenario", "scenarios"]


@dataclass(frozen=True)
class Scenario:
    """A lesson's starting state: a builder that returns the names of what it made."""

    lesson: str
    summary: str
    build: Callable[[Any], dict[str, str]]


_SCENARIOS: dict[str, Scenario] = {}


def scenario(lesson: str, summary: str) -> Callable[[Callable[[Any], dict[str, str]]], Any]:
    """Register a function ``build(sandbox) -> {name: id}`` as a lesson's starting state."""

    def register(build: Callable[[Any], dict[str, str]]) -> Callable[[Any], dict[str, str]]:
        _SCENARIOS[lesson] = Scenario(lesson, summary, build)
        return build

    return register


def scenarios() -> dict[str, Scenario]:
    """All lessons' scenarios, by lesson."""
    return dict(_SCENARIOS)


def get_scenario(lesson: str) -> Scenario:
    """A lesson's scenario.

    Raises:
        ValueError: naming the known lessons, for an unknown one.
    """
    if lesson not in _SCENARIOS:
        known = ", ".join(sorted(_SCENARIOS))
        raise ValueError(f"There is no lesson {lesson!r} in the lab. Lessons: {known}")
    return _SCENARIOS[lesson]


@scenario("00-welcome", "the catalogue's public base images, nothing of your own yet")
def _welcome(sandbox: Any) -> dict[str, str]:
    return {}


@scenario("sandbox", "a clean sandbox: the catalogue's public base images only")
def _clean(sandbox: Any) -> dict[str, str]:
    return {}


# -- lessons 1–3: why AMIs, create an AMI, copy across Regions ------------------------------------

#: An account outside the lab that publishes a public look-alike of Amazon Linux (lesson 1).
STRANGER_ACCOUNT = "444455556666"

#: The look-alike's ID in each Region it is published in (made up, fixed so runs repeat).
LOOKALIKE_IMAGES = {"us-east-1": "ami-0c4e7a91d2b35f608", "us-west-2": "ami-0e2d94b7a61c83f15"}

_LOOKALIKE_NAME = "al2023-ami-2023.6.20250301.0-kernel-6.1-arm64"


def _publish_lookalike(region: str, image_id: str) -> None:
    """A stranger's public image named like Amazon Linux 2023, and newer than Amazon's."""
    import datetime as dt

    from moto.ec2.models import ec2_backends
    from moto.ec2.models.amis import Ami

    from .fidelity.pending import mark_ready

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


@scenario(
    "01-why-amis",
    "the catalogue's public base images, and a stranger's public look-alike of Amazon Linux",
)
def _why_amis(sandbox: Any) -> dict[str, str]:
    from .catalog import image_id

    for region, lookalike in LOOKALIKE_IMAGES.items():
        _publish_lookalike(region, lookalike)
    return {"base_image": image_id("al2023-x86_64", "us-east-1")}


@scenario(
    "02-create-an-ami",
    "a database builder instance with PostgreSQL, PostGIS and pgAdmin installed, "
    "and a security group for its clients",
)
def _create_an_ami(sandbox: Any) -> dict[str, str]:
    from .catalog import image_id
    from .provisioning import install_software

    ec2 = sandbox.client("ec2")
    base = image_id("al2023-x86_64", "us-east-1")
    builder = ec2.run_instances(
        ImageId=base,
        InstanceType="t3.medium",
        MinCount=1,
        MaxCount=1,
        BlockDeviceMappings=[
            {"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 20, "VolumeType": "gp3"}},
            {"DeviceName": "/dev/sdg", "Ebs": {"VolumeSize": 10, "VolumeType": "gp3"}},
        ],
        TagSpecifications=[
            {"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "gis-builder"}]}
        ],
    )["Instances"][0]["InstanceId"]
    install_software(sandbox, builder, "postgresql16", "postgis", "pgadmin4")
    group = ec2.create_security_group(
        GroupName="gis-db", Description="PostgreSQL clients of the GIS database"
    )["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=group,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 5432,
                "ToPort": 5432,
                "IpRanges": [{"CidrIp": "172.31.0.0/16", "Description": "the default VPC"}],
            }
        ],
    )
    return {"base_image": base, "db_builder": builder, "db_security_group": group}


#: Tags of lesson 3's web-server image (on the image and on its snapshot).
WEB_IMAGE_TAGS = {"Project": "web", "Version": "1"}


@scenario("03-copy-across-regions", "your web-server image web-server-v1 in us-east-1, tagged")
def _copy_across_regions(sandbox: Any) -> dict[str, str]:
    from .catalog import image_id
    from .provisioning import install_software

    ec2 = sandbox.client("ec2")
    builder = ec2.run_instances(
        ImageId=image_id("al2023-x86_64", "us-east-1"),
        InstanceType="t3.micro",
        MinCount=1,
        MaxCount=1,
    )["Instances"][0]["InstanceId"]
    install_software(sandbox, builder, "nginx")
    tags = [{"Key": k, "Value": v} for k, v in WEB_IMAGE_TAGS.items()]
    image = ec2.create_image(
        InstanceId=builder,
        Name="web-server-v1",
        Description="nginx web server on Amazon Linux 2023",
        TagSpecifications=[
            {"ResourceType": "image", "Tags": tags},
            {"ResourceType": "snapshot", "Tags": tags},
        ],
    )["ImageId"]
    ec2.get_waiter("image_available").wait(ImageIds=[image])
    snapshots = [
        m["Ebs"]["SnapshotId"]
        for m in ec2.describe_images(ImageIds=[image])["Images"][0]["BlockDeviceMappings"]
        if "Ebs" in m
    ]
    ec2.get_waiter("snapshot_completed").wait(SnapshotIds=snapshots)
    ec2.terminate_instances(InstanceIds=[builder])
    return {"web_image": image}
