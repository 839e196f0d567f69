"""R10, R14, R28: CopySnapshot, a full copy owned by the caller, in the calling Region."""

from __future__ import annotations

import pytest

from labkit.catalog import image_id

from .conftest import AL2023, LEARNER, PARTNER, error, give_partner, make_image, snapshot_of


def described(ec2, snapshot_id: str) -> dict:
    return ec2.describe_snapshots(SnapshotIds=[snapshot_id])["Snapshots"][0]


class TestCopySnapshot:
    def test_partner_copies_a_shared_snapshot(self, sandbox):
        """R14: with create-volume permission the partner copies the snapshot into its Region."""
        learner = sandbox.client("ec2")
        source = snapshot_of(learner, make_image(sandbox))
        give_partner(learner, source)
        partner = sandbox.client("ec2", region="eu-west-1", account="partner")
        copy = partner.copy_snapshot(SourceSnapshotId=source, SourceRegion="us-east-1")[
            "SnapshotId"
        ]
        assert copy != source
        copied = described(partner, copy)
        assert copied["OwnerId"] == PARTNER
        assert copied["VolumeSize"] == 8

    def test_unshared_snapshot_cannot_be_copied(self, sandbox):
        """R14: without create-volume permission CopySnapshot is InvalidSnapshot.NotFound."""
        source = snapshot_of(sandbox.client("ec2"), make_image(sandbox))
        partner = sandbox.client("ec2", account="partner")
        err = error(partner.copy_snapshot, SourceSnapshotId=source, SourceRegion="us-east-1")
        assert err["Code"] == "InvalidSnapshot.NotFound"
        assert partner.describe_snapshots(OwnerIds=["self"])["Snapshots"] == []

    def test_pending_snapshot_cannot_be_copied(self, sandbox):
        """ebs-copy-snapshot: only completed snapshots copy; a pending one is IncorrectState."""
        ec2 = sandbox.client("ec2")
        volume = ec2.create_volume(Size=8, AvailabilityZone="us-east-1a")["VolumeId"]
        source = ec2.create_snapshot(VolumeId=volume)["SnapshotId"]
        west = sandbox.client("ec2", region="us-west-2")
        err = error(west.copy_snapshot, SourceSnapshotId=source, SourceRegion="us-east-1")
        assert err["Code"] == "IncorrectState"
        assert err["Message"].startswith(f"Snapshot '{source}' is pending, not 'completed'.")
        assert west.describe_snapshots(OwnerIds=["self"])["Snapshots"] == []
        ec2.get_waiter("snapshot_completed").wait(SnapshotIds=[source])
        copy = west.copy_snapshot(SourceSnapshotId=source, SourceRegion="us-east-1")
        assert described(west, copy["SnapshotId"])["OwnerId"] == LEARNER

    def test_bad_source_region_is_an_aws_error(self, sandbox):
        """R08: CopySnapshot from a Region that does not exist is InvalidParameterValue."""
        source = snapshot_of(sandbox.client("ec2"), make_image(sandbox))
        west = sandbox.client("ec2", region="us-west-2")
        err = error(west.copy_snapshot, SourceSnapshotId=source, SourceRegion="nowhere")
        assert err["Code"] == "InvalidParameterValue"


class TestAmazonsSnapshots:
    @pytest.mark.parametrize("region", ["us-east-1", "eu-west-1"])
    def test_copy_snapshot_is_not_found(self, sandbox, region):
        """R14: CopySnapshot of Amazon's catalogue snapshot, into any Region, is NotFound."""
        east = sandbox.client("ec2")
        source = snapshot_of(east, image_id(AL2023, "us-east-1"))
        ec2 = sandbox.client("ec2", region=region)
        err = error(ec2.copy_snapshot, SourceSnapshotId=source, SourceRegion="us-east-1")
        assert err == {
            "Code": "InvalidSnapshot.NotFound",
            "Message": f"The snapshot '{source}' does not exist.",
        }
        assert ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"] == []

    def test_copy_image_of_the_public_image_still_works(self, sandbox):
        """R14: CopyImage of Amazon's public image copies its snapshot into the caller's own."""
        east = sandbox.client("ec2")
        amazon = image_id(AL2023, "us-east-1")
        source = snapshot_of(east, amazon)
        west = sandbox.client("ec2", region="us-west-2")
        copy = west.copy_image(SourceImageId=amazon, SourceRegion="us-east-1", Name="al2023-mine")
        west.get_waiter("image_available").wait(ImageIds=[copy["ImageId"]])
        mine = snapshot_of(west, copy["ImageId"])
        assert mine != source and described(west, mine)["OwnerId"] == LEARNER
