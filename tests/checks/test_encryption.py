"""Lesson 05's checks: the reference answers pass, typical wrong states fail with their message."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from botocore.exceptions import ClientError
from check_helpers import (
    EBS_OPERATIONS,
    PARTNER,
    PARTNER_ROOT,
    SELLER,
    fails,
    launch,
    passes,
    share_with_partner,
    snapshots_of,
)

from labkit.accounts import ORGANIZATION_ARN
from labkit.checks import get_exercise, run_check

LESSON = "05-encryption"
SHARE = "encryption-share-encrypted"


def copy(lab, name: str = "web-encrypted", source: str = "web_image", **encryption) -> str:
    return lab.client("ec2").copy_image(
        SourceImageId=lab.ids[source], SourceRegion="us-east-1", Name=name, **encryption
    )["ImageId"]


def grant(lab, key: str = "reports_key", operations: list[str] = EBS_OPERATIONS) -> None:
    lab.client("kms").create_grant(
        KeyId=lab.ids[key], GranteePrincipal=PARTNER_ROOT, Operations=operations
    )


def allow_in_key_policy(lab, actions: list[str]) -> None:
    """A statement in the reports key's policy that lets the partner's account use it."""
    kms = lab.client("kms")
    policy = json.loads(kms.get_key_policy(KeyId=lab.ids["reports_key"])["Policy"])
    policy["Statement"].append(
        {
            "Sid": "Let the partner use this key for EBS",
            "Effect": "Allow",
            "Principal": {"AWS": PARTNER_ROOT},
            "Action": actions,
            "Resource": "*",
        }
    )
    kms.put_key_policy(KeyId=lab.ids["reports_key"], Policy=json.dumps(policy))


def partner_launch(lab) -> str:
    return launch(lab, lab.ids["reports_image"], account="partner")


def cannot_launch(lab) -> str:
    """The start of the message for a shared image whose key the partner may not fully use."""
    (snapshot,) = snapshots_of(lab, lab.ids["reports_image"])
    return (
        f"the partner can see reports-db-v1 ({lab.ids['reports_image']}) but cannot launch it: "
        f"its snapshot {snapshot} is encrypted with alias/ami-lab-reports, and the key does not "
        f"allow account {PARTNER} "
    )


class TestCopyWithKey:
    def test_reference_answer_passes(self, lab):
        """A copy of web-server-v1 encrypted with alias/ami-lab-team passes."""
        image = copy(lab, Encrypted=True, KmsKeyId=lab.ids["team_key"])
        passes("encryption-copy-with-key", lab.sandbox, image_id=image)

    def test_key_named_by_alias_passes(self, lab):
        """Naming the key by its alias works as well as by its ARN."""
        image = copy(lab, Encrypted=True, KmsKeyId="alias/ami-lab-team")
        passes("encryption-copy-with-key", lab.sandbox, image_id=image)

    def test_unencrypted_copy(self, lab):
        """A plain copy fails: it is not encrypted."""
        image = copy(lab)
        (snapshot,) = snapshots_of(lab, image)
        assert fails("encryption-copy-with-key", lab.sandbox, image_id=image).message == (
            f"{image} is not encrypted: its snapshot {snapshot} is unencrypted"
        )

    def test_default_key(self, lab):
        """Encrypted=True without KmsKeyId fails: the default key aws/ebs was used."""
        image = copy(lab, Encrypted=True)
        aws_ebs = lab.client("kms").describe_key(KeyId="alias/aws/ebs")["KeyMetadata"]["Arn"]
        assert fails("encryption-copy-with-key", lab.sandbox, image_id=image).message == (
            f"{image} is encrypted with the default key aws/ebs ({aws_ebs}), not with "
            "your customer managed key alias/ami-lab-team"
        )

    def test_original_image_id(self, lab):
        """Answering with the source image's ID fails: that is the unencrypted original."""
        original = lab.ids["web_image"]
        assert fails("encryption-copy-with-key", lab.sandbox, image_id=original).message == (
            f"{original} is web-server-v1 itself, the unencrypted original"
        )

    def test_key_disabled_after_the_copy(self, lab):
        """The right copy, then the key disabled: fails, naming the state and how to enable it
        (the sandbox refuses to launch the copy)."""
        image = copy(lab, Encrypted=True, KmsKeyId=lab.ids["team_key"])
        lab.client("kms").disable_key(KeyId=lab.ids["team_key"])
        result = fails("encryption-copy-with-key", lab.sandbox, image_id=image)
        assert result.message == (
            f"{image} is encrypted with your key alias/ami-lab-team, but the key is disabled: "
            f"KMS lets no account use it, yours included, so nobody can launch or copy {image}"
        )
        assert result.hint == (
            "make the key usable again: kms.enable_key(KeyId=lab.ids['team_key'])"
        )
        with pytest.raises(ClientError) as refused:
            launch(lab, image)
        assert refused.value.response["Error"]["Code"] == "InvalidKMSKey.InvalidState"
        lab.client("kms").enable_key(KeyId=lab.ids["team_key"])
        passes("encryption-copy-with-key", lab.sandbox, image_id=image)

    def test_key_scheduled_for_deletion(self, lab):
        """The right copy, then the key scheduled for deletion: fails, naming the day and how to
        cancel the deletion."""
        image = copy(lab, Encrypted=True, KmsKeyId=lab.ids["team_key"])
        answer = lab.client("kms").schedule_key_deletion(
            KeyId=lab.ids["team_key"], PendingWindowInDays=7
        )
        day = answer["DeletionDate"].astimezone(dt.timezone.utc).date()
        result = fails("encryption-copy-with-key", lab.sandbox, image_id=image)
        assert result.message.startswith(
            f"{image} is encrypted with your key alias/ami-lab-team, but the key is pending "
            f"deletion (KMS deletes it on {day})"
        )
        assert result.hint.startswith(
            "make the key usable again: kms.cancel_key_deletion(KeyId=lab.ids['team_key'])"
        )

    def test_copy_of_another_image(self, lab):
        """An encrypted copy of another image fails, naming what it was copied from."""
        image = copy(lab, source="payments_image", Encrypted=True, KmsKeyId=lab.ids["team_key"])
        assert fails("encryption-copy-with-key", lab.sandbox, image_id=image).message == (
            f"{image} is not a copy of web-server-v1 ({lab.ids['web_image']}): it was copied "
            f"from {lab.ids['payments_image']}"
        )


class TestShareEncrypted:
    def test_reference_answer_passes(self, lab):
        """A launch permission and a grant of the six EBS operations on the reports key passes."""
        share_with_partner(lab, lab.ids["reports_image"])
        grant(lab)
        passes(SHARE, lab.sandbox)

    def test_reference_answer_lets_the_partner_launch(self, lab):
        """With the reference answer the partner's run_instances succeeds (R20, R21)."""
        share_with_partner(lab, lab.ids["reports_image"])
        grant(lab)
        partner_launch(lab)

    def test_the_solution_passes(self, lab):
        """The solution lab.hint reveals last passes, in the notebook's own names."""
        solution = get_exercise(SHARE).solution
        exec(solution, {"lab": lab, "ec2": lab.client("ec2"), "kms": lab.client("kms")})
        passes(SHARE, lab.sandbox)

    def test_key_policy_statement_passes(self, lab):
        """A key policy statement for the partner works as well as a grant."""
        share_with_partner(lab, lab.ids["reports_image"])
        allow_in_key_policy(
            lab,
            [
                "kms:Decrypt",
                "kms:DescribeKey",
                "kms:CreateGrant",
                "kms:ReEncrypt*",
                "kms:GenerateDataKey*",
            ],
        )
        passes(SHARE, lab.sandbox)

    def test_key_policy_and_grant_add_up(self, lab):
        """Decrypt and CreateGrant in the key policy, the other four in a grant: passes."""
        share_with_partner(lab, lab.ids["reports_image"])
        allow_in_key_policy(lab, ["kms:Decrypt", "kms:CreateGrant"])
        grant(lab, operations=[o for o in EBS_OPERATIONS if o not in ("Decrypt", "CreateGrant")])
        passes(SHARE, lab.sandbox)
        partner_launch(lab)

    def test_image_not_shared(self, lab):
        """Sharing only the key fails: the partner cannot see the image."""
        grant(lab)
        assert fails(SHARE, lab.sandbox).message == (
            f"the partner cannot see reports-db-v1 ({lab.ids['reports_image']}): the image has "
            "no launch permission for account 222222222222"
        )

    def test_key_not_shared(self, lab):
        """Sharing only the image fails, naming all six actions the key does not allow."""
        share_with_partner(lab, lab.ids["reports_image"])
        result = fails(SHARE, lab.sandbox)
        assert result.message == cannot_launch(lab) + (
            "kms:DescribeKey, kms:CreateGrant, kms:GenerateDataKey, "
            "kms:GenerateDataKeyWithoutPlaintext, kms:ReEncryptFrom and kms:Decrypt"
        )
        assert result.hint == (
            "the partner needs every action EBS uses on this key: look at the key's grants "
            "(kms.list_grants) and its key policy (kms.get_key_policy)"
        )
        assert "create_grant" not in result.hint  # what to look at, not the answer

    def test_decrypt_and_create_grant_only(self, lab):
        """A grant of Decrypt and CreateGrant alone fails, naming the four actions EBS lacks."""
        share_with_partner(lab, lab.ids["reports_image"])
        grant(lab, operations=["Decrypt", "CreateGrant"])
        assert fails(SHARE, lab.sandbox).message == cannot_launch(lab) + (
            "kms:DescribeKey, kms:GenerateDataKey, kms:GenerateDataKeyWithoutPlaintext and "
            "kms:ReEncryptFrom (it allows only kms:CreateGrant and kms:Decrypt)"
        )

    def test_decrypt_and_create_grant_only_cannot_launch(self, lab):
        """The check agrees with the sandbox: with that grant the partner's launch is refused."""
        share_with_partner(lab, lab.ids["reports_image"])
        grant(lab, operations=["Decrypt", "CreateGrant"])
        with pytest.raises(ClientError) as refused:
            partner_launch(lab)
        assert refused.value.response["Error"]["Code"] == "InvalidKMSKey.InvalidState"

    def test_key_policy_with_decrypt_and_create_grant_only(self, lab):
        """The same two actions in a key policy statement fail just as a grant does."""
        share_with_partner(lab, lab.ids["reports_image"])
        allow_in_key_policy(lab, ["kms:Decrypt", "kms:CreateGrant"])
        assert fails(SHARE, lab.sandbox).message.endswith(
            "kms:ReEncryptFrom (it allows only kms:CreateGrant and kms:Decrypt)"
        )

    def test_grant_without_create_grant(self, lab):
        """A grant of the other five fails: EBS also needs CreateGrant."""
        share_with_partner(lab, lab.ids["reports_image"])
        grant(lab, operations=[o for o in EBS_OPERATIONS if o != "CreateGrant"])
        assert fails(SHARE, lab.sandbox).message == cannot_launch(lab) + (
            "kms:CreateGrant (it allows only kms:DescribeKey, kms:GenerateDataKey, "
            "kms:GenerateDataKeyWithoutPlaintext, kms:ReEncryptFrom and kms:Decrypt)"
        )

    def test_the_other_key_shared(self, lab):
        """Sharing the team key instead of the reports key fails, naming the mix-up."""
        share_with_partner(lab, lab.ids["reports_image"])
        grant(lab, key="team_key")
        assert fails(SHARE, lab.sandbox).message.endswith(
            "(you shared alias/ami-lab-team, but reports-db-v1 is encrypted with "
            "alias/ami-lab-reports)"
        )


class TestShareEncryptedTooMuch:
    """Shared so that the partner can launch, but with more accounts than the partner: the image
    or the key reaches further than the exercise asks."""

    def test_key_policy_for_everyone(self, lab):
        """A key policy statement with Principal {"AWS": "*"} and kms:*: fails, naming everyone."""
        share_with_partner(lab, lab.ids["reports_image"])
        kms = lab.client("kms")
        policy = json.loads(kms.get_key_policy(KeyId=lab.ids["reports_key"])["Policy"])
        policy["Statement"].append(
            {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*", "Resource": "*"}
        )
        kms.put_key_policy(KeyId=lab.ids["reports_key"], Policy=json.dumps(policy))
        partner_launch(lab)  # the partner can launch: what is wrong is who else can
        result = fails(SHARE, lab.sandbox)
        assert result.message == (
            f"the partner can launch reports-db-v1 ({lab.ids['reports_image']}), but the key "
            "alias/ami-lab-reports also lets every AWS account (a key policy statement with "
            "Principal '*') use it: whoever may use the key can read every snapshot encrypted "
            "with it"
        )

    def test_grant_for_the_seller_too(self, lab):
        """The reference answer plus a grant for the seller: fails, naming the seller."""
        share_with_partner(lab, lab.ids["reports_image"])
        grant(lab)
        lab.client("kms").create_grant(
            KeyId=lab.ids["reports_key"],
            GranteePrincipal="arn:aws:iam::333333333333:root",
            Operations=EBS_OPERATIONS,
        )
        result = fails(SHARE, lab.sandbox)
        assert "also lets 333333333333 (the seller) use it" in result.message
        # The tip points at what to look at, not the call that fixes it (issue 18).
        assert not re.search(r"[A-Za-z_]\w*\(", result.hint), result.hint

    def test_image_shared_with_the_seller_too(self, lab):
        """The reference answer plus a launch permission for the seller: fails, naming it."""
        share_with_partner(lab, lab.ids["reports_image"])
        grant(lab)
        lab.client("ec2").modify_image_attribute(
            ImageId=lab.ids["reports_image"],
            LaunchPermission={"Add": [{"UserId": "333333333333"}]},
        )
        result = fails(SHARE, lab.sandbox)
        assert result.message == (
            f"reports-db-v1 ({lab.ids['reports_image']}) is shared with the partner, but also "
            "with 333333333333 (the seller): the exercise shares it with the partner account "
            "222222222222 only"
        )
        assert result.hint == (
            "a launch permission can also take grantees away ('Remove'): leave only the "
            "partner's account ID"
        )

    def test_removing_the_extra_share_passes(self, lab):
        """Taking the seller's launch permission away, as the tip says, leads to ✅."""
        self.test_image_shared_with_the_seller_too(lab)
        lab.client("ec2").modify_image_attribute(
            ImageId=lab.ids["reports_image"],
            LaunchPermission={"Remove": [{"UserId": "333333333333"}]},
        )
        passes(SHARE, lab.sandbox)

    def test_image_shared_through_the_organization(self, lab):
        """Shared with the organization instead of the partner's ID: the partner can launch (the
        check does not say it cannot), and the check names the organization as too much."""
        lab.client("ec2").modify_image_attribute(
            ImageId=lab.ids["reports_image"],
            LaunchPermission={"Add": [{"OrganizationArn": ORGANIZATION_ARN}]},
        )
        grant(lab)
        partner_launch(lab)
        assert fails(SHARE, lab.sandbox).message == (
            f"reports-db-v1 ({lab.ids['reports_image']}) is shared with the organization "
            f"{ORGANIZATION_ARN} (every account in it, now or later), not with the partner's ID: "
            "the exercise shares it with the partner account 222222222222 only"
        )


class TestShareEncryptedKeyState:
    """Shared and granted, but the key cannot be used: KMS refuses a disabled key, or one pending
    deletion, to every account, so the partner's launch is refused (InvalidKMSKey.InvalidState)."""

    def shared_and_granted(self, lab) -> None:
        share_with_partner(lab, lab.ids["reports_image"])
        grant(lab)

    def unusable(self, lab, state: str) -> str:
        (snapshot,) = snapshots_of(lab, lab.ids["reports_image"])
        return (
            f"the partner can see reports-db-v1 ({lab.ids['reports_image']}) but cannot launch "
            f"it: its snapshot {snapshot} is encrypted with alias/ami-lab-reports, and the key is "
            f"{state}: KMS lets no account use it, yours included"
        )

    def test_disabled_key(self, lab):
        """A disabled key fails, naming the key and its state, with how to enable it."""
        self.shared_and_granted(lab)
        lab.client("kms").disable_key(KeyId=lab.ids["reports_key"])
        result = fails(SHARE, lab.sandbox)
        assert result.message == self.unusable(lab, "disabled")
        assert result.hint == (
            "make the key usable again: kms.enable_key(KeyId=lab.ids['reports_key'])"
        )

    def test_disabled_key_cannot_launch(self, lab):
        """The check agrees with the sandbox: the partner's launch is refused."""
        self.shared_and_granted(lab)
        lab.client("kms").disable_key(KeyId=lab.ids["reports_key"])
        with pytest.raises(ClientError) as refused:
            partner_launch(lab)
        assert refused.value.response["Error"]["Code"] == "InvalidKMSKey.InvalidState"

    def test_key_pending_deletion(self, lab):
        """A key scheduled for deletion fails, naming the day KMS deletes it; the hint cancels
        the deletion, then enables the key."""
        self.shared_and_granted(lab)
        kms = lab.client("kms")
        answer = kms.schedule_key_deletion(KeyId=lab.ids["reports_key"], PendingWindowInDays=7)
        day = answer["DeletionDate"].astimezone(dt.timezone.utc).date()  # the sandbox's day
        result = fails(SHARE, lab.sandbox)
        assert result.message == self.unusable(lab, f"pending deletion (KMS deletes it on {day})")
        assert result.hint == (
            "make the key usable again: kms.cancel_key_deletion(KeyId=lab.ids['reports_key']), "
            "then kms.enable_key(KeyId=lab.ids['reports_key']) (a key whose deletion is "
            "cancelled stays disabled)"
        )

    def test_key_state_is_named_before_what_it_allows(self, lab):
        """Disabled and not shared: the state is named first (a grant would not be enough)."""
        share_with_partner(lab, lab.ids["reports_image"])
        lab.client("kms").disable_key(KeyId=lab.ids["reports_key"])
        assert fails(SHARE, lab.sandbox).message == self.unusable(lab, "disabled")

    def test_following_the_hint_passes(self, lab):
        """Cancelling the deletion and enabling the key again passes, and the partner launches."""
        self.shared_and_granted(lab)
        kms = lab.client("kms")
        kms.schedule_key_deletion(KeyId=lab.ids["reports_key"], PendingWindowInDays=7)
        kms.cancel_key_deletion(KeyId=lab.ids["reports_key"])
        assert fails(SHARE, lab.sandbox).message == self.unusable(lab, "disabled")
        kms.enable_key(KeyId=lab.ids["reports_key"])
        passes(SHARE, lab.sandbox)
        partner_launch(lab)


class TestWholeLesson:
    def test_every_check_passes_after_the_last_exercise(self, lab):
        """The two solutions, in order, then both checks again: both ✅."""
        names = {"lab": lab, "ec2": lab.client("ec2"), "kms": lab.client("kms")}
        exec(get_exercise("encryption-copy-with-key").solution, names)
        exec(get_exercise(SHARE).solution, names)
        for exercise, answers in (
            ("encryption-copy-with-key", {"image_id": names["my_encrypted_image_id"]}),
            (SHARE, {}),
        ):
            result = run_check(exercise, lab.sandbox, **answers)
            assert result.passed, f"{exercise}: {result.message}"


PARTNER_COPY = "encryption-partner-copy"


def reports_snapshot(lab) -> str:
    """The snapshot behind reports-db-v1."""
    return snapshots_of(lab, lab.ids["reports_image"])[0]


def let_partner_copy(lab, *, also: tuple[str, ...] = ()) -> None:
    """Exercise 5.2's state, plus create volume permission on the snapshot for the partner."""
    share_with_partner(lab, lab.ids["reports_image"])
    grant(lab)
    lab.client("ec2").modify_snapshot_attribute(
        SnapshotId=reports_snapshot(lab),
        Attribute="createVolumePermission",
        OperationType="add",
        UserIds=[PARTNER, *also],
    )


def partner_copies(lab, key: str | None) -> str:
    """The partner's copy of reports-db-v1, encrypted with ``key`` (a key ARN); its ID."""
    extra = {"KmsKeyId": key} if key else {}
    return lab.client("ec2", account="partner").copy_image(
        SourceImageId=lab.ids["reports_image"],
        SourceRegion="us-east-1",
        Name="reports-db-v1-partner",
        Encrypted=True,
        **extra,
    )["ImageId"]


class TestPartnerCopy:
    def test_reference_answer_passes(self, lab):
        """The partner's copy under a customer managed key of its own passes."""
        let_partner_copy(lab)
        key = lab.client("kms", account="partner").create_key()["KeyMetadata"]["Arn"]
        copy = partner_copies(lab, key)
        assert passes(PARTNER_COPY, lab.sandbox).message.startswith(
            f"the partner owns {copy}, a copy of reports-db-v1 encrypted with its own customer "
            "managed key"
        )

    def test_no_copy_yet(self, lab):
        """With no copy, the check says so and points at the snapshot's permission, not the code."""
        let_partner_copy(lab)
        result = fails(PARTNER_COPY, lab.sandbox)
        assert result.message == (
            f"the partner owns no copy of reports-db-v1 ({lab.ids['reports_image']}) yet"
        )
        assert "modify_snapshot_attribute(" not in result.hint

    def test_copy_under_the_partners_default_key(self, lab):
        """A copy under the partner's aws/ebs fails: the exercise asks for its own key."""
        let_partner_copy(lab)
        copy = partner_copies(lab, None)
        assert fails(PARTNER_COPY, lab.sandbox).message.startswith(
            f"the partner copied reports-db-v1, but {copy} is encrypted with the partner's AWS "
            "managed key aws/ebs"
        )

    def test_snapshot_shared_with_the_seller_too(self, lab):
        """Create volume permission for the seller as well is more than the exercise asks."""
        let_partner_copy(lab, also=(SELLER,))
        assert fails(PARTNER_COPY, lab.sandbox).message == (
            f"reports-db-v1's snapshot {reports_snapshot(lab)} also gives create volume "
            "permission to 333333333333 (the seller): the exercise lets the partner alone copy it"
        )

    def test_share_check_still_passes_after_the_copy(self, lab):
        """Exercise 5.3 does not turn 5.2's check ❌: both pass after the lesson's last exercise."""
        let_partner_copy(lab)
        key = lab.client("kms", account="partner").create_key()["KeyMetadata"]["Arn"]
        partner_copies(lab, key)
        passes(SHARE, lab.sandbox)
        passes(PARTNER_COPY, lab.sandbox)
