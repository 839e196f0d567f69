"""Checks for lesson 04, Sharing: who a share reaches. Sharing with an organizational unit (4.5),
and taking one account's share back while another's stays (4.6)."""

from __future__ import annotations

from typing import Any

from ..accounts import ORGANIZATION_ARN
from ..scenarios import CONTRACTOR_ACCOUNT
from . import exercise, fail
from ._access import extra_grantees, grantee_in_words, partner_can_launch
from ._keys import listed
from ._lineage import image_by_name
from ._sharing import (
    HOME,
    JOBS_IMAGE,
    LESSON,
    PARTNER,
    PARTNERS_OU,
    WEB_IMAGE,
    launch_permissions,
    own_image,
)

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
    permissions = launch_permissions(sandbox, image_id)
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


# -- Exercise 4.6 -------------------------------------------------------------------------------


@exercise(
    "sharing-take-back",
    lesson=LESSON,
    title="Take the contractor's share of billing-jobs-v2 back; keep the partner's",
    hints=(
        "Who may launch billing-jobs-v2 today? Read its launch permissions: which grantee is "
        "not the partner?",
        "A launch permission is taken back with the 'Remove' form of modify_image_attribute, "
        "as *Take a share back* does for web-server-v1; name only the contractor's account ID, "
        "lab.ids['contractor'].",
        "ec2.modify_image_attribute(ImageId=lab.ids['jobs_image'], "
        "LaunchPermission={'Remove': [{'UserId': lab.ids['contractor']}]})",
    ),
    solution=(
        "ec2.modify_image_attribute(\n"
        "    ImageId=lab.ids['jobs_image'],\n"
        "    LaunchPermission={'Remove': [{'UserId': lab.ids['contractor']}]},\n"
        ")"
    ),
)
def take_back(sandbox: Any) -> str:
    image = own_image(sandbox, JOBS_IMAGE)
    image_id = image["ImageId"]
    permissions = launch_permissions(sandbox, image_id)
    where = "read the image's launch permissions"
    if {"Group": "all"} in permissions:
        fail(
            f"{JOBS_IMAGE} ({image_id}) is public: the contractor, and every other AWS account, "
            "can launch it",
            f"{where}: which grantee reaches everyone? Take it back too",
        )
    if {"UserId": CONTRACTOR_ACCOUNT} in permissions:
        fail(
            f"the contractor {CONTRACTOR_ACCOUNT} may still launch {JOBS_IMAGE} ({image_id}): "
            "its launch permission is still there",
            f"{where}, then take back the one that names the contractor's account: *Take a "
            "share back* shows the form. AWS answers a take-back for an account that holds no "
            "permission without an error, so compare the ID you gave with the one listed",
        )
    if {"UserId": PARTNER} not in permissions:
        fail(
            f"the partner {PARTNER} can no longer launch {JOBS_IMAGE} ({image_id}), and it still "
            "uses the image: only the contractor's share was to go",
            "give the partner's account ID its launch permission back, as in *Share with one "
            "account*",
        )
    extra = extra_grantees(permissions, PARTNER)
    if extra:
        fail(
            f"{JOBS_IMAGE} ({image_id}) is shared with the partner, and also with "
            f"{listed([grantee_in_words(p) for p in extra])}: more than the partner alone",
            f"{where}: take back every one that is not the partner's account ID",
        )
    return (
        f"the contractor {CONTRACTOR_ACCOUNT} can no longer launch {JOBS_IMAGE} ({image_id}); "
        f"the partner {PARTNER} still can. Instances the contractor launched before keep running."
    )
