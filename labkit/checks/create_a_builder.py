"""Checks for lesson 02, Create an AMI: launch a builder from the base image and customise it
(exercise 2.1). Baking and launching from the image are ``create_an_ami``.

The sandbox runs no software, so the check judges what EC2 records about the builder: the image
it was launched from, its instance type, its Name tag, and the software ``lab.install`` put on
its root volume (shown as the ``amilab:installed`` tag, as on AWS you would log in and look).
"""

from __future__ import annotations

from typing import Any

from ..catalog import INSTALLED_TAG, image_id
from . import exercise, fail
from ._lineage import GONE, own_tags, tags_in_words

LESSON = "02-create-an-ami"
REGION = "us-east-1"
BUILDER_NAME = "api-builder"
BUILDER_TYPE = "t3.small"
#: What the orders API needs on its builder (package names as ``lab.install`` knows them).
PACKAGES = ("nodejs20", "git")


def _installed(instance: dict[str, Any]) -> list[str]:
    """The software on the instance's disks, as the sandbox records it."""
    for tag in instance.get("Tags", []):
        if tag["Key"] == INSTALLED_TAG:
            return [p for p in tag["Value"].split(",") if p]
    return []


def _all_instances(ec2: Any) -> list[dict[str, Any]]:
    return [i for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]]


def _builder(ec2: Any) -> dict[str, Any]:
    """The learner's builder: the instance tagged Name=api-builder that is not terminated."""
    named = [i for i in _all_instances(ec2) if own_tags(i).get("Name") == BUILDER_NAME]
    alive = [i for i in named if i["State"]["Name"] not in GONE]
    if alive:
        # With several, judge the one that got furthest: the base image, the size, the software.
        base = image_id("al2023-x86_64", REGION)
        return max(
            alive,
            key=lambda i: (
                i["ImageId"] == base,
                i["InstanceType"] == BUILDER_TYPE,
                len(_installed(i)),
            ),
        )
    if named:
        gone = named[-1]
        fail(
            f"{gone['InstanceId']} ({BUILDER_NAME}) is {gone['State']['Name']}: software can "
            "only be installed on a running instance",
            "launch a new builder; a terminated instance cannot be started again",
        )
    others = [
        i
        for i in _all_instances(ec2)
        if i["State"]["Name"] not in GONE and i["InstanceType"] == BUILDER_TYPE
    ]
    found = ""
    if others:
        tags = own_tags(others[0])
        found = (
            f" ({others[0]['InstanceId']} is a {BUILDER_TYPE}, "
            f"{'tagged ' + tags_in_words(tags) if tags else 'with no tags'})"
        )
    fail(
        f"no running instance is tagged Name={BUILDER_NAME} yet{found}",
        "tags are given at launch: see how Step 1 names web-builder",
    )
    return {}


@exercise(
    "create-customise-builder",
    lesson=LESSON,
    title="Launch a builder for the orders API from the base image, and install its software",
    hints=(
        "Which image does Step 1 launch from, and how does it give the instance a name?",
        "run_instances takes ImageId=lab.ids['base_image'], InstanceType='t3.small', and the "
        "Name tag in TagSpecifications (as Step 1 does for web-builder); then lab.install takes "
        "the instance's ID and the packages.",
        "api_builder_id = ec2.run_instances(ImageId=lab.ids['base_image'], "
        "InstanceType='t3.small', MinCount=1, MaxCount=1, TagSpecifications=[{'ResourceType': "
        "'instance', 'Tags': [{'Key': 'Name', 'Value': 'api-builder'}]}])['Instances'][0]"
        "['InstanceId'], then lab.install(api_builder_id, 'nodejs20', 'git')",
    ),
    solution=(
        "api_tag = {'Key': 'Name', 'Value': 'api-builder'}\n"
        "answer = ec2.run_instances(\n"
        "    ImageId=lab.ids['base_image'],\n"
        "    InstanceType='t3.small',\n"
        "    MinCount=1,\n"
        "    MaxCount=1,\n"
        "    TagSpecifications=[{'ResourceType': 'instance', 'Tags': [api_tag]}],\n"
        ")\n"
        "api_builder_id = answer['Instances'][0]['InstanceId']\n"
        "lab.install(api_builder_id, 'nodejs20', 'git')"
    ),
)
def customise_builder(sandbox: Any) -> str:
    ec2 = sandbox.client("ec2", region=REGION)
    builder = _builder(ec2)
    instance_id = builder["InstanceId"]
    base = image_id("al2023-x86_64", REGION)
    if builder["ImageId"] != base:
        fail(
            f"{instance_id} ({BUILDER_NAME}) was launched from {builder['ImageId']}, not from the "
            f"base image {base} (Amazon Linux 2023 for x86_64)",
            "the image cannot be changed after launch: terminate this builder and launch "
            "another from the image Step 1 uses",
        )
    if builder["InstanceType"] != BUILDER_TYPE:
        fail(
            f"{instance_id} ({BUILDER_NAME}) is a {builder['InstanceType']}; the exercise asks "
            f"for a {BUILDER_TYPE}",
            "the instance type is one of the launch's choices: launch another builder, and "
            "terminate this one so that it does not run on",
        )
    installed = _installed(builder)
    missing = [p for p in PACKAGES if p not in installed]
    if missing:
        has = f"only {', '.join(installed)} installed" if installed else "nothing installed yet"
        fail(
            f"{instance_id} ({BUILDER_NAME}) has {has}; the orders API still needs "
            f"{', '.join(missing)}" + _elsewhere(ec2, instance_id, missing),
            "Step 2 shows the lab's stand-in for logging in and installing: which packages does "
            "the exercise name, and which instance does lab.install put them on?",
        )
    strays = [
        i["InstanceId"]
        for i in _all_instances(ec2)
        if own_tags(i).get("Name") == BUILDER_NAME
        and i["State"]["Name"] not in GONE
        and i["InstanceId"] != instance_id
    ]
    stray = (
        f" {', '.join(strays)}, another {BUILDER_NAME} from an earlier try, "
        f"{'is' if len(strays) == 1 else 'are'} still running: on AWS every running instance "
        "is billed by the hour, so terminate what you no longer need."
        if strays
        else ""
    )
    return (
        f"{instance_id} ({BUILDER_NAME}) is a {BUILDER_TYPE} launched from the base image {base}, "
        f"with {', '.join(PACKAGES)} on its root volume: ready to be baked into an image." + stray
    )


def _elsewhere(ec2: Any, builder_id: str, missing: list[str]) -> str:
    """Where the missing packages went instead, if another running instance has them all."""
    for instance in _all_instances(ec2):
        if instance["InstanceId"] == builder_id or instance["State"]["Name"] in GONE:
            continue
        if all(p in _installed(instance) for p in missing):
            name = own_tags(instance).get("Name")
            where = f"{instance['InstanceId']} ({name})" if name else instance["InstanceId"]
            return f" ({', '.join(missing)} went on {where} instead)"
    return ""
