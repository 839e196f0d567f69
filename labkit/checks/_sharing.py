"""What lesson 04's checks share: the lesson's images and accounts, launch and create volume
permissions as the owner reads them, and the failures several exercises give in the same words."""

from __future__ import annotations

from typing import Any

from ..accounts import ACCOUNTS, ORGANIZATIONAL_UNITS
from ..scenarios import CUSTOMER_ACCOUNT
from . import fail
from ._access import extra_grantees, grantee_in_words
from ._keys import listed
from ._lineage import image_by_name, snapshot_ids

__all__ = [
    "APP_IMAGE",
    "CUSTOMER",
    "HOME",
    "JOBS_IMAGE",
    "LESSON",
    "MAKE_PRIVATE",
    "PARTNER",
    "PARTNERS_OU",
    "PARTNER_IMAGE",
    "STARTING_IMAGES",
    "WEB_IMAGE",
    "are",
    "beyond_the_lesson",
    "launch_permissions",
    "own_image",
    "public_image_message",
    "refuse_other_readers",
    "snapshot_readers",
]

LESSON = "04-sharing"
HOME = "us-east-1"
APP_IMAGE = "orders-app-v3"
WEB_IMAGE = "web-server-v1"
PARTNER_IMAGE = "partner-tools-v2"
#: Exercise 4.6's image, shared with the partner and a contractor from the start.
JOBS_IMAGE = "billing-jobs-v2"
#: The images the lesson starts with (not made by the learner).
STARTING_IMAGES = (WEB_IMAGE, APP_IMAGE, JOBS_IMAGE)
PARTNER = ACCOUNTS["partner"]
#: Exercise 4.2's customer, who tries orders-app-v3 from its own account (launch only).
CUSTOMER = CUSTOMER_ACCOUNT
PARTNERS_OU = str(ORGANIZATIONAL_UNITS["partners"]["arn"])


def own_image(sandbox: Any, name: str = APP_IMAGE) -> dict[str, Any]:
    """One of the learner's starting images, by name; fail if it is gone."""
    image = image_by_name(sandbox, "learner", name)
    if image is None:
        fail(
            f"your image {name} is gone (deregistered?)",
            "start the lesson over with lab.reset(), then redo the exercises",
        )
    return image  # type: ignore[return-value]


def launch_permissions(sandbox: Any, image_id: str) -> list[dict[str, str]]:
    ec2 = sandbox.client("ec2")
    return ec2.describe_image_attribute(ImageId=image_id, Attribute="launchPermission")[
        "LaunchPermissions"
    ]


def _volume_permissions(sandbox: Any, snapshot_id: str) -> list[dict[str, str]]:
    ec2 = sandbox.client("ec2")
    return ec2.describe_snapshot_attribute(
        SnapshotId=snapshot_id, Attribute="createVolumePermission"
    )["CreateVolumePermissions"]


def beyond_the_lesson(permissions: list[dict[str, str]]) -> list[dict[str, str]]:
    """orders-app-v3's launch permissions that no exercise asks for: the partner's account ID is
    exercises 4.1 and 4.3's, the customer's is 4.2's. Each of those checks judges its own grantee
    and lets the other's be, so that finishing one exercise never turns another's check ❌."""
    return [p for p in extra_grantees(permissions, PARTNER) if p != {"UserId": CUSTOMER}]


def are(items: list[str]) -> str:
    return "is" if len(items) == 1 else "are"


def public_image_message(image: dict[str, Any]) -> str:
    return f"{APP_IMAGE} ({image['ImageId']}) is public: every AWS account can find and launch it"


MAKE_PRIVATE = (
    "make it private again: take the group all back out of its launch permissions (the round "
    "trip under *Public images, and block public access* shows how), then turn block public "
    "access back on"
)


def snapshot_readers(sandbox: Any, image: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    """Each snapshot of the image, with who may create volumes from it besides its owner."""
    return {s: _volume_permissions(sandbox, s) for s in snapshot_ids(image)}


def refuse_other_readers(readers: dict[str, list[dict[str, str]]]) -> None:
    """Fail if anyone but the partner may create volumes from (and so read) a snapshot."""
    public = [s for s, grantees in readers.items() if {"Group": "all"} in grantees]
    if public:
        fail(
            f"{', '.join(public)} {are(public)} public: any AWS account can create volumes "
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
