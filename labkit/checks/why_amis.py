"""Checks for lesson 01, Why AMIs: user data at launch, what baking saves a fleet (the boot model),
the newest trusted image, a paid image."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from botocore.exceptions import ClientError

from .. import boot_model
from ..accounts import REGIONS
from ..catalog import catalog_images
from ..catalog import image_id as catalog_image_id
from ..scenarios import LOOKALIKE_IMAGES, STRANGER_ACCOUNT
from . import exercise, fail

LESSON = "01-why-amis"
HOME = "us-east-1"
ARM_REGION = "us-west-2"
PAID_REGION = "eu-west-1"


def _catalog_entry(image: str) -> dict[str, Any] | None:
    for entry in catalog_images():
        if entry["image_id"] == image:
            return entry
    return None


def _require_image_id(image: Any, variable: str) -> str:
    if image is ...:
        fail(f"{variable} is still ... ; replace it with an image ID such as 'ami-0abc…'")
    if not isinstance(image, str) or not image.startswith("ami-"):
        fail(
            f"expected an image ID, a string starting with 'ami-', but found {image!r}",
            "take the 'ImageId' field of one image from describe_images, not the whole answer",
        )
    return image


# -- Exercise 1.1 -------------------------------------------------------------------------------


def _find_instance(sandbox: Any, instance_id: str) -> tuple[str, dict[str, Any]] | None:
    """The Region and description of an instance of the learner's, searching every lab Region."""
    for region in (HOME, *[r for r in REGIONS if r != HOME]):
        ec2 = sandbox.client("ec2", region=region)
        try:
            answer = ec2.describe_instances(InstanceIds=[instance_id])
        except ClientError:
            continue
        for reservation in answer["Reservations"]:
            for instance in reservation["Instances"]:
                return region, instance
    return None


def _looks_like_base64_script(text: str) -> bool:
    try:
        return base64.b64decode(text.strip(), validate=True).startswith(b"#!")
    except (binascii.Error, ValueError):
        return False


@exercise(
    "why-user-data",
    lesson=LESSON,
    title="Launch an instance whose user data installs PostgreSQL at first boot",
    answers=("instance_id",),
    hints=(
        "What does an instance run at its first boot, and which run_instances parameter hands it "
        "over?",
        "A user data script: a string whose first line is #!/bin/bash, and one line that installs "
        "the database, dnf install -y postgresql16-server. run_instances takes it as UserData; "
        "boto3 encodes it for you.",
        "run_instances(ImageId=lab.ids['base_image'], InstanceType='t3.micro', MinCount=1, "
        "MaxCount=1, UserData=script); the instance's ID is in the answer, "
        "['Instances'][0]['InstanceId'].",
    ),
    solution=(
        'db_script = """#!/bin/bash\n'
        "dnf install -y postgresql16-server\n"
        "postgresql-setup --initdb\n"
        "systemctl enable --now postgresql\n"
        '"""\n'
        "answer = ec2.run_instances(ImageId=lab.ids['base_image'], InstanceType='t3.micro',\n"
        "                           MinCount=1, MaxCount=1, UserData=db_script)\n"
        "my_instance_id = answer['Instances'][0]['InstanceId']"
    ),
)
def user_data(sandbox: Any, instance_id: Any) -> str:
    if instance_id is ...:
        fail(
            "my_instance_id is still ... ; replace it with the ID of the instance you launched "
            "('i-…')"
        )
    if not isinstance(instance_id, str) or not instance_id.startswith("i-"):
        fail(
            f"expected an instance ID, a string starting with 'i-', but found {instance_id!r}",
            "take ['Instances'][0]['InstanceId'] from the answer of run_instances",
        )
    found = _find_instance(sandbox, instance_id)
    if found is None:
        fail(f"there is no instance {instance_id} in the learner account")
    region, instance = found  # type: ignore[misc]
    if region != HOME:
        fail(
            f"{instance_id} is in {region}; this exercise asks for one in {HOME}",
            "launch it with ec2 = lab.client('ec2'), the us-east-1 client",
        )
    if instance["State"]["Name"] not in ("pending", "running"):
        fail(
            f"{instance_id} is {instance['State']['Name']}, not running",
            "launch a new instance",
        )
    ec2 = sandbox.client("ec2", region=HOME)
    encoded = ec2.describe_instance_attribute(InstanceId=instance_id, Attribute="userData")
    value = encoded.get("UserData", {}).get("Value")
    if not value:
        fail(
            f"{instance_id} was launched without user data, so it boots with nothing installed",
            "pass UserData=your_script to run_instances: user data is given at launch",
        )
    script = base64.b64decode(value).decode("utf-8", errors="replace")
    if _looks_like_base64_script(script):
        fail(
            f"the user data of {instance_id} is base64 text, not a script: boto3 already encodes "
            "UserData, so it was encoded twice",
            "pass the script itself, a plain str, as UserData",
        )
    first_line = script.splitlines()[0] if script.strip() else ""
    if not first_line.startswith("#!"):
        fail(
            f"the user data of {instance_id} starts with {first_line!r}, not '#!': "
            "cloud-init runs user data as a script only when its first line names the program "
            "that runs it",
            "make the first line #!/bin/bash",
        )
    if "postgresql" not in script.lower():
        fail(
            f"the user data of {instance_id} does not install PostgreSQL "
            "(the word 'postgresql' is not in it)",
            "add the line: dnf install -y postgresql16-server",
        )
    return (
        f"{instance_id} carries your script; on a real instance it would install PostgreSQL at "
        "first boot, and every new instance would install it again."
    )


# -- Exercise 1.2 -------------------------------------------------------------------------------

#: Exercise 1.2's fleet: 40 instances, 5 packages, a slow mirror (2 minutes a package).
FLEET, PACKAGES, SLOW_INSTALL_SECONDS = 40, 5, 120.0


def _minutes_sooner(count: int, packages: int, install_seconds: float) -> float:
    figures = boot_model.Assumptions(install_seconds_per_package=install_seconds)
    fleet = boot_model.compare(count, packages, figures)
    return (fleet["user data"][-1] - fleet["baked image"][-1]) / 60


@exercise(
    "why-baking-saves",
    lesson=LESSON,
    title="With the boot model, how many minutes sooner is a 40-instance fleet ready, baked?",
    answers=("minutes",),
    hints=(
        "Which of the model's figures does the slow mirror change? Look at boot_model.DEFAULT.",
        "boot_model.Assumptions(...) takes the figure to change by name (see the cell that "
        "passes your own figures); compare(count, packages, assumptions) gives both ways.",
        "Take the last ready time of each way, subtract, and divide the seconds by 60.",
        "slow_mirror = boot_model.Assumptions(install_seconds_per_package=120)\n"
        "sale_day = boot_model.compare(40, 5, slow_mirror)\n"
        "my_minutes_sooner = (sale_day['user data'][-1] - sale_day['baked image'][-1]) / 60",
    ),
    solution=(
        "slow_mirror = boot_model.Assumptions(install_seconds_per_package=120)\n"
        "sale_day = boot_model.compare(40, 5, slow_mirror)\n"
        "my_minutes_sooner = (sale_day['user data'][-1] - sale_day['baked image'][-1]) / 60"
    ),
)
def baking_saves(sandbox: Any, minutes: Any) -> str:
    del sandbox  # the answer is a reading of the model, not a state of the sandbox
    if minutes is ...:
        fail("my_minutes_sooner is still ... ; replace it with a number of minutes")
    if isinstance(minutes, bool) or not isinstance(minutes, (int, float)):
        fail(
            f"expected a number of minutes, such as 4.5, but found {type(minutes).__name__}",
            "take the difference of two ready times, in seconds, and turn it into minutes",
        )
    right = _minutes_sooner(FLEET, PACKAGES, SLOW_INSTALL_SECONDS)
    if abs(minutes - right) < 0.05:
        return (
            f"{right:g} minutes sooner, for every instance of the fleet, not just the last: "
            "user data repeats the updates and every install at each boot. The slower the "
            "install, the more a baked image saves."
        )
    if abs(minutes - right * 60) < 1:
        fail(f"{minutes:g} is the saving in seconds; the exercise asks for minutes")
    if abs(minutes - _minutes_sooner(FLEET, PACKAGES, 45.0)) < 0.05:
        fail(
            f"{minutes:g} minutes is the saving with the default install time (45 seconds a "
            "package); on sale days the mirror is slower",
            "which figure of boot_model.Assumptions is the install time of one package?",
        )
    if minutes < 0:
        fail(
            f"{minutes:g} is negative: the baked image is the sooner one",
            "subtract the baked image's ready time from user data's",
        )
    fail(
        f"{minutes:g} minutes is not what the model gives for 40 instances, 5 packages and "
        "2 minutes a package",
        "check the count, the packages and the install time you gave the model",
    )


# -- Exercise 1.3 -------------------------------------------------------------------------------


@exercise(
    "why-newest-arm64",
    lesson=LESSON,
    title="Find the newest Amazon Linux 2023 image for arm64 in us-west-2",
    answers=("image_id",),
    hints=(
        "Which Region, and whose images? Anyone can name an image 'al2023-ami-…'.",
        "Make a client for us-west-2 (lab.client('ec2', region='us-west-2')), and filter on the "
        "name 'al2023-ami-2023*' and the architecture 'arm64'.",
        "Ask only for Amazon's images, with Owners=['amazon'], as *Who publishes images* does.",
        "Of the images left, the newest CreationDate wins: max(images, key=lambda i: "
        "i['CreationDate']).",
    ),
    solution=(
        "ec2_west = lab.client('ec2', region='us-west-2')\n"
        "images = ec2_west.describe_images(Owners=['amazon'], Filters=[\n"
        "    {'Name': 'name', 'Values': ['al2023-ami-2023*']},\n"
        "    {'Name': 'architecture', 'Values': ['arm64']}])['Images']\n"
        "my_arm_image_id = max(images, key=lambda i: i['CreationDate'])['ImageId']"
    ),
)
def newest_arm64(sandbox: Any, image_id: Any) -> str:
    image = _require_image_id(image_id, "my_arm_image_id")
    expected = catalog_image_id("al2023-arm64", ARM_REGION)
    if image == expected:
        return (
            f"{image} is Amazon's newest Amazon Linux 2023 image for arm64 in {ARM_REGION}, "
            "published by the owner alias 'amazon'."
        )
    for region, lookalike in LOOKALIKE_IMAGES.items():
        if image == lookalike:
            where = "" if region == ARM_REGION else f" (and it is in {region}, not {ARM_REGION})"
            fail(
                f"{image} is named like Amazon Linux, but it belongs to {STRANGER_ACCOUNT}, an "
                f"account with no verified alias: anyone can give an image any name{where}",
                "whose images did you ask for? See *Who publishes images: owners and aliases*",
            )
    entry = _catalog_entry(image)
    if entry is None:
        fail(f"{image} is not one of the public images in {ARM_REGION}")
    key, region = entry["key"], entry["region"]  # type: ignore[index]
    if region != ARM_REGION:
        fail(
            f"{image} is the {key} image in {region}: image IDs differ from Region to Region, "
            f"and this exercise asks for {ARM_REGION}",
            "make the client with region='us-west-2'",
        )
    if key == "al2023-arm64-previous":
        fail(
            f"{image} is the previous release ({entry['name']}), not the newest",  # type: ignore[index]
            "keep the image with the latest CreationDate",
        )
    if key.startswith("al2023-x86_64"):
        fail(
            f"{image} is Amazon Linux 2023 for x86_64 (Intel and AMD), not arm64 (Graviton)",
            "add the filter {'Name': 'architecture', 'Values': ['arm64']}",
        )
    fail(
        f"{image} is {entry['name']}, not Amazon Linux 2023",  # type: ignore[index]
        "filter on the name 'al2023-ami-2023*'",
    )
    return ""


# -- Exercise 1.4 -------------------------------------------------------------------------------


@exercise(
    "why-marketplace-image",
    lesson=LESSON,
    title="Find the image in eu-west-1 that is sold through AWS Marketplace",
    answers=("image_id",),
    hints=(
        "Who publishes images sold through AWS Marketplace? Look at the owner aliases.",
        "Marketplace images are published under the owner alias 'aws-marketplace'; ask "
        "eu-west-1 (lab.client('ec2', region='eu-west-1')).",
        "A Marketplace image carries a product code: look at its ProductCodes. "
        "describe_images(Owners=['aws-marketplace']) on the eu-west-1 client lists it.",
    ),
    solution=(
        "ec2_eu = lab.client('ec2', region='eu-west-1')\n"
        "paid = ec2_eu.describe_images(Owners=['aws-marketplace'])['Images']\n"
        "my_paid_image_id = paid[0]['ImageId']"
    ),
)
def marketplace_image(sandbox: Any, image_id: Any) -> str:
    image = _require_image_id(image_id, "my_paid_image_id")
    expected = catalog_image_id("marketplace-hardened-al2023", PAID_REGION)
    entry = _catalog_entry(image)
    if image == expected:
        codes = ", ".join(p["ProductCodeId"] for p in entry["product_codes"])  # type: ignore[index]
        return (
            f"{image} is sold through AWS Marketplace (product code {codes}): its software is "
            "charged per hour on top of the instance."
        )
    if image in LOOKALIKE_IMAGES.values():
        fail(f"{image} is a stranger's free look-alike of Amazon Linux, not a Marketplace image")
    if entry is None:
        fail(f"{image} is not one of the public images in {PAID_REGION}")
    key, region = entry["key"], entry["region"]  # type: ignore[index]
    if region != PAID_REGION:
        fail(
            f"{image} is the {key} image in {region}: image IDs differ from Region to Region, "
            f"and this exercise asks for {PAID_REGION}",
            "make the client with region='eu-west-1'",
        )
    if key.startswith("windows"):
        fail(
            f"{image} is Windows Server: its licence is paid through a higher hourly price for "
            "the instance, but it is Amazon's own image, with no Marketplace product code",
            "look for the owner alias 'aws-marketplace'",
        )
    fail(
        f"{image} is {entry['name']}: it has no product code, so its software is free",  # type: ignore[index]
        "look for the owner alias 'aws-marketplace'",
    )
    return ""
