"""What lesson 08's pipeline items read from the sandbox: the learner's images and keys by
Region, how an image is encrypted, and what the partner sees, runs and may use.

Read with the accounts' own boto3 clients, except whether a key lets the partner use it, which
comes from the sandbox's KMS rules (``_keys``, as lesson 5's checks do).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..accounts import ACCOUNTS
from ._access import extra_grantees, grantee_in_words
from ._keys import listed, make_usable, refused_actions, unusable_state

__all__ = [
    "KEY_ALIAS",
    "PARTNER",
    "ebs_mappings",
    "encryption_problem",
    "learner_key_arn",
    "key_in_words",
    "key_refusals",
    "launch_beyond_partner",
    "make_usable_code",
    "own_image",
    "partner_instances",
    "partner_sees",
    "read_once",
]

KEY_ALIAS = "alias/golden-images"
PARTNER = ACCOUNTS["partner"]


#: While ``read_once`` runs: each answer of ``own_image`` and ``learner_key_arn``, by question.
_answers: dict[tuple[Any, ...], Any] | None = None


@contextmanager
def read_once() -> Iterator[None]:
    """Inside the block, ``own_image`` and ``learner_key_arn`` ask the sandbox once per question.

    The capstone's score asks for the same image 23 times and the same key 7 times (a check's
    time is its sandbox requests); the sandbox does not change while a check reads it, so the
    answers are the same. tests/checks/test_capstone.py compares the score both ways.
    """
    global _answers
    outer = _answers
    if outer is None:
        _answers = {}
    try:
        yield
    finally:
        if outer is None:
            _answers = None


def _asked_once(key: tuple[Any, ...], ask: Any) -> Any:
    if _answers is None:
        return ask()
    if key not in _answers:
        _answers[key] = ask()
    return copy.deepcopy(_answers[key])  # each caller gets its own, as from the sandbox


def own_image(sandbox: Any, region: str, name: str) -> dict[str, Any] | None:
    """The learner's own image with this name in a Region, if any."""
    return _asked_once(
        ("image", id(sandbox), region, name), lambda: _own_image(sandbox, region, name)
    )


def _own_image(sandbox: Any, region: str, name: str) -> dict[str, Any] | None:
    ec2 = sandbox.client("ec2", region=region)
    flt = [{"Name": "name", "Values": [name]}]
    images = ec2.describe_images(Owners=["self"], Filters=flt)["Images"]
    return images[0] if images else None


def learner_key_arn(sandbox: Any, region: str) -> str | None:
    """The ARN of the learner's customer managed key with the pipeline's alias in a Region,
    whatever its state (``keys`` and ``shared`` say when it cannot be used)."""
    return _asked_once(("key", id(sandbox), region), lambda: _learner_key_arn(sandbox, region))


def _learner_key_arn(sandbox: Any, region: str) -> str | None:
    kms = sandbox.client("kms", region=region)
    for alias in kms.list_aliases()["Aliases"]:
        if alias["AliasName"] == KEY_ALIAS and alias.get("TargetKeyId"):
            key = kms.describe_key(KeyId=alias["TargetKeyId"])["KeyMetadata"]
            if key["KeyManager"] == "CUSTOMER":
                return key["Arn"]
    return None


def make_usable_code(state: str, region: str) -> str:
    """How to make a Region's key (``keys[region]`` in the lesson) usable again, in code."""
    return make_usable(state, f"lab.client('kms', region='{region}')", f"keys['{region}']")


def ebs_mappings(image: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        m["Ebs"] for m in image.get("BlockDeviceMappings", []) if m.get("Ebs", {}).get("SnapshotId")
    ]


def key_in_words(sandbox: Any, region: str, arn: str) -> str:
    kms = sandbox.client("kms", region=region)
    for alias in kms.list_aliases()["Aliases"]:
        if alias.get("TargetKeyId") and arn.endswith(alias["TargetKeyId"]):
            if alias["AliasName"] == "alias/aws/ebs":
                return "the default key aws/ebs"
            return alias["AliasName"]
    return arn


def encryption_problem(sandbox: Any, region: str, image: dict[str, Any]) -> str | None:
    """What is wrong with an image's encryption, or None if your key there encrypts it all."""
    where = f"{image['Name']} in {region}"
    plain = [e["SnapshotId"] for e in ebs_mappings(image) if not e.get("Encrypted")]
    if plain:
        return f"{where} is not encrypted: its snapshot {plain[0]} is unencrypted"
    wanted = learner_key_arn(sandbox, region)
    others = sorted({e.get("KmsKeyId", "") for e in ebs_mappings(image)} - {wanted})
    if others:
        used = key_in_words(sandbox, region, others[0])
        return f"{where} is encrypted with {used}, not with your key {KEY_ALIAS} there"
    return None


def partner_instances(sandbox: Any, region: str, image_ids: set[str]) -> list[str]:
    ec2 = sandbox.client("ec2", region=region, account="partner")
    state = [{"Name": "instance-state-name", "Values": ["pending", "running"]}]
    return [
        i["InstanceId"]
        for r in ec2.describe_instances(Filters=state)["Reservations"]
        for i in r["Instances"]
        if i["ImageId"] in image_ids
    ]


def partner_sees(sandbox: Any, region: str, image_id: str) -> bool:
    from botocore.exceptions import ClientError

    ec2 = sandbox.client("ec2", region=region, account="partner")
    try:
        return bool(ec2.describe_images(ImageIds=[image_id])["Images"])
    except ClientError:
        return False


def key_refusals(
    region: str, image: dict[str, Any]
) -> tuple[str, tuple[str, str] | None, list[str]]:
    """The first key of an image that does not let the partner launch: its ARN, its state if no
    account may use it now (``unusable_state``), and the EBS actions it does not allow the partner.

    The state comes first, as in the sandbox's RunInstances: a grant does not help a disabled key.
    """
    for ebs in ebs_mappings(image):
        if ebs.get("Encrypted"):
            arn, missing = refused_actions(
                ebs.get("KmsKeyId"), ACCOUNTS["learner"], region, PARTNER
            )
            unusable = unusable_state(arn, ACCOUNTS["learner"], region)
            if unusable or missing:
                return arn, unusable, missing
    return "", None, []


def launch_beyond_partner(sandbox: Any, region: str, image_id: str) -> tuple[str, str] | None:
    """What the image's launch permissions grant beyond the partner's account ID, and the fix."""
    ec2 = sandbox.client("ec2", region=region)
    permissions = ec2.describe_image_attribute(ImageId=image_id, Attribute="launchPermission")[
        "LaunchPermissions"
    ]
    extra = extra_grantees(permissions, PARTNER)
    if not extra:
        return None
    return (
        f"is also shared with {listed([grantee_in_words(p) for p in extra])}: the pipeline "
        "shares its releases with the partner account alone",
        "a launch permission can also take grantees away ('Remove'): leave only the partner's "
        "account ID",
    )
