"""R39, R40: the Recycle Bin keeps deleted snapshots restorable while a rule says so."""

from __future__ import annotations

import datetime as dt

from .conftest import PARTNER, base, error, give_partner, launch, make_image, snapshot_of

RULE = {"RetentionPeriodValue": 7, "RetentionPeriodUnit": "DAYS"}


def _snapshot(sandbox, account: str = "learner") -> str:
    ec2 = sandbox.client("ec2", account=account)
    instance = launch(ec2, base(sandbox))
    volume = instance["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
    snapshot = ec2.create_snapshot(VolumeId=volume)["SnapshotId"]
    ec2.get_waiter("snapshot_completed").wait(SnapshotIds=[snapshot])
    return snapshot


def _owned(ec2) -> list[str]:
    return [s["SnapshotId"] for s in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]]


class TestSnapshotRecycleBin:
    def test_R39_deleted_snapshot_waits_in_the_bin_and_comes_back(self, sandbox):
        """R39: with an EBS_SNAPSHOT rule a deleted snapshot is listed in the bin, unusable,
        and restored as it was."""
        ec2 = sandbox.client("ec2")
        sandbox.client("rbin").create_rule(ResourceType="EBS_SNAPSHOT", RetentionPeriod=RULE)
        snapshot = _snapshot(sandbox)
        ec2.delete_snapshot(SnapshotId=snapshot)
        assert snapshot not in _owned(ec2)
        binned = ec2.list_snapshots_in_recycle_bin()["Snapshots"]
        assert [s["SnapshotId"] for s in binned] == [snapshot]
        stay = binned[0]["RecycleBinExitTime"] - binned[0]["RecycleBinEnterTime"]
        assert stay == dt.timedelta(days=7)
        err = error(ec2.create_volume, SnapshotId=snapshot, AvailabilityZone="us-east-1a")
        assert err["Code"] == "InvalidSnapshot.NotFound"
        assert error(ec2.delete_snapshot, SnapshotId=snapshot)["Code"] == "InvalidSnapshot.NotFound"
        restored = ec2.restore_snapshot_from_recycle_bin(SnapshotId=snapshot)
        assert restored["SnapshotId"] == snapshot and restored["State"] == "completed"
        assert snapshot in _owned(ec2)
        assert ec2.list_snapshots_in_recycle_bin()["Snapshots"] == []

    def test_R39_sharing_is_lost_inside_and_restored_after(self, sandbox):
        """R39: while in the bin the partner cannot see the snapshot; restoring shares it again."""
        ec2, partner = sandbox.client("ec2"), sandbox.client("ec2", account="partner")
        sandbox.client("rbin").create_rule(ResourceType="EBS_SNAPSHOT", RetentionPeriod=RULE)
        snapshot = _snapshot(sandbox)
        give_partner(ec2, snapshot)
        ec2.delete_snapshot(SnapshotId=snapshot)
        err = error(partner.describe_snapshots, SnapshotIds=[snapshot])
        assert err["Code"] == "InvalidSnapshot.NotFound"
        ec2.restore_snapshot_from_recycle_bin(SnapshotId=snapshot)
        attribute = ec2.describe_snapshot_attribute(
            SnapshotId=snapshot, Attribute="createVolumePermission"
        )
        assert attribute["CreateVolumePermissions"] == [{"UserId": PARTNER}]
        assert partner.describe_snapshots(SnapshotIds=[snapshot])["Snapshots"]

    def test_R39_retention_ends_and_the_snapshot_is_gone(self, sandbox):
        """R39: when the retention period ends on the sandbox clock, the snapshot is gone."""
        ec2 = sandbox.client("ec2")
        sandbox.client("rbin").create_rule(ResourceType="EBS_SNAPSHOT", RetentionPeriod=RULE)
        snapshot = _snapshot(sandbox)
        ec2.delete_snapshot(SnapshotId=snapshot)
        sandbox.advance_clock(days=7, seconds=1)
        assert ec2.list_snapshots_in_recycle_bin()["Snapshots"] == []
        err = error(ec2.restore_snapshot_from_recycle_bin, SnapshotId=snapshot)
        assert err["Code"] == "InvalidSnapshot.NotFound"

    def test_R39_without_a_matching_rule_deletion_is_final(self, sandbox):
        """R39: an image rule or a tag-level rule for other tags keeps no snapshot."""
        ec2, rbin = sandbox.client("ec2"), sandbox.client("rbin")
        rbin.create_rule(ResourceType="EC2_IMAGE", RetentionPeriod=RULE)
        rbin.create_rule(
            ResourceType="EBS_SNAPSHOT",
            RetentionPeriod=RULE,
            ResourceTags=[{"ResourceTagKey": "keep", "ResourceTagValue": "yes"}],
        )
        kept, dropped = _snapshot(sandbox), _snapshot(sandbox)
        ec2.create_tags(Resources=[kept], Tags=[{"Key": "keep", "Value": "yes"}])
        ec2.delete_snapshot(SnapshotId=kept)
        ec2.delete_snapshot(SnapshotId=dropped)
        binned = ec2.list_snapshots_in_recycle_bin()["Snapshots"]
        assert [s["SnapshotId"] for s in binned] == [kept]

    def test_R40_snapshot_behind_an_image_is_in_use_rule_or_not(self, sandbox):
        """R40: DeleteSnapshot of an AMI's snapshot is InUse and nothing enters the bin; after
        deregistering the AMI the deletion goes to the bin."""
        ec2 = sandbox.client("ec2")
        sandbox.client("rbin").create_rule(ResourceType="EBS_SNAPSHOT", RetentionPeriod=RULE)
        image = make_image(sandbox)
        snapshot = snapshot_of(ec2, image)
        assert error(ec2.delete_snapshot, SnapshotId=snapshot)["Code"] == "InvalidSnapshot.InUse"
        assert ec2.list_snapshots_in_recycle_bin()["Snapshots"] == []
        ec2.deregister_image(ImageId=image)
        ec2.delete_snapshot(SnapshotId=snapshot)
        binned = ec2.list_snapshots_in_recycle_bin()["Snapshots"]
        assert [s["SnapshotId"] for s in binned] == [snapshot]

    def test_R39_deregister_with_associated_snapshots_uses_the_bin(self, sandbox):
        """R39: DeleteAssociatedSnapshots deletes through the bin too."""
        ec2 = sandbox.client("ec2")
        sandbox.client("rbin").create_rule(ResourceType="EBS_SNAPSHOT", RetentionPeriod=RULE)
        image = make_image(sandbox)
        snapshot = snapshot_of(ec2, image)
        ec2.deregister_image(ImageId=image, DeleteAssociatedSnapshots=True)
        binned = ec2.list_snapshots_in_recycle_bin()["Snapshots"]
        assert [s["SnapshotId"] for s in binned] == [snapshot]

    def test_R39_a_snapshot_in_the_bin_is_still_billed(self, sandbox):
        """R39: billing goes on at the normal rate while the snapshot waits in the bin, and
        stops once its retention has ended."""
        from labkit.sandbox.estate import estate_from_sandbox

        ec2 = sandbox.client("ec2")
        sandbox.client("rbin").create_rule(ResourceType="EBS_SNAPSHOT", RetentionPeriod=RULE)
        snapshot = _snapshot(sandbox)
        ec2.delete_snapshot(SnapshotId=snapshot)
        billed = {
            c.snapshot_id: c for c in estate_from_sandbox(sandbox, regions=["us-east-1"]).orphaned
        }
        assert snapshot in billed and billed[snapshot].tier == "standard"
        assert billed[snapshot].sized_from == "data"
        sandbox.advance_clock(days=8)
        after = estate_from_sandbox(sandbox, regions=["us-east-1"]).orphaned
        assert snapshot not in {c.snapshot_id for c in after}
