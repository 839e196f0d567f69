"""Checks for lesson 04, Sharing: letting the partner copy an image with create volume permission
(4.3), and making an image of your own from one you may only launch (4.4)."""

from __future__ import annotations

from typing import Any

from . import exercise, fail
from ._access import grantee_in_words, partner_can_launch
from ._keys import listed
from ._lineage import GONE, image_by_name, instances_launched_from, snapshot_ids, source_images
from ._sharing import (
    APP_IMAGE,
    HOME,
    LESSON,
    MAKE_PRIVATE,
    PARTNER,
    PARTNER_IMAGE,
    STARTING_IMAGES,
    beyond_the_lesson,
    launch_permissions,
    own_image,
    public_image_message,
    refuse_other_readers,
    snapshot_readers,
)

# -- Exercise 4.3 -------------------------------------------------------------------------------


@exercise(
    "sharing-create-volume",
    lesson=LESSON,
    title="Let the partner copy orders-app-v3: give it create volume permission",
    hints=(
        "Copying needs read access to every EBS snapshot behind the image: where does the image "
        "list them? (orders-app-v3 has two)",
        "The partner must also be able to see the image: keep its launch permission from "
        "exercise 4.1.",
        "For each SnapshotId in the image's BlockDeviceMappings: ec2.modify_snapshot_attribute("
        "SnapshotId=..., Attribute='createVolumePermission', OperationType='add', "
        "UserIds=[lab.account_id('partner')])",
    ),
    solution=(
        "image = ec2.describe_images(ImageIds=[lab.ids['app_image']])['Images'][0]\n"
        "for mapping in image['BlockDeviceMappings']:\n"
        "    ec2.modify_snapshot_attribute(\n"
        "        SnapshotId=mapping['Ebs']['SnapshotId'],\n"
        "        Attribute='createVolumePermission',\n"
        "        OperationType='add',\n"
        "        UserIds=[lab.account_id('partner')],\n"
        "    )"
    ),
)
def create_volume(sandbox: Any) -> str:
    image = own_image(sandbox)
    image_id = image["ImageId"]
    snapshots = snapshot_ids(image)
    readers = snapshot_readers(sandbox, image)
    refuse_other_readers(readers)
    granted = [s for s, grantees in readers.items() if {"UserId": PARTNER} in grantees]
    missing = [s for s in snapshots if s not in granted]
    hint = (
        "create volume permission is given on each snapshot the image's BlockDeviceMappings "
        "list: see *Let the partner copy*"
    )
    if not granted:
        fail(
            f"the partner {PARTNER} has no create volume permission on {APP_IMAGE}'s snapshots "
            f"({', '.join(snapshots)}), so it cannot copy the image",
            hint,
        )
    if missing:
        fail(
            f"the partner may create volumes from {', '.join(granted)} but not from "
            f"{', '.join(missing)}: copying {image_id} needs every one of its "
            f"{len(snapshots)} snapshots",
            hint,
        )
    # What the partner's CopyImage needs, by the sandbox's own rules: to see the image (by any
    # route) and to read every snapshot.
    if not partner_can_launch(image_id, HOME, PARTNER):
        fail(
            f"the partner may read every snapshot of {image_id}, but the image itself is not "
            "shared with it, so it cannot find the image to copy it",
            "share the image with the partner too, as in exercise 4.1",
        )
    permissions = launch_permissions(sandbox, image_id)
    if {"Group": "all"} in permissions:
        fail(public_image_message(image), MAKE_PRIVATE)
    extra = beyond_the_lesson(permissions)  # the customer's share is exercise 4.2's
    if extra:
        words = listed([grantee_in_words(p) for p in extra])
        fail(
            f"the partner can copy {APP_IMAGE} ({image_id}), but the image is also shared with "
            f"{words}: more accounts can launch it than the partner",
            "share it with the partner's account ID only, as exercise 4.1 asks: take back the "
            "other launch permissions",
        )
    return (
        f"the partner can now copy {APP_IMAGE} ({image_id}): it may launch the image and create "
        f"volumes from all {len(snapshots)} of its snapshots. A copy it makes is its own."
    )


# -- Exercise 4.4 -------------------------------------------------------------------------------


@exercise(
    "sharing-make-your-own",
    lesson=LESSON,
    title="Make an image of your own from partner-tools-v2, which you may only launch",
    hints=(
        "copy_image is refused: the partner gave you no create volume permission. "
        "What can you do with an image you may launch?",
        "Launch an instance from lab.ids['partner_image'] with run_instances.",
        "Then ec2.create_image(InstanceId=..., Name='my-tools-v2') makes an image from your "
        "instance, in your account.",
    ),
    solution=(
        "answer = ec2.run_instances(ImageId=lab.ids['partner_image'], InstanceType='t3.micro',\n"
        "                           MinCount=1, MaxCount=1)\n"
        "instance_id = answer['Instances'][0]['InstanceId']\n"
        "my_tools_image = ec2.create_image(InstanceId=instance_id, Name='my-tools-v2')['ImageId']"
    ),
)
def make_your_own(sandbox: Any) -> str:
    tools = image_by_name(sandbox, "partner", PARTNER_IMAGE)
    if tools is None:
        fail(
            f"the partner's {PARTNER_IMAGE} is no longer shared with you",
            "start the lesson over with lab.reset()",
        )
    tools_id = tools["ImageId"]  # type: ignore[index]
    made = source_images(sandbox, skip=STARTING_IMAGES)
    mine = [image for image, (_i, source) in made.items() if source == tools_id]
    if mine:
        instance = made[mine[0]][0]
        return (
            f"{mine[0]} is yours: created from {instance}, which you launched from the "
            f"partner's {PARTNER_IMAGE}. You own it and pay for its storage, and the partner "
            "never gave you create volume permission."
        )
    launched = instances_launched_from(sandbox, tools_id, states=True)
    usable = [i for i, state in launched if state not in GONE]
    if usable:
        fail(
            f"you launched {usable[0]} from {PARTNER_IMAGE} ({tools_id}); now create an image "
            "from that instance",
            f"create an image from {usable[0]}, as lesson 2 does from its builder",
        )
    if launched:
        instance, state = launched[0]
        fail(
            f"you launched {instance} from {PARTNER_IMAGE} ({tools_id}), but it is {state}: an "
            "image can only be created from a running or stopped instance",
            "launch a new instance from lab.ids['partner_image'] with run_instances, then "
            "create_image from that one",
        )
    if made:
        image, (instance, source) = next(iter(made.items()))
        fail(
            f"{image} was created from {instance}, an instance of {source}, not of "
            f"{PARTNER_IMAGE} ({tools_id})",
            "launch the instance from lab.ids['partner_image']",
        )
    fail(
        f"you own no image made from {PARTNER_IMAGE} ({tools_id}) yet",
        "launch an instance from it with run_instances, then create_image from that instance",
    )
    return ""
