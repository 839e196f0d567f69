"""Checks for lesson 04, Sharing: launch-only sharing (4.1), and the request to publish an image
that block public access refuses (4.2). Copying is ``sharing_copying``; who a share reaches, and
taking one back, is ``sharing_reach``; what they share is ``_sharing``."""

from __future__ import annotations

from typing import Any

from . import exercise, fail
from ._access import copy_blockers, extra_grantees, grantee_in_words, partner_can_launch
from ._keys import listed
from ._sharing import (
    APP_IMAGE,
    HOME,
    LESSON,
    MAKE_PRIVATE,
    PARTNER,
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


# -- Exercise 4.2 -------------------------------------------------------------------------------


@exercise(
    "sharing-public-blocked",
    lesson=LESSON,
    title="Asked to publish orders-app-v3 for customers: read AWS's refusal, share privately",
    hints=(
        "Who are the customers who will try the image, and which kind of launch permission "
        "reaches them and nobody else? Does block public access have to change for that?",
        "The customers work in the partner's account, lab.account_id('partner'): a launch "
        "permission for that account ID is enough (as in *Share with one account*). The image "
        "stays private, and block public access stays block-new-sharing.",
        "ec2.modify_image_attribute(ImageId=lab.ids['app_image'], "
        "LaunchPermission={'Add': [{'UserId': lab.account_id('partner')}]})",
    ),
    solution=(
        "try_call(\n"
        "    ec2.modify_image_attribute,\n"
        "    ImageId=lab.ids['app_image'],\n"
        "    LaunchPermission={'Add': [{'Group': 'all'}]},\n"
        ")  # refused: block public access is on\n"
        "ec2.modify_image_attribute(\n"
        "    ImageId=lab.ids['app_image'],\n"
        "    LaunchPermission={'Add': [{'UserId': lab.account_id('partner')}]},\n"
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
    extra = extra_grantees(permissions, PARTNER)
    words = listed([grantee_in_words(p) for p in extra])
    if {"UserId": PARTNER} not in permissions:
        if partner_can_launch(image_id, HOME, PARTNER):
            fail(
                f"the customers can try {APP_IMAGE} ({image_id}), but only through {words}, "
                "which reaches more accounts than the partner's: wider than they need",
                "which account do the customers work in? Share with that account ID alone",
            )
        if extra:
            fail(
                f"{APP_IMAGE} ({image_id}) is shared with {words}, but not with the partner "
                f"account {PARTNER}, where the customers try it",
                "which account do the customers work in? Share with that account ID alone",
            )
        fail(
            f"{APP_IMAGE} ({image_id}) is private and shared with nobody: the customers, in the "
            f"partner account {PARTNER}, cannot try it",
            "a refusal to publish is not the end: which kind of launch permission reaches one "
            "account? See *Share with one account*",
        )
    if extra:
        fail(
            f"{APP_IMAGE} ({image_id}) is shared with the partner, but also with {words}: wider "
            "than the customers need",
            "take back the launch permissions that are not the partner's account ID, as in "
            "*Take a share back*",
        )
    return (
        f"{APP_IMAGE} ({image_id}) is not public, block public access is still on, and the "
        f"customers can try it from the partner account {PARTNER}, the only account it is "
        "shared with. Publishing to everyone was never needed."
    )
