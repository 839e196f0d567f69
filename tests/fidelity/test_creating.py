"""R05, R07: creating images from instances (RegisterImage is test_registering.py)."""

from __future__ import annotations

import pytest

from .conftest import LEARNER, PARTNER, base, describe, error, launch, ready_image


def own_images(ec2) -> list[str]:
    return [i["ImageId"] for i in ec2.describe_images(Owners=["self"])["Images"]]


class TestCreateImage:
    def test_one_snapshot_per_volume_sized_as_the_volume(self, sandbox):
        """R05: an instance with an 8 GiB root and a 20 GiB data volume gives two snapshots."""
        ec2 = sandbox.client("ec2")
        extra = [{"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 20, "VolumeType": "gp3"}}]
        instance = launch(ec2, base(sandbox), BlockDeviceMappings=extra)["InstanceId"]
        image = describe(ec2, ready_image(ec2, instance))
        mappings = {m["DeviceName"]: m["Ebs"] for m in image["BlockDeviceMappings"]}
        assert {d: m["VolumeSize"] for d, m in mappings.items()} == {"/dev/xvda": 8, "/dev/sdf": 20}
        snapshots = ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]
        assert sorted(s["SnapshotId"] for s in snapshots) == sorted(
            m["SnapshotId"] for m in mappings.values()
        )
        assert {s["OwnerId"] for s in snapshots} == {LEARNER}

    def test_image_records_its_source(self, sandbox):
        """R05: the image shows SourceInstanceId, the sandbox date, root device and architecture."""
        ec2 = sandbox.client("ec2")
        instance = launch(ec2, base(sandbox))["InstanceId"]
        image = describe(ec2, ready_image(ec2, instance))
        assert image["SourceInstanceId"] == instance
        assert image["CreationDate"].startswith(sandbox.now().strftime("%Y-%m-%d"))
        assert (image["RootDeviceName"], image["RootDeviceType"]) == ("/dev/xvda", "ebs")
        assert image["Architecture"] == "x86_64"
        assert image["OwnerId"] == LEARNER and image["Public"] is False

    def test_no_device_leaves_a_volume_out(self, sandbox):
        """R05: NoDevice for the data volume gives an image of the root volume only."""
        ec2 = sandbox.client("ec2")
        extra = [{"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 20}}]
        instance = launch(ec2, base(sandbox), BlockDeviceMappings=extra)["InstanceId"]
        image = ready_image(
            ec2, instance, BlockDeviceMappings=[{"DeviceName": "/dev/sdf", "NoDevice": ""}]
        )
        assert [m["DeviceName"] for m in describe(ec2, image)["BlockDeviceMappings"]] == [
            "/dev/xvda"
        ]
        assert len(ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]) == 1

    def test_volumes_can_grow_and_be_added(self, sandbox):
        """R05: the image's root can be larger than the instance's, and an empty volume added."""
        ec2 = sandbox.client("ec2")
        instance = launch(ec2, base(sandbox))["InstanceId"]
        changes = [
            {"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 30}},
            {"DeviceName": "/dev/sdg", "Ebs": {"VolumeSize": 50, "VolumeType": "st1"}},
        ]
        image = describe(ec2, ready_image(ec2, instance, BlockDeviceMappings=changes))
        mappings = {m["DeviceName"]: m["Ebs"] for m in image["BlockDeviceMappings"]}
        assert mappings["/dev/xvda"]["VolumeSize"] == 30
        assert mappings["/dev/sdg"]["VolumeSize"] == 50 and "SnapshotId" not in mappings["/dev/sdg"]

    def test_volume_cannot_shrink(self, sandbox):
        """R05: a smaller root than the instance's is InvalidBlockDeviceMapping; nothing is made."""
        ec2 = sandbox.client("ec2")
        instance = launch(ec2, base(sandbox))["InstanceId"]
        changes = [{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 4}}]
        err = error(ec2.create_image, InstanceId=instance, Name="tiny", BlockDeviceMappings=changes)
        assert err["Code"] == "InvalidBlockDeviceMapping" and "8 GiB" in err["Message"]
        assert own_images(ec2) == []
        assert ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"] == []

    def test_root_cannot_be_left_out(self, sandbox):
        """R05: NoDevice on the root device is InvalidBlockDeviceMapping."""
        ec2 = sandbox.client("ec2")
        instance = launch(ec2, base(sandbox))["InstanceId"]
        mapping = [{"DeviceName": "/dev/xvda", "NoDevice": ""}]
        err = error(ec2.create_image, InstanceId=instance, Name="none", BlockDeviceMappings=mapping)
        assert err["Code"] == "InvalidBlockDeviceMapping"

    def test_snapshot_keeps_the_size_it_was_taken_at(self, sandbox):
        """R05: growing the instance's volume afterwards does not change the image's snapshot."""
        ec2 = sandbox.client("ec2")
        instance = launch(ec2, base(sandbox))
        image = describe(ec2, ready_image(ec2, instance["InstanceId"]))
        volume = instance["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
        ec2.modify_volume(VolumeId=volume, Size=40)
        snapshot = image["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
        assert ec2.describe_snapshots(SnapshotIds=[snapshot])["Snapshots"][0]["VolumeSize"] == 8

    def test_image_and_snapshot_tags(self, sandbox):
        """R05: TagSpecifications tag the image and every snapshot CreateImage makes."""
        ec2 = sandbox.client("ec2")
        instance = launch(ec2, base(sandbox))["InstanceId"]
        specs = [
            {"ResourceType": "image", "Tags": [{"Key": "app", "Value": "web"}]},
            {"ResourceType": "snapshot", "Tags": [{"Key": "backup", "Value": "yes"}]},
        ]
        image = describe(ec2, ready_image(ec2, instance, TagSpecifications=specs))
        assert image["Tags"] == [{"Key": "app", "Value": "web"}]
        for snapshot in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]:
            assert snapshot["Tags"] == [{"Key": "backup", "Value": "yes"}]

    def test_instance_tags_are_not_taggable_here(self, sandbox):
        """R05: a TagSpecification for 'instance' is InvalidParameterValue; nothing is made."""
        ec2 = sandbox.client("ec2")
        instance = launch(ec2, base(sandbox))["InstanceId"]
        specs = [{"ResourceType": "instance", "Tags": [{"Key": "a", "Value": "b"}]}]
        err = error(ec2.create_image, InstanceId=instance, Name="abc", TagSpecifications=specs)
        assert err == {
            "Code": "InvalidParameterValue",
            "Message": "'instance' is not a valid taggable resource type for this operation.",
        }
        assert own_images(ec2) == []

    def test_duplicate_name_refused(self, sandbox):
        """R05: a second image with the same name in the account and Region is refused."""
        ec2 = sandbox.client("ec2")
        instance = launch(ec2, base(sandbox))["InstanceId"]
        first = ec2.create_image(InstanceId=instance, Name="web-v1")["ImageId"]
        err = error(ec2.create_image, InstanceId=instance, Name="web-v1")
        assert err["Code"] == "InvalidAMIName.Duplicate" and first in err["Message"]
        assert own_images(ec2) == [first]

    def test_same_name_in_another_account_is_fine(self, sandbox):
        """R05: names are unique per account: the partner may use the learner's image name."""
        for account in ("learner", "partner"):
            ec2 = sandbox.client("ec2", account=account)
            ready_image(ec2, launch(ec2, base(sandbox))["InstanceId"])

    @pytest.mark.parametrize("name", ["x" * 129, "web*v1", "web:v1", "web,v1"])
    def test_malformed_name_refused(self, sandbox, name):
        """R05: names longer than 128 characters or with other characters are malformed."""
        ec2 = sandbox.client("ec2")
        instance = launch(ec2, base(sandbox))["InstanceId"]
        assert error(ec2.create_image, InstanceId=instance, Name=name)["Code"] == (
            "InvalidAMIName.Malformed"
        )
        assert own_images(ec2) == []

    def test_allowed_punctuation(self, sandbox):
        """R05: parentheses, brackets, slash, dash, quote, at-sign and underscore are allowed."""
        ec2 = sandbox.client("ec2")
        instance = launch(ec2, base(sandbox))["InstanceId"]
        name = "web (v1) [prod] team/web-app's_build@2025.03"
        image = ec2.create_image(InstanceId=instance, Name=name)["ImageId"]
        assert describe(ec2, image)["Name"] == name

    def test_only_own_instances(self, sandbox):
        """R05: the partner cannot image the learner's instance: InvalidInstanceID.NotFound."""
        instance = launch(sandbox.client("ec2"), base(sandbox))["InstanceId"]
        partner = sandbox.client("ec2", account="partner")
        err = error(partner.create_image, InstanceId=instance, Name="stolen")
        assert err["Code"] == "InvalidInstanceID.NotFound"
        assert own_images(partner) == []

    def test_malformed_instance_id(self, sandbox):
        """R05: an instance ID that is not i-… is InvalidInstanceID.Malformed."""
        err = error(sandbox.client("ec2").create_image, InstanceId="web-1", Name="web-v1")
        assert err["Code"] == "InvalidInstanceID.Malformed"

    def test_reboots_unless_no_reboot(self, sandbox):
        """R05: CreateImage reboots the instance (recorded as lab_reboots); NoReboot does not."""
        from moto.ec2.models import ec2_backends

        ec2 = sandbox.client("ec2")
        rebooted = launch(ec2, base(sandbox))["InstanceId"]
        kept = launch(ec2, base(sandbox))["InstanceId"]
        ec2.create_image(InstanceId=rebooted, Name="rebooted")
        ec2.create_image(InstanceId=kept, Name="no-reboot", NoReboot=True)
        backend = ec2_backends[LEARNER]["us-east-1"]
        reboots = {i.id: len(getattr(i, "lab_reboots", [])) for i in backend.all_instances()}
        assert reboots == {rebooted: 1, kept: 0}
        states = ec2.describe_instances(InstanceIds=[rebooted, kept])["Reservations"]
        assert {i["State"]["Name"] for r in states for i in r["Instances"]} == {"running"}

    def test_windows_image_keeps_its_platform(self, sandbox):
        """R05: an image of a Windows instance shows Platform windows and Windows billing."""
        ec2 = sandbox.client("ec2")
        instance = launch(ec2, base(sandbox, "windows-2022-base"))["InstanceId"]
        image = describe(ec2, ready_image(ec2, instance, name="win-v1"))
        assert image["Platform"] == "windows"
        assert (image["PlatformDetails"], image["UsageOperation"]) == (
            "Windows",
            "RunInstances:0002",
        )

    def test_product_codes_travel_through_an_instance(self, sandbox):
        """R22: an image made from a Marketplace instance keeps its product codes and billing."""
        ec2 = sandbox.client("ec2", account="partner")
        source = describe(ec2, base(sandbox, "marketplace-hardened-al2023"))
        instance = launch(ec2, source["ImageId"])
        assert instance["ProductCodes"] == source["ProductCodes"] != []
        image = describe(ec2, ready_image(ec2, instance["InstanceId"], name="hardened-copy"))
        assert image["ProductCodes"] == source["ProductCodes"]
        assert image["OwnerId"] == PARTNER
        assert (image["PlatformDetails"], image["UsageOperation"]) == (
            source["PlatformDetails"],
            source["UsageOperation"],
        )


class TestEbsBacked:
    def test_catalogue_and_own_images_are_ebs_backed(self, sandbox):
        """R07: images show RootDeviceType ebs and a snapshot for the root device."""
        ec2 = sandbox.client("ec2")
        image = describe(ec2, ready_image(ec2, launch(ec2, base(sandbox))["InstanceId"]))
        for found in (image, describe(ec2, base(sandbox))):
            assert found["RootDeviceType"] == "ebs"
            assert found["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"].startswith("snap-")

    def test_snapshots_belong_to_the_owner_not_to_s3(self, sandbox):
        """R07: the image's data is in EBS snapshots the owner lists, not in an S3 bucket."""
        ec2 = sandbox.client("ec2")
        image = describe(ec2, ready_image(ec2, launch(ec2, base(sandbox))["InstanceId"]))
        snapshot = image["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
        assert [
            s["SnapshotId"] for s in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]
        ] == [snapshot]
        assert sandbox.client("s3").list_buckets()["Buckets"] == []
