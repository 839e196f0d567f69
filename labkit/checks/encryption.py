"""Checks for lesson 05, Encryption: an encrypted copy under your own key, an encrypted image
shared so that the partner can launch it, and the partner's own copy of it under its own key."""

from __future__ import annotations

from typing import Any

from ..accounts import ACCOUNTS
from ..fidelity import encryption as kms_rules
from ..fidelity.images import find_image, image_snapshots
from . import exercise, fail
from ._keys import (
    GRANT_OPERATIONS,
    make_usable,
    not_allowed,
    refused_actions,
    unusable_state,
)
from ._lineage import describe_image, image_by_name, require_image_id
from ._shared_with_partner import (
    PARTNER,
    SHARED_IMAGE,
    alias_names,
    key_in_words,
    refuse_other_key_users,
    require_partner_alone,
    require_snapshots_for_partner_alone,
)

LESSON = "05-encryption"
HOME = "us-east-1"
SOURCE_IMAGE = "web-server-v1"
TEAM_KEY = "alias/ami-lab-team"
REPORTS_KEY = "alias/ami-lab-reports"


# -- Exercise 5.1 -------------------------------------------------------------------------------


@exercise(
    "encryption-copy-with-key",
    lesson=LESSON,
    title="Copy web-server-v1 into an image encrypted with your key alias/ami-lab-team",
    answers=("image_id",),
    hints=(
        "An image's snapshots cannot be encrypted in place: which call makes a new image from "
        "web-server-v1, and which of its parameters choose the encryption?",
        "copy_image, with Encrypted=True; alone that uses the default key aws/ebs. Which "
        "parameter names your own key, and what is its ID in lab.ids?",
        "ec2.copy_image(SourceImageId=lab.ids['web_image'], SourceRegion='us-east-1', "
        "Name='web-server-v1-encrypted', Encrypted=True, KmsKeyId=lab.ids['team_key'])",
    ),
    solution=(
        "answer = ec2.copy_image(\n"
        "    SourceImageId=lab.ids['web_image'],\n"
        "    SourceRegion='us-east-1',\n"
        "    Name='web-server-v1-encrypted',\n"
        "    Encrypted=True,\n"
        "    KmsKeyId=lab.ids['team_key'],\n"
        ")\n"
        "my_encrypted_image_id = answer['ImageId']"
    ),
)
def copy_with_key(sandbox: Any, image_id: Any) -> str:
    image_id = require_image_id(image_id, "my_encrypted_image_id")
    image = describe_image(sandbox, image_id)
    if image is None:
        fail(
            f"there is no image {image_id} in {HOME} that you can see",
            "make the copy with your us-east-1 client, and keep the ImageId its answer gives",
        )
    source = image_by_name(sandbox, "learner", SOURCE_IMAGE)
    if source is not None and image_id == source["ImageId"]:
        fail(
            f"{image_id} is {SOURCE_IMAGE} itself, the unencrypted original",
            "store the ID of the new image that copy_image answers with, not the source's",
        )
    if image["OwnerId"] != ACCOUNTS["learner"]:  # type: ignore[index]
        fail(f"{image_id} belongs to account {image['OwnerId']}, not to you")  # type: ignore[index]
    if source is not None and image.get("SourceImageId") != source["ImageId"]:  # type: ignore[union-attr]
        made_from = image.get("SourceImageId")  # type: ignore[union-attr]
        how = "made from an instance of" if image.get("SourceInstanceId") else "copied from"  # type: ignore[union-attr]
        fail(
            f"{image_id} is not a copy of {SOURCE_IMAGE} ({source['ImageId']})"
            + (f": it was {how} {made_from}" if made_from else ""),
            "look at which image your copy_image call names as its source",
        )
    mappings = [m for m in image["BlockDeviceMappings"] if "Ebs" in m]  # type: ignore[index]
    plain = [m["Ebs"]["SnapshotId"] for m in mappings if not m["Ebs"].get("Encrypted")]
    if plain:
        fail(
            f"{image_id} is not encrypted: its snapshot {', '.join(plain)} is unencrypted",
            "a copy is encrypted only when you ask for it: look at the parameters of your "
            "copy_image call",
        )
    names = alias_names(sandbox)
    wanted = names.get(TEAM_KEY)
    others = sorted({m["Ebs"].get("KmsKeyId") for m in mappings} - {wanted})
    if others:
        fail(
            f"{image_id} is encrypted with {key_in_words(names, str(others[0]))}, not with "
            f"your customer managed key {TEAM_KEY}",
            "Encrypted=True alone uses the default key: which parameter names another key?",
        )
    unusable = unusable_state(wanted, ACCOUNTS["learner"], HOME)
    if unusable:
        state, words = unusable
        fail(
            f"{image_id} is encrypted with your key {TEAM_KEY}, but the key is {words}: KMS lets "
            f"no account use it, yours included, so nobody can launch or copy {image_id}",
            "make the key usable again: " + make_usable(state, "kms", "lab.ids['team_key']"),
        )
    return (
        f"{image_id} is an encrypted copy of {SOURCE_IMAGE}: its snapshots are encrypted with "
        f"your key {TEAM_KEY}, so whoever may use that key decides who can read them."
    )


# -- Exercise 5.2 -------------------------------------------------------------------------------


def _reports_image(sandbox: Any) -> dict[str, Any]:
    """The learner's shared image of exercises 5.2 and 5.3 (a ❌ if it is gone)."""
    reports = image_by_name(sandbox, "learner", SHARED_IMAGE)
    if reports is None:
        fail(
            f"your image {SHARED_IMAGE} is gone (deregistered?)",
            "start the lesson over with lab.reset()",
        )
    return reports  # type: ignore[return-value]


def _missing_key_actions(snapshot: Any) -> tuple[str, list[str]]:
    """The ARN of a snapshot's key and the EBS actions the partner may not yet perform with it."""
    return refused_actions(
        kms_rules.snapshot_key_arn(snapshot),
        snapshot.owner_id,
        snapshot.ec2_backend.region_name,
        PARTNER,
    )


@exercise(
    "encryption-share-encrypted",
    lesson=LESSON,
    title="Share reports-db-v1, encrypted with alias/ami-lab-reports, so the partner can launch it",
    hints=(
        "What does the partner's launch read? The image, and the snapshots behind it: which key "
        "are they encrypted with, and who may use that key?",
        "Two things: a launch permission on the image for the partner's account (lesson 4's "
        "modify_image_attribute), and the use of the key lab.ids['reports_key'] (kms.create_grant "
        "to the partner's root, with the six operations EBS needs, or two key policy statements).",
        "ec2.modify_image_attribute(ImageId=lab.ids['reports_image'], "
        f"LaunchPermission={{'Add': [{{'UserId': '{PARTNER}'}}]}}); "
        f"kms.create_grant(KeyId=lab.ids['reports_key'], "
        f"GranteePrincipal='arn:aws:iam::{PARTNER}:root', Operations={GRANT_OPERATIONS})",
    ),
    solution=(
        "partner_id = lab.account_id('partner')\n"
        "ec2.modify_image_attribute(\n"
        "    ImageId=lab.ids['reports_image'],\n"
        "    LaunchPermission={'Add': [{'UserId': partner_id}]},\n"
        ")\n"
        "kms.create_grant(\n"
        "    KeyId=lab.ids['reports_key'],\n"
        "    GranteePrincipal=f'arn:aws:iam::{partner_id}:root',\n"
        "    Operations=['Decrypt', 'DescribeKey', 'CreateGrant', 'ReEncryptFrom',\n"
        "                'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext'],\n"
        ")"
    ),
)
def share_encrypted(sandbox: Any) -> str:
    reports = _reports_image(sandbox)
    image_id = reports["ImageId"]  # type: ignore[index]
    # What the partner sees: describe_images with the partner's own client.
    if describe_image(sandbox, image_id, account="partner") is None:
        fail(
            f"the partner cannot see {SHARED_IMAGE} ({image_id}): the image has no launch "
            f"permission for account {PARTNER}",
            "an image is launched by the accounts its launch permission names: look at "
            "reports-db-v1's launchPermission attribute",
        )
    require_partner_alone(sandbox, image_id)
    # What the partner's launch needs: the use of every snapshot's key (as RunInstances checks),
    # which KMS gives nobody while the key is disabled or pending deletion, whatever it allows.
    image = find_image(HOME, image_id)
    for snapshot in image_snapshots(image):  # type: ignore[arg-type]
        if not snapshot.encrypted:
            continue
        arn, missing = _missing_key_actions(snapshot)
        unusable = unusable_state(arn, snapshot.owner_id, snapshot.ec2_backend.region_name)
        if unusable:
            state, words = unusable
            names = alias_names(sandbox)
            key_id = "lab.ids['reports_key']" if names.get(REPORTS_KEY) == arn else repr(arn)
            fail(
                f"the partner can see {SHARED_IMAGE} ({image_id}) but cannot launch it: its "
                f"snapshot {snapshot.id} is encrypted with {names.get(arn, arn)}, and the key is "
                f"{words}: KMS lets no account use it, yours included",
                "make the key usable again: " + make_usable(state, "kms", key_id),
            )
        if missing:
            names = alias_names(sandbox)
            shared_other = [
                alias
                for alias in (TEAM_KEY, REPORTS_KEY)
                if names.get(alias) not in (None, arn)
                and kms_rules.can_use_key(
                    kms_rules.find_key(names[alias], ACCOUNTS["learner"], HOME),  # type: ignore[arg-type]
                    PARTNER,
                )
            ]
            also = (
                f" (you shared {shared_other[0]}, but {SHARED_IMAGE} is encrypted with "
                f"{names.get(arn, arn)})"
                if shared_other
                else ""
            )
            fail(
                f"the partner can see {SHARED_IMAGE} ({image_id}) but cannot launch it: its "
                f"snapshot {snapshot.id} is encrypted with {names.get(arn, arn)}, and the key "
                f"does not allow account {PARTNER} {not_allowed(missing)}{also}",
                "the partner needs every action EBS uses on this key: look at the key's grants "
                "(kms.list_grants) and its key policy (kms.get_key_policy)",
            )
    refuse_other_key_users(sandbox, image_id, image)
    return (
        f"the partner can launch {SHARED_IMAGE} ({image_id}): it has a launch permission, and "
        f"the key {REPORTS_KEY} lets account {PARTNER} use it for EBS (every KMS action AWS "
        "lists for a shared key). Its instances' volumes are encrypted with the partner's own "
        "default key."
    )


# -- Exercise 5.3 -------------------------------------------------------------------------------


def _partner_key_problem(sandbox: Any, arn: str) -> str | None:
    """What keeps a key from being the partner's own customer managed key, or None."""
    if arn.split(":")[4:5] != [PARTNER]:
        names = alias_names(sandbox)
        return f"{key_in_words(names, arn)}, a key of yours, not of the partner"
    kms = sandbox.client("kms", account="partner")
    metadata = kms.describe_key(KeyId=arn)["KeyMetadata"]
    if metadata["KeyManager"] != "CUSTOMER":
        return f"the partner's AWS managed key aws/ebs ({arn}), which it can never share on"
    return None


@exercise(
    "encryption-partner-copy",
    lesson=LESSON,
    title="As the partner, copy reports-db-v1 into an image of its own, encrypted with its own key",
    hints=(
        "Launching reads the image; copying reads its snapshots. What does the partner still "
        "lack on reports-db-v1's snapshot, and whose key should the copy use?",
        "You add a create volume permission for the partner on the snapshot "
        "(modify_snapshot_attribute, as earlier in this lesson); the partner makes a key "
        "(partner_kms.create_key) and calls partner_ec2.copy_image with Encrypted=True and "
        "KmsKeyId set to that key.",
        "reports = ec2.describe_images(ImageIds=[lab.ids['reports_image']])['Images'][0]\n"
        "snapshot = reports['BlockDeviceMappings'][0]['Ebs']['SnapshotId']\n"
        "ec2.modify_snapshot_attribute(SnapshotId=snapshot, Attribute='createVolumePermission',\n"
        f"                              OperationType='add', UserIds=['{PARTNER}'])\n"
        "partner_reports_key = partner_kms.create_key(Description='Partner: reports')"
        "['KeyMetadata']['Arn']\n"
        "partner_ec2.copy_image(SourceImageId=lab.ids['reports_image'], SourceRegion='us-east-1',\n"
        "                       Name='reports-db-v1-partner', Encrypted=True,\n"
        "                       KmsKeyId=partner_reports_key)",
    ),
    solution=(
        "reports = ec2.describe_images(ImageIds=[lab.ids['reports_image']])['Images'][0]\n"
        "snapshot = reports['BlockDeviceMappings'][0]['Ebs']['SnapshotId']\n"
        "ec2.modify_snapshot_attribute(\n"
        "    SnapshotId=snapshot,\n"
        "    Attribute='createVolumePermission',\n"
        "    OperationType='add',\n"
        "    UserIds=[partner_id],\n"
        ")\n"
        "partner_reports_key = partner_kms.create_key(Description='Partner: reports')"
        "['KeyMetadata']['Arn']\n"
        "partner_ec2.copy_image(\n"
        "    SourceImageId=lab.ids['reports_image'],\n"
        "    SourceRegion='us-east-1',\n"
        "    Name='reports-db-v1-partner',\n"
        "    Encrypted=True,\n"
        "    KmsKeyId=partner_reports_key,\n"
        ")"
    ),
)
def partner_copy(sandbox: Any) -> str:
    reports = _reports_image(sandbox)
    image_id = reports["ImageId"]  # type: ignore[index]
    require_snapshots_for_partner_alone(sandbox, reports)  # type: ignore[arg-type]
    partner_ec2 = sandbox.client("ec2", account="partner")
    copies = [
        image
        for image in partner_ec2.describe_images(Owners=["self"])["Images"]
        if image.get("SourceImageId") == image_id
    ]
    if not copies:
        fail(
            f"the partner owns no copy of {SHARED_IMAGE} ({image_id}) yet",
            "a copy is made by the account that will own it, with its own client; copying "
            "another account's image needs more than a launch permission: look at the "
            "snapshot's createVolumePermission",
        )
    problems = []
    for copy in copies:
        keys = {m["Ebs"].get("KmsKeyId", "") for m in copy["BlockDeviceMappings"] if "Ebs" in m}
        plain = [m for m in copy["BlockDeviceMappings"] if not m.get("Ebs", {}).get("Encrypted")]
        if plain:
            problems.append(f"{copy['ImageId']} is not encrypted")
            continue
        wrong = [p for p in (_partner_key_problem(sandbox, k) for k in sorted(keys)) if p]
        if not wrong:
            return (
                f"the partner owns {copy['ImageId']}, a copy of {SHARED_IMAGE} encrypted with "
                "its own customer managed key: it launches even after you take your key back, "
                "and the partner may share it on with its key."
            )
        problems.append(f"{copy['ImageId']} is encrypted with {wrong[0]}")
    fail(
        f"the partner copied {SHARED_IMAGE}, but {problems[0]}: the exercise asks for a copy "
        "encrypted with a customer managed key the partner owns",
        "look at the KmsKeyId of the partner's copy_image call, and at the key's owner",
    )
    return ""
