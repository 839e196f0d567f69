"""R14, R28: CreateVolume from a snapshot: only one the caller may use, and not while archived."""

from __future__ import annotations

from labkit.catalog import image_id

from .conftest import AL2023, base, error, give_partner, launch, snapshot_of

ZONE = "us-east-1a"


def snapshot(ec2, size: int = 8) -> str:
    volume = ec2.create_volume(Size=size, AvailabilityZone=ZONE)["VolumeId"]
    found = ec2.create_snapshot(VolumeId=volume)["SnapshotId"]
    ec2.get_waiter("snapshot_completed").wait(SnapshotIds=[found])
    return found


class TestCreateVolume:
    def test_from_own_snapshot(self, sandbox):
        """A volume from the caller's snapshot names it and is the snapshot's size."""
        ec2 = sandbox.client("ec2")
        source = snapshot(ec2, size=12)
        volume = ec2.create_volume(SnapshotId=source, AvailabilityZone=ZONE)
        assert (volume["SnapshotId"], volume["Size"]) == (source, 12)

    def test_another_accounts_snapshot_is_not_found(self, sandbox):
        """R14: without create-volume permission the partner's CreateVolume is NotFound."""
        source = snapshot(sandbox.client("ec2"))
        partner = sandbox.client("ec2", account="partner")
        err = error(partner.create_volume, SnapshotId=source, AvailabilityZone=ZONE)
        assert err == {
            "Code": "InvalidSnapshot.NotFound",
            "Message": f"The snapshot '{source}' does not exist.",
        }
        assert partner.describe_volumes()["Volumes"] == []

    def test_shared_snapshot_gives_the_partner_its_own_volume(self, sandbox):
        """R14: with create-volume permission the partner gets a volume in its own account."""
        learner = sandbox.client("ec2")
        source = snapshot(learner)
        give_partner(learner, source)
        partner = sandbox.client("ec2", account="partner")
        volume = partner.create_volume(SnapshotId=source, AvailabilityZone=ZONE)["VolumeId"]
        assert [v["VolumeId"] for v in partner.describe_volumes()["Volumes"]] == [volume]
        assert volume not in [v["VolumeId"] for v in learner.describe_volumes()["Volumes"]]
        found = partner.describe_volumes(VolumeIds=[volume])["Volumes"][0]
        assert found["SnapshotId"] == source

    def test_archived_snapshot_must_be_restored_first(self, sandbox):
        """R28: CreateVolume from an archived snapshot is IncorrectState; nothing is made."""
        ec2 = sandbox.client("ec2")
        source = snapshot(ec2)
        ec2.modify_snapshot_tier(SnapshotId=source, StorageTier="archive")
        before = ec2.describe_volumes()["Volumes"]
        err = error(ec2.create_volume, SnapshotId=source, AvailabilityZone=ZONE)
        assert err["Code"] == "IncorrectState" and "archive tier" in err["Message"]
        assert ec2.describe_volumes()["Volumes"] == before

    def test_pending_snapshot_is_refused_until_completed(self, sandbox):
        """CreateVolume from a pending snapshot is IncorrectState in AWS's words; nothing made."""
        ec2 = sandbox.client("ec2")
        volume = ec2.create_volume(Size=8, AvailabilityZone=ZONE)["VolumeId"]
        source = ec2.create_snapshot(VolumeId=volume)["SnapshotId"]
        before = ec2.describe_volumes()["Volumes"]
        err = error(ec2.create_volume, SnapshotId=source, AvailabilityZone=ZONE)
        assert err["Code"] == "IncorrectState"
        assert err["Message"] == "Snapshot is in invalid state - pending."
        assert ec2.describe_volumes()["Volumes"] == before
        ec2.get_waiter("snapshot_completed").wait(SnapshotIds=[source])
        assert ec2.create_volume(SnapshotId=source, AvailabilityZone=ZONE)["SnapshotId"] == source

    def test_a_snapshot_seen_pending_has_completed_by_its_next_use(self, sandbox):
        """The sandbox settles a snapshot before judging it: once reported pending, it is done."""
        ec2 = sandbox.client("ec2")
        volume = ec2.create_volume(Size=8, AvailabilityZone=ZONE)["VolumeId"]
        source = ec2.create_snapshot(VolumeId=volume)["SnapshotId"]
        assert ec2.describe_snapshots(SnapshotIds=[source])["Snapshots"][0]["State"] == "pending"
        assert ec2.create_volume(SnapshotId=source, AvailabilityZone=ZONE)["SnapshotId"] == source
        assert ec2.describe_snapshots(SnapshotIds=[source])["Snapshots"][0]["State"] == "completed"

    def test_cannot_be_smaller_than_the_snapshot(self, sandbox):
        """A volume smaller than its snapshot is InvalidParameterValue ("expect size >= 8")."""
        ec2 = sandbox.client("ec2")
        source = snapshot(ec2)
        err = error(ec2.create_volume, SnapshotId=source, Size=4, AvailabilityZone=ZONE)
        assert err["Code"] == "InvalidParameterValue" and "expect size >= 8" in err["Message"]

    def test_volume_holds_what_the_snapshot_holds(self, sandbox):
        """The new volume holds the software and data written on the snapshot's volume."""
        from moto.ec2.models import ec2_backends

        from labkit.sandbox.provisioning import install_software

        ec2 = sandbox.client("ec2")
        instance = ec2.run_instances(
            ImageId=image_id("al2023-x86_64", "us-east-1"), MinCount=1, MaxCount=1
        )["Instances"][0]["InstanceId"]
        root = install_software(sandbox, instance, "nginx")
        source = ec2.create_snapshot(VolumeId=root["VolumeId"])["SnapshotId"]
        ec2.get_waiter("snapshot_completed").wait(SnapshotIds=[source])
        volume = ec2.create_volume(SnapshotId=source, AvailabilityZone=ZONE)["VolumeId"]
        stored = ec2_backends["111111111111"]["us-east-1"].volumes[volume]
        assert stored.lab_installed == ("nginx",)
        assert stored.lab_data_gib == root["DataGiB"]


class TestAmazonsSnapshots:
    """Amazon's public catalogue images launch for everyone; their snapshots are Amazon's own."""

    def _amazon(self, ec2) -> tuple[str, str]:
        """Amazon Linux 2023's image ID in us-east-1 and the snapshot its mapping names."""
        image = image_id(AL2023, "us-east-1")
        return image, snapshot_of(ec2, image)

    def test_create_volume_is_not_found(self, sandbox):
        """R14: CreateVolume from Amazon's snapshot is InvalidSnapshot.NotFound; nothing made."""
        for account in ("learner", "partner"):
            ec2 = sandbox.client("ec2", account=account)
            _, source = self._amazon(ec2)
            assert error(ec2.create_volume, SnapshotId=source, AvailabilityZone=ZONE) == {
                "Code": "InvalidSnapshot.NotFound",
                "Message": f"The snapshot '{source}' does not exist.",
            }
            assert ec2.describe_volumes()["Volumes"] == []

    def test_no_new_mapping_may_name_it(self, sandbox):
        """R14: RunInstances, CreateImage and RegisterImage cannot map Amazon's snapshot."""
        ec2 = sandbox.client("ec2")
        image, source = self._amazon(ec2)
        extra = [{"DeviceName": "/dev/sdf", "Ebs": {"SnapshotId": source}}]
        not_found = {
            "Code": "InvalidSnapshot.NotFound",
            "Message": f"The snapshot '{source}' does not exist.",
        }
        run = ec2.run_instances
        assert error(run, ImageId=image, MinCount=1, MaxCount=1, BlockDeviceMappings=extra) == (
            not_found
        )
        assert ec2.describe_instances()["Reservations"] == []
        instance = run(ImageId=image, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
        create = ec2.create_image
        assert error(create, InstanceId=instance, Name="web", BlockDeviceMappings=extra) == (
            not_found
        )
        root = [{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": source}}]
        register = {"Name": "mine", "RootDeviceName": "/dev/xvda", "Architecture": "x86_64"}
        assert error(ec2.register_image, BlockDeviceMappings=root, **register) == not_found
        assert ec2.describe_images(Owners=["self"])["Images"] == []

    def test_launching_the_image_still_uses_it(self, sandbox):
        """R06: launching the public image makes the launcher's own volume from that snapshot."""
        ec2 = sandbox.client("ec2")
        image, source = self._amazon(ec2)
        ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)
        (volume,) = ec2.describe_volumes()["Volumes"]
        assert volume["SnapshotId"] == source


class TestCreateSnapshots:
    def test_one_snapshot_per_attached_volume(self, sandbox):
        """CreateSnapshots: a crash-consistent snapshot of each volume of the caller's instance,
        tagged as asked; ExcludeBootVolume leaves the root out; others' instances not found."""
        ec2 = sandbox.client("ec2")
        extra = [{"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 20}}]
        instance = launch(ec2, base(sandbox), BlockDeviceMappings=extra)["InstanceId"]
        tags = [{"ResourceType": "snapshot", "Tags": [{"Key": "set", "Value": "nightly"}]}]
        made = ec2.create_snapshots(
            InstanceSpecification={"InstanceId": instance}, TagSpecifications=tags
        )["Snapshots"]
        assert sorted(s["VolumeSize"] for s in made) == [8, 20]
        assert all(s["Tags"] == [{"Key": "set", "Value": "nightly"}] for s in made)
        data_only = ec2.create_snapshots(
            InstanceSpecification={"InstanceId": instance, "ExcludeBootVolume": True}
        )["Snapshots"]
        assert [s["VolumeSize"] for s in data_only] == [20]
        partner = sandbox.client("ec2", account="partner")
        err = error(partner.create_snapshots, InstanceSpecification={"InstanceId": instance})
        assert err["Code"] == "InvalidInstanceID.NotFound"
