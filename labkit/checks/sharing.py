"""Checks for lesson 04, Sharing: launch-only sharing (4.1), and the request to publish an image
that block public access refuses, answered by sharing with the customer's account (4.2). Copying
is ``sharing_copying``; who a share reaches, and taking one back, is ``sharing_reach``; what they
share is ``_sharing``."""

from __future__ import annotations

from typing import Any

from . import exercise, fail
from ._access import copy_blockers, extra_grantees, grantee_in_words, partner_can_launch
from ._keys import listed
from ._sharing import (
    APP_IMAGE,
    CUSTOMER,
    HOME,
    LESSON,
    MAKE_PRIVATE,
    PARTNER,
    beyond_the_lesson,
    launch_permissions,
    own_image,
    public_image_message,
    refuse_other_readers,
    snapshot_readers,
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
    image = own_image(sandbox)
    image_id = image["ImageId"]
    permissions = launch_permissions(sandbox, image_id)
    if {"Group": "all"} in permissions:
        fail(public_image_message(image), MAKE_PRIVATE)
    _require_partner_by_account_id(image_id, permissions)
    # Exercise 4.3 adds create volume permission for the partner on every snapshot; this
    # exercise is judged on its own part (who may launch), so a finished 4.3 does not undo it.
    readers = snapshot_readers(sandbox, image)
    refuse_other_readers(readers)
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
    customer = (
        f" The customer {CUSTOMER} may launch it too: that is exercise 4.2's share, checked there."
        if {"UserId": CUSTOMER} in permissions
        else ""
    )
    if partial and not copy_blockers(image_id, HOME, PARTNER):
        return (
            f"{APP_IMAGE} ({image_id}) is shared with the partner {PARTNER} by its account ID. "
            "It may also create volumes from every snapshot, so it can copy the image too: that "
            "is exercise 4.3's create volume permission, checked there." + customer
        )
    return (
        f"{APP_IMAGE} ({image_id}) is shared with the partner {PARTNER}: it can launch it, "
        "but it cannot copy it (no create volume permission on its snapshots)." + customer
    )


def in_words(permissions: list[dict[str, str]]) -> str:
    """Grantees of orders-app-v3 in words, the customer of exercise 4.2 named as such."""
    return listed(
        [
            f"{CUSTOMER} (the customer)" if p == {"UserId": CUSTOMER} else grantee_in_words(p)
            for p in permissions
        ]
    )


def _require_partner_by_account_id(image_id: str, permissions: list[dict[str, str]]) -> None:
    """The image is shared with the partner's account ID, and with nobody else (but the customer
    of exercise 4.2, whose share that check judges)."""
    extra = beyond_the_lesson(permissions)
    words = in_words(extra)
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
        others = extra_grantees(permissions, PARTNER)
        if others:
            fail(
                f"{APP_IMAGE} ({image_id}) is shared with {in_words(others)}, not with the "
                f"partner account {PARTNER}",
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


# -- Exercise 4.2 -------------------------------------------------------------------------------


@exercise(
    "sharing-public-blocked",
    lesson=LESSON,
    title="Asked to publish orders-app-v3 for a customer: read AWS's refusal, share with the "
    "customer's account instead",
    hints=(
        "Who needs the image: everyone in the world, or one customer? Which kind of launch "
        "permission reaches one account, and does block public access have to change for it?",
        "A launch permission with the customer's account ID, as in *Share with one account*: "
        "AWS takes the 12 digits alone, without the dashes the customer wrote. Launching needs "
        "nothing on the snapshots, and the partner's share from exercise 4.1 stays.",
        "ec2.modify_image_attribute(ImageId=lab.ids['app_image'], "
        "LaunchPermission={'Add': [{'UserId': '444455556666'}]})",
    ),
    solution=(
        "try_call(\n"
        "    ec2.modify_image_attribute,\n"
        "    ImageId=lab.ids['app_image'],\n"
        "    LaunchPermission={'Add': [{'Group': 'all'}]},\n"
        ")  # refused: block public access is on\n"
        "ec2.modify_image_attribute(\n"
        "    ImageId=lab.ids['app_image'],\n"
        "    LaunchPermission={'Add': [{'UserId': '444455556666'}]},\n"
        ")"
    ),
)
def public_blocked(sandbox: Any) -> str:
    image = own_image(sandbox)
    image_id = image["ImageId"]
    permissions = launch_permissions(sandbox, image_id)
    if {"Group": "all"} in permissions:
        fail(public_image_message(image), MAKE_PRIVATE)
    state = sandbox.client("ec2").get_image_block_public_access_state()[
        "ImageBlockPublicAccessState"
    ]
    if state != "block-new-sharing":
        fail(
            f"block public access for AMIs is {state} in {HOME}: the next image made public by "
            "mistake would really go public",
            "turn it back on: the round trip under *Public images, and block public access* "
            "ends by doing so",
        )
    customer = {"UserId": CUSTOMER}
    # The partner's account ID is exercise 4.1's share (and 4.3's): not this exercise's business.
    extra = beyond_the_lesson(permissions)
    if customer not in permissions:
        where = f"the customer, in its own account {CUSTOMER}, cannot try it"
        hint = (
            "which account did the customer give? A launch permission names an account by its "
            "12 digits alone: see *Share with one account*"
        )
        if extra:
            fail(f"{APP_IMAGE} ({image_id}) is shared with {in_words(extra)}, but {where}", hint)
        if {"UserId": PARTNER} in permissions:
            fail(
                f"{APP_IMAGE} ({image_id}) is shared with the partner {PARTNER} (exercise 4.1), "
                f"but {where}: the partner's share does not reach the customer's account",
                hint,
            )
        fail(
            f"{APP_IMAGE} ({image_id}) is private: {where}",
            "a refusal to publish is not the end: which kind of launch permission reaches one "
            "account? See *Share with one account*",
        )
    if extra:
        fail(
            f"{APP_IMAGE} ({image_id}) is shared with the customer, but also with "
            f"{in_words(extra)}: wider than the customer needs",
            "take back the launch permissions that neither the customer nor exercise 4.1 (the "
            "partner's account ID) needs, as in *Take a share back*",
        )
    readable = [
        s for s, grantees in snapshot_readers(sandbox, image).items() if customer in grantees
    ]
    if readable:
        fail(
            f"the customer {CUSTOMER} may also create volumes from {', '.join(readable)}, so it "
            f"can read everything on {'that disk' if len(readable) == 1 else 'those disks'}: "
            "trying the image needs launching only",
            "take that create volume permission back (OperationType 'remove'), as *Let the "
            "partner copy* shows the 'add'",
        )
    return (
        f"{APP_IMAGE} ({image_id}) is not public, block public access is still on, and the "
        f"customer can launch it from its own account {CUSTOMER}, without copying it. "
        "Publishing to everyone was never needed: share with the accounts that need an image."
    )
