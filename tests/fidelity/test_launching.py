"""R06, R20, R21, R26: launching instances from images with RunInstances."""

from __future__ import annotations

from .conftest import PARTNER, base, describe, error, launch, ready_image, share


class TestRunInstances:
    def test_malformed_image_id(self, sandbox):
        """R06: an ID that is not ami-… is InvalidAMIID.Malformed; no instance starts."""
        ec2 = sandbox.client("ec2")
        err = error(ec2.run_instances, ImageId="ami-xyz", MinCount=1, MaxCount=1)
        assert err["Code"] == "InvalidAMIID.Malformed" and "ami-xyz" in err["Message"]
        assert ec2.describe_instances()["Reservations"] == []

    def test_R06_launch_tags_only_its_own_resources(self, sandbox):
        """R06: TagSpecifications with ResourceType 'image' (CreateImage's form) is refused in
        AWS's words and nothing starts; instance and volume tags are taken."""
        ec2 = sandbox.client("ec2")
        name = [{"Key": "Name", "Value": "api-builder"}]
        err = error(
            ec2.run_instances,
            ImageId=base(sandbox),
            MinCount=1,
            MaxCount=1,
            TagSpecifications=[{"ResourceType": "image", "Tags": name}],
        )
        assert err == {
            "Code": "InvalidParameterValue",
            "Message": "'image' is not a valid taggable resource type for this operation.",
        }
        assert ec2.describe_instances()["Reservations"] == []
        started = ec2.run_instances(
            ImageId=base(sandbox),
            MinCount=1,
            MaxCount=1,
            TagSpecifications=[
                {"ResourceType": "instance", "Tags": name},
                {"ResourceType": "volume", "Tags": name},
            ],
        )["Instances"][0]
        assert started["Tags"] == name

    def test_unknown_image_id(self, sandbox):
        """R06: an unknown image is InvalidAMIID.NotFound, in AWS's words."""
        err = error(
            sandbox.client("ec2").run_instances, ImageId="ami-12345678", MinCount=1, MaxCount=1
        )
        assert err == {
            "Code": "InvalidAMIID.NotFound",
            "Message": "The image id '[ami-12345678]' does not exist",
        }

    def test_pending_image_cannot_launch(self, sandbox):
        """R05: a pending image is InvalidAMIID.Unavailable until it is available."""
        ec2 = sandbox.client("ec2")
        instance = launch(ec2, base(sandbox))["InstanceId"]
        image = ec2.create_image(InstanceId=instance, Name="web-v1")["ImageId"]
        err = error(ec2.run_instances, ImageId=image, MinCount=1, MaxCount=1)
        assert err["Code"] == "InvalidAMIID.Unavailable" and "pending" in err["Message"]
        ec2.get_waiter("image_available").wait(ImageIds=[image])
        assert launch(ec2, image)["ImageId"] == image

    def test_deregistered_image_cannot_launch(self, sandbox):
        """R25: a deregistered image is InvalidAMIID.Unavailable."""
        ec2 = sandbox.client("ec2")
        image = ready_image(ec2, launch(ec2, base(sandbox))["InstanceId"])
        ec2.deregister_image(ImageId=image)
        err = error(ec2.run_instances, ImageId=image, MinCount=1, MaxCount=1)
        assert err["Code"] == "InvalidAMIID.Unavailable"

    def test_disabled_image_cannot_launch(self, sandbox):
        """R06: a disabled image is InvalidAMIID.Unavailable; enabled again, it launches."""
        ec2 = sandbox.client("ec2")
        image = ready_image(ec2, launch(ec2, base(sandbox))["InstanceId"])
        ec2.disable_image(ImageId=image)
        assert error(ec2.run_instances, ImageId=image, MinCount=1, MaxCount=1)["Code"] == (
            "InvalidAMIID.Unavailable"
        )
        ec2.enable_image(ImageId=image)
        assert launch(ec2, image)["ImageId"] == image

    def test_volumes_come_from_the_image_snapshots(self, sandbox):
        """R06: each new volume names the image's snapshot, with the mapping's size and type."""
        ec2 = sandbox.client("ec2")
        extra = [{"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 20, "VolumeType": "gp3"}}]
        image = describe(
            ec2,
            ready_image(ec2, launch(ec2, base(sandbox), BlockDeviceMappings=extra)["InstanceId"]),
        )
        instance = launch(ec2, image["ImageId"])
        expected = {
            m["DeviceName"]: (
                m["Ebs"]["SnapshotId"],
                m["Ebs"]["VolumeSize"],
                m["Ebs"]["VolumeType"],
            )
            for m in image["BlockDeviceMappings"]
        }
        found = {}
        for mapping in instance["BlockDeviceMappings"]:
            volume = ec2.describe_volumes(VolumeIds=[mapping["Ebs"]["VolumeId"]])["Volumes"][0]
            found[mapping["DeviceName"]] = (
                volume["SnapshotId"],
                volume["Size"],
                volume["VolumeType"],
            )
        assert found == expected

    def test_root_can_grow_but_not_shrink_at_launch(self, sandbox):
        """R06: a bigger root at launch is fine; smaller than the snapshot is refused."""
        ec2 = sandbox.client("ec2")
        image = base(sandbox)
        big = launch(
            ec2, image, BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 30}}]
        )
        volume = big["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
        assert ec2.describe_volumes(VolumeIds=[volume])["Volumes"][0]["Size"] == 30
        small = [{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 4}}]
        err = error(
            ec2.run_instances, ImageId=image, MinCount=1, MaxCount=1, BlockDeviceMappings=small
        )
        assert err["Code"] == "InvalidBlockDeviceMapping" and "expect size >= 8" in err["Message"]

    def test_overrides_keep_the_image_values_not_named(self, sandbox):
        """R06: resizing the root at launch keeps the image's DeleteOnTermination and type."""
        ec2 = sandbox.client("ec2")
        bigger = [{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 30}}]
        instance = launch(ec2, base(sandbox), BlockDeviceMappings=bigger)
        root = instance["BlockDeviceMappings"][0]
        assert root["Ebs"]["DeleteOnTermination"] is True
        volume = ec2.describe_volumes(VolumeIds=[root["Ebs"]["VolumeId"]])["Volumes"][0]
        assert (volume["Size"], volume["VolumeType"]) == (30, "gp3")

    def test_bad_mappings_are_clear_errors(self, sandbox):
        """R06: a mapping with nothing in it, or io1 without Iops, is refused before launch."""
        ec2 = sandbox.client("ec2")
        for mapping, code in (
            ({"DeviceName": "/dev/sdc"}, "InvalidBlockDeviceMapping"),
            (
                {"DeviceName": "/dev/sdc", "Ebs": {"VolumeSize": 10, "VolumeType": "io1"}},
                "InvalidParameterDependency",
            ),
            (
                {"DeviceName": "/dev/sdc", "Ebs": {"SnapshotId": "snap-0123456789abcdef0"}},
                "InvalidSnapshot.NotFound",
            ),
        ):
            err = error(
                ec2.run_instances,
                ImageId=base(sandbox),
                MinCount=1,
                MaxCount=1,
                BlockDeviceMappings=[mapping],
            )
            assert err["Code"] == code
        assert ec2.describe_instances()["Reservations"] == []

    def test_new_volume_from_a_pending_snapshot_is_refused(self, sandbox):
        """R06: a mapping that adds a volume from a pending snapshot is IncorrectState."""
        ec2 = sandbox.client("ec2")
        volume = ec2.create_volume(Size=4, AvailabilityZone="us-east-1a")["VolumeId"]
        snapshot = ec2.create_snapshot(VolumeId=volume)["SnapshotId"]
        extra = [{"DeviceName": "/dev/sdf", "Ebs": {"SnapshotId": snapshot}}]
        err = error(
            ec2.run_instances,
            ImageId=base(sandbox),
            MinCount=1,
            MaxCount=1,
            BlockDeviceMappings=extra,
        )
        assert err["Code"] == "IncorrectState" and snapshot in err["Message"]
        assert ec2.describe_instances()["Reservations"] == []
        ec2.get_waiter("snapshot_completed").wait(SnapshotIds=[snapshot])
        devices = [
            m["DeviceName"]
            for m in launch(ec2, base(sandbox), BlockDeviceMappings=extra)["BlockDeviceMappings"]
        ]
        assert devices == ["/dev/xvda", "/dev/sdf"]

    def test_image_whose_snapshot_went_back_to_the_archive(self, sandbox):
        """R28: when a temporary restore ends, the image registered from it cannot launch."""
        ec2 = sandbox.client("ec2")
        volume = ec2.create_volume(Size=8, AvailabilityZone="us-east-1a")["VolumeId"]
        snapshot = ec2.create_snapshot(VolumeId=volume)["SnapshotId"]
        ec2.get_waiter("snapshot_completed").wait(SnapshotIds=[snapshot])
        ec2.modify_snapshot_tier(SnapshotId=snapshot, StorageTier="archive")
        ec2.restore_snapshot_tier(SnapshotId=snapshot, TemporaryRestoreDays=1)
        sandbox.advance_clock(7 * 3600)
        image = ec2.register_image(
            Name="from-restored",
            RootDeviceName="/dev/xvda",
            Architecture="x86_64",
            VirtualizationType="hvm",
            BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": snapshot}}],
        )["ImageId"]
        ec2.get_waiter("image_available").wait(ImageIds=[image])
        assert launch(ec2, image)["ImageId"] == image
        sandbox.advance_clock(days=2)
        err = error(ec2.run_instances, ImageId=image, MinCount=1, MaxCount=1)
        assert err["Code"] == "IncorrectState" and "archive tier" in err["Message"]
        assert len(ec2.describe_instances()["Reservations"]) == 1

    def test_shared_image_launches_in_the_launchers_account(self, sandbox):
        """R06: the partner's instance from a shared image has volumes in the partner's account."""
        learner = sandbox.client("ec2")
        image = describe(
            learner, ready_image(learner, launch(learner, base(sandbox))["InstanceId"])
        )
        share(sandbox, image["ImageId"])
        partner = sandbox.client("ec2", account="partner")
        instance = launch(partner, image["ImageId"])
        volumes = partner.describe_volumes()["Volumes"]
        assert [v["SnapshotId"] for v in volumes] == [
            image["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
        ]
        assert (
            learner.describe_volumes(
                Filters=[{"Name": "attachment.instance-id", "Values": [instance["InstanceId"]]}]
            )["Volumes"]
            == []
        )

    def _encrypted_shared_image(self, sandbox, partner_may_use_key: bool) -> str:
        learner, kms = sandbox.client("ec2"), sandbox.client("kms")
        key = kms.create_key(Description="learner's image key")["KeyMetadata"]["Arn"]
        if partner_may_use_key:
            kms.create_grant(
                KeyId=key,
                GranteePrincipal=f"arn:aws:iam::{PARTNER}:root",
                Operations=[
                    "Decrypt",
                    "DescribeKey",
                    "CreateGrant",
                    "ReEncryptFrom",
                    "GenerateDataKey",
                    "GenerateDataKeyWithoutPlaintext",
                ],
            )
        encrypted = [{"DeviceName": "/dev/xvda", "Ebs": {"Encrypted": True, "KmsKeyId": key}}]
        instance = launch(learner, base(sandbox), BlockDeviceMappings=encrypted)["InstanceId"]
        image = ready_image(learner, instance)
        assert describe(learner, image)["BlockDeviceMappings"][0]["Ebs"]["Encrypted"] is True
        share(sandbox, image)
        return image

    def test_encrypted_image_needs_the_key(self, sandbox):
        """R20: without the use of the image's KMS key the partner's launch fails."""
        image = self._encrypted_shared_image(sandbox, partner_may_use_key=False)
        partner = sandbox.client("ec2", account="partner")
        err = error(partner.run_instances, ImageId=image, MinCount=1, MaxCount=1)
        assert err["Code"] == "InvalidKMSKey.InvalidState"
        assert partner.describe_instances()["Reservations"] == []

    def test_encrypted_image_launches_with_the_launchers_key(self, sandbox):
        """R21: with a grant, the partner's volume is encrypted with the partner's own key."""
        image = self._encrypted_shared_image(sandbox, partner_may_use_key=True)
        partner = sandbox.client("ec2", account="partner")
        launch(partner, image)
        volume = partner.describe_volumes()["Volumes"][0]
        assert volume["Encrypted"] is True
        assert volume["KmsKeyId"].split(":")[4] == PARTNER

    def test_tags_and_security_groups_chosen_at_launch(self, sandbox):
        """R06: TagSpecifications tag the instance and its volumes; the security group applies."""
        ec2 = sandbox.client("ec2")
        group = ec2.create_security_group(GroupName="web", Description="web servers")["GroupId"]
        instance = launch(
            ec2,
            base(sandbox),
            SecurityGroupIds=[group],
            TagSpecifications=[
                {"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "web-1"}]},
                {"ResourceType": "volume", "Tags": [{"Key": "team", "Value": "web"}]},
            ],
        )
        assert [g["GroupId"] for g in instance["SecurityGroups"]] == [group]
        found = ec2.describe_instances(InstanceIds=[instance["InstanceId"]])["Reservations"]
        assert found[0]["Instances"][0]["Tags"] == [{"Key": "Name", "Value": "web-1"}]
        for volume in ec2.describe_volumes()["Volumes"]:
            assert volume["Tags"] == [{"Key": "team", "Value": "web"}]

    def test_instance_remembers_platform(self, sandbox):
        """R06: a Windows instance shows Platform windows and its PlatformDetails."""
        ec2 = sandbox.client("ec2")
        instance = launch(ec2, base(sandbox, "windows-2022-base"))
        found = ec2.describe_instances(InstanceIds=[instance["InstanceId"]])["Reservations"][0]
        assert found["Instances"][0]["Platform"] == "windows"
        assert found["Instances"][0]["PlatformDetails"] == "Windows"

    def test_last_launched_time_reported_a_day_later(self, sandbox):
        """R06: LastLaunchedTime appears about 24 hours after a launch, as AWS reports it."""
        ec2 = sandbox.client("ec2")
        image = ready_image(ec2, launch(ec2, base(sandbox))["InstanceId"])
        launch(ec2, image)
        assert "LastLaunchedTime" not in describe(ec2, image)
        sandbox.advance_clock(days=1, seconds=60)
        assert describe(ec2, image)["LastLaunchedTime"].startswith("2025-03-03")

    def test_count_gives_each_instance_its_own_volumes(self, sandbox):
        """R06: three instances from one image get three root volumes from the same snapshot."""
        ec2 = sandbox.client("ec2")
        ec2.run_instances(ImageId=base(sandbox), MinCount=3, MaxCount=3)
        volumes = ec2.describe_volumes()["Volumes"]
        assert len(volumes) == 3 and len({v["SnapshotId"] for v in volumes}) == 1
