"""Checks for lesson 02, Create an AMI: bake the GIS database image, then launch from it
(exercises 2.2 to 2.5; the builder of exercise 2.1 is ``create_a_builder``)."""

from __future__ import annotations

from typing import Any

from . import exercise, fail
from ._lineage import GONE, image_by_name, own_tags, tags_in_words

LESSON = "02-create-an-ami"
REGION = "us-east-1"
BUILDER_NAME = "gis-builder"
IMAGE_NAME = "gis-postgres-v1"
DATA_DEVICE = "/dev/sdf"
SCRATCH_DEVICE = "/dev/sdg"
TAG_KEY, TAG_VALUE = "Stack", "gis"
INSTANCE_NAME = "gis-db-1"
GROUP_NAME = "gis-db"


def _instances(ec2: Any) -> list[dict[str, Any]]:
    return [
        instance
        for reservation in ec2.describe_instances()["Reservations"]
        for instance in reservation["Instances"]
        if instance["State"]["Name"] in ("pending", "running")
    ]


def _builder(ec2: Any) -> tuple[str, str]:
    """The database builder's instance ID and state (it may have been stopped or terminated
    after the image was made: the image still counts)."""
    for reservation in ec2.describe_instances()["Reservations"]:
        for instance in reservation["Instances"]:
            if own_tags(instance).get("Name") == BUILDER_NAME:
                return instance["InstanceId"], instance["State"]["Name"]
    fail(
        f"the database builder instance ({BUILDER_NAME}) is gone",
        "run lab.reset() to get the lesson's starting state back",
    )
    return "", ""


def _kept_devices(image: dict[str, Any]) -> list[str]:
    return [m["DeviceName"] for m in image.get("BlockDeviceMappings", []) if "Ebs" in m]


@exercise(
    "create-bake-gis-image",
    lesson=LESSON,
    title="Bake the GIS database image, leaving the scratch volume out",
    hints=(
        "Of the builder's three volumes, which must every database server get, and which is "
        "scratch?",
        "create_image takes InstanceId=lab.ids['db_builder'], Name='gis-postgres-v1' and a "
        "Description; no NoReboot, a database runs there.",
        "Leave the scratch volume out: BlockDeviceMappings=[{'DeviceName': '/dev/sdg', "
        "'NoDevice': ''}].",
        "Tag both the image and its snapshots: TagSpecifications takes one entry with "
        "ResourceType 'image' and one with ResourceType 'snapshot', each with Tags=[{'Key': "
        "'Stack', 'Value': 'gis'}].",
        "An image name is used once per Region: to try again, deregister the first attempt "
        "(ec2.deregister_image(ImageId=...)).",
    ),
    solution=(
        "stack_tags = [{'Key': 'Stack', 'Value': 'gis'}]\n"
        "gis_image_id = ec2.create_image(\n"
        "    InstanceId=lab.ids['db_builder'],\n"
        "    Name='gis-postgres-v1',\n"
        "    Description='PostgreSQL 16 with PostGIS and pgAdmin 4, ready to use',\n"
        "    BlockDeviceMappings=[{'DeviceName': '/dev/sdg', 'NoDevice': ''}],\n"
        "    TagSpecifications=[\n"
        "        {'ResourceType': 'image', 'Tags': stack_tags},\n"
        "        {'ResourceType': 'snapshot', 'Tags': stack_tags},\n"
        "    ],\n"
        ")['ImageId']\n"
        "ec2.get_waiter('image_available').wait(ImageIds=[gis_image_id])"
    ),
)
def bake_gis_image(sandbox: Any) -> str:
    ec2 = sandbox.client("ec2", region=REGION)
    builder, state = _builder(ec2)
    images = ec2.describe_images(Owners=["self"])["Images"]
    from_builder = [i for i in images if i.get("SourceInstanceId") == builder]
    if not from_builder and state in GONE:
        fail(
            f"the database builder {builder} ({BUILDER_NAME}) is {state}, and no image was made "
            "from it: an image can only be created from a running or stopped instance",
            "run lab.reset() to get the lesson's starting state back",
        )
    if not from_builder:
        named = [i for i in images if i.get("Name") == IMAGE_NAME]
        if named:
            source = named[0].get("SourceInstanceId") or "no instance"
            fail(
                f"{named[0]['ImageId']} is named {IMAGE_NAME}, but it was made from {source}, "
                f"not from the database builder {builder} ({BUILDER_NAME})",
                "deregister it, then create the image from the database builder, "
                "lab.ids['db_builder']",
            )
        fail(
            f"no image has been made from the database builder {builder} ({BUILDER_NAME}) yet",
            "Step 3 shows how an image is made from an instance; here the instance is the database "
            "builder, lab.ids['db_builder']",
        )
    named = [i for i in from_builder if i.get("Name") == IMAGE_NAME]
    image = (named or sorted(from_builder, key=lambda i: i["CreationDate"]))[-1]
    image_id = image["ImageId"]
    if image.get("Name") != IMAGE_NAME:
        fail(
            f"{image_id} is named {image.get('Name')!r}; the exercise asks for {IMAGE_NAME!r}",
            "an image cannot be renamed: deregister it and create it again with the right Name",
        )
    if not image.get("Description"):
        fail(
            f"{image_id} has no description: others choosing an image read it to know what "
            "is inside",
            "deregister it and create it again with a Description",
        )
    kept = _kept_devices(image)
    if SCRATCH_DEVICE in kept:
        fail(
            f"{image_id} keeps the scratch volume {SCRATCH_DEVICE}: every instance launched "
            "from it would get a copy of the builder's temporary files",
            "look at how Step 3 leaves a volume out (NoDevice), then deregister this image and "
            "create it again",
        )
    if DATA_DEVICE not in kept:
        fail(
            f"{image_id} leaves out the data volume {DATA_DEVICE}; keep it and leave out only "
            f"{SCRATCH_DEVICE}",
            f"name only {SCRATCH_DEVICE} with NoDevice",
        )
    tags = own_tags(image)
    if tags.get(TAG_KEY) != TAG_VALUE:
        fail(
            f"{image_id} is not tagged {TAG_KEY}={TAG_VALUE} (its tags: {tags_in_words(tags)})",
            "tags given in TagSpecifications are set as the image is made: which ResourceType "
            "is the image's? (Step 3 tags web-server-v1 that way)",
        )
    snapshot_ids = [
        m["Ebs"]["SnapshotId"]
        for m in image.get("BlockDeviceMappings", [])
        if m.get("Ebs", {}).get("SnapshotId")
    ]
    snapshots = ec2.describe_snapshots(SnapshotIds=snapshot_ids)["Snapshots"]
    untagged = [s["SnapshotId"] for s in snapshots if own_tags(s).get(TAG_KEY) != TAG_VALUE]
    if untagged:
        fail(
            f"{image_id} is tagged {TAG_KEY}={TAG_VALUE}, but its snapshots "
            f"{', '.join(untagged)} are not: tags on an image do not reach its snapshots",
            "TagSpecifications takes one entry per kind of resource: is there one for the "
            "snapshots? (Step 3 has both)",
        )
    return (
        f"{image_id} ({IMAGE_NAME}) keeps the builder's root and data volumes as "
        f"{len(snapshot_ids)} snapshots tagged {TAG_KEY}={TAG_VALUE}, and leaves the scratch "
        "volume out."
    )


@exercise(
    "create-launch-gis",
    lesson=LESSON,
    title="Launch a database server from your image, with a Name tag and its security group",
    hints=(
        "Which ID do you launch from, and how do you find it when you only know the image's name?",
        "Find your image's ID: describe_images(Owners=['self'], Filters=[{'Name': 'name', "
        "'Values': ['gis-postgres-v1']}]).",
        "run_instances takes SecurityGroupIds=[lab.ids['db_security_group']], and the Name tag "
        "in TagSpecifications=[{'ResourceType': 'instance', 'Tags': [{'Key': 'Name', 'Value': "
        "'gis-db-1'}]}].",
    ),
    solution=(
        "mine = ec2.describe_images(Owners=['self'], Filters=[\n"
        "    {'Name': 'name', 'Values': ['gis-postgres-v1']}])['Images']\n"
        "ec2.run_instances(\n"
        "    ImageId=mine[0]['ImageId'], InstanceType='t3.medium', MinCount=1, MaxCount=1,\n"
        "    SecurityGroupIds=[lab.ids['db_security_group']],\n"
        "    TagSpecifications=[{'ResourceType': 'instance',\n"
        "                        'Tags': [{'Key': 'Name', 'Value': 'gis-db-1'}]}],\n"
        ")"
    ),
)
def launch_gis(sandbox: Any) -> str:
    ec2 = sandbox.client("ec2", region=REGION)
    image = image_by_name(sandbox, "learner", IMAGE_NAME)
    if image is None:
        fail(
            f"there is no image named {IMAGE_NAME} yet: do Exercise 2.2 first",
            "create the image, wait for it, then launch from it",
        )
    image_id = image["ImageId"]  # type: ignore[index]
    launched = [i for i in _instances(ec2) if i["ImageId"] == image_id]
    if not launched:
        fail(
            f"no instance is running from your image {IMAGE_NAME} yet",
            "find its ID by its name (a name filter, as in *What is inside your image*), then "
            "launch from that ID",
        )
    named = [i for i in launched if own_tags(i).get("Name") == INSTANCE_NAME]
    if not named:
        first = launched[0]
        fail(
            f"{first['InstanceId']} runs {IMAGE_NAME}, but it is not tagged Name={INSTANCE_NAME} "
            f"(its tags: {tags_in_words(own_tags(first))})",
            "an instance's tags are given at launch: see how *Launch from your image* names "
            "its web servers",
        )
    instance = named[0]
    groups = {g["GroupId"]: g["GroupName"] for g in instance.get("SecurityGroups", [])}
    if GROUP_NAME not in groups.values():
        found = ", ".join(f"{name} ({gid})" for gid, name in groups.items())
        where = f"the security group {found}" if found else "no security group"
        fail(
            f"{instance['InstanceId']} is in {where}, not {GROUP_NAME}: "
            "clients could not reach PostgreSQL on port 5432",
            "the security group is chosen at launch: which ID does the exercise give, and which "
            "parameter of run_instances takes it?",
        )
    return (
        f"{instance['InstanceId']} ({INSTANCE_NAME}) runs {IMAGE_NAME} in the security group "
        f"{GROUP_NAME}: the database stack was there from its first boot."
    )


WEB_IMAGE_NAME = "web-server-v1"
RELEASE_KEY, RELEASE_VALUE = "Release", "1.0"


@exercise(
    "create-tag-with-cli",
    lesson=LESSON,
    title="Tag your web server image with the AWS CLI",
    hints=(
        "Which CLI command adds tags, and what does it take? The exercise names both.",
        "The image's ID is in image_id (Step 3); %aws puts a Python variable in a command with "
        "braces: --resources {image_id}. Tags are Key=...,Value=... pairs with no spaces.",
        "In a cell: %aws ec2 create-tags --resources {image_id} --tags Key=Release,Value=1.0",
    ),
    solution="%aws ec2 create-tags --resources {image_id} --tags Key=Release,Value=1.0",
)
def tag_with_cli(sandbox: Any) -> str:
    image = image_by_name(sandbox, "learner", WEB_IMAGE_NAME)
    if image is None:
        fail(
            f"you have no image named {WEB_IMAGE_NAME} in {REGION}",
            "run the cells of Step 3 (Create the image) again, then tag it",
        )
    tags = own_tags(image)  # type: ignore[arg-type]
    if RELEASE_KEY not in tags:
        fail(
            f"{image['ImageId']} ({WEB_IMAGE_NAME}) has no tag {RELEASE_KEY} "
            f"(its tags: {tags_in_words(tags)})",
            "aws ec2 create-tags takes the image's ID in --resources and the tag in --tags, "
            "as the exercise describes",
        )
    if tags[RELEASE_KEY] != RELEASE_VALUE:
        fail(
            f"{image['ImageId']} ({WEB_IMAGE_NAME}) is tagged {RELEASE_KEY}="
            f"{tags[RELEASE_KEY]!r}, not {RELEASE_KEY}={RELEASE_VALUE!r}",
            "run create-tags again with the right value: it replaces the old one",
        )
    return f"{image['ImageId']} ({WEB_IMAGE_NAME}) is tagged {RELEASE_KEY}={RELEASE_VALUE}"


@exercise(
    "create-find-data-snapshot",
    lesson=LESSON,
    title="Find the snapshot that holds gis-postgres-v1's database files",
    answers=("snapshot_id",),
    hints=(
        "Where does an image record, for each of its volumes, what a new volume is made from?",
        "describe_images gives your image's BlockDeviceMappings: one entry per device kept.",
        f"Take the entry whose DeviceName is {DATA_DEVICE}; its Ebs part holds the SnapshotId.",
        "gis = ec2.describe_images(Owners=['self'], Filters=[{'Name': 'name', "
        "'Values': ['gis-postgres-v1']}])['Images'][0]\n"
        "my_data_snapshot_id = next(m['Ebs']['SnapshotId'] for m in gis['BlockDeviceMappings'] "
        "if m['DeviceName'] == '/dev/sdf')",
    ),
    solution=(
        "gis = ec2.describe_images(Owners=['self'], Filters=[\n"
        "    {'Name': 'name', 'Values': ['gis-postgres-v1']}])['Images'][0]\n"
        "my_data_snapshot_id = next(\n"
        "    m['Ebs']['SnapshotId'] for m in gis['BlockDeviceMappings']\n"
        "    if m['DeviceName'] == '/dev/sdf'\n"
        ")"
    ),
)
def find_data_snapshot(sandbox: Any, snapshot_id: Any) -> str:
    image = image_by_name(sandbox, "learner", IMAGE_NAME)
    if image is None:
        fail(
            f"there is no image named {IMAGE_NAME} yet: do Exercise 2.2 first",
            "bake the image, then look at what it is made of",
        )
    if snapshot_id is ...:
        fail(
            "my_data_snapshot_id is still ... ; replace it with a snapshot ID such as 'snap-0abc…'"
        )
    if not isinstance(snapshot_id, str):
        fail(
            f"expected a snapshot ID, a string starting with 'snap-', but found "
            f"{type(snapshot_id).__name__}",
            "take the SnapshotId of one block device mapping, not the whole entry",
        )
    if snapshot_id.startswith("vol-"):
        fail(
            f"{snapshot_id} is a volume, a disk of an instance; the image keeps snapshots of "
            "its volumes",
            "read the image's block device mappings, not the builder's",
        )
    by_device = {
        m["DeviceName"]: m["Ebs"]["SnapshotId"]
        for m in image.get("BlockDeviceMappings", [])  # type: ignore[union-attr]
        if m.get("Ebs", {}).get("SnapshotId")
    }
    if DATA_DEVICE not in by_device:
        fail(
            f"your image {image['ImageId']} keeps no {DATA_DEVICE}: it has no database "
            "files to find (Exercise 2.2 keeps the data volume)",
            "redo Exercise 2.2, keeping the data volume",
        )
    if snapshot_id == by_device[DATA_DEVICE]:
        return (
            f"{snapshot_id} is the snapshot of {DATA_DEVICE}, the data volume: every instance "
            f"launched from {IMAGE_NAME} gets a new volume made from it, database files included."
        )
    devices = [d for d, s in by_device.items() if s == snapshot_id]
    if devices:
        fail(
            f"{snapshot_id} is the snapshot of {devices[0]}, the root volume (the system and "
            f"the software), not of the data volume {DATA_DEVICE}",
            "which device did the builder keep its database files on?",
        )
    fail(
        f"{snapshot_id} is not one of the snapshots of your image {IMAGE_NAME}",
        "read the image's block device mappings: one entry per volume it keeps",
    )
    return ""
