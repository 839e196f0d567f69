"""R07, R20: registering images from snapshots (RegisterImage), mirroring
labkit/fidelity/registering.py."""

from __future__ import annotations

from .conftest import PARTNER, describe, error, give_partner, launch


def own_images(ec2) -> list[str]:
    return [i["ImageId"] for i in ec2.describe_images(Owners=["self"])["Images"]]


class TestRegisterImage:
    def _snapshot(self, sandbox, account: str = "learner") -> str:
        ec2 = sandbox.client("ec2", account=account)
        volume = ec2.create_volume(Size=10, AvailabilityZone="us-east-1a")["VolumeId"]
        snapshot = ec2.create_snapshot(VolumeId=volume)["SnapshotId"]
        ec2.get_waiter("snapshot_completed").wait(SnapshotIds=[snapshot])
        return snapshot

    def _register(self, ec2, snapshot: str, name: str = "from-snapshot", **kwargs) -> str:
        return ec2.register_image(
            Name=name,
            RootDeviceName="/dev/xvda",
            Architecture="x86_64",
            VirtualizationType="hvm",
            EnaSupport=True,
            BootMode="uefi",
            BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": snapshot}}],
            **kwargs,
        )["ImageId"]

    def test_register_from_own_snapshot(self, sandbox):
        """R07: an image registered from a snapshot is EBS-backed and names that snapshot."""
        ec2 = sandbox.client("ec2")
        snapshot = self._snapshot(sandbox)
        image = self._register(ec2, snapshot)
        ec2.get_waiter("image_available").wait(ImageIds=[image])
        found = describe(ec2, image)
        assert found["RootDeviceType"] == "ebs" and found["BootMode"] == "uefi"
        assert found["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"] == snapshot
        assert found["BlockDeviceMappings"][0]["Ebs"]["VolumeSize"] == 10
        instance = launch(ec2, image)
        volume = instance["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
        assert ec2.describe_volumes(VolumeIds=[volume])["Volumes"][0]["SnapshotId"] == snapshot

    def test_pending_snapshot_is_refused(self, sandbox):
        """R07: registering from a snapshot still pending is IncorrectState; nothing is made."""
        ec2 = sandbox.client("ec2")
        volume = ec2.create_volume(Size=10, AvailabilityZone="us-east-1a")["VolumeId"]
        snapshot = ec2.create_snapshot(VolumeId=volume)["SnapshotId"]
        err = error(self._register, ec2, snapshot)
        assert err["Code"] == "IncorrectState"
        assert err["Message"].startswith(f"Snapshot '{snapshot}' is pending, not 'completed'.")
        assert own_images(ec2) == []
        ec2.get_waiter("snapshot_completed").wait(SnapshotIds=[snapshot])
        image = self._register(ec2, snapshot)
        assert own_images(ec2) == [image]

    def test_unshared_snapshot_of_another_account(self, sandbox):
        """R20: the partner cannot register from a learner snapshot it was not given."""
        snapshot = self._snapshot(sandbox)
        partner = sandbox.client("ec2", account="partner")
        assert error(self._register, partner, snapshot)["Code"] == "InvalidSnapshot.NotFound"
        assert own_images(partner) == []

    def test_instance_store_registration_refused(self, sandbox):
        """R07: registering an S3 bundle (instance store-backed) is refused in the sandbox."""
        err = error(
            sandbox.client("ec2").register_image,
            Name="bundle",
            ImageLocation="amzn-s3-demo-bucket/bundle/image.manifest.xml",
        )
        assert err["Code"] == "UnsupportedOperation" and "S3" in err["Message"]

    def test_root_device_needs_a_snapshot(self, sandbox):
        """R07: a RootDeviceName with no snapshot mapping is InvalidBlockDeviceMapping."""
        snapshot = self._snapshot(sandbox)
        err = error(
            sandbox.client("ec2").register_image,
            Name="no-root",
            RootDeviceName="/dev/sda1",
            BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": snapshot}}],
        )
        assert err["Code"] == "InvalidBlockDeviceMapping"

    def test_duplicate_name_refused(self, sandbox):
        """R05: RegisterImage refuses a name the account already uses in the Region."""
        ec2 = sandbox.client("ec2")
        snapshot = self._snapshot(sandbox)
        self._register(ec2, snapshot)
        assert error(self._register, ec2, snapshot)["Code"] == "InvalidAMIName.Duplicate"

    def test_manual_path_for_a_shared_encrypted_image(self, sandbox):
        """R20: copy a shared snapshot re-encrypting it with your own key, then register it."""
        learner, partner = sandbox.client("ec2"), sandbox.client("ec2", account="partner")
        kms = sandbox.client("kms")
        key = kms.create_key(Description="shared with partner")["KeyMetadata"]["Arn"]
        kms.put_key_policy(
            KeyId=key,
            PolicyName="default",
            Policy=(
                '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": '
                '{"AWS": ["arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:root"]},'
                ' "Action": "kms:*", "Resource": "*"}]}'
            ),
        )
        volume = learner.create_volume(
            Size=8, AvailabilityZone="us-east-1a", Encrypted=True, KmsKeyId=key
        )["VolumeId"]
        snapshot = learner.create_snapshot(VolumeId=volume)["SnapshotId"]
        learner.get_waiter("snapshot_completed").wait(SnapshotIds=[snapshot])
        give_partner(learner, snapshot)
        own_key = sandbox.client("kms", account="partner").create_key()["KeyMetadata"]["Arn"]
        copy = partner.copy_snapshot(
            SourceSnapshotId=snapshot, SourceRegion="us-east-1", Encrypted=True, KmsKeyId=own_key
        )["SnapshotId"]
        partner.get_waiter("snapshot_completed").wait(SnapshotIds=[copy])
        image = self._register(partner, copy, name="my-own-copy")
        found = describe(partner, image)
        assert found["OwnerId"] == PARTNER
        assert found["BlockDeviceMappings"][0]["Ebs"]["Encrypted"] is True
