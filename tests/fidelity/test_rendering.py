"""How images and snapshots appear in DescribeImages and DescribeSnapshots answers."""

from __future__ import annotations

from .conftest import base, describe, make_image, share


class TestTags:
    def test_tagged_image_and_snapshot_show_their_tags(self, sandbox):
        """An image's and a snapshot's tags appear as a Key/Value list."""
        ec2 = sandbox.client("ec2")
        tags = [{"Key": "team", "Value": "web"}]
        image = make_image(sandbox)
        snapshot = describe(ec2, image)["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
        ec2.create_tags(Resources=[image, snapshot], Tags=tags)
        assert describe(ec2, image)["Tags"] == tags
        assert ec2.describe_snapshots(SnapshotIds=[snapshot])["Snapshots"][0]["Tags"] == tags

    def test_untagged_image_has_no_tags_field(self, sandbox):
        """An image with no tags has no Tags field at all (EC2 leaves it out)."""
        assert "Tags" not in describe(sandbox.client("ec2"), base(sandbox))

    def test_untagged_snapshot_has_no_tags_field(self, sandbox):
        """A snapshot with no tags has no Tags field at all."""
        ec2 = sandbox.client("ec2")
        volume = ec2.create_volume(Size=8, AvailabilityZone="us-east-1a")["VolumeId"]
        snapshot = ec2.create_snapshot(VolumeId=volume)["SnapshotId"]
        assert "Tags" not in ec2.describe_snapshots(SnapshotIds=[snapshot])["Snapshots"][0]

    def test_partner_sees_no_tags_field_on_a_shared_tagged_image(self, sandbox):
        """R13: tags are not shared, so the partner's answer has no Tags field."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        ec2.create_tags(Resources=[image], Tags=[{"Key": "team", "Value": "web"}])
        share(sandbox, image)
        assert "Tags" not in describe(sandbox.client("ec2", account="partner"), image)
