"""Starting states of the welcome, a clean sandbox, and lessons 1–3 (why, create, copy AMIs)."""

from __future__ import annotations

from typing import Any

from .baking import ready_now
from .publishing import publish_lookalike
from .registry import scenario

__all__ = ["LOOKALIKE_IMAGES", "WEB_IMAGE_TAGS"]

#: The look-alike's ID in each Region it is published in (made up, fixed so runs repeat).
LOOKALIKE_IMAGES = {"us-east-1": "ami-0c4e7a91d2b35f608", "us-west-2": "ami-0e2d94b7a61c83f15"}

#: Tags of lesson 3's web-server image (on the image and on its snapshot).
WEB_IMAGE_TAGS = {"Project": "web", "Version": "1"}


@scenario("00-welcome", "the catalogue's public base images, nothing of your own yet")
def _welcome(sandbox: Any) -> dict[str, str]:
    return {}


@scenario("sandbox", "a clean sandbox: the catalogue's public base images only")
def _clean(sandbox: Any) -> dict[str, str]:
    return {}


@scenario(
    "01-why-amis",
    "the catalogue's public base images, and a stranger's public look-alike of Amazon Linux",
)
def _why_amis(sandbox: Any) -> dict[str, str]:
    from ..catalog import image_id

    for region, lookalike in LOOKALIKE_IMAGES.items():
        publish_lookalike(region, lookalike)
    return {"base_image": image_id("al2023-x86_64", "us-east-1")}


@scenario(
    "02-create-an-ami",
    "a database builder instance with PostgreSQL, PostGIS and pgAdmin installed, "
    "and a security group for its clients",
)
def _create_an_ami(sandbox: Any) -> dict[str, str]:
    from ..catalog import image_id
    from ..sandbox.provisioning import install_software

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


@scenario("03-copy-across-regions", "your web-server image web-server-v1 in us-east-1, tagged")
def _copy_across_regions(sandbox: Any) -> dict[str, str]:
    from ..catalog import image_id
    from ..sandbox.provisioning import install_software

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
    ready_now(sandbox.home_region, images=[image])  # and its snapshots
    ec2.terminate_instances(InstanceIds=[builder])
    return {"web_image": image}
