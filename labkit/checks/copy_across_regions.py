"""Checks for lesson 03, Copy across Regions: a first year's cost, a tagged copy in us-west-2, a
launch from it, a copy cleaned up."""

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


# -- Exercise 3.1: a first year's cost ------------------------------------------------------------

#: Exercise 3.1 prices a first copy of the lesson's image to this Region.
COST_REGION = "us-west-2"


def _first_copy(sandbox: Any) -> tuple[float, float]:
    """The one-off transfer and the monthly storage of a first copy to COST_REGION, in USD."""
    from .. import pricing
    from ..estate import estate_from_sandbox

    source_id = _source(sandbox)["ImageId"]
    image = estate_from_sandbox(sandbox, regions=[HOME]).image(source_id)
    cost = pricing.copy_cost(image, COST_REGION)
    return cost.transfer_usd, cost.monthly_usd


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= max(0.005, abs(b) * 0.01)


@exercise(
    "copy-first-year-cost",
    lesson=LESSON,
    title="Work out what a first copy to us-west-2 costs in its first year",
    answers=("usd",),
    hints=(
        "Which parts of a copy's cost are paid once, and which every month?",
        "pricing.copy_cost(image_costs, region) gives both: transfer_usd (once) and monthly_usd.",
        "A year is the transfer once, plus twelve months of storage.",
        "oregon = pricing.copy_cost(image_costs, 'us-west-2')\n"
        "my_first_year_usd = oregon.transfer_usd + 12 * oregon.monthly_usd",
    ),
    solution=(
        "oregon = pricing.copy_cost(image_costs, 'us-west-2')\n"
        "my_first_year_usd = oregon.transfer_usd + 12 * oregon.monthly_usd"
    ),
)
def first_year_cost(sandbox: Any, usd: Any) -> str:
    if usd is ...:
        fail("my_first_year_usd is still ... ; replace it with a number of dollars")
    if isinstance(usd, bool) or not isinstance(usd, (int, float)):
        fail(
            f"expected a number of dollars, such as 0.75, but found {type(usd).__name__}",
            "add up numbers, not formatted text: format_usd is only for printing",
        )
    transfer, monthly = _first_copy(sandbox)
    right = transfer + 12 * monthly
    if _close(usd, right):
        return (
            f"${right:.2f}: ${transfer:.2f} of transfer once, billed to the source image's owner, "
            f"then ${monthly:.2f} of storage every month in {COST_REGION}. The storage is what "
            "keeps costing: a first copy stores the whole image."
        )
    if _close(usd, 12 * monthly):
        fail(
            f"${usd:.2f} is twelve months of storage; the first copy's transfer is missing",
            "a copy to another Region moves the data once: which field is that?",
        )
    if _close(usd, 12 * (transfer + monthly)):
        fail(
            f"${usd:.2f} counts the transfer every month; it is billed once, when the data moves",
            "which part of the cost is paid once?",
        )
    if _close(usd, transfer + monthly):
        fail(
            f"${usd:.2f} is the transfer and one month; the exercise asks for a year",
            "how many months of storage are in a year?",
        )
    fail(
        f"${usd:.2f} is not what the lab's prices give for a first copy to {COST_REGION} "
        "kept for a year",
        f"price the copy to {COST_REGION} with the pricing helpers, as the cells above do",
    )
    return ""


# -- Exercise 3.2: the copy ----------------------------------------------------------------------


@exercise(
    "copy-to-us-west-2",
    lesson=LESSON,
    title="Copy the web-server image to us-west-2, with its tags",
    hints=(
        "Which Region's client makes a copy: the source's, or the destination's?",
        "copy_image on lab.client('ec2', region='us-west-2') needs SourceRegion='us-east-1', "
        "SourceImageId=lab.ids['web_image'] and a Name.",
        "Tags travel only when you ask: CopyImageTags=True. Then wait with the image_available "
        "waiter.",
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
                "which Region's client makes the copy? See *Copy to another Region*",
            )
        fail(
            f"there is no copy of {source_id} in {COPY_REGION} yet",
            "copy_image is called on a client of the destination Region",
        )
    wanted = own_tags(source)
    tagged = [c for c in copies if all(own_tags(c).get(k) == v for k, v in wanted.items())]
    if not tagged:
        copy = copies[-1]
        found, expected = tags_in_words(own_tags(copy), "no tags"), tags_in_words(wanted)
        fail(
            f"your copy {copy['ImageId']} in {COPY_REGION} has {found}, not the source's "
            f"{expected}: copy_image copies tags only when asked",
            "deregister this copy, then copy again, asking for the tags (see *Which tags travel "
            "with a copy*)",
        )
    copy = tagged[-1]
    return (
        f"{copy['ImageId']} in {COPY_REGION} is your copy of {source_id} ({HOME}): a new ID, "
        f"its source recorded, and the tags {tags_in_words(wanted)}."
    )


# -- Exercise 3.3: launch from the copy -----------------------------------------------------------


@exercise(
    "copy-launch-in-oregon",
    lesson=LESSON,
    title="Launch a web server in us-west-2 from your copy there",
    hints=(
        "In us-west-2, which image ID can you launch from: the source's, or your copy's?",
        "Find your copy with describe_images on a us-west-2 client (Owners=['self'], a name "
        "filter); security groups are Regional, so make one in us-west-2, as for Ireland.",
        "run_instances on the us-west-2 client, with the copy's ImageId and SecurityGroupIds.",
        "The worked example under *Launch in the new Region* does this for eu-west-1: the same "
        "calls, with the us-west-2 client and your copy.",
    ),
    solution=(
        "ec2_west = lab.client('ec2', region='us-west-2')\n"
        "west_copy = ec2_west.describe_images(Owners=['self'], Filters=[\n"
        "    {'Name': 'name', 'Values': ['web-server-v1']}])['Images'][0]\n"
        "group = ec2_west.create_security_group(GroupName='web', Description='HTTP')['GroupId']\n"
        "ec2_west.authorize_security_group_ingress(GroupId=group, IpPermissions=[http])\n"
        "ec2_west.run_instances(ImageId=west_copy['ImageId'], InstanceType='t3.micro',\n"
        "                       MinCount=1, MaxCount=1, SecurityGroupIds=[group])"
    ),
)
def launch_in_oregon(sandbox: Any) -> str:
    source_id = _source(sandbox)["ImageId"]
    copies = {c["ImageId"] for c in _copies(sandbox, COPY_REGION, source_id)}
    ec2 = sandbox.client("ec2", region=COPY_REGION)
    running = [
        i
        for r in ec2.describe_instances()["Reservations"]
        for i in r["Instances"]
        if i["State"]["Name"] in ("pending", "running")
    ]
    if not copies:
        fail(
            f"you have no copy of {source_id} in {COPY_REGION} yet: do Exercise 3.2 first",
            "an instance in a Region is launched from an image in that Region",
        )
    mine = [i for i in running if i["ImageId"] in copies]
    if not mine:
        others = sorted({i["ImageId"] for i in running})
        found = f"instances from {', '.join(others)}" if others else "no running instance"
        fail(
            f"{COPY_REGION} has {found}, none from your copy there",
            "launch with the us-west-2 client, from your copy's ID",
        )
    web = [i for i in mine if _lets_web_in(ec2, i)]
    if not web:
        fail(
            f"{mine[0]['InstanceId']} runs your copy, but none of its security groups lets web "
            "traffic in on port 80",
            "make a group in us-west-2 that allows port 80, as for Ireland, and launch in it",
        )
    return (
        f"{web[0]['InstanceId']} runs your copy {web[0]['ImageId']} in {COPY_REGION}, in a "
        "group of that Region: image, instance and group all belong to one Region."
    )


def _lets_web_in(ec2: Any, instance: dict[str, Any]) -> bool:
    ids = [g["GroupId"] for g in instance.get("SecurityGroups", [])]
    if not ids:
        return False
    for group in ec2.describe_security_groups(GroupIds=ids)["SecurityGroups"]:
        for rule in group.get("IpPermissions", []):
            if rule.get("IpProtocol") == "-1":
                return True
            if rule.get("FromPort", 0) <= 80 <= rule.get("ToPort", -1):
                return True
    return False


# -- Exercise 3.4: clean up ------------------------------------------------------------------------


@exercise(
    "copy-clean-up-sydney",
    lesson=LESSON,
    title="Clean up the copy in ap-southeast-2 completely",
    hints=(
        "What must go, and in which order? *Clean up a copy* lists three steps.",
        "Work with lab.client('ec2', region='ap-southeast-2'); first note the copy's snapshot "
        "IDs, from its BlockDeviceMappings.",
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
            "follow the three steps of *Clean up a copy*, in their order",
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
            "step 3 of *Clean up a copy*: delete each snapshot",
        )
    return f"nothing of the copy is left in {CLEAN_REGION}: no image, no snapshot, no bill."
