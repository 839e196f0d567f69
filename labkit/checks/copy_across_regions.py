"""Checks for lesson 03, Copy across Regions: a tagged copy in us-west-2, a copy cleaned up."""

from __future__ import annotations

from typing import Any

from . import exercise, fail
from ._lineage import own_tags, tags_in_words

LESSON = "03-copy-across-regions"
HOME = "us-east-1"
COPY_REGION = "us-west-2"
CLEAN_REGION = "ap-southeast-2"
IMAGE_NAME = "web-server-v1"


def _source(sandbox: Any) -> dict[str, Any]:
    """The lesson's web-server image in us-east-1 (made from an instance, not a copy)."""
    ec2 = sandbox.client("ec2", region=HOME)
    named = ec2.describe_images(
        Owners=["self"], Filters=[{"Name": "name", "Values": [IMAGE_NAME]}]
    )["Images"]
    # CreateImage records a parent too (R47); a copy is the one made without an instance.
    originals = [i for i in named if i.get("SourceInstanceId") or not i.get("SourceImageId")]
    if not originals:
        fail(
            f"the lesson's image {IMAGE_NAME} is not in {HOME} any more",
            "run lab.reset() to get the lesson's starting state back",
        )
    return originals[0]


def _copies(sandbox: Any, region: str, source_id: str) -> list[dict[str, Any]]:
    ec2 = sandbox.client("ec2", region=region)
    images = ec2.describe_images(Owners=["self"])["Images"]
    return [i for i in images if i.get("SourceImageId") == source_id]


@exercise(
    "copy-to-us-west-2",
    lesson=LESSON,
    title="Copy the web-server image to us-west-2, with its tags",
    hints=(
        "copy_image is called on a client of the destination Region: "
        "lab.client('ec2', region='us-west-2').",
        "It needs SourceRegion='us-east-1', SourceImageId=lab.ids['web_image'] and a Name.",
        "Tags travel only when you ask: CopyImageTags=True.",
    ),
    solution=(
        "ec2_west = lab.client('ec2', region='us-west-2')\n"
        "west_copy_id = ec2_west.copy_image(\n"
        "    SourceRegion='us-east-1', SourceImageId=lab.ids['web_image'],\n"
        "    Name='web-server-v1', CopyImageTags=True,\n"
        ")['ImageId']\n"
        "ec2_west.get_waiter('image_available').wait(ImageIds=[west_copy_id])"
    ),
)
def copy_to_us_west_2(sandbox: Any) -> str:
    source = _source(sandbox)
    source_id = source["ImageId"]
    copies = _copies(sandbox, COPY_REGION, source_id)
    if not copies:
        at_home = _copies(sandbox, HOME, source_id)
        if at_home:
            fail(
                f"your copy {at_home[0]['ImageId']} is in {HOME}, the source's own Region: "
                "copy_image makes the copy in the Region of the client you call it on",
                "call copy_image on lab.client('ec2', region='us-west-2'), with "
                "SourceRegion='us-east-1'",
            )
        fail(
            f"there is no copy of {source_id} in {COPY_REGION} yet",
            "call copy_image on lab.client('ec2', region='us-west-2')",
        )
    wanted = own_tags(source)
    tagged = [c for c in copies if all(own_tags(c).get(k) == v for k, v in wanted.items())]
    if not tagged:
        copy = copies[-1]
        found, expected = tags_in_words(own_tags(copy), "no tags"), tags_in_words(wanted)
        fail(
            f"your copy {copy['ImageId']} in {COPY_REGION} has {found}, not the source's "
            f"{expected}: copy_image copies tags only when asked",
            "deregister this copy, then copy again with CopyImageTags=True",
        )
    copy = tagged[-1]
    return (
        f"{copy['ImageId']} in {COPY_REGION} is your copy of {source_id} ({HOME}): a new ID, "
        f"its source recorded, and the tags {tags_in_words(wanted)}."
    )


@exercise(
    "copy-clean-up-sydney",
    lesson=LESSON,
    title="Clean up the copy in ap-southeast-2 completely",
    hints=(
        "Work with lab.client('ec2', region='ap-southeast-2').",
        "First note the copy's snapshot IDs: they are in its BlockDeviceMappings.",
        "deregister_image(ImageId=...), then delete_snapshot(SnapshotId=...) for each snapshot.",
    ),
    solution=(
        "ec2_syd = lab.client('ec2', region='ap-southeast-2')\n"
        "for image in ec2_syd.describe_images(Owners=['self'])['Images']:\n"
        "    snaps = [m['Ebs']['SnapshotId'] for m in image['BlockDeviceMappings'] if 'Ebs' in m]\n"
        "    ec2_syd.deregister_image(ImageId=image['ImageId'])\n"
        "    for snapshot_id in snaps:\n"
        "        ec2_syd.delete_snapshot(SnapshotId=snapshot_id)"
    ),
)
def clean_up_sydney(sandbox: Any) -> str:
    source_id = _source(sandbox)["ImageId"]
    copies = _copies(sandbox, CLEAN_REGION, source_id)
    if copies:
        fail(
            f"{copies[0]['ImageId']}, the copy in {CLEAN_REGION}, is still registered",
            "note its snapshot IDs, then deregister_image(ImageId=...)",
        )
    ec2 = sandbox.client("ec2", region=CLEAN_REGION)
    left = [
        s
        for s in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]
        if source_id in s.get("Description", "")
    ]
    if left:
        ids = ", ".join(s["SnapshotId"] for s in left)
        fail(
            f"the copy is deregistered, but its snapshot {ids} is still in {CLEAN_REGION}, "
            "and is billed every month until it is deleted",
            "delete_snapshot(SnapshotId=...) for each one",
        )
    return f"nothing of the copy is left in {CLEAN_REGION}: no image, no snapshot, no bill."
