"""R33–R35: EBS encryption by default and the account's default EBS key, per Region."""

from __future__ import annotations

from .conftest import base, error, launch, make_image, snapshot_of

ZONE = "us-east-1a"


def aws_ebs_arn(sandbox, region="us-east-1") -> str:
    kms = sandbox.client("kms", region=region)
    return kms.describe_key(KeyId="alias/aws/ebs")["KeyMetadata"]["Arn"]


def own_key(sandbox, region="us-east-1", **kwargs) -> str:
    kms = sandbox.client("kms", region=region)
    return kms.create_key(Description="team default", **kwargs)["KeyMetadata"]["Arn"]


def volume(ec2, volume_id: str) -> dict:
    return ec2.describe_volumes(VolumeIds=[volume_id])["Volumes"][0]


def root_volume(ec2, instance: dict) -> dict:
    return volume(ec2, instance["BlockDeviceMappings"][0]["Ebs"]["VolumeId"])


def unencrypted_snapshot(ec2) -> str:
    made = ec2.create_volume(AvailabilityZone=ZONE, Size=4)["VolumeId"]
    snapshot = ec2.create_snapshot(VolumeId=made)["SnapshotId"]
    ec2.get_waiter("snapshot_completed").wait(SnapshotIds=[snapshot])
    return snapshot


class TestR33EncryptionByDefault:
    def test_R33_off_until_turned_on_per_region(self, sandbox):
        """Off at first; Enable/Disable change it in one Region only."""
        ec2 = sandbox.client("ec2")
        west = sandbox.client("ec2", region="us-west-2")
        assert ec2.get_ebs_encryption_by_default()["EbsEncryptionByDefault"] is False
        assert ec2.enable_ebs_encryption_by_default()["EbsEncryptionByDefault"] is True
        assert ec2.get_ebs_encryption_by_default()["EbsEncryptionByDefault"] is True
        assert west.get_ebs_encryption_by_default()["EbsEncryptionByDefault"] is False
        assert ec2.disable_ebs_encryption_by_default()["EbsEncryptionByDefault"] is False

    def test_R33_every_new_volume_is_encrypted_no_opt_out(self, sandbox):
        """CreateVolume gives an encrypted volume, even with Encrypted=False."""
        ec2 = sandbox.client("ec2")
        before = ec2.create_volume(AvailabilityZone=ZONE, Size=4)["VolumeId"]
        ec2.enable_ebs_encryption_by_default()
        plain = ec2.create_volume(AvailabilityZone=ZONE, Size=4, Encrypted=False)["VolumeId"]
        assert volume(ec2, plain)["Encrypted"] is True
        assert volume(ec2, plain)["KmsKeyId"] == aws_ebs_arn(sandbox)
        assert volume(ec2, before)["Encrypted"] is False  # existing volumes keep their state

    def test_R33_launch_volumes_encrypted(self, sandbox):
        """RunInstances from an unencrypted image, and its new empty volumes, are encrypted."""
        ec2 = sandbox.client("ec2")
        ec2.enable_ebs_encryption_by_default()
        instance = launch(
            ec2,
            base(sandbox),
            BlockDeviceMappings=[{"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 5}}],
        )
        for mapping in instance["BlockDeviceMappings"]:
            described = volume(ec2, mapping["Ebs"]["VolumeId"])
            assert described["Encrypted"] is True
            assert described["KmsKeyId"] == aws_ebs_arn(sandbox)

    def test_R33_reset_sandbox_turns_it_off(self, sandbox):
        """A reset sandbox starts with encryption by default off and aws/ebs as the key."""
        ec2 = sandbox.client("ec2")
        ec2.enable_ebs_encryption_by_default()
        ec2.modify_ebs_default_kms_key_id(KmsKeyId=own_key(sandbox))
        sandbox.reset()
        ec2 = sandbox.client("ec2")
        assert ec2.get_ebs_encryption_by_default()["EbsEncryptionByDefault"] is False
        assert ec2.get_ebs_default_kms_key_id()["KmsKeyId"] == aws_ebs_arn(sandbox)


class TestR34DefaultKey:
    def test_R34_aws_ebs_until_changed_then_reset(self, sandbox):
        """aws/ebs at first; Modify makes a customer managed key the default; Reset undoes it."""
        ec2 = sandbox.client("ec2")
        assert ec2.get_ebs_default_kms_key_id()["KmsKeyId"] == aws_ebs_arn(sandbox)
        key = own_key(sandbox)
        assert ec2.modify_ebs_default_kms_key_id(KmsKeyId=key)["KmsKeyId"] == key
        assert ec2.get_ebs_default_kms_key_id()["KmsKeyId"] == key
        west = sandbox.client("ec2", region="us-west-2")
        assert west.get_ebs_default_kms_key_id()["KmsKeyId"] == aws_ebs_arn(sandbox, "us-west-2")
        assert ec2.reset_ebs_default_kms_key_id()["KmsKeyId"] == aws_ebs_arn(sandbox)
        assert ec2.get_ebs_default_kms_key_id()["KmsKeyId"] == aws_ebs_arn(sandbox)

    def test_R34_alias_names_the_key(self, sandbox):
        """A key can be named by alias; the answer is its ARN."""
        key = own_key(sandbox)
        sandbox.client("kms").create_alias(AliasName="alias/team", TargetKeyId=key)
        ec2 = sandbox.client("ec2")
        assert ec2.modify_ebs_default_kms_key_id(KmsKeyId="alias/team")["KmsKeyId"] == key

    def test_R34_unknown_key_is_an_aws_error(self, sandbox):
        """An unknown key is InvalidParameterValue (moto raised a raw KeyError); nothing changes."""
        ec2 = sandbox.client("ec2")
        for reference in ("alias/no-such-key", "1234abcd-12ab-34cd-56ef-1234567890ab"):
            refused = error(ec2.modify_ebs_default_kms_key_id, KmsKeyId=reference)
            assert refused["Code"] == "InvalidParameterValue"
        assert ec2.get_ebs_default_kms_key_id()["KmsKeyId"] == aws_ebs_arn(sandbox)

    def test_R34_asymmetric_or_disabled_key_refused(self, sandbox):
        """EBS takes only symmetric keys, and only enabled ones."""
        ec2 = sandbox.client("ec2")
        signing = own_key(sandbox, KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")
        refused = error(ec2.modify_ebs_default_kms_key_id, KmsKeyId=signing)
        assert refused["Code"] == "InvalidParameterValue"
        disabled = own_key(sandbox)
        sandbox.client("kms").disable_key(KeyId=disabled)
        refused = error(ec2.modify_ebs_default_kms_key_id, KmsKeyId=disabled)
        assert refused["Code"] == "InvalidKMSKey.InvalidState"

    def test_R34_default_key_used_when_none_named_and_named_key_wins(self, sandbox):
        """Encrypted without a key gets the default key; a named key overrides it."""
        ec2 = sandbox.client("ec2")
        default, other = own_key(sandbox), own_key(sandbox)
        ec2.modify_ebs_default_kms_key_id(KmsKeyId=default)
        unnamed = ec2.create_volume(AvailabilityZone=ZONE, Size=4, Encrypted=True)["VolumeId"]
        named = ec2.create_volume(AvailabilityZone=ZONE, Size=4, Encrypted=True, KmsKeyId=other)[
            "VolumeId"
        ]
        assert volume(ec2, unnamed)["KmsKeyId"] == default
        assert volume(ec2, named)["KmsKeyId"] == other

    def test_R34_existing_resources_keep_their_key(self, sandbox):
        """Changing the default re-encrypts nothing."""
        ec2 = sandbox.client("ec2")
        made = ec2.create_volume(AvailabilityZone=ZONE, Size=4, Encrypted=True)["VolumeId"]
        ec2.modify_ebs_default_kms_key_id(KmsKeyId=own_key(sandbox))
        assert volume(ec2, made)["KmsKeyId"] == aws_ebs_arn(sandbox)


class TestR35UnencryptedSourcesComeOutEncrypted:
    def test_R35_copy_snapshot(self, sandbox):
        """CopySnapshot of an unencrypted snapshot is encrypted with the default key."""
        ec2 = sandbox.client("ec2")
        source = unencrypted_snapshot(ec2)
        key = own_key(sandbox)
        ec2.modify_ebs_default_kms_key_id(KmsKeyId=key)
        ec2.enable_ebs_encryption_by_default()
        copy = ec2.copy_snapshot(SourceSnapshotId=source, SourceRegion="us-east-1")["SnapshotId"]
        described = ec2.describe_snapshots(SnapshotIds=[copy])["Snapshots"][0]
        assert described["Encrypted"] is True
        assert described["KmsKeyId"] == key
        source_now = ec2.describe_snapshots(SnapshotIds=[source])["Snapshots"][0]
        assert source_now["Encrypted"] is False

    def test_R35_copy_image_uses_the_destinations_default(self, sandbox):
        """CopyImage into a Region that encrypts by default encrypts every snapshot there."""
        image = make_image(sandbox)
        west = sandbox.client("ec2", region="us-west-2")
        key = own_key(sandbox, region="us-west-2")
        west.modify_ebs_default_kms_key_id(KmsKeyId=key)
        west.enable_ebs_encryption_by_default()
        copy = west.copy_image(SourceImageId=image, SourceRegion="us-east-1", Name="web-west")
        west.get_waiter("image_available").wait(ImageIds=[copy["ImageId"]])
        snapshot = snapshot_of(west, copy["ImageId"])
        described = west.describe_snapshots(SnapshotIds=[snapshot])["Snapshots"][0]
        assert (described["Encrypted"], described["KmsKeyId"]) == (True, key)

    def test_R35_create_volume_from_unencrypted_snapshot(self, sandbox):
        """CreateVolume from an unencrypted snapshot gives an encrypted volume."""
        ec2 = sandbox.client("ec2")
        source = unencrypted_snapshot(ec2)
        ec2.enable_ebs_encryption_by_default()
        made = ec2.create_volume(AvailabilityZone=ZONE, SnapshotId=source)["VolumeId"]
        assert (volume(ec2, made)["Encrypted"], volume(ec2, made)["KmsKeyId"]) == (
            True,
            aws_ebs_arn(sandbox),
        )

    def test_R35_run_instances_from_unencrypted_image_uses_changed_default(self, sandbox):
        """RunInstances from an unencrypted AMI: the root volume gets the changed default key."""
        ec2 = sandbox.client("ec2")
        key = own_key(sandbox)
        ec2.modify_ebs_default_kms_key_id(KmsKeyId=key)
        ec2.enable_ebs_encryption_by_default()
        described = root_volume(ec2, launch(ec2, base(sandbox)))
        assert (described["Encrypted"], described["KmsKeyId"]) == (True, key)

    def test_R35_off_means_unencrypted(self, sandbox):
        """Without encryption by default the same calls leave unencrypted sources unencrypted."""
        ec2 = sandbox.client("ec2")
        assert root_volume(ec2, launch(ec2, base(sandbox)))["Encrypted"] is False
        source = unencrypted_snapshot(ec2)
        copy = ec2.copy_snapshot(SourceSnapshotId=source, SourceRegion="us-east-1")["SnapshotId"]
        assert ec2.describe_snapshots(SnapshotIds=[copy])["Snapshots"][0]["Encrypted"] is False

    def test_R35_disabled_default_key_fails_the_launch(self, sandbox):
        """A disabled default key cannot encrypt: the launch is refused and nothing is made."""
        ec2 = sandbox.client("ec2")
        key = own_key(sandbox)
        ec2.modify_ebs_default_kms_key_id(KmsKeyId=key)
        ec2.enable_ebs_encryption_by_default()
        sandbox.client("kms").disable_key(KeyId=key)
        assert error(launch, ec2, base(sandbox))["Code"] == "InvalidKMSKey.InvalidState"
        assert ec2.describe_instances()["Reservations"] == []
