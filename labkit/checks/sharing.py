"""Checks for lesson 04, Sharing: launch-only sharing, the public trap, create volume permission,
making an image of your own from one you may only launch, and sharing with an OU."""

from __future__ import annotations

from typing import Any

from ..accounts import ACCOUNTS, ORGANIZATION_ARN, ORGANIZATIONAL_UNITS
from . import exercise, fail
from ._access import (
    copy_blockers,
    extra_grantees,
    grantee_in_words,
    partner_can_launch,
)
from ._keys import listed
from ._lineage import GONE, image_by_name, instances_launched_from, snapshot_ids, source_images

LESSON = "04-sharing"
HOME = "us-east-1"
APP_IMAGE = "orders-app-v3"
PARTNER_IMAGE = "partner-tools-v2"
#: The images the lesson starts with (not made by the learner).
STARTING_IMAGES = ("web-server-v1", APP_IMAGE)
PARTNER = ACCOUNTS["partner"]
WEB_IMAGE = "web-server-v1"
PARTNERS_OU = str(ORGANIZATIONAL_UNITS["partners"]["arn"])


def _app_image(sandbox: Any) -> dict[str, Any]:
    image = image_by_name(sandbox, "learner", APP_IMAGE)
    if image is None:
        fail(
            f"your image {APP_IMAGE} is gone (deregistered?)",
            "start the lesson over with lab.reset(), then redo the exercises",
        )
    return image  # type: ignore[return-value]


def _launch_permissions(sandbox: Any, image_id: str) -> list[dict[str, str]]:
    ec2 = sandbox.client("ec2")
    return ec2.describe_image_attribute(ImageId=image_id, Attribute="launchPermission")[
        "LaunchPermissions"
    ]


def _volume_permissions(sandbox: Any, snapshot_id: str) -> list[dict[str, str]]:
    ec2 = sandbox.client("ec2")
    return ec2.describe_snapshot_attribute(
        SnapshotId=snapshot_id, Attribute="createVolumePermission"
    )["CreateVolumePermissions"]


def _are(items: list[str]) -> str:
    return "is" if len(items) == 1 else "are"


def _public_image_message(image: dict[str, Any]) -> str:
    return f"{APP_IMAGE} ({image['ImageId']}) is public: every AWS account can find and launch it"


_MAKE_PRIVATE = (
    "make it private again: take the group all back out of its launch permissions (the round "
    "trip under *Public images, and block public access* shows how), then turn block public "
    "access back on"
)


# -- Exercise 4.1 -------------------------------------------------------------------------------


@exercise(
    "sharing-launch-only",
    lesson=LESSON,
    title="Share orders-app-v3 with the partner so it can launch it, but not copy it",
    hints=(
        "Who may launch an image is kept in its launch permissions: which kind of grantee names "
        "one account?",
        "ec2.modify_image_attribute changes them; the image is lab.ids['app_image'] and the "
        "partner's account ID is lab.account_id('partner'). Leave its snapshots alone.",
        "ec2.modify_image_attribute(ImageId=lab.ids['app_image'], "
        "LaunchPermission={'Add': [{'UserId': lab.account_id('partner')}]})",
    ),
    solution=(
        "ec2.modify_image_attribute(\n"
        "    ImageId=lab.ids['app_image'],\n"
        "    LaunchPermission={'Add': [{'UserId': lab.account_id('partner')}]},\n"
        ")"
    ),
)
def launch_only(sandbox: Any) -> str:
    image = _app_image(sandbox)
    image_id = image["ImageId"]
    permissions = _launch_permissions(sandbox, image_id)
    if {"Group": "all"} in permissions:
        fail(_public_image_message(image), _MAKE_PRIVATE)
    _require_partner_by_account_id(image_id, permissions)
    # Exercise 4.3 adds create volume permission for the partner on every snapshot; this
    # exercise is judged on its own part (who may launch), so a finished 4.3 does not undo it.
    readers = _snapshot_readers(sandbox, image)
    _refuse_other_readers(readers)
    partial = [s for s, grantees in readers.items() if {"UserId": PARTNER} in grantees]
    if partial and len(partial) < len(readers):
        fail(
            f"the partner can launch {image_id}, and it may also create volumes from "
            f"{', '.join(partial)}, so it can read everything on "
            f"{'that disk' if len(partial) == 1 else 'those disks'}: this exercise shares for "
            "launching only",
            "take that create volume permission back (the 'remove' operation), or, if you are "
            "doing exercise 4.3, grant every snapshot",
        )
    if partial and not copy_blockers(image_id, HOME, PARTNER):
        return (
            f"{APP_IMAGE} ({image_id}) is shared with the partner {PARTNER} alone, by its "
            "account ID. It may also create volumes from every snapshot, so it can copy the "
            "image too: that is exercise 4.3's create volume permission, checked there."
        )
    return (
        f"{APP_IMAGE} ({image_id}) is shared with the partner {PARTNER}: it can launch it, "
        "but it cannot copy it (no create volume permission on its snapshots)."
    )


def _require_partner_by_account_id(image_id: str, permissions: list[dict[str, str]]) -> None:
    """The image is shared with the partner's account ID, and with nobody else."""
    extra = extra_grantees(permissions, PARTNER)
    words = listed([grantee_in_words(p) for p in extra])
    if {"UserId": PARTNER} not in permissions:
        hint = "which grantee names one account? See *Share with one account*" + (
            "; then take back the others, as in *Take a share back*" if extra else ""
        )
        if partner_can_launch(image_id, HOME, PARTNER):
            fail(
                f"the partner can launch {APP_IMAGE} ({image_id}), but only through {words}: "
                "share it with the partner's account ID, and with nobody else",
                hint,
            )
        if extra:
            fail(
                f"{APP_IMAGE} ({image_id}) is shared with {words}, not with the partner account "
                f"{PARTNER}",
                hint,
            )
        fail(f"{APP_IMAGE} ({image_id}) is shared with nobody yet: it is still private", hint)
    if extra:
        fail(
            f"{APP_IMAGE} ({image_id}) is shared with the partner, but also with {words}: more "
            "accounts can launch it than the exercise asks",
            "take back the launch permissions that are not the partner's account ID, as in "
            "*Take a share back*",
        )


def _snapshot_readers(sandbox: Any, image: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    """Each snapshot of the image, with who may create volumes from it besides its owner."""
    return {s: _volume_permissions(sandbox, s) for s in snapshot_ids(image)}


def _refuse_other_readers(readers: dict[str, list[dict[str, str]]]) -> None:
    """Fail if anyone but the partner may create volumes from (and so read) a snapshot."""
    public = [s for s, grantees in readers.items() if {"Group": "all"} in grantees]
    if public:
        fail(
            f"{', '.join(public)} {_are(public)} public: any AWS account can create volumes "
            "from it and read your data",
            "take the group all off that snapshot's create volume permission; only the "
            "partner's account should be on it",
        )
    for snapshot, grantees in readers.items():
        extra = extra_grantees(grantees, PARTNER)
        if extra:
            users = [p["UserId"] for p in extra if "UserId" in p]
            fail(
                f"{listed([grantee_in_words(p) for p in extra])} may also create volumes from "
                f"{snapshot}, and so read your data: only the partner should",
                f"take {'that permission' if len(users) < 2 else 'those permissions'} back on "
                f"{snapshot} (the 'remove' operation)",
            )


# -- Exercise 4.2 -------------------------------------------------------------------------------


@exercise(
    "sharing-public-blocked",
    lesson=LESSON,
    title="Asked to publish orders-app-v3: try, read AWS's refusal, keep it private",
    answers=("error_code",),
    hints=(
        "What does AWS do when an image is made public while block public access is on? "
        "Try it and read the answer: try_call prints it and lets the notebook go on.",
        "Making an image public is a launch permission for the group all (the form is under "
        "*Public images, and block public access*). The error code is the first word try_call "
        "prints, before the dash.",
        "try_call(ec2.modify_image_attribute, ImageId=lab.ids['app_image'], "
        "LaunchPermission={'Add': [{'Group': 'all'}]}), then my_error_code = the code it printed.",
    ),
    solution=(
        "try_call(\n"
        "    ec2.modify_image_attribute,\n"
        "    ImageId=lab.ids['app_image'],\n"
        "    LaunchPermission={'Add': [{'Group': 'all'}]},\n"
        ")\n"
        "my_error_code = 'OperationNotPermitted'  # the code try_call printed"
    ),
)
def public_blocked(sandbox: Any, error_code: Any) -> str:
    image = _app_image(sandbox)
    image_id = image["ImageId"]
    if {"Group": "all"} in _launch_permissions(sandbox, image_id):
        fail(_public_image_message(image), _MAKE_PRIVATE)
    if error_code is ...:
        fail(
            "my_error_code is still ... ; try to make the image public, then store the code "
            "AWS answered",
            "try_call prints AWS's answer as 'Code - message': the code is the first word",
        )
    if not isinstance(error_code, str):
        fail(
            f"expected the error code, a short string such as 'InvalidAMIID.NotFound', but "
            f"found {type(error_code).__name__}",
            "look at the first word try_call printed, before the dash",
        )
    if error_code != "OperationNotPermitted":
        if " " in error_code.strip():
            fail(
                "that is the error's message; the code is its short name, such as "
                "'InvalidAMIID.NotFound'",
                "the code is the first word try_call printed, before the dash",
            )
        fail(
            f"expected the code AWS answered when you asked to make {image_id} public, but "
            f"found {error_code!r}",
            "run your try_call cell again and read the first word of what it printed",
        )
    state = sandbox.client("ec2").get_image_block_public_access_state()[
        "ImageBlockPublicAccessState"
    ]
    if state != "block-new-sharing":
        fail(
            f"block public access for AMIs is {state} in {HOME}: the next image made public by "
            "mistake would really go public",
            "turn it back on: the round trip under *Public images, and block public access* "
            "shows the call that does it",
        )
    return (
        f"OperationNotPermitted: block public access for AMIs kept {image_id} private. "
        "It is on by default in new accounts; only turn it off to publish an image on purpose."
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
    image = _app_image(sandbox)
    image_id = image["ImageId"]
    snapshots = snapshot_ids(image)
    readers = _snapshot_readers(sandbox, image)
    _refuse_other_readers(readers)
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
    permissions = _launch_permissions(sandbox, image_id)
    if {"Group": "all"} in permissions:
        fail(_public_image_message(image), _MAKE_PRIVATE)
    extra = extra_grantees(permissions, PARTNER)
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


# -- Exercise 4.5 -------------------------------------------------------------------------------


@exercise(
    "sharing-with-ou",
    lesson=LESSON,
    title="Share web-server-v1 with the partners OU, and nobody else",
    hints=(
        "Which kind of grantee lets an account that joins later launch the image, without "
        "you naming it?",
        "An organizational unit, by its full ARN (partners_ou): the section *Share with an "
        "organization* shows the launch permission's key for it.",
        "ec2.modify_image_attribute(ImageId=lab.ids['web_image'], "
        "LaunchPermission={'Add': [{'OrganizationalUnitArn': partners_ou}]})",
    ),
    solution=(
        "ec2.modify_image_attribute(\n"
        "    ImageId=lab.ids['web_image'],\n"
        "    LaunchPermission={'Add': [{'OrganizationalUnitArn': partners_ou}]},\n"
        ")"
    ),
)
def with_ou(sandbox: Any) -> str:
    image = image_by_name(sandbox, "learner", WEB_IMAGE)
    if image is None:
        fail(
            f"your image {WEB_IMAGE} is gone (deregistered?)",
            "start the lesson over with lab.reset(), then redo the exercises",
        )
    image_id = image["ImageId"]  # type: ignore[index]
    permissions = _launch_permissions(sandbox, image_id)
    ou = {"OrganizationalUnitArn": PARTNERS_OU}
    extra = [p for p in permissions if p != ou]
    words = listed([grantee_in_words(p) for p in extra])
    if {"Group": "all"} in permissions:
        fail(
            f"{WEB_IMAGE} ({image_id}) is public: every AWS account can launch it, not only "
            "the OU's",
            "look at the image's launch permissions: which grantee reaches everyone?",
        )
    if ou not in permissions:
        if {"OrganizationArn": ORGANIZATION_ARN} in permissions:
            fail(
                f"{WEB_IMAGE} ({image_id}) is shared with the whole organization: every account "
                "in it may launch it, not only the partners OU's",
                "an OU is narrower than its organization: which key names an OU?",
            )
        if extra:
            fail(
                f"{WEB_IMAGE} ({image_id}) is shared with {words}, but not with the OU "
                f"{PARTNERS_OU}: an account that joins the OU later could not launch it",
                "share with the OU itself, by its full ARN (partners_ou)",
            )
        fail(
            f"{WEB_IMAGE} ({image_id}) is shared with nobody: it is private",
            "the section *Share with an organization* shows how to share with an OU",
        )
    if extra:
        fail(
            f"{WEB_IMAGE} ({image_id}) is shared with the partners OU, and also with {words}: "
            "more than the exercise asks",
            "take back the launch permissions that are not the OU's (the 'Remove' form)",
        )
    if not partner_can_launch(image_id, HOME, PARTNER):  # the sandbox's own rule: OU members
        fail(
            f"{WEB_IMAGE} ({image_id}) names the partners OU, but the sandbox does not let the "
            f"partner {PARTNER}, a member, launch it",
            "run the lesson's setup cell again, then redo the exercise",
        )
    return (
        f"{WEB_IMAGE} ({image_id}) is shared with the OU partners: the partner {PARTNER} may "
        "launch it today, and so will any account that joins the OU later, with no change."
    )
