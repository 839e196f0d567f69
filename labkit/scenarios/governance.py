"""Starting state of lesson 09, governing images: what a platform team finds in an account
before it sets up the guard rails."""

from __future__ import annotations

from typing import Any

from .baking import bake, customer_key, ready_now
from .first_images import LOOKALIKE_IMAGES
from .publishing import publish_lookalike
from .registry import scenario

__all__ = [
    "AUDIT_DESCRIPTION",
    "AUDIT_SNAPSHOT",
    "BACKUP_FLEETS",
    "CI_REGION",
    "CI_RUNNERS",
    "PLATFORM_KEY",
]

#: The customer managed key the platform team wants as the default EBS key.
PLATFORM_KEY = "alias/ami-lab-platform"
#: The fleets a lifecycle policy images: lab.ids key → (Name tag, AmiBackup tag).
BACKUP_FLEETS = {
    "web_1": ("web-1", "daily"),
    "web_2": ("web-2", "daily"),
    "reports_1": ("reports-1", "reports"),
}
#: The audit evidence: its Name tag, and the date until which it must survive (UTC, 00:00).
AUDIT_SNAPSHOT = ("audit-2024-evidence", "2026-04-01")
#: The audit evidence's description, which the Recycle Bin's listing shows (it shows no tags).
AUDIT_DESCRIPTION = "Ledger exports for the 2024 audit"
#: Two undocumented CI images in us-west-2 (exercise 9.6), each named for what it was made from:
#: Amazon Linux 2023, or the build agent that runs the stranger's look-alike.
CI_RUNNERS = {"ci-runner-2024-06": "amazon", "ci-runner-2024-09": "lookalike"}
#: Where the CI images are kept.
CI_REGION = "us-west-2"


def _instance(sandbox: Any, image: str, instance_type: str, tags: dict[str, str]) -> str:
    answer = sandbox.client("ec2").run_instances(
        ImageId=image,
        InstanceType=instance_type,
        MinCount=1,
        MaxCount=1,
        TagSpecifications=[
            {"ResourceType": "instance", "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}
        ],
    )
    return answer["Instances"][0]["InstanceId"]


@scenario(
    "09-governance",
    "an account before its guard rails: a stranger's look-alike image and an instance of it, an "
    "unencrypted image with a public snapshot, a chain of web images, fleets to image, a key, "
    "audit evidence, and the partner's image shared with you",
)
def _governance(sandbox: Any) -> dict[str, str]:
    from ..catalog import image_id

    home = sandbox.home_region
    lookalike = LOOKALIKE_IMAGES[home]
    publish_lookalike(home, lookalike)
    base = image_id("al2023-x86_64", home)
    ids: dict[str, str] = {"base_image": base, "lookalike_image": lookalike}
    # Someone picked "the newest al2023-ami-*" by name alone, months ago (lesson 01's trap).
    ids["build_agent"] = _instance(sandbox, lookalike, "t4g.micro", {"Name": "build-agent"})
    ids["platform_key"] = customer_key(sandbox, PLATFORM_KEY, "AMI Lab: the platform team's key")
    ids["legacy_image"] = bake(sandbox, "legacy-app-v1", "nodejs20")
    # Made public years ago "for a vendor", before anyone blocked public snapshots.
    ec2 = sandbox.client("ec2")
    legacy = ec2.describe_images(ImageIds=[ids["legacy_image"]])["Images"][0]
    ids["legacy_snapshot"] = legacy["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
    ec2.modify_snapshot_attribute(
        SnapshotId=ids["legacy_snapshot"],
        Attribute="createVolumePermission",
        OperationType="add",
        GroupNames=["all"],
    )
    # A chain for "where did this image come from?": web-server-v1 from Amazon Linux, v2 from an
    # instance of v1, and v2 copied to us-west-2.
    web_v1 = bake(sandbox, "web-server-v1", "nginx")
    builder = _instance(sandbox, web_v1, "t3.micro", {"Name": "web-builder"})
    web_v2 = ec2.create_image(InstanceId=builder, Name="web-server-v2")["ImageId"]
    ready_now(home, images=[web_v2])
    ec2.terminate_instances(InstanceIds=[builder])
    west = sandbox.client("ec2", region="us-west-2")
    web_v2_west = west.copy_image(SourceImageId=web_v2, SourceRegion=home, Name="web-server-v2")[
        "ImageId"
    ]
    ids.update(web_v1=web_v1, web_v2=web_v2, web_v2_west=web_v2_west)
    for key, (name, backup) in BACKUP_FLEETS.items():
        ids[key] = _instance(sandbox, base, "t3.micro", {"Name": name, "AmiBackup": backup})
    # The audit evidence: a snapshot of a volume that is gone.
    volume = ec2.create_volume(AvailabilityZone=f"{home}a", Size=20, VolumeType="gp3")["VolumeId"]
    name = AUDIT_SNAPSHOT[0]
    ids["audit_snapshot"] = ec2.create_snapshot(
        VolumeId=volume,
        Description=AUDIT_DESCRIPTION,
        TagSpecifications=[{"ResourceType": "snapshot", "Tags": [{"Key": "Name", "Value": name}]}],
    )["SnapshotId"]
    ready_now(home, snapshots=[ids["audit_snapshot"]])
    ec2.delete_volume(VolumeId=volume)
    # An image another team shared with this account by ID, that nobody here should launch.
    ids["partner_image"] = bake(sandbox, "partner-tools-v2", "git", account="partner")
    sandbox.client("ec2", account="partner").modify_image_attribute(
        ImageId=ids["partner_image"],
        LaunchPermission={"Add": [{"UserId": sandbox.account_id("learner")}]},
    )
    _ci_runners(sandbox, base, ids["build_agent"])
    return ids


def _ci_runners(sandbox: Any, base: str, build_agent: str) -> None:
    """Two CI images copied to us-west-2 that nobody documented: one imaged from an instance of
    Amazon Linux, one from the build agent (and so from the stranger's look-alike)."""
    ec2, home = sandbox.client("ec2"), sandbox.home_region
    west = sandbox.client("ec2", region=CI_REGION)
    for name, origin in CI_RUNNERS.items():
        builder = None
        if origin == "amazon":
            builder = _instance(sandbox, base, "t3.micro", {"Name": "ci-builder"})
        made = ec2.create_image(InstanceId=builder or build_agent, Name=name)["ImageId"]
        ready_now(home, images=[made])
        if builder:
            ec2.terminate_instances(InstanceIds=[builder])
        west.copy_image(SourceImageId=made, SourceRegion=home, Name=name)
