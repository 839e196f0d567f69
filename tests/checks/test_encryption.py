"""Lesson 05's checks: the reference answers pass, typical wrong states fail with their message."""

from __future__ import annotations

import pytest

from labkit import Lab
from labkit.checks import run_check

PARTNER = "222222222222"
PARTNER_ROOT = f"arn:aws:iam::{PARTNER}:root"
#: What the EBS guide (share-kms-key) asks another account to be allowed on a shared key.
EBS_OPERATIONS = [
    "Decrypt",
    "DescribeKey",
    "CreateGrant",
    "ReEncryptFrom",
    "GenerateDataKey",
    "GenerateDataKeyWithoutPlaintext",
]


@pytest.fixture
def lab():
    lab = Lab("05-encryption", quiet=True)
    yield lab
    lab.stop()


def copy(lab, name: str = "web-encrypted", source: str = "web_image", **encryption) -> str:
    return lab.client("ec2").copy_image(
        SourceImageId=lab.ids[source], SourceRegion="us-east-1", Name=name, **encryption
    )["ImageId"]


def share_image(lab, key: str = "reports_image") -> None:
    lab.client("ec2").modify_image_attribute(
        ImageId=lab.ids[key], LaunchPermission={"Add": [{"UserId": PARTNER}]}
    )


def grant(lab, key: str = "reports_key", operations: list[str] = EBS_OPERATIONS) -> None:
    lab.client("kms").create_grant(
        KeyId=lab.ids[key], GranteePrincipal=PARTNER_ROOT, Operations=operations
    )


def aws_ebs_arn(lab) -> str:
    return lab.client("kms").describe_key(KeyId="alias/aws/ebs")["KeyMetadata"]["Arn"]


class TestCopyWithKey:
    def test_reference_answer_passes(self, lab):
        """A copy of web-server-v1 encrypted with alias/ami-lab-team passes."""
        image = copy(lab, Encrypted=True, KmsKeyId=lab.ids["team_key"])
        result = run_check("encryption-copy-with-key", lab.sandbox, image_id=image)
        assert result.passed, result.message

    def test_key_named_by_alias_passes(self, lab):
        """Naming the key by its alias works as well as by its ARN."""
        image = copy(lab, Encrypted=True, KmsKeyId="alias/ami-lab-team")
        assert run_check("encryption-copy-with-key", lab.sandbox, image_id=image).passed

    def test_unencrypted_copy(self, lab):
        """A plain copy fails: it is not encrypted."""
        image = copy(lab)
        snapshot = lab.client("ec2").describe_images(ImageIds=[image])["Images"][0][
            "BlockDeviceMappings"
        ][0]["Ebs"]["SnapshotId"]
        result = run_check("encryption-copy-with-key", lab.sandbox, image_id=image)
        assert not result.passed
        assert result.message == (
            f"{image} is not encrypted: its snapshot {snapshot} is unencrypted"
        )

    def test_default_key(self, lab):
        """Encrypted=True without KmsKeyId fails: the default key aws/ebs was used."""
        image = copy(lab, Encrypted=True)
        result = run_check("encryption-copy-with-key", lab.sandbox, image_id=image)
        assert not result.passed
        assert result.message == (
            f"{image} is encrypted with the default key aws/ebs ({aws_ebs_arn(lab)}), not with "
            "your customer managed key alias/ami-lab-team"
        )

    def test_original_image_id(self, lab):
        """Answering with the source image's ID fails: that is the unencrypted original."""
        result = run_check("encryption-copy-with-key", lab.sandbox, image_id=lab.ids["web_image"])
        assert not result.passed
        assert result.message == (
            f"{lab.ids['web_image']} is web-server-v1 itself, the unencrypted original"
        )

    def test_copy_of_another_image(self, lab):
        """An encrypted copy of another image fails, naming what it was copied from."""
        image = copy(lab, source="payments_image", Encrypted=True, KmsKeyId=lab.ids["team_key"])
        result = run_check("encryption-copy-with-key", lab.sandbox, image_id=image)
        assert not result.passed
        assert result.message == (
            f"{image} is not a copy of web-server-v1 ({lab.ids['web_image']}): it was copied "
            f"from {lab.ids['payments_image']}"
        )


class TestShareEncrypted:
    def test_reference_answer_passes(self, lab):
        """A launch permission and a grant on alias/ami-lab-reports passes."""
        share_image(lab)
        grant(lab)
        result = run_check("encryption-share-encrypted", lab.sandbox)
        assert result.passed, result.message

    def test_reference_answer_lets_the_partner_launch(self, lab):
        """With the reference answer the partner's run_instances succeeds (R20, R21)."""
        share_image(lab)
        grant(lab)
        partner = lab.client("ec2", account="partner")
        partner.run_instances(
            ImageId=lab.ids["reports_image"], InstanceType="t3.micro", MinCount=1, MaxCount=1
        )

    def test_key_policy_statement_passes(self, lab):
        """A key policy statement for the partner works as well as a grant."""
        import json

        share_image(lab)
        kms = lab.client("kms")
        policy = json.loads(
            kms.get_key_policy(KeyId=lab.ids["reports_key"], PolicyName="default")["Policy"]
        )
        policy["Statement"].append(
            {
                "Sid": "Let the partner use this key for EBS",
                "Effect": "Allow",
                "Principal": {"AWS": PARTNER_ROOT},
                "Action": [
                    "kms:Decrypt",
                    "kms:DescribeKey",
                    "kms:CreateGrant",
                    "kms:ReEncrypt*",
                    "kms:GenerateDataKey*",
                ],
                "Resource": "*",
            }
        )
        kms.put_key_policy(
            KeyId=lab.ids["reports_key"], PolicyName="default", Policy=json.dumps(policy)
        )
        assert run_check("encryption-share-encrypted", lab.sandbox).passed

    def test_image_not_shared(self, lab):
        """Sharing only the key fails: the partner cannot see the image."""
        grant(lab)
        result = run_check("encryption-share-encrypted", lab.sandbox)
        assert not result.passed
        assert result.message == (
            f"the partner cannot see reports-db-v1 ({lab.ids['reports_image']}): the image has "
            "no launch permission for account 222222222222"
        )

    def snapshot(self, lab) -> str:
        image = lab.client("ec2").describe_images(ImageIds=[lab.ids["reports_image"]])
        return image["Images"][0]["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]

    def test_key_not_shared(self, lab):
        """Sharing only the image fails: the partner cannot decrypt its snapshot."""
        share_image(lab)
        result = run_check("encryption-share-encrypted", lab.sandbox)
        assert not result.passed
        assert result.message == (
            f"the partner can see reports-db-v1 ({lab.ids['reports_image']}) but cannot launch "
            f"it: its snapshot {self.snapshot(lab)} is encrypted with alias/ami-lab-reports, "
            "and the key does not allow account 222222222222 kms:Decrypt and kms:CreateGrant"
        )

    def test_the_other_key_shared(self, lab):
        """Sharing the team key instead of the reports key fails, naming the mix-up."""
        share_image(lab)
        grant(lab, key="team_key")
        result = run_check("encryption-share-encrypted", lab.sandbox)
        assert not result.passed
        assert result.message.endswith(
            "(you shared alias/ami-lab-team, but reports-db-v1 is encrypted with "
            "alias/ami-lab-reports)"
        )

    def test_grant_without_create_grant(self, lab):
        """A grant for Decrypt only fails: EBS also needs CreateGrant."""
        share_image(lab)
        grant(lab, operations=["Decrypt"])
        result = run_check("encryption-share-encrypted", lab.sandbox)
        assert not result.passed
        assert result.message.endswith(
            "and the key does not allow account 222222222222 kms:CreateGrant"
        )
