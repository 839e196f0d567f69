"""Lesson 07's checks: the reference answers pass, typical wrong states fail with their message."""

from __future__ import annotations

import pytest

from labkit import Lab
from labkit.checks import run_check

REMOVE = "storage-remove-costliest-unused"
ARCHIVE = "storage-archive-ledger"


@pytest.fixture(scope="module")
def lab():
    lab = Lab("07-storage-and-pricing", quiet=True)
    yield lab
    lab.stop()


@pytest.fixture(autouse=True)
def fresh(lab):
    """Each test starts from the lesson's starting state."""
    lab.reset()


def snapshots_of(lab, key: str, region: str) -> list[str]:
    ec2 = lab.client("ec2", region=region)
    image = ec2.describe_images(ImageIds=[lab.ids[key]])["Images"][0]
    return [m["Ebs"]["SnapshotId"] for m in image["BlockDeviceMappings"] if "Ebs" in m]


def remove(lab, key: str, region: str, *, delete_snapshots: bool = True) -> list[str]:
    ec2 = lab.client("ec2", region=region)
    snapshots = snapshots_of(lab, key, region)
    ec2.deregister_image(ImageId=lab.ids[key])
    if delete_snapshots:
        for snapshot in snapshots:
            ec2.delete_snapshot(SnapshotId=snapshot)
    return snapshots


def check(lab, exercise: str):
    return run_check(exercise, lab.sandbox)


class TestRemoveCostliestUnused:
    def test_reference_answer_passes(self, lab):
        """ml-training-v1 deregistered and its snapshots deleted passes."""
        remove(lab, "ml_training", "us-west-2")
        result = check(lab, REMOVE)
        assert result.passed, result.message
        assert result.message == (
            "ml-training-v1 (us-west-2) and its snapshots are gone: $3.33/month saved. The "
            "fleets' images (analytics-v7, web-server-v3) and the protected reports-db-v4 are "
            "untouched."
        )

    def test_deregister_with_delete_associated_snapshots_passes(self, lab):
        """DeregisterImage with DeleteAssociatedSnapshots=True is a complete clean-up too."""
        lab.client("ec2", region="us-west-2").deregister_image(
            ImageId=lab.ids["ml_training"], DeleteAssociatedSnapshots=True
        )
        assert check(lab, REMOVE).passed

    def test_nothing_done(self, lab):
        """With nothing removed, the check says the costliest unused image is still there."""
        result = check(lab, REMOVE)
        assert not result.passed
        assert result.message == (
            "the costliest image that no instance runs and nobody protected is still "
            "registered, in one of your four Regions (it costs $3.33/month)"
        )

    def test_snapshots_left_behind(self, lab):
        """Deregistering only: the snapshots are named, still billed."""
        left = remove(lab, "ml_training", "us-west-2", delete_snapshots=False)
        result = check(lab, REMOVE)
        assert not result.passed
        assert result.message == (
            f"ml-training-v1 is deregistered, but its snapshots {', '.join(left)} are still "
            "in us-west-2, billed $3.33/month: deregistering alone saves nothing"
        )

    def test_costliest_image_in_use_removed(self, lab):
        """Removing analytics-v7, the dearest image but a fleet's, breaks the fleet."""
        remove(lab, "analytics", "eu-west-1")
        instance = lab.client("ec2", region="eu-west-1").describe_instances(
            Filters=[{"Name": "tag:Fleet", "Values": ["analytics"]}]
        )["Reservations"][0]["Instances"][0]["InstanceId"]
        result = check(lab, REMOVE)
        assert not result.passed
        assert result.message == (
            f"analytics-v7 in eu-west-1 is gone, but the fleets still run 1 instance from it "
            f"({instance}): the next instance they launch (scaling out, replacing a failed one) "
            "would fail"
        )

    def test_protected_image_removed(self, lab):
        """Switching protection off to remove reports-db-v4 fails."""
        ec2 = lab.client("ec2")
        ec2.disable_image_deregistration_protection(ImageId=lab.ids["reports_db"])
        remove(lab, "reports_db", "us-east-1")
        result = check(lab, REMOVE)
        assert not result.passed
        assert result.message == (
            "reports-db-v4 in us-east-1 is gone, but it had deregistration protection: someone "
            "keeps it on purpose, and protection says so"
        )

    def test_fleet_stopped(self, lab):
        """Terminating a fleet to make its image look unused fails, naming the fleet."""
        ec2 = lab.client("ec2", region="eu-west-1")
        flt = [{"Name": "tag:Fleet", "Values": ["analytics"]}]
        ids = [
            i["InstanceId"]
            for r in ec2.describe_instances(Filters=flt)["Reservations"]
            for i in r["Instances"]
        ]
        ec2.terminate_instances(InstanceIds=ids)
        result = check(lab, REMOVE)
        assert not result.passed
        assert result.message == (
            "the analytics fleet (learner account, eu-west-1) no longer runs: its instances from "
            "analytics-v7 were stopped or terminated"
        )


class TestArchiveLedger:
    def test_reference_answer_passes(self, lab):
        """The ledger snapshot in the archive tier passes."""
        lab.client("ec2").modify_snapshot_tier(
            SnapshotId=lab.ids["ledger_snapshot"], StorageTier="archive"
        )
        result = check(lab, ARCHIVE)
        assert result.passed, result.message
        assert result.message.startswith(
            "ledger-db-2023-final is archived: $0.50/month instead of $2.00/month."
        )

    def test_still_standard(self, lab):
        """Not archived: the message gives both monthly prices."""
        result = check(lab, ARCHIVE)
        assert not result.passed
        assert result.message == (
            f"ledger-db-2023-final ({lab.ids['ledger_snapshot']}) is in the standard tier, "
            "billed $2.00/month; archived it would cost $0.50/month"
        )

    def test_another_snapshot_archived(self, lab):
        """Archiving a different (orphaned) snapshot leaves the ledger standard."""
        remove(lab, "ml_training", "us-west-2", delete_snapshots=False)
        west = lab.client("ec2", region="us-west-2")
        orphan = west.describe_snapshots(OwnerIds=["self"])["Snapshots"][0]["SnapshotId"]
        lab.client("ec2", region="us-west-2").modify_snapshot_tier(
            SnapshotId=orphan, StorageTier="archive"
        )
        result = check(lab, ARCHIVE)
        assert not result.passed
        assert "is in the standard tier" in result.message

    def test_deleted(self, lab):
        """Deleting the audit snapshot fails: it has to be kept."""
        lab.client("ec2").delete_snapshot(SnapshotId=lab.ids["ledger_snapshot"])
        result = check(lab, ARCHIVE)
        assert not result.passed
        assert result.message == (
            "the audit snapshot ledger-db-2023-final is gone, but it must be kept until "
            "2026-12-31 (its KeepUntil tag)"
        )
