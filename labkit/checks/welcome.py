"""Checks for lesson 00, Welcome: find an image by its name in a Region, then launch it."""

from __future__ import annotations

from typing import Any

from ..accounts import ACCOUNTS
from ..catalog import catalog_images, image_id
from . import exercise, fail

LESSON = "00-welcome"
REGION = "eu-west-1"
KEY = "al2023-x86_64"


def _describe_catalog_key(image: str) -> str | None:
    for entry in catalog_images():
        if entry["image_id"] == image:
            return f"the {entry['key']} image in {entry['region']}"
    return None


@exercise(
    "welcome-find-image",
    lesson=LESSON,
    title="Find the Amazon Linux 2023 (x86_64) image in eu-west-1",
    answers=("image_id",),
    hints=(
        "Which Region does the exercise ask about, and which client asks that Region? "
        "(lab.client takes region=...)",
        "Ask for Amazon's images with a name filter, as in *Narrow the list with a filter*: the "
        "name 'al2023-ami-2023*' and the architecture 'x86_64'.",
        "Of several releases, the newest CreationDate wins: max(images, key=lambda i: "
        "i['CreationDate'])['ImageId'].",
    ),
    solution=(
        "ec2_eu = lab.client('ec2', region='eu-west-1')\n"
        "images = ec2_eu.describe_images(Owners=['amazon'], Filters=[\n"
        "    {'Name': 'name', 'Values': ['al2023-ami-2023*']},\n"
        "    {'Name': 'architecture', 'Values': ['x86_64']}])['Images']\n"
        "my_image_id = max(images, key=lambda i: i['CreationDate'])['ImageId']"
    ),
)
def find_image(sandbox: Any, image_id: Any) -> str:
    expected = _expected_image()
    if image_id is ...:
        fail("my_image_id is still ... ; replace it with an image ID such as 'ami-0abc…'")
    if not isinstance(image_id, str) or not image_id.startswith("ami-"):
        fail(
            f"expected an image ID, a string starting with 'ami-', but found {image_id!r}",
            "take the 'ImageId' field of one image from describe_images, not the whole answer",
        )
    if image_id == expected:
        return f"{image_id} is Amazon Linux 2023 for x86_64 in {REGION}."
    found = _describe_catalog_key(image_id)
    if found and found.endswith(f"in {REGION}"):
        fail(
            f"{image_id} is {found}, not the newest Amazon Linux 2023 image for x86_64",
            "filter on architecture x86_64 and keep the newest CreationDate",
        )
    if found:
        fail(
            f"{image_id} is {found}: image IDs differ from Region to Region, and this "
            f"exercise asks for {REGION}",
            "make the client with region='eu-west-1'",
        )
    fail(f"{image_id} is not one of the catalogue's images in {REGION}")
    return ""


def _expected_image() -> str:
    """The newest Amazon Linux 2023 x86_64 image of the catalogue in the exercise's Region."""
    return image_id(KEY, REGION)


@exercise(
    "welcome-launch",
    lesson=LESSON,
    title="Launch one instance from that image in eu-west-1",
    hints=(
        "Which Region is your image in, and which of your clients asks that Region? An image ID "
        "only means something in its own Region.",
        "run_instances on the eu-west-1 client, with ImageId=my_image_id and the instance type "
        "and count the exercise asks for.",
        "InstanceType='t3.micro', MinCount=1, MaxCount=1.",
    ),
    solution=(
        "ec2_eu.run_instances(ImageId=my_image_id, InstanceType='t3.micro', MinCount=1, MaxCount=1)"
    ),
)
def launch(sandbox: Any) -> str:
    expected = _expected_image()
    ec2 = sandbox.client("ec2", region=REGION)
    instances = [
        instance
        for reservation in ec2.describe_instances()["Reservations"]
        for instance in reservation["Instances"]
        if instance["State"]["Name"] in ("pending", "running")
    ]
    if not instances:
        elsewhere = [
            r for r in sandbox.client("ec2").describe_instances()["Reservations"] if r["Instances"]
        ]
        if elsewhere:
            fail(
                f"no instance is running in {REGION}; the learner account "
                f"{ACCOUNTS['learner']} has one in us-east-1 instead",
                "make the client with region='eu-west-1' and launch there",
            )
        fail(
            f"no instance is running in {REGION} yet", "call run_instances on the eu-west-1 client"
        )
    if not any(i["ImageId"] == expected for i in instances):
        used = ", ".join(sorted({i["ImageId"] for i in instances}))
        fail(
            "expected an instance launched from the image of Exercise 0.1 (the newest Amazon "
            f"Linux 2023 for x86_64 in {REGION}), found instances from {used}",
            "pass ImageId=my_image_id",
        )
    return f"an instance from {expected} is running in {REGION}."
