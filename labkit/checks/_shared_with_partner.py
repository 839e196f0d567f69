"""What lesson 05's checks require of the image the learner shares with the partner: shared with
the partner alone, its keys usable by nobody else, its snapshots copyable by the partner alone;
and the learner's keys named by their aliases."""

from __future__ import annotations

from typing import Any

from ..accounts import ACCOUNTS
from ..fidelity import encryption as kms_rules
from ..fidelity.images import image_snapshots
from . import fail
from ._access import extra_grantees, grantee_in_words, key_users_beyond
from ._keys import listed

__all__ = [
    "PARTNER",
    "SHARED_IMAGE",
    "alias_names",
    "key_in_words",
    "refuse_other_key_users",
    "require_partner_alone",
    "require_snapshots_for_partner_alone",
]

SHARED_IMAGE = "reports-db-v1"
PARTNER = ACCOUNTS["partner"]


def alias_names(sandbox: Any) -> dict[str, str]:
    """The learner's key ARNs in the home Region, by alias name (and the reverse)."""
    kms = sandbox.client("kms")
    arns = {key["KeyId"]: key["KeyArn"] for key in kms.list_keys()["Keys"]}
    names: dict[str, str] = {}
    for alias in kms.list_aliases()["Aliases"]:
        arn = arns.get(alias.get("TargetKeyId", ""))
        if arn:
            names[alias["AliasName"]] = arn
            names.setdefault(arn, alias["AliasName"])
    return names


def key_in_words(names: dict[str, str], arn: str) -> str:
    alias = names.get(arn)
    if alias == "alias/aws/ebs":
        return f"the default key aws/ebs ({arn})"
    return f"{alias} ({arn})" if alias else arn


def require_partner_alone(sandbox: Any, image_id: str) -> None:
    """The image is shared with the partner's account ID and nobody else (no seller, no OU)."""
    permissions = sandbox.client("ec2").describe_image_attribute(
        ImageId=image_id, Attribute="launchPermission"
    )["LaunchPermissions"]
    extra = extra_grantees(permissions, PARTNER)
    if not extra:
        return
    words = listed([grantee_in_words(p) for p in extra])
    if {"UserId": PARTNER} in permissions:
        found = f"{SHARED_IMAGE} ({image_id}) is shared with the partner, but also with {words}"
    else:
        found = f"{SHARED_IMAGE} ({image_id}) is shared with {words}, not with the partner's ID"
    fail(
        f"{found}: the exercise shares it with the partner account {PARTNER} only",
        "a launch permission can also take grantees away ('Remove'): leave only the partner's "
        "account ID",
    )


def refuse_other_key_users(sandbox: Any, image_id: str, image: Any) -> None:
    """No account but yours and the partner's may use the image's keys (by the sandbox's rule)."""
    for snapshot in image_snapshots(image):
        arn = kms_rules.snapshot_key_arn(snapshot)
        if arn is None:
            continue
        others = key_users_beyond(arn, snapshot.owner_id, snapshot.ec2_backend.region_name, PARTNER)
        if others:
            names = alias_names(sandbox)
            fail(
                f"the partner can launch {SHARED_IMAGE} ({image_id}), but the key "
                f"{names.get(arn, arn)} also lets {listed(others)} use it: whoever may use the "
                "key can read every snapshot encrypted with it",
                "give the key to the partner alone: take the other principal out of the key "
                "policy, or revoke its grant (kms.list_grants lists them)",
            )


def require_snapshots_for_partner_alone(sandbox: Any, image: dict[str, Any]) -> None:
    """The image's snapshots give create volume permission to nobody but the partner."""
    ec2 = sandbox.client("ec2")
    for mapping in image["BlockDeviceMappings"]:
        snapshot = mapping.get("Ebs", {}).get("SnapshotId")
        if not snapshot:
            continue
        permissions = ec2.describe_snapshot_attribute(
            SnapshotId=snapshot, Attribute="createVolumePermission"
        )["CreateVolumePermissions"]
        extra = extra_grantees(permissions, PARTNER)
        if extra:
            fail(
                f"{SHARED_IMAGE}'s snapshot {snapshot} also gives create volume permission to "
                f"{listed([grantee_in_words(p) for p in extra])}: the exercise lets the partner "
                "alone copy it",
                "a create volume permission can be taken away as well as added "
                "(OperationType='remove'): leave only the partner's account ID",
            )
