"""R28: archiving snapshots and restoring them from the archive tier."""

from __future__ import annotations

import datetime as dt

from labkit.catalog import image_id

from .conftest import AL2023, LEARNER, error, give_partner, make_image, snapshot_of


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

    def test_snapshot_of_an_enabled_image_cannot_be_archived(self, sandbox):
        """R28: the snapshot of an enabled EBS-backed image cannot be archived (InUse)."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        snapshot = snapshot_of(ec2, image)
        err = error(ec2.modify_snapshot_tier, SnapshotId=snapshot, StorageTier="archive")
        assert err["Code"] == "InvalidSnapshot.InUse"
        assert err["Message"] == (
            f"The snapshot {snapshot} is associated with the EBS-backed image {image}"
        )
        assert ec2.describe_snapshots(SnapshotIds=[snapshot])["Snapshots"][0]["StorageTier"] == (
            "standard"
        )

    def test_snapshot_of_a_disabled_image_can_be_archived(self, sandbox):
        """R28: once its image is disabled, the snapshot archives (archive-snapshot)."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        snapshot = snapshot_of(ec2, image)
        ec2.disable_image(ImageId=image)
        answer = ec2.modify_snapshot_tier(SnapshotId=snapshot, StorageTier="archive")
        assert answer["SnapshotId"] == snapshot
        found = ec2.describe_snapshots(SnapshotIds=[snapshot])["Snapshots"][0]
        assert found["StorageTier"] == "archive"
        err = error(ec2.delete_snapshot, SnapshotId=snapshot)
        assert err["Code"] == "InvalidSnapshot.InUse"  # a disabled image still holds it

    def test_re_enabled_image_launches_once_its_snapshot_is_restored(self, sandbox):
        """R28: an image whose snapshot is archived does not launch until it is restored."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        snapshot = snapshot_of(ec2, image)
        ec2.disable_image(ImageId=image)
        ec2.modify_snapshot_tier(SnapshotId=snapshot, StorageTier="archive")
        ec2.enable_image(ImageId=image)
        err = error(ec2.run_instances, ImageId=image, MinCount=1, MaxCount=1)
        assert err["Code"] == "IncorrectState" and "archive tier" in err["Message"]
        ec2.restore_snapshot_tier(SnapshotId=snapshot, PermanentRestore=True)
        sandbox.advance_clock(7 * 3600)
        instance = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)["Instances"][0]
        assert instance["ImageId"] == image

    def test_another_enabled_image_still_holds_the_snapshot(self, sandbox):
        """R28: every image that uses the snapshot must be disabled before it archives."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        snapshot = snapshot_of(ec2, image)
        other = ec2.register_image(
            Name="web-v1-registered",
            RootDeviceName="/dev/xvda",
            BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": snapshot}}],
        )["ImageId"]
        ec2.disable_image(ImageId=image)
        err = error(ec2.modify_snapshot_tier, SnapshotId=snapshot, StorageTier="archive")
        assert err["Code"] == "InvalidSnapshot.InUse" and other in err["Message"]

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
        assert err["Code"] == "IncorrectState" and "archive tier" in err["Message"]

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
        give_partner(ec2, snapshot)
        partner = sandbox.client("ec2", account="partner")
        err = error(partner.modify_snapshot_tier, SnapshotId=snapshot, StorageTier="archive")
        assert err["Code"] == "AuthFailure"

    def test_amazons_snapshot_is_not_found(self, sandbox):
        """R14, R28: Amazon's catalogue snapshot, never shared, does not exist for tier calls."""
        ec2 = sandbox.client("ec2")
        snapshot = snapshot_of(ec2, image_id(AL2023, "us-east-1"))
        not_found = {
            "Code": "InvalidSnapshot.NotFound",
            "Message": f"The snapshot '{snapshot}' does not exist.",
        }
        assert error(ec2.modify_snapshot_tier, SnapshotId=snapshot, StorageTier="archive") == (
            not_found
        )
        assert error(ec2.restore_snapshot_tier, SnapshotId=snapshot, PermanentRestore=True) == (
            not_found
        )
        tiers = ec2.describe_snapshot_tier_status(
            Filters=[{"Name": "snapshot-id", "Values": [snapshot]}]
        )
        assert tiers["SnapshotTierStatuses"] == []
