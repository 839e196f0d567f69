"""Lesson 07's checks: the reference answers pass, typical wrong states fail with their message."""

from __future__ import annotations

from check_helpers import fails, passes, snapshots_of

LESSON = "07-storage-and-pricing"
REMOVE = "storage-remove-costliest-unused"
ARCHIVE = "storage-archive-ledger"


def remove(lab, key: str, region: str, *, delete_snapshots: bool = True) -> list[str]:
    """Deregister one of the lesson's images (by its lab.ids name); its snapshots."""
    ec2 = lab.client("ec2", region=region)
    snapshots = snapshots_of(lab, lab.ids[key], region)
    ec2.deregister_image(ImageId=lab.ids[key])
    if delete_snapshots:
        for snapshot in snapshots:
            ec2.delete_snapshot(SnapshotId=snapshot)
    return snapshots


def analytics_fleet(lab) -> list[str]:
    """The analytics fleet's instances in eu-west-1, which run analytics-v7."""
    flt = [{"Name": "tag:Fleet", "Values": ["analytics"]}]
    reservations = lab.client("ec2", region="eu-west-1").describe_instances(Filters=flt)
    return [i["InstanceId"] for r in reservations["Reservations"] for i in r["Instances"]]


class TestRemoveCostliestUnused:
    def test_reference_answer_passes(self, lab):
        """ml-training-v1 deregistered and its snapshots deleted passes."""
        remove(lab, "ml_training", "us-west-2")
        assert passes(REMOVE, lab.sandbox).message == (
            "ml-training-v1 (us-west-2) and its snapshots are gone: $3.33/month saved. The "
            "fleets' images (analytics-v7, web-server-v3) and the protected reports-db-v4 are "
            "untouched."
        )

    def test_deregister_with_delete_associated_snapshots_passes(self, lab):
        """DeregisterImage with DeleteAssociatedSnapshots=True is a complete clean-up too."""
        lab.client("ec2", region="us-west-2").deregister_image(
            ImageId=lab.ids["ml_training"], DeleteAssociatedSnapshots=True
        )
        passes(REMOVE, lab.sandbox)

    def test_nothing_done(self, lab):
        """With nothing removed, the check says the costliest unused image is still there."""
        assert fails(REMOVE, lab.sandbox).message == (
            "the costliest image that no instance runs and nobody protected is still "
            "registered, in one of your four Regions (it costs $3.33/month)"
        )

    def test_snapshots_left_behind(self, lab):
        """Deregistering only: the snapshots are named, still billed."""
        left = remove(lab, "ml_training", "us-west-2", delete_snapshots=False)
        assert fails(REMOVE, lab.sandbox).message == (
            f"ml-training-v1 is deregistered, but its snapshots {', '.join(left)} are still "
            "in us-west-2, billed $3.33/month: deregistering alone saves nothing"
        )

    def test_costliest_image_in_use_removed(self, lab):
        """Removing analytics-v7, the dearest image but a fleet's, breaks the fleet."""
        remove(lab, "analytics", "eu-west-1")
        (instance,) = analytics_fleet(lab)
        assert fails(REMOVE, lab.sandbox).message == (
            f"analytics-v7 in eu-west-1 is gone, but the fleets still run 1 instance from it "
            f"({instance}): the next instance they launch (scaling out, replacing a failed one) "
            "would fail"
        )

    def test_protected_image_removed(self, lab):
        """Switching protection off to remove reports-db-v4 fails."""
        lab.client("ec2").disable_image_deregistration_protection(ImageId=lab.ids["reports_db"])
        remove(lab, "reports_db", "us-east-1")
        assert fails(REMOVE, lab.sandbox).message == (
            "reports-db-v4 in us-east-1 is gone, but it had deregistration protection: someone "
            "keeps it on purpose, and protection says so"
        )

    def test_fleet_stopped(self, lab):
        """Terminating a fleet to make its image look unused fails, naming the fleet."""
        ec2 = lab.client("ec2", region="eu-west-1")
        ec2.terminate_instances(InstanceIds=analytics_fleet(lab))
        assert fails(REMOVE, lab.sandbox).message == (
            "the analytics fleet (learner account, eu-west-1) no longer runs: its instances from "
            "analytics-v7 were stopped or terminated"
        )


class TestArchiveLedger:
    def test_reference_answer_passes(self, lab):
        """The ledger snapshot in the archive tier passes."""
        lab.client("ec2").modify_snapshot_tier(
            SnapshotId=lab.ids["ledger_snapshot"], StorageTier="archive"
        )
        assert passes(ARCHIVE, lab.sandbox).message.startswith(
            "ledger-db-2023-final is archived: $0.50/month instead of $2.00/month."
        )

    def test_still_standard(self, lab):
        """Not archived: the message gives both monthly prices."""
        assert fails(ARCHIVE, lab.sandbox).message == (
            f"ledger-db-2023-final ({lab.ids['ledger_snapshot']}) is in the standard tier, "
            "billed $2.00/month; archived it would cost $0.50/month"
        )

    def test_another_snapshot_archived(self, lab):
        """Archiving a different (orphaned) snapshot leaves the ledger standard."""
        (orphan, *_) = remove(lab, "ml_training", "us-west-2", delete_snapshots=False)
        lab.client("ec2", region="us-west-2").modify_snapshot_tier(
            SnapshotId=orphan, StorageTier="archive"
        )
        assert "is in the standard tier" in fails(ARCHIVE, lab.sandbox).message

    def test_deleted(self, lab):
        """Deleting the audit snapshot fails: it has to be kept."""
        lab.client("ec2").delete_snapshot(SnapshotId=lab.ids["ledger_snapshot"])
        assert fails(ARCHIVE, lab.sandbox).message == (
            "the audit snapshot ledger-db-2023-final is gone, but it must be kept until "
            "2026-12-31 (its KeepUntil tag)"
        )
