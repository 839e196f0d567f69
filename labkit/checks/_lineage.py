"""Helpers for lessons 2–6's checks: answers that should be image IDs, images by name, tags,
lineage."""

from __future__ import annotations

from typing import Any, Literal, overload

from botocore.exceptions import ClientError

from . import fail

__all__ = [
    "GONE",
    "describe_image",
    "image_by_name",
    "images_made_from",
    "instances_launched_from",
    "own_tags",
    "require_image_id",
    "snapshot_ids",
    "source_images",
    "tags_in_words",
]


def require_image_id(answer: Any, variable: str) -> str:
    """The answer, if it is an image ID; otherwise fail saying what was found."""
    if answer is ...:
        fail(f"{variable} is still ... ; replace it with an image ID such as 'ami-0abc…'")
    if not isinstance(answer, str) or not answer.startswith("ami-"):
        fail(
            f"expected an image ID, a string starting with 'ami-', but found {answer!r}",
            "take the 'ImageId' field of the answer, not the whole answer",
        )
    return answer


def describe_image(sandbox: Any, image_id: str, account: str = "learner") -> dict[str, Any] | None:
    """The image as one account sees it in the home Region, or None if it cannot see it."""
    try:
        images = sandbox.client("ec2", account=account).describe_images(ImageIds=[image_id])
    except ClientError:
        return None
    return images["Images"][0] if images["Images"] else None


def image_by_name(sandbox: Any, owner: str, name: str) -> dict[str, Any] | None:
    """An image of ``owner`` (a lab account name) with this name, as the learner sees it."""
    ec2 = sandbox.client("ec2")
    images = ec2.describe_images(
        Owners=[sandbox.account_id(owner)], Filters=[{"Name": "name", "Values": [name]}]
    )["Images"]
    return images[0] if images else None


def snapshot_ids(image: dict[str, Any]) -> list[str]:
    """The EBS snapshot IDs behind an image, in block device mapping order."""
    return [
        m["Ebs"]["SnapshotId"]
        for m in image.get("BlockDeviceMappings", [])
        if m.get("Ebs", {}).get("SnapshotId")
    ]


def own_tags(resource: dict[str, Any]) -> dict[str, str]:
    """A resource's own tags (the sandbox's ``amilab:`` record left out)."""
    return {
        t["Key"]: t["Value"] for t in resource.get("Tags", []) if not t["Key"].startswith("amilab:")
    }


def tags_in_words(tags: dict[str, str], none: str = "none") -> str:
    """``Project=web, Version=1``, in key order; ``none`` when there are no tags."""
    return ", ".join(f"{k}={v}" for k, v in sorted(tags.items())) or none


#: Instance states from which no image can be made (CreateImage answers IncorrectInstanceState).
GONE = ("shutting-down", "terminated")


@overload
def instances_launched_from(
    sandbox: Any, image_id: str, account: str = ..., *, states: Literal[False] = ...
) -> list[str]: ...
@overload
def instances_launched_from(
    sandbox: Any, image_id: str, account: str = ..., *, states: Literal[True]
) -> list[tuple[str, str]]: ...
def instances_launched_from(
    sandbox: Any, image_id: str, account: str = "learner", *, states: bool = False
) -> list[Any]:
    """IDs of the account's instances in the home Region launched from an image (any state).

    With ``states=True``, ``(instance ID, state)`` pairs, the instances an image can still be
    made from (not in ``GONE``) first.
    """
    ec2 = sandbox.client("ec2", account=account)
    found = [
        (instance["InstanceId"], instance["State"]["Name"])
        for reservation in ec2.describe_instances()["Reservations"]
        for instance in reservation["Instances"]
        if instance["ImageId"] == image_id
    ]
    if not states:
        return [instance for instance, _state in found]
    return sorted(found, key=lambda pair: pair[1] in GONE)


def source_images(
    sandbox: Any, account: str = "learner", skip: tuple[str, ...] = ()
) -> dict[str, tuple[str, str]]:
    """The account's own images made from an instance: ``{image: (instance, its image)}``.

    Images named in ``skip`` (a lesson's starting images) are left out.
    """
    ec2 = sandbox.client("ec2", account=account)
    own = ec2.describe_images(Owners=["self"])["Images"]
    launched = {
        instance["InstanceId"]: instance["ImageId"]
        for reservation in ec2.describe_instances()["Reservations"]
        for instance in reservation["Instances"]
    }
    found = {}
    for image in own:
        instance = image.get("SourceInstanceId")
        if instance in launched and image.get("Name") not in skip:
            found[image["ImageId"]] = (instance, launched[instance])
    return found


def images_made_from(sandbox: Any, source_id: str, account: str = "learner") -> list[str]:
    """The account's own images created from an instance launched from ``source_id``."""
    return [
        image
        for image, (_instance, source) in source_images(sandbox, account).items()
        if source == source_id
    ]
