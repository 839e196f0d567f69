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


# -- lessons 4–6: sharing, encryption, Marketplace and trust --------------------------------------

#: The seller's product code on the analytics image it shares in lesson 6 (made up, fixed).
SELLER_PRODUCT_CODE = "8n3f5w1q7c2x9v4k6m0t5b7y2"


def _bake(
    sandbox: Any,
    name: str,
    *packages: str,
    account: str = "learner",
    data_volume_gib: int = 0,
    kms_key_id: str | None = None,
    tags: dict[str, str] | None = None,
) -> str:
    """An image made as lesson 2 teaches: launch Amazon Linux, install, create_image, terminate."""
    from .catalog import image_id
    from .fidelity.images import find_image, image_snapshots
    from .fidelity.pending import mark_ready
    from .provisioning import install_software

    ec2 = sandbox.client("ec2", account=account)
    root: dict[str, Any] = {"VolumeSize": 8, "VolumeType": "gp3", "DeleteOnTermination": True}
    if kms_key_id:
        root.update(Encrypted=True, KmsKeyId=kms_key_id)
    mappings = [{"DeviceName": "/dev/xvda", "Ebs": root}]
    if data_volume_gib:
        data = {"VolumeSize": data_volume_gib, "VolumeType": "gp3", "DeleteOnTermination": True}
        if kms_key_id:
            data.update(Encrypted=True, KmsKeyId=kms_key_id)
        mappings.append({"DeviceName": "/dev/xvdb", "Ebs": data})
    instance = ec2.run_instances(
        ImageId=image_id("al2023-x86_64", sandbox.home_region),
        InstanceType="t3.micro",
        MinCount=1,
        MaxCount=1,
        BlockDeviceMappings=mappings,
    )["Instances"][0]["InstanceId"]
    if packages:
        install_software(sandbox, instance, *packages, account=account)
    tag_list = [{"Key": k, "Value": v} for k, v in (tags or {}).items()]
    answer = ec2.create_image(
        InstanceId=instance,
        Name=name,
        TagSpecifications=[{"ResourceType": "image", "Tags": tag_list}] if tag_list else [],
    )
    ec2.terminate_instances(InstanceIds=[instance])
    image = find_image(sandbox.home_region, answer["ImageId"])
    mark_ready(image)
    for snapshot in image_snapshots(image):
        mark_ready(snapshot)
    return answer["ImageId"]


def _customer_key(sandbox: Any, alias: str, description: str) -> str:
    """A customer managed KMS key of the learner's, with an alias; returns its ARN."""
    kms = sandbox.client("kms")
    key = kms.create_key(Description=description)["KeyMetadata"]
    kms.create_alias(AliasName=alias, TargetKeyId=key["KeyId"])
    return key["Arn"]


@scenario(
    "04-sharing",
    "two images of yours (web-server-v1, orders-app-v3), and the partner's partner-tools-v2, "
    "shared with you for launching only",
)
def _sharing(sandbox: Any) -> dict[str, str]:
    web = _bake(sandbox, "web-server-v1", "nginx", tags={"Team": "web", "Stage": "production"})
    app = _bake(sandbox, "orders-app-v3", "nodejs20", data_volume_gib=20)
    tools = _bake(sandbox, "partner-tools-v2", "git", "docker", account="partner")
    sandbox.client("ec2", account="partner").modify_image_attribute(
        ImageId=tools, LaunchPermission={"Add": [{"UserId": sandbox.account_id("learner")}]}
    )
    return {"web_image": web, "app_image": app, "partner_image": tools}


@scenario(
    "05-encryption",
    "an unencrypted image of yours, two customer managed keys, and an image encrypted with each",
)
def _encryption(sandbox: Any) -> dict[str, str]:
    team_key = _customer_key(sandbox, "alias/ami-lab-team", "AMI Lab: the web team's images")
    reports_key = _customer_key(sandbox, "alias/ami-lab-reports", "AMI Lab: the reports images")
    web = _bake(sandbox, "web-server-v1", "nginx")
    payments = _bake(sandbox, "payments-api-v1", "java-21-amazon-corretto", kms_key_id=team_key)
    reports = _bake(sandbox, "reports-db-v1", "postgresql16", kms_key_id=reports_key)
    return {
        "web_image": web,
        "team_key": team_key,
        "payments_image": payments,
        "reports_key": reports_key,
        "reports_image": reports,
    }


#: Lesson 6's candidate images for "Amazon Linux 2023, x86_64" besides Amazon's current one.
TRUST_LOOKALIKE = "ami-0a7d3c95e1f4b2868"  # a stranger's, named like Amazon's, and newer
TRUST_DEPRECATED = "ami-0b3f8e21d6c94a7f5"  # Amazon's own, an older release now deprecated


def _publish_image(
    owner: str, image_id: str, name: str, created: str, *, alias: str | None, deprecated: str
) -> None:
    """Register a public Amazon Linux-style image of another owner in the home Region."""
    import datetime as dt

    from moto.ec2.models import ec2_backends
    from moto.ec2.models.amis import Ami

    from .accounts import HOME_REGION
    from .fidelity.pending import mark_ready

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


@scenario(
    "06-marketplace-and-trust",
    "three candidate Amazon Linux images to judge, and the seller's paid analytics image, "
    "shared with you",
)
def _marketplace(sandbox: Any) -> dict[str, str]:
    from .catalog import catalog_images, image_id
    from .fidelity.images import find_image

    amazon = next(e["owner_id"] for e in catalog_images() if e["key"] == "al2023-x86_64")
    _publish_image(
        STRANGER_ACCOUNT,
        TRUST_LOOKALIKE,
        "al2023-ami-2023.6.20250301.0-kernel-6.1-x86_64",
        "2025-03-01T06:14:52",
        alias=None,
        deprecated="2027-03-01T06:14:00",
    )
    _publish_image(
        amazon,
        TRUST_DEPRECATED,
        "al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64",
        "2024-11-22T05:23:19",
        alias="amazon",
        deprecated="2025-02-20T05:23:00",
    )
    seller = sandbox.client("ec2", account="seller")
    analytics = _bake(sandbox, "northwind-analytics-v5", "python3.12", account="seller")
    find_image(sandbox.home_region, analytics).product_codes = {SELLER_PRODUCT_CODE}
    learner = sandbox.account_id("learner")
    seller.modify_image_attribute(
        ImageId=analytics, LaunchPermission={"Add": [{"UserId": learner}]}
    )
    for mapping in seller.describe_images(ImageIds=[analytics])["Images"][0]["BlockDeviceMappings"]:
        seller.modify_snapshot_attribute(
            SnapshotId=mapping["Ebs"]["SnapshotId"],
            Attribute="createVolumePermission",
            OperationType="add",
            UserIds=[learner],
        )
    return {
        "candidate_1": TRUST_LOOKALIKE,
        "candidate_2": image_id("al2023-x86_64", sandbox.home_region),
        "candidate_3": TRUST_DEPRECATED,
        "seller_image": analytics,
        "marketplace_image": image_id("marketplace-hardened-al2023", sandbox.home_region),
        "windows_image": image_id("windows-2022-base", sandbox.home_region),
    }


# -- lessons 7–8: storage and pricing, the capstone ----------------------------------------------

#: Lesson 7's images: lab.ids key → (Region, name, packages, GiB of data on a data volume, its
#: size). Names are also the Name tag of each image and its snapshots.
STORAGE_IMAGES = {
    "web_v3": ("us-east-1", "web-server-v3", ("nginx",), 0, 0),
    "web_v2": ("us-east-1", "web-server-v2", ("nginx",), 0, 0),
    "reports_db": ("us-east-1", "reports-db-v4", ("postgresql16",), 90, 200),
    "ml_training": ("us-west-2", "ml-training-v1", ("python3.12", "cuda-toolkit-12"), 60, 100),
    "analytics": ("eu-west-1", "analytics-v7", ("python3.12",), 150, 250),
}
#: Lesson 7's copies: lab.ids key → (Region, the lab.ids key of the us-east-1 source).
STORAGE_COPIES = {
    "web_v3_eu": ("eu-west-1", "web_v3"),
    "web_v2_sydney": ("ap-southeast-2", "web_v2"),
}
#: Lesson 7's running fleets: (Fleet tag, Region, image's lab.ids key, instances, account).
STORAGE_FLEETS = (
    ("web", "us-east-1", "web_v3", 2, "learner"),
    ("partner-web", "us-east-1", "web_v3", 1, "partner"),
    ("analytics", "eu-west-1", "analytics", 1, "learner"),
)
#: Lesson 7's audit snapshot in us-east-1: Name tag, GiB written, volume size, keep-until date.
LEDGER_SNAPSHOT = ("ledger-db-2023-final", 40, 100, "2026-12-31")


def _written(sandbox: Any, region: str, volume_id: str, gib: float) -> None:
    """Record ``gib`` of data written on a volume (the sandbox's stand-in for copying files)."""
    from moto.ec2.models import ec2_backends

    ec2_backends[sandbox.account_id("learner")][region].volumes[volume_id].lab_data_gib = gib


def _image_in(sandbox: Any, region: str, name: str, packages: tuple, data: float, size: int) -> str:
    """A learner's image baked in ``region`` as lesson 2 teaches, tagged with its name."""
    from .catalog import image_id
    from .provisioning import install_software

    ec2 = sandbox.client("ec2", region=region)
    mappings = [{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8, "VolumeType": "gp3"}}]
    if size:
        mappings.append(
            {"DeviceName": "/dev/xvdb", "Ebs": {"VolumeSize": size, "VolumeType": "gp3"}}
        )
    builder = ec2.run_instances(
        ImageId=image_id("al2023-x86_64", region),
        InstanceType="t3.micro",
        MinCount=1,
        MaxCount=1,
        BlockDeviceMappings=mappings,
    )["Instances"][0]["InstanceId"]
    install_software(sandbox, builder, *packages, region=region)
    for mapping in ec2.describe_instances(InstanceIds=[builder])["Reservations"][0]["Instances"][0][
        "BlockDeviceMappings"
    ]:
        if mapping["DeviceName"] == "/dev/xvdb":
            _written(sandbox, region, mapping["Ebs"]["VolumeId"], float(data))
    tags = [{"Key": "Name", "Value": name}]
    image = ec2.create_image(
        InstanceId=builder,
        Name=name,
        TagSpecifications=[
            {"ResourceType": "image", "Tags": tags},
            {"ResourceType": "snapshot", "Tags": tags},
        ],
    )["ImageId"]
    ec2.get_waiter("image_available").wait(ImageIds=[image])
    ec2.terminate_instances(InstanceIds=[builder])
    return image


@scenario(
    "07-storage-and-pricing",
    "your images in four Regions: two fleets running, one image protected, one shared with the "
    "partner, copies nobody uses, and an audit snapshot",
)
def _storage_and_pricing(sandbox: Any) -> dict[str, str]:
    ids = {key: _image_in(sandbox, *spec) for key, spec in STORAGE_IMAGES.items()}
    for key, (region, source) in STORAGE_COPIES.items():
        there = sandbox.client("ec2", region=region)
        name = STORAGE_IMAGES[source][1]
        answer = there.copy_image(SourceRegion="us-east-1", SourceImageId=ids[source], Name=name)
        there.get_waiter("image_available").wait(ImageIds=[answer["ImageId"]])
        ids[key] = answer["ImageId"]
    ec2 = sandbox.client("ec2")
    partner = {"UserId": sandbox.account_id("partner")}
    ec2.modify_image_attribute(ImageId=ids["web_v3"], LaunchPermission={"Add": [partner]})
    for fleet, region, image, count, account in STORAGE_FLEETS:
        sandbox.client("ec2", region=region, account=account).run_instances(
            ImageId=ids[image],
            InstanceType="t3.micro",
            MinCount=count,
            MaxCount=count,
            TagSpecifications=[
                {"ResourceType": "instance", "Tags": [{"Key": "Fleet", "Value": fleet}]}
            ],
        )
    ec2.enable_image_deregistration_protection(ImageId=ids["reports_db"])
    name, data, size, keep_until = LEDGER_SNAPSHOT
    volume = ec2.create_volume(AvailabilityZone="us-east-1a", Size=size, VolumeType="gp3")
    _written(sandbox, "us-east-1", volume["VolumeId"], float(data))
    tags = [{"Key": "Name", "Value": name}, {"Key": "KeepUntil", "Value": keep_until}]
    ids["ledger_snapshot"] = ec2.create_snapshot(
        VolumeId=volume["VolumeId"],
        Description=f"ledger-db, final snapshot of 2023: keep for audit until {keep_until}",
        TagSpecifications=[{"ResourceType": "snapshot", "Tags": tags}],
    )["SnapshotId"]
    ec2.get_waiter("snapshot_completed").wait(SnapshotIds=[ids["ledger_snapshot"]])
    ec2.delete_volume(VolumeId=volume["VolumeId"])
    return ids


@scenario(
    "08-capstone",
    "the catalogue's base images; you and the partner start with no images of your own",
)
def _capstone(sandbox: Any) -> dict[str, str]:
    from .catalog import image_id

    return {"base_image": image_id("al2023-x86_64", sandbox.home_region)}
