"""R17 (aws/ebs), R19–R21: encryption when copying and launching, and KMS keys across accounts."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from labkit.catalog import image_id
from labkit.fidelity.creating import find_snapshot
from labkit.fidelity.encryption import launch_volume_encryption
from labkit.fidelity.kms_keys import KEY_NOT_USABLE_MESSAGE, find_key, unusable_key_reason

AL2023 = "al2023-x86_64"
LEARNER = "111111111111"
PARTNER = "222222222222"

#: What AWS's guide asks a key policy to allow another account, for EBS to use the key for it
#: (Amazon EBS User Guide, share-kms-key), written with the console's wildcards.
EBS_KEY_ACTIONS = [
    "kms:DescribeKey",
    "kms:CreateGrant",
    "kms:Decrypt",
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
]
#: The same as grant operations (a grant names each operation; no wildcards).
EBS_GRANT_OPERATIONS = [
    "DescribeKey",
    "CreateGrant",
    "Decrypt",
    "ReEncryptFrom",
    "GenerateDataKey",
    "GenerateDataKeyWithoutPlaintext",
]


def launch(ec2, image: str) -> str:
    reservation = ec2.run_instances(ImageId=image, InstanceType="t3.micro", MinCount=1, MaxCount=1)
    return reservation["Instances"][0]["InstanceId"]


def wait(ec2, image: str) -> str:
    ec2.get_waiter("image_available").wait(ImageIds=[image])
    return image


def make_image(sandbox, account="learner", name="web-v1") -> str:
    ec2 = sandbox.client("ec2", account=account)
    instance = launch(ec2, image_id(AL2023, "us-east-1"))
    return wait(ec2, ec2.create_image(InstanceId=instance, Name=name)["ImageId"])


def copy(ec2, image: str, name: str, region: str = "us-east-1", **kwargs) -> str:
    answer = ec2.copy_image(SourceImageId=image, SourceRegion=region, Name=name, **kwargs)
    return wait(ec2, answer["ImageId"])


def root_ebs(ec2, image: str) -> dict:
    return ec2.describe_images(ImageIds=[image])["Images"][0]["BlockDeviceMappings"][0]["Ebs"]


def customer_key(sandbox, account="learner", region="us-east-1") -> str:
    kms = sandbox.client("kms", region=region, account=account)
    return kms.create_key(Description="web images")["KeyMetadata"]["Arn"]


def share_key(
    sandbox, key_arn: str, account: str = PARTNER, actions: list[str] | None = None
) -> None:
    """Add a key policy statement that lets another account use the learner's key."""
    kms = sandbox.client("kms")
    policy = json.loads(kms.get_key_policy(KeyId=key_arn, PolicyName="default")["Policy"])
    policy["Statement"].append(
        {
            "Sid": "Allow use of the key by the partner",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
            "Action": EBS_KEY_ACTIONS if actions is None else actions,
            "Resource": "*",
        }
    )
    kms.put_key_policy(KeyId=key_arn, PolicyName="default", Policy=json.dumps(policy))


def refused_for_the_key(refused: dict) -> None:
    """EC2's answer when a key cannot be used: its code and its one message, whatever the reason
    (the reason is the lab's to explain beside it, from the same rule: unusable_key_reason)."""
    assert refused == {"Code": "InvalidKMSKey.InvalidState", "Message": KEY_NOT_USABLE_MESSAGE}


def partner_reason(key: str) -> str | None:
    """Why the partner may not use the learner's key, as the sandbox's rule says it."""
    return unusable_key_reason(find_key(key, LEARNER, "us-east-1"), PARTNER)


def encrypted_image_shared_with_partner(sandbox, storage: bool = True) -> tuple[str, str]:
    """The learner's image encrypted with a customer managed key, shared with the partner."""
    key = customer_key(sandbox)
    learner = sandbox.client("ec2")
    image = copy(learner, make_image(sandbox), "web-enc", Encrypted=True, KmsKeyId=key)
    learner.modify_image_attribute(ImageId=image, LaunchPermission={"Add": [{"UserId": PARTNER}]})
    if storage:
        learner.modify_snapshot_attribute(
            SnapshotId=root_ebs(learner, image)["SnapshotId"],
            Attribute="createVolumePermission",
            OperationType="add",
            UserIds=[PARTNER],
        )
    return image, key


def error_code(call, *args, **kwargs) -> str:
    return error(call, *args, **kwargs)["Code"]


def error(call, *args, **kwargs) -> dict:
    with pytest.raises(ClientError) as caught:
        call(*args, **kwargs)
    return caught.value.response["Error"]


def default_key_arn(sandbox, account="learner", region="us-east-1") -> str:
    kms = sandbox.client("kms", region=region, account=account)
    return kms.describe_key(KeyId="alias/aws/ebs")["KeyMetadata"]["Arn"]


class TestCopyEncryption:
    def test_unencrypted_stays_unencrypted(self, sandbox):
        """R19: with no parameters an unencrypted image copies unencrypted."""
        ec2 = sandbox.client("ec2")
        image = copy(ec2, make_image(sandbox), "web-copy")
        ebs = root_ebs(ec2, image)
        assert ebs["Encrypted"] is False and "KmsKeyId" not in ebs

    def test_encrypt_with_the_default_key(self, sandbox):
        """R19: Encrypted=True alone uses the account's AWS-managed aws/ebs key."""
        ec2 = sandbox.client("ec2")
        image = copy(ec2, make_image(sandbox), "web-enc", Encrypted=True)
        ebs = root_ebs(ec2, image)
        assert ebs["Encrypted"] is True
        assert ebs["KmsKeyId"] == default_key_arn(sandbox)
        metadata = sandbox.client("kms").describe_key(KeyId=ebs["KmsKeyId"])["KeyMetadata"]
        assert metadata["KeyManager"] == "AWS"

    def test_encrypt_with_a_named_key(self, sandbox):
        """R19: Encrypted=True with KmsKeyId uses that customer managed key."""
        key = customer_key(sandbox)
        ec2 = sandbox.client("ec2")
        image = copy(ec2, make_image(sandbox), "web-enc", Encrypted=True, KmsKeyId=key)
        snapshot = sandbox.client("ec2").describe_snapshots(
            SnapshotIds=[root_ebs(ec2, image)["SnapshotId"]]
        )["Snapshots"][0]
        assert snapshot["Encrypted"] is True and snapshot["KmsKeyId"] == key

    def test_encrypted_stays_encrypted_with_its_key(self, sandbox):
        """R19: an encrypted image copied without parameters keeps its encryption and key."""
        key = customer_key(sandbox)
        ec2 = sandbox.client("ec2")
        encrypted = copy(ec2, make_image(sandbox), "web-enc", Encrypted=True, KmsKeyId=key)
        again = copy(ec2, encrypted, "web-enc-2", Encrypted=False)
        ebs = root_ebs(ec2, again)
        assert ebs["Encrypted"] is True and ebs["KmsKeyId"] == key

    def test_encrypted_copy_to_another_region_uses_a_key_there(self, sandbox):
        """R19: a key lives in one Region; the copy in us-west-2 uses that Region's default key."""
        key = customer_key(sandbox)
        east = sandbox.client("ec2")
        encrypted = copy(east, make_image(sandbox), "web-enc", Encrypted=True, KmsKeyId=key)
        west = sandbox.client("ec2", region="us-west-2")
        image = copy(west, encrypted, "web-enc")
        ebs = root_ebs(west, image)
        assert ebs["Encrypted"] is True
        assert ebs["KmsKeyId"] == default_key_arn(sandbox, region="us-west-2")

    def test_kms_key_without_encrypted_is_refused(self, sandbox):
        """R19: KmsKeyId without Encrypted=True is InvalidParameterDependency; nothing copied."""
        key = customer_key(sandbox)
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        code = error_code(
            ec2.copy_image,
            SourceImageId=image,
            SourceRegion="us-east-1",
            Name="web-enc",
            KmsKeyId=key,
        )
        assert code == "InvalidParameterDependency"
        assert len(ec2.describe_images(Owners=["self"])["Images"]) == 1

    def test_unknown_key_is_refused(self, sandbox):
        """R19: a key that does not exist is InvalidParameterValue."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        code = error_code(
            ec2.copy_image,
            SourceImageId=image,
            SourceRegion="us-east-1",
            Name="web-enc",
            Encrypted=True,
            KmsKeyId="arn:aws:kms:us-east-1:111111111111:key/00000000-0000-0000-0000-000000000000",
        )
        assert code == "InvalidParameterValue"

    def test_disabled_key_is_refused(self, sandbox):
        """R19: a disabled key (disabled by ARN) cannot encrypt a copy."""
        key = customer_key(sandbox)
        sandbox.client("kms").disable_key(KeyId=key)
        assert sandbox.client("kms").describe_key(KeyId=key)["KeyMetadata"]["KeyState"] == (
            "Disabled"
        )
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        code = error_code(
            ec2.copy_image,
            SourceImageId=image,
            SourceRegion="us-east-1",
            Name="web-enc",
            Encrypted=True,
            KmsKeyId=key,
        )
        assert code == "InvalidKMSKey.InvalidState"
        assert len(ec2.describe_images(Owners=["self"])["Images"]) == 1

    def test_a_key_pending_deletion_is_refused_in_words(self, sandbox):
        """R19: a key pending deletion cannot encrypt a copy, and the message says its state."""
        key = customer_key(sandbox)
        sandbox.client("kms").schedule_key_deletion(KeyId=key, PendingWindowInDays=7)
        ec2 = sandbox.client("ec2")
        found = error(
            ec2.copy_image,
            SourceImageId=make_image(sandbox),
            SourceRegion="us-east-1",
            Name="web-enc",
            Encrypted=True,
            KmsKeyId=key,
        )
        refused_for_the_key(found)
        assert unusable_key_reason(find_key(key, LEARNER, "us-east-1"), LEARNER).startswith(
            "it is pending deletion"
        )

    def test_encryption_by_default_encrypts_copies(self, sandbox):
        """R19: with EBS encryption by default on, even a plain copy is encrypted."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        ec2.enable_ebs_encryption_by_default()
        ebs = root_ebs(ec2, copy(ec2, image, "web-copy"))
        assert ebs["Encrypted"] is True
        assert ebs["KmsKeyId"] == ec2.get_ebs_default_kms_key_id()["KmsKeyId"]


class TestKmsAcrossAccounts:
    def test_partner_cannot_use_an_unshared_key(self, sandbox):
        """R20: another account's key is AccessDeniedException until its policy allows it."""
        key = customer_key(sandbox)
        kms = sandbox.client("kms", account="partner")
        assert error_code(kms.describe_key, KeyId=key) == "AccessDeniedException"

    def test_key_policy_statement_shares_the_key(self, sandbox):
        """R20: a statement naming the partner's root lets the partner use the key by ARN."""
        key = customer_key(sandbox)
        share_key(sandbox, key)
        kms = sandbox.client("kms", account="partner")
        assert kms.describe_key(KeyId=key)["KeyMetadata"]["Arn"] == key
        blob = sandbox.client("kms").encrypt(KeyId=key, Plaintext=b"secret")["CiphertextBlob"]
        assert kms.decrypt(KeyId=key, CiphertextBlob=blob)["Plaintext"] == b"secret"
        # Only what the statement allows: it does not allow kms:Encrypt.
        assert error_code(kms.encrypt, KeyId=key, Plaintext=b"x") == "AccessDeniedException"

    def test_a_key_pending_deletion_cannot_be_enabled_only_restored(self, sandbox):
        """KMS: EnableKey refuses a key pending deletion (KMSInvalidStateException); cancelling
        the deletion leaves it disabled, and then it can be enabled."""
        key = customer_key(sandbox)
        kms = sandbox.client("kms")
        kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=7)

        found = error(kms.enable_key, KeyId=key)
        assert found == {
            "Code": "KMSInvalidStateException",
            "Message": f"{key} is pending deletion.",
        }
        assert kms.describe_key(KeyId=key)["KeyMetadata"]["KeyState"] == "PendingDeletion"

        kms.cancel_key_deletion(KeyId=key)
        assert kms.describe_key(KeyId=key)["KeyMetadata"]["KeyState"] == "Disabled"
        kms.enable_key(KeyId=key)
        assert kms.describe_key(KeyId=key)["KeyMetadata"]["KeyState"] == "Enabled"

    def test_the_partner_cannot_administer_a_shared_key(self, sandbox):
        """R20: a shared key is usable, not manageable: disabling it from the partner fails."""
        key = customer_key(sandbox)
        share_key(sandbox, key)
        kms = sandbox.client("kms", account="partner")
        assert error_code(kms.disable_key, KeyId=key) == "NotFoundException"
        assert sandbox.client("kms").describe_key(KeyId=key)["KeyMetadata"]["Enabled"] is True

    def test_aws_managed_key_never_crosses_accounts(self, sandbox):
        """R17: the learner's aws/ebs key is AccessDeniedException to the partner."""
        key = default_key_arn(sandbox)
        kms = sandbox.client("kms", account="partner")
        assert error_code(kms.describe_key, KeyId=key) == "AccessDeniedException"


class TestKeyPolicyName:
    def test_get_key_policy_without_a_policy_name(self, sandbox):
        """KMS: GetKeyPolicy's PolicyName is optional and defaults to 'default'."""
        key = customer_key(sandbox)
        kms = sandbox.client("kms")
        answer = kms.get_key_policy(KeyId=key)
        assert answer["PolicyName"] == "default"
        assert answer["Policy"] == kms.get_key_policy(KeyId=key, PolicyName="default")["Policy"]
        assert json.loads(answer["Policy"])["Statement"][0]["Action"] == "kms:*"

    def test_put_key_policy_without_a_policy_name(self, sandbox):
        """KMS: PutKeyPolicy without PolicyName replaces the default key policy."""
        key = customer_key(sandbox)
        kms = sandbox.client("kms")
        policy = json.loads(kms.get_key_policy(KeyId=key)["Policy"])
        policy["Statement"].append(
            {
                "Sid": "Allow use of the key by the partner",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{PARTNER}:root"},
                "Action": EBS_KEY_ACTIONS,
                "Resource": "*",
            }
        )
        kms.put_key_policy(KeyId=key, Policy=json.dumps(policy))
        sids = [
            s.get("Sid") for s in json.loads(kms.get_key_policy(KeyId=key)["Policy"])["Statement"]
        ]
        assert sids[-1] == "Allow use of the key by the partner"
        partner = sandbox.client("kms", account="partner")
        assert partner.describe_key(KeyId=key)["KeyMetadata"]["Arn"] == key

    def test_another_policy_name_is_not_found(self, sandbox):
        """KMS: 'default' is the only policy name; another is NotFoundException."""
        key = customer_key(sandbox)
        kms = sandbox.client("kms")
        assert error_code(kms.get_key_policy, KeyId=key, PolicyName="mine") == "NotFoundException"


class TestWhatEbsNeedsOfAKey:
    """R20: the six actions of share-kms-key, from the key policy, a grant, or both."""

    @staticmethod
    def partner_launch(sandbox, image: str) -> dict:
        return error(launch, sandbox.client("ec2", account="partner"), image)

    def test_decrypt_and_create_grant_are_not_enough(self, sandbox):
        """R20: a statement with only kms:Decrypt and kms:CreateGrant fails, naming the rest."""
        image, key = encrypted_image_shared_with_partner(sandbox, storage=False)
        share_key(sandbox, key, actions=["kms:Decrypt", "kms:CreateGrant"])
        refused_for_the_key(self.partner_launch(sandbox, image))
        assert (
            "do not allow kms:DescribeKey, kms:GenerateDataKey, "
            "kms:GenerateDataKeyWithoutPlaintext, kms:ReEncryptFrom"
        ) in partner_reason(key)
        partner = sandbox.client("ec2", account="partner")
        instances = [
            i for r in partner.describe_instances()["Reservations"] for i in r["Instances"]
        ]
        assert all(i["State"]["Name"] == "terminated" for i in instances)

    def test_copy_needs_the_same_actions(self, sandbox):
        """R20: copying the shared snapshot with too small a statement fails, naming what lacks."""
        image, key = encrypted_image_shared_with_partner(sandbox)
        share_key(sandbox, key, actions=[a for a in EBS_KEY_ACTIONS if a != "kms:ReEncrypt*"])
        snapshot = root_ebs(sandbox.client("ec2"), image)["SnapshotId"]
        partner = sandbox.client("ec2", account="partner")
        refused = error(partner.copy_snapshot, SourceSnapshotId=snapshot, SourceRegion="us-east-1")
        refused_for_the_key(refused)
        assert "do not allow kms:ReEncryptFrom " in partner_reason(key)
        assert partner.describe_snapshots(OwnerIds=["self"])["Snapshots"] == []

    def test_no_statement_at_all_names_every_action(self, sandbox):
        """R20: an unshared key's refusal lists all six actions EBS needs."""
        image, key = encrypted_image_shared_with_partner(sandbox, storage=False)
        refused_for_the_key(self.partner_launch(sandbox, image))
        message = partner_reason(key)
        assert "has not shared it with account 222222222222" in message
        assert (
            "EBS needs kms:DescribeKey, kms:CreateGrant, kms:GenerateDataKey, "
            "kms:GenerateDataKeyWithoutPlaintext, kms:ReEncryptFrom, kms:Decrypt"
        ) in message

    def test_the_consoles_two_statements_work(self, sandbox):
        """R20: the console's "Allow use of the key" and "attachment" statements suffice."""
        image, key = encrypted_image_shared_with_partner(sandbox, storage=False)
        kms = sandbox.client("kms")
        policy = json.loads(kms.get_key_policy(KeyId=key)["Policy"])
        partner_root = {"AWS": f"arn:aws:iam::{PARTNER}:root"}
        policy["Statement"] += [
            {
                "Sid": "Allow use of the key",
                "Effect": "Allow",
                "Principal": partner_root,
                "Action": [
                    "kms:Encrypt",
                    "kms:Decrypt",
                    "kms:ReEncrypt*",
                    "kms:GenerateDataKey*",
                    "kms:DescribeKey",
                ],
                "Resource": "*",
            },
            {
                "Sid": "Allow attachment of persistent resources",
                "Effect": "Allow",
                "Principal": partner_root,
                "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
                "Resource": "*",
                "Condition": {"Bool": {"kms:GrantIsForAWSResource": True}},
            },
        ]
        kms.put_key_policy(KeyId=key, Policy=json.dumps(policy))
        assert launch(sandbox.client("ec2", account="partner"), image).startswith("i-")

    def test_a_grant_needs_every_operation(self, sandbox):
        """R20: a grant without GenerateDataKey fails; the key policy can add what it lacks."""
        image, key = encrypted_image_shared_with_partner(sandbox, storage=False)
        sandbox.client("kms").create_grant(
            KeyId=key,
            GranteePrincipal=f"arn:aws:iam::{PARTNER}:root",
            Operations=[o for o in EBS_GRANT_OPERATIONS if o != "GenerateDataKey"],
        )
        refused_for_the_key(self.partner_launch(sandbox, image))
        assert "do not allow kms:GenerateDataKey " in partner_reason(key)
        share_key(sandbox, key, actions=["kms:GenerateDataKey"])
        assert launch(sandbox.client("ec2", account="partner"), image).startswith("i-")


class TestSharedEncryptedImage:
    def test_partner_cannot_launch_without_the_key(self, sandbox):
        """R20: a shared encrypted image without its key does not launch for the partner."""
        image, _ = encrypted_image_shared_with_partner(sandbox, storage=False)
        partner = sandbox.client("ec2", account="partner")
        assert partner.describe_images(ImageIds=[image])["Images"][0]["ImageId"] == image
        assert error_code(launch, partner, image) == "InvalidKMSKey.InvalidState"
        running = [i for r in partner.describe_instances()["Reservations"] for i in r["Instances"]]
        assert all(i["State"]["Name"] == "terminated" for i in running)

    def test_partner_launches_with_the_key_on_its_own_default_key(self, sandbox):
        """R20, R21: with the key shared, the partner launches; its volume uses its aws/ebs key."""
        image, key = encrypted_image_shared_with_partner(sandbox, storage=False)
        share_key(sandbox, key)
        partner = sandbox.client("ec2", account="partner")
        instance = launch(partner, image)
        volumes = partner.describe_volumes(
            Filters=[{"Name": "attachment.instance-id", "Values": [instance]}]
        )["Volumes"]
        assert volumes and all(v["Encrypted"] for v in volumes)
        assert {v["KmsKeyId"] for v in volumes} == {default_key_arn(sandbox, account="partner")}

    def test_partner_copy_needs_the_key(self, sandbox):
        """R20: create-volume permission alone is not enough to copy an encrypted image."""
        image, _ = encrypted_image_shared_with_partner(sandbox)
        partner = sandbox.client("ec2", region="eu-west-1", account="partner")
        code = error_code(
            partner.copy_image, SourceImageId=image, SourceRegion="us-east-1", Name="web-enc"
        )
        assert code == "InvalidKMSKey.InvalidState"
        assert partner.describe_images(Owners=["self"])["Images"] == []

    def test_partner_copy_is_encrypted_with_its_own_default_key(self, sandbox):
        """R20: with key and storage shared, the copy is the partner's, under its aws/ebs key."""
        image, key = encrypted_image_shared_with_partner(sandbox)
        share_key(sandbox, key)
        partner = sandbox.client("ec2", region="eu-west-1", account="partner")
        mine = copy(partner, image, "web-enc")
        ebs = root_ebs(partner, mine)
        assert ebs["Encrypted"] is True
        assert ebs["KmsKeyId"] == default_key_arn(sandbox, "partner", "eu-west-1")
        assert partner.describe_images(ImageIds=[mine])["Images"][0]["OwnerId"] == PARTNER

    def test_partner_copy_with_its_own_key(self, sandbox):
        """R20: the partner may name its own customer managed key for the copy."""
        image, key = encrypted_image_shared_with_partner(sandbox)
        share_key(sandbox, key)
        own_key = customer_key(sandbox, account="partner")
        partner = sandbox.client("ec2", account="partner")
        mine = copy(partner, image, "web-enc", Encrypted=True, KmsKeyId=own_key)
        assert root_ebs(partner, mine)["KmsKeyId"] == own_key

    def test_a_grant_shares_the_key_too(self, sandbox):
        """R20: a KMS grant to the partner works like a policy statement; revoking it stops it."""
        image, key = encrypted_image_shared_with_partner(sandbox)
        kms = sandbox.client("kms")
        grant = kms.create_grant(
            KeyId=key,
            GranteePrincipal=f"arn:aws:iam::{PARTNER}:root",
            Operations=EBS_GRANT_OPERATIONS,
        )["GrantId"]
        partner = sandbox.client("ec2", account="partner")
        assert copy(partner, image, "web-enc").startswith("ami-")
        kms.revoke_grant(KeyId=key, GrantId=grant)
        code = error_code(
            partner.copy_image, SourceImageId=image, SourceRegion="us-east-1", Name="web-enc-2"
        )
        assert code == "InvalidKMSKey.InvalidState"

    def test_manual_path_copy_snapshot_then_register(self, sandbox):
        """R20: the older way still works: copy the shared snapshot re-encrypted, then register."""
        image, key = encrypted_image_shared_with_partner(sandbox)
        share_key(sandbox, key)
        snapshot = root_ebs(sandbox.client("ec2"), image)["SnapshotId"]
        partner = sandbox.client("ec2", account="partner")
        own_key = customer_key(sandbox, account="partner")
        mine = partner.copy_snapshot(
            SourceSnapshotId=snapshot, SourceRegion="us-east-1", Encrypted=True, KmsKeyId=own_key
        )["SnapshotId"]
        described = partner.describe_snapshots(SnapshotIds=[mine])["Snapshots"][0]
        assert described["OwnerId"] == PARTNER and described["KmsKeyId"] == own_key
        registered = partner.register_image(
            Name="web-mine",
            RootDeviceName="/dev/xvda",
            Architecture="x86_64",
            VirtualizationType="hvm",
            BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": mine}}],
        )["ImageId"]
        assert partner.describe_images(ImageIds=[registered])["Images"][0]["OwnerId"] == PARTNER

    def test_copy_snapshot_without_the_key_fails(self, sandbox):
        """R20: copying a shared encrypted snapshot needs the key as well."""
        image, _ = encrypted_image_shared_with_partner(sandbox)
        snapshot = root_ebs(sandbox.client("ec2"), image)["SnapshotId"]
        partner = sandbox.client("ec2", account="partner")
        code = error_code(
            partner.copy_snapshot, SourceSnapshotId=snapshot, SourceRegion="us-east-1"
        )
        assert code == "InvalidKMSKey.InvalidState"
        assert partner.describe_snapshots(OwnerIds=["self"])["Snapshots"] == []


class TestLaunchVolumeEncryption:
    def test_unencrypted_snapshot_gives_unencrypted_volume(self, sandbox):
        """R21: an unencrypted snapshot launches unencrypted unless encryption is on by default."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        snapshot = find_snapshot("us-east-1", root_ebs(ec2, image)["SnapshotId"])
        assert launch_volume_encryption(snapshot, PARTNER, "us-east-1", None) == (False, None)
        sandbox.client("ec2", account="partner").enable_ebs_encryption_by_default()
        assert launch_volume_encryption(snapshot, PARTNER, "us-east-1", None) == (
            True,
            default_key_arn(sandbox, account="partner"),
        )

    def test_own_encrypted_snapshot_keeps_its_key(self, sandbox):
        """R21: the owner's launch from its own encrypted snapshot keeps the snapshot's key."""
        key = customer_key(sandbox)
        ec2 = sandbox.client("ec2")
        image = copy(ec2, make_image(sandbox), "web-enc", Encrypted=True, KmsKeyId=key)
        snapshot = find_snapshot("us-east-1", root_ebs(ec2, image)["SnapshotId"])
        assert launch_volume_encryption(snapshot, LEARNER, "us-east-1", None) == (True, key)
