"""R24–R28: deregistering, deleting snapshots, deprecation, protection, Recycle Bin, archive."""

from __future__ import annotations

import datetime as dt

import pytest
from botocore.exceptions import ClientError

from labkit.catalog import image_id

AL2023 = "al2023-x86_64"
LEARNER, PARTNER = "111111111111", "222222222222"


def error(call, *args, **kwargs) -> dict:
    with pytest.raises(ClientError) as caught:
        call(*args, **kwargs)
    return caught.value.response["Error"]


def make_image(sandbox, account: str = "learner", name: str = "web-v1") -> str:
    ec2 = sandbox.client("ec2", account=account)
    instance = ec2.run_instances(ImageId=image_id(AL2023, "us-east-1"), MinCount=1, MaxCount=1)
    image = ec2.create_image(InstanceId=instance["Instances"][0]["InstanceId"], Name=name)
    ec2.get_waiter("image_available").wait(ImageIds=[image["ImageId"]])
    return image["ImageId"]


def describe(ec2, image: str) -> dict:
    return ec2.describe_images(ImageIds=[image])["Images"][0]


def snapshot_of(ec2, image: str) -> str:
    return describe(ec2, image)["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]


def share(sandbox, image: str) -> None:
    sandbox.client("ec2").modify_image_attribute(
        ImageId=image, LaunchPermission={"Add": [{"UserId": PARTNER}]}
    )


def own_snapshots(ec2) -> list[str]:
    return [s["SnapshotId"] for s in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]]


class TestDeregister:
    def test_snapshots_outlive_the_image(self, sandbox):
        """R25: after DeregisterImage the image is gone but its snapshot is still there."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        snapshot = snapshot_of(ec2, image)
        assert ec2.deregister_image(ImageId=image)["Return"] is True
        assert ec2.describe_images(Owners=["self"])["Images"] == []
        assert own_snapshots(ec2) == [snapshot]

    def test_delete_associated_snapshots(self, sandbox):
        """R25: DeleteAssociatedSnapshots removes the image's snapshots in the same call."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        snapshot = snapshot_of(ec2, image)
        answer = ec2.deregister_image(ImageId=image, DeleteAssociatedSnapshots=True)
        assert answer["DeleteSnapshotResults"] == [
            {"SnapshotId": snapshot, "ReturnCode": "success"}
        ]
        assert own_snapshots(ec2) == []

    def test_only_the_owner_can_deregister(self, sandbox):
        """R25: the partner deregistering Amazon's image gets AuthFailure; the image stays."""
        partner = sandbox.client("ec2", account="partner")
        amazon = image_id(AL2023, "us-east-1")
        err = error(partner.deregister_image, ImageId=amazon)
        assert err["Code"] == "AuthFailure" and err["Message"].startswith(
            f"Not authorized for image:{amazon}"
        )
        assert describe(partner, amazon)["State"] == "available"

    def test_shared_image_cannot_be_deregistered_by_recipient(self, sandbox):
        """R03: an account the image is shared with cannot deregister it."""
        image = make_image(sandbox)
        share(sandbox, image)
        partner = sandbox.client("ec2", account="partner")
        assert error(partner.deregister_image, ImageId=image)["Code"] == "AuthFailure"
        assert describe(sandbox.client("ec2"), image)["State"] == "available"

    def test_invisible_image_is_not_found(self, sandbox):
        """R02: deregistering a private image of another account is InvalidAMIID.NotFound."""
        image = make_image(sandbox)
        partner = sandbox.client("ec2", account="partner")
        assert error(partner.deregister_image, ImageId=image)["Code"] == "InvalidAMIID.NotFound"

    def test_twice_is_unavailable(self, sandbox):
        """R25: deregistering an already deregistered image is InvalidAMIID.Unavailable."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        ec2.deregister_image(ImageId=image)
        assert error(ec2.deregister_image, ImageId=image)["Code"] == "InvalidAMIID.Unavailable"


class TestDeleteSnapshot:
    def test_snapshot_in_use_cannot_be_deleted(self, sandbox):
        """R25: a registered image's snapshot is InvalidSnapshot.InUse and stays."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        snapshot = snapshot_of(ec2, image)
        err = error(ec2.delete_snapshot, SnapshotId=snapshot)
        assert err == {
            "Code": "InvalidSnapshot.InUse",
            "Message": f"The snapshot {snapshot} is currently in use by {image}",
        }
        assert own_snapshots(ec2) == [snapshot]

    def test_delete_after_deregister(self, sandbox):
        """R24: deregister, then delete the snapshot: nothing is left to bill."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        snapshot = snapshot_of(ec2, image)
        ec2.deregister_image(ImageId=image)
        ec2.delete_snapshot(SnapshotId=snapshot)
        assert own_snapshots(ec2) == []

    def test_only_the_owner_deletes(self, sandbox):
        """R25: an account given create-volume permission still cannot delete the snapshot."""
        ec2 = sandbox.client("ec2")
        volume = ec2.create_volume(Size=8, AvailabilityZone="us-east-1a")["VolumeId"]
        snapshot = ec2.create_snapshot(VolumeId=volume)["SnapshotId"]
        ec2.modify_snapshot_attribute(
            SnapshotId=snapshot,
            Attribute="createVolumePermission",
            OperationType="add",
            UserIds=[PARTNER],
        )
        partner = sandbox.client("ec2", account="partner")
        assert error(partner.delete_snapshot, SnapshotId=snapshot)["Code"] == "AuthFailure"
        assert own_snapshots(ec2) == [snapshot]

    def test_unknown_snapshot(self, sandbox):
        """R25: an unknown snapshot is InvalidSnapshot.NotFound with its ID in the message."""
        err = error(sandbox.client("ec2").delete_snapshot, SnapshotId="snap-0123456789abcdef0")
        assert (
            err["Code"] == "InvalidSnapshot.NotFound" and "snap-0123456789abcdef0" in err["Message"]
        )


class TestDeprecation:
    def test_deprecate_at_is_rounded_to_the_minute(self, sandbox):
        """R26: DeprecateAt with seconds is rounded to the nearest minute in DescribeImages."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        ec2.enable_image_deprecation(ImageId=image, DeprecateAt=dt.datetime(2025, 6, 1, 12, 0, 40))
        assert describe(ec2, image)["DeprecationTime"] == "2025-06-01T12:01:00.000Z"

    def test_deprecated_image_hidden_from_others_but_launches(self, sandbox):
        """R26: once deprecated, the partner's listing omits it; by ID it shows and launches."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        share(sandbox, image)
        ec2.enable_image_deprecation(ImageId=image, DeprecateAt=dt.datetime(2025, 3, 5))
        sandbox.advance_clock(days=3)
        partner = sandbox.client("ec2", account="partner")
        assert image not in [i["ImageId"] for i in partner.describe_images()["Images"]]
        listed = partner.describe_images(IncludeDeprecated=True)["Images"]
        assert image in [i["ImageId"] for i in listed]
        assert describe(partner, image)["DeprecationTime"] == "2025-03-05T00:00:00.000Z"
        run = partner.run_instances(ImageId=image, MinCount=1, MaxCount=1)
        assert run["Instances"][0]["ImageId"] == image
        assert image in [i["ImageId"] for i in ec2.describe_images(Owners=["self"])["Images"]]

    def test_past_date_refused(self, sandbox):
        """R26: a DeprecateAt in the past is InvalidParameterValue; nothing changes."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        err = error(
            ec2.enable_image_deprecation, ImageId=image, DeprecateAt=dt.datetime(2024, 1, 1)
        )
        assert err["Code"] == "InvalidParameterValue" and "past" in err["Message"]
        assert "DeprecationTime" not in describe(ec2, image)

    def test_more_than_ten_years_refused(self, sandbox):
        """R26: DeprecateAt more than ten years ahead is InvalidParameterValue."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        err = error(
            ec2.enable_image_deprecation, ImageId=image, DeprecateAt=dt.datetime(2036, 1, 1)
        )
        assert err["Code"] == "InvalidParameterValue"

    def test_only_the_owner_deprecates(self, sandbox):
        """R03: the partner cannot deprecate an image shared with it (AuthFailure)."""
        image = make_image(sandbox)
        share(sandbox, image)
        partner = sandbox.client("ec2", account="partner")
        err = error(
            partner.enable_image_deprecation, ImageId=image, DeprecateAt=dt.datetime(2026, 1, 1)
        )
        assert err["Code"] == "AuthFailure"
        assert error(partner.disable_image_deprecation, ImageId=image)["Code"] == "AuthFailure"

    def test_disable_removes_the_date(self, sandbox):
        """R26: DisableImageDeprecation removes DeprecationTime from the private image."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        ec2.enable_image_deprecation(ImageId=image, DeprecateAt=dt.datetime(2026, 1, 1))
        ec2.disable_image_deprecation(ImageId=image)
        assert "DeprecationTime" not in describe(ec2, image)

    def test_public_images_deprecate_within_two_years(self, sandbox):
        """R26: a public image shows creation + 2 years, and cannot be pushed later or cleared."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        ec2.disable_image_block_public_access()
        ec2.modify_image_attribute(ImageId=image, LaunchPermission={"Add": [{"Group": "all"}]})
        found = describe(ec2, image)
        assert (
            found["DeprecationTime"][:10]
            == "2027-03-03"
            == found["CreationDate"].replace("2025", "2027")[:10]
        )
        err = error(
            ec2.enable_image_deprecation, ImageId=image, DeprecateAt=dt.datetime(2028, 1, 1)
        )
        assert err["Code"] == "InvalidParameterValue" and "private" in err["Message"]
        assert (
            error(ec2.disable_image_deprecation, ImageId=image)["Code"] == "InvalidParameterValue"
        )
        ec2.enable_image_deprecation(ImageId=image, DeprecateAt=dt.datetime(2026, 1, 1))
        assert describe(ec2, image)["DeprecationTime"] == "2026-01-01T00:00:00.000Z"


class TestDeregistrationProtection:
    def test_protected_image_cannot_be_deregistered(self, sandbox):
        """R27: with protection on, DeregisterImage is OperationNotPermitted; the image stays."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        answer = ec2.enable_image_deregistration_protection(ImageId=image)
        assert answer["Return"] == "enabled-without-cooldown"
        assert describe(ec2, image)["DeregistrationProtection"] == "enabled-without-cooldown"
        assert error(ec2.deregister_image, ImageId=image)["Code"] == "OperationNotPermitted"
        assert describe(ec2, image)["State"] == "available"
        assert ec2.disable_image_deregistration_protection(ImageId=image)["Return"] == "disabled"
        ec2.deregister_image(ImageId=image)

    def test_new_images_are_unprotected(self, sandbox):
        """R27: DescribeImages shows DeregistrationProtection disabled for a new image."""
        ec2 = sandbox.client("ec2")
        assert describe(ec2, make_image(sandbox))["DeregistrationProtection"] == "disabled"

    def test_cooldown_keeps_protection_for_a_day(self, sandbox):
        """R27: with cooldown, the image stays protected for 24 hours after disabling."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        ec2.enable_image_deregistration_protection(ImageId=image, WithCooldown=True)
        ec2.disable_image_deregistration_protection(ImageId=image)
        err = error(ec2.deregister_image, ImageId=image)
        assert err["Code"] == "OperationNotPermitted" and "cooldown" in err["Message"]
        assert describe(ec2, image)["DeregistrationProtection"] == "enabled-with-cooldown"
        sandbox.advance_clock(days=1, seconds=1)
        assert describe(ec2, image)["DeregistrationProtection"] == "disabled"
        ec2.deregister_image(ImageId=image)

    def test_only_the_owner_protects(self, sandbox):
        """R03: the partner cannot change protection on an image shared with it."""
        image = make_image(sandbox)
        share(sandbox, image)
        partner = sandbox.client("ec2", account="partner")
        call = partner.enable_image_deregistration_protection
        assert error(call, ImageId=image)["Code"] == "AuthFailure"


class TestRecycleBin:
    RULE = {"RetentionPeriodValue": 7, "RetentionPeriodUnit": "DAYS"}

    def test_deregistered_image_can_be_restored(self, sandbox):
        """R27: with a retention rule, a deregistered image waits in the bin and comes back."""
        ec2, rbin = sandbox.client("ec2"), sandbox.client("rbin")
        rbin.create_rule(ResourceType="EC2_IMAGE", RetentionPeriod=self.RULE)
        image = make_image(sandbox)
        ec2.deregister_image(ImageId=image)
        assert ec2.describe_images(Owners=["self"])["Images"] == []
        binned = ec2.list_images_in_recycle_bin()["Images"]
        assert [i["ImageId"] for i in binned] == [image]
        assert binned[0]["RecycleBinExitTime"] - binned[0]["RecycleBinEnterTime"] == dt.timedelta(
            days=7
        )
        ec2.restore_image_from_recycle_bin(ImageId=image)
        assert describe(ec2, image)["State"] == "available"
        assert ec2.list_images_in_recycle_bin()["Images"] == []

    def test_retention_ends(self, sandbox):
        """R27: after the retention period the image is gone for good."""
        ec2, rbin = sandbox.client("ec2"), sandbox.client("rbin")
        rbin.create_rule(ResourceType="EC2_IMAGE", RetentionPeriod=self.RULE)
        image = make_image(sandbox)
        ec2.deregister_image(ImageId=image)
        sandbox.advance_clock(days=8)
        assert ec2.list_images_in_recycle_bin()["Images"] == []
        err = error(ec2.restore_image_from_recycle_bin, ImageId=image)
        assert err["Code"] == "InvalidAMIID.NotFound"

    def test_without_a_rule_nothing_is_kept(self, sandbox):
        """R27: with no retention rule, a deregistered image does not enter the bin."""
        ec2 = sandbox.client("ec2")
        ec2.deregister_image(ImageId=make_image(sandbox))
        assert ec2.list_images_in_recycle_bin()["Images"] == []

    def test_tag_level_rule_keeps_only_tagged_images(self, sandbox):
        """R27: a rule with ResourceTags keeps only images with that tag."""
        ec2, rbin = sandbox.client("ec2"), sandbox.client("rbin")
        rbin.create_rule(
            ResourceType="EC2_IMAGE",
            RetentionPeriod=self.RULE,
            ResourceTags=[{"ResourceTagKey": "keep", "ResourceTagValue": "yes"}],
        )
        kept, dropped = make_image(sandbox, name="kept"), make_image(sandbox, name="dropped")
        ec2.create_tags(Resources=[kept], Tags=[{"Key": "keep", "Value": "yes"}])
        ec2.deregister_image(ImageId=kept)
        ec2.deregister_image(ImageId=dropped)
        assert [i["ImageId"] for i in ec2.list_images_in_recycle_bin()["Images"]] == [kept]

    def test_rules_are_listed_read_and_deleted(self, sandbox):
        """R27: ListRules, GetRule and DeleteRule work on the account's rules."""
        rbin = sandbox.client("rbin")
        rule = rbin.create_rule(
            ResourceType="EC2_IMAGE", RetentionPeriod=self.RULE, Description="keep AMIs"
        )
        listed = rbin.list_rules(ResourceType="EC2_IMAGE")["Rules"]
        assert [r["Identifier"] for r in listed] == [rule["Identifier"]]
        assert rbin.get_rule(Identifier=rule["Identifier"])["Description"] == "keep AMIs"
        rbin.delete_rule(Identifier=rule["Identifier"])
        assert rbin.list_rules(ResourceType="EC2_IMAGE")["Rules"] == []
        assert (
            sandbox.client("rbin", account="partner").list_rules(ResourceType="EC2_IMAGE")["Rules"]
            == []
        )

    def test_bad_rules_are_clear_errors(self, sandbox):
        """R27: a retention over 365 days or an unknown rule is an rbin error, not a crash."""
        rbin = sandbox.client("rbin")
        long = {"RetentionPeriodValue": 400, "RetentionPeriodUnit": "DAYS"}
        err = error(rbin.create_rule, ResourceType="EC2_IMAGE", RetentionPeriod=long)
        assert err["Code"] == "ValidationException"
        assert error(rbin.get_rule, Identifier="abcdefghijk")["Code"] == (
            "ResourceNotFoundException"
        )
        rule = rbin.create_rule(ResourceType="EC2_IMAGE", RetentionPeriod=self.RULE)
        delay = {"UnlockDelay": {"UnlockDelayValue": 7, "UnlockDelayUnit": "DAYS"}}
        err = error(rbin.lock_rule, Identifier=rule["Identifier"], LockConfiguration=delay)
        assert err["Code"] == "ValidationException" and "lock" in err["Message"]

    def test_snapshot_rules_are_not_simulated(self, sandbox):
        """R27: an EBS_SNAPSHOT rule is refused with a message saying so (never faked)."""
        err = error(
            sandbox.client("rbin").create_rule,
            ResourceType="EBS_SNAPSHOT",
            RetentionPeriod=self.RULE,
        )
        assert err["Code"] == "ValidationException" and "EC2_IMAGE" in err["Message"]


class TestArchiveTier:
    def _archived(self, sandbox) -> str:
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        snapshot = snapshot_of(ec2, image)
        ec2.deregister_image(ImageId=image)
        ec2.modify_snapshot_tier(SnapshotId=snapshot, StorageTier="archive")
        return snapshot

    def test_archive_a_snapshot(self, sandbox):
        """R28: ModifySnapshotTier moves a snapshot to StorageTier archive, dated for billing."""
        from moto.ec2.models import ec2_backends

        ec2 = sandbox.client("ec2")
        snapshot = self._archived(sandbox)
        assert ec2.describe_snapshots(SnapshotIds=[snapshot])["Snapshots"][0]["StorageTier"] == (
            "archive"
        )
        status = ec2.describe_snapshot_tier_status()["SnapshotTierStatuses"][0]
        assert status["LastTieringOperationStatus"] == "archival-completed"
        stored = ec2_backends[LEARNER]["us-east-1"].snapshots[snapshot]
        assert stored.archived_at.date() == dt.date(2025, 3, 3)

    def test_snapshot_of_a_registered_image_cannot_be_archived(self, sandbox):
        """R28: snapshots associated with an EBS-backed image cannot be archived."""
        ec2 = sandbox.client("ec2")
        snapshot = snapshot_of(ec2, make_image(sandbox))
        err = error(ec2.modify_snapshot_tier, SnapshotId=snapshot, StorageTier="archive")
        assert err["Code"] == "InvalidSnapshot.InUse"
        assert ec2.describe_snapshots(SnapshotIds=[snapshot])["Snapshots"][0]["StorageTier"] == (
            "standard"
        )

    def test_temporary_restore_takes_hours_then_expires(self, sandbox):
        """R28: a temporary restore is in progress for hours, then standard until it expires."""
        ec2 = sandbox.client("ec2")
        snapshot = self._archived(sandbox)
        answer = ec2.restore_snapshot_tier(SnapshotId=snapshot, TemporaryRestoreDays=2)
        assert answer["IsPermanentRestore"] is False and answer["RestoreDuration"] == 2
        status = ec2.describe_snapshot_tier_status()["SnapshotTierStatuses"][0]
        assert status["LastTieringOperationStatus"] == "temporary-restore-in-progress"
        assert status["StorageTier"] == "archive"
        sandbox.advance_clock(7 * 3600)
        found = ec2.describe_snapshots(SnapshotIds=[snapshot])["Snapshots"][0]
        assert found["StorageTier"] == "standard" and "RestoreExpiryTime" in found
        sandbox.advance_clock(days=3)
        found = ec2.describe_snapshots(SnapshotIds=[snapshot])["Snapshots"][0]
        assert found["StorageTier"] == "archive" and "RestoreExpiryTime" not in found

    def test_permanent_restore(self, sandbox):
        """R28: a permanent restore ends in the standard tier with no expiry."""
        ec2 = sandbox.client("ec2")
        snapshot = self._archived(sandbox)
        ec2.restore_snapshot_tier(SnapshotId=snapshot, PermanentRestore=True)
        sandbox.advance_clock(days=1)
        found = ec2.describe_snapshots(SnapshotIds=[snapshot])["Snapshots"][0]
        assert found["StorageTier"] == "standard" and "RestoreExpiryTime" not in found

    def test_archived_snapshot_must_be_restored_before_use(self, sandbox):
        """R28: registering an image from an archived snapshot is IncorrectState."""
        ec2 = sandbox.client("ec2")
        snapshot = self._archived(sandbox)
        err = error(
            ec2.register_image,
            Name="from-archive",
            RootDeviceName="/dev/xvda",
            BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": snapshot}}],
        )
        assert err["Code"] == "IncorrectState" and "restore" in err["Message"]

    def test_archive_twice_or_restore_unarchived(self, sandbox):
        """R28: archiving an archived snapshot or restoring a standard one is IncorrectState."""
        ec2 = sandbox.client("ec2")
        snapshot = self._archived(sandbox)
        call = ec2.modify_snapshot_tier
        assert error(call, SnapshotId=snapshot, StorageTier="archive")["Code"] == "IncorrectState"
        volume = ec2.create_volume(Size=8, AvailabilityZone="us-east-1a")["VolumeId"]
        other = ec2.create_snapshot(VolumeId=volume)["SnapshotId"]
        assert error(ec2.restore_snapshot_tier, SnapshotId=other, PermanentRestore=True)[
            "Code"
        ] == ("IncorrectState")

    def test_only_own_snapshots(self, sandbox):
        """R28: the partner cannot archive the learner's snapshot even if shared with it."""
        ec2 = sandbox.client("ec2")
        volume = ec2.create_volume(Size=8, AvailabilityZone="us-east-1a")["VolumeId"]
        snapshot = ec2.create_snapshot(VolumeId=volume)["SnapshotId"]
        ec2.modify_snapshot_attribute(
            SnapshotId=snapshot,
            Attribute="createVolumePermission",
            OperationType="add",
            UserIds=[PARTNER],
        )
        partner = sandbox.client("ec2", account="partner")
        err = error(partner.modify_snapshot_tier, SnapshotId=snapshot, StorageTier="archive")
        assert err["Code"] == "AuthFailure"


class TestImageAttributes:
    @pytest.mark.parametrize(
        ("attribute", "member", "value"),
        [
            ("imdsSupport", "ImdsSupport", {"Value": "v2.0"}),
            ("deregistrationProtection", "DeregistrationProtection", {"Value": "disabled"}),
            ("description", "Description", {}),
            ("lastLaunchedTime", "LastLaunchedTime", {}),
            ("productCodes", "ProductCodes", []),
            ("launchPermission", "LaunchPermissions", []),
        ],
    )
    def test_owner_reads_attributes(self, sandbox, attribute, member, value):
        """R03: the owner reads each attribute without errors, as AWS shapes it."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        assert ec2.describe_image_attribute(ImageId=image, Attribute=attribute)[member] == value

    def test_others_get_auth_failure(self, sandbox):
        """R03: reading an attribute of someone else's image is AuthFailure."""
        image = make_image(sandbox)
        share(sandbox, image)
        partner = sandbox.client("ec2", account="partner")
        call = partner.describe_image_attribute
        assert error(call, ImageId=image, Attribute="lastLaunchedTime")["Code"] == "AuthFailure"

    def test_block_device_mapping_attribute_is_deprecated(self, sandbox):
        """R07: the blockDeviceMapping attribute answers AuthFailure, as documented."""
        ec2 = sandbox.client("ec2")
        err = error(
            ec2.describe_image_attribute,
            ImageId=make_image(sandbox),
            Attribute="blockDeviceMapping",
        )
        assert err["Code"] == "AuthFailure" and "describe the image" in err["Message"]

    def test_unknown_attribute(self, sandbox):
        """R03: an unknown attribute name is InvalidParameterValue naming the known ones."""
        ec2 = sandbox.client("ec2")
        err = error(ec2.describe_image_attribute, ImageId=make_image(sandbox), Attribute="colour")
        assert err["Code"] == "InvalidParameterValue" and "lastLaunchedTime" in err["Message"]

    def test_reset_launch_permission_makes_private(self, sandbox):
        """R11: ResetImageAttribute launchPermission removes every share; the partner loses it."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        share(sandbox, image)
        ec2.reset_image_attribute(ImageId=image, Attribute="launchPermission")
        attribute = ec2.describe_image_attribute(ImageId=image, Attribute="launchPermission")
        assert attribute["LaunchPermissions"] == []
        partner = sandbox.client("ec2", account="partner")
        assert error(partner.describe_images, ImageIds=[image])["Code"] == "InvalidAMIID.NotFound"
