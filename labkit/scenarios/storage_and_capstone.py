"""Starting states of lessons 7–8: storage and pricing, the capstone."""

from __future__ import annotations

from typing import Any

from .baking import bake_in_region, ready_now, record_written
from .registry import scenario

__all__ = ["LEDGER_SNAPSHOT", "STORAGE_COPIES", "STORAGE_FLEETS", "STORAGE_IMAGES"]

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


@scenario(
    "07-storage-and-pricing",
    "your images in four Regions: two fleets running, one image protected, one shared with the "
    "partner, copies nobody uses, and an audit snapshot",
)
def _storage_and_pricing(sandbox: Any) -> dict[str, str]:
    ids = {key: bake_in_region(sandbox, *spec) for key, spec in STORAGE_IMAGES.items()}
    for key, (region, source) in STORAGE_COPIES.items():
        there = sandbox.client("ec2", region=region)
        name = STORAGE_IMAGES[source][1]
        answer = there.copy_image(SourceRegion="us-east-1", SourceImageId=ids[source], Name=name)
        ready_now(region, images=[answer["ImageId"]])
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
    record_written(sandbox, "us-east-1", volume["VolumeId"], float(data))
    tags = [{"Key": "Name", "Value": name}, {"Key": "KeepUntil", "Value": keep_until}]
    ids["ledger_snapshot"] = ec2.create_snapshot(
        VolumeId=volume["VolumeId"],
        Description=f"ledger-db, final snapshot of 2023: keep for audit until {keep_until}",
        TagSpecifications=[{"ResourceType": "snapshot", "Tags": tags}],
    )["SnapshotId"]
    ready_now(sandbox.home_region, snapshots=[ids["ledger_snapshot"]])
    ec2.delete_volume(VolumeId=volume["VolumeId"])
    return ids


@scenario(
    "08-capstone",
    "the catalogue's base images; you and the partner start with no images of your own",
)
def _capstone(sandbox: Any) -> dict[str, str]:
    from ..catalog import image_id

    return {"base_image": image_id("al2023-x86_64", sandbox.home_region)}
