"""R47, R48: new AMIs record their parent; GetImageAncestry walks back to the root."""

from __future__ import annotations

from .conftest import base, describe, error, make_image, snapshot_of


def _chain(ec2, image: str) -> list[tuple[str, str | None, str | None]]:
    entries = ec2.get_image_ancestry(ImageId=image)["ImageAncestryEntries"]
    return [(e["ImageId"], e.get("SourceImageId"), e.get("SourceImageRegion")) for e in entries]


class TestParents:
    def test_R47_create_image_records_the_launched_image(self, sandbox):
        """R47: CreateImage records the AMI the instance was launched from, and its Region."""
        ec2 = sandbox.client("ec2")
        image = describe(ec2, make_image(sandbox))
        assert image["SourceImageId"] == base(sandbox)
        assert image["SourceImageRegion"] == "us-east-1"

    def test_R47_register_image_records_none(self, sandbox):
        """R47: an AMI registered from snapshots has no parent; its chain is itself."""
        ec2 = sandbox.client("ec2")
        snapshot = snapshot_of(ec2, make_image(sandbox))
        registered = ec2.register_image(
            Name="from-snapshot",
            RootDeviceName="/dev/xvda",
            Architecture="x86_64",
            VirtualizationType="hvm",
            BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": snapshot}}],
        )["ImageId"]
        assert "SourceImageId" not in describe(ec2, registered)
        assert _chain(ec2, registered) == [(registered, None, None)]


class TestAncestry:
    def test_R48_chain_crosses_regions_and_stops_at_amazon(self, sandbox):
        """R48: copy → image → Amazon's public base image, which is the root."""
        west = sandbox.client("ec2", region="us-west-2")
        image = make_image(sandbox)
        copy = west.copy_image(Name="web-west", SourceImageId=image, SourceRegion="us-east-1")
        copy_id = copy["ImageId"]
        assert _chain(west, copy_id) == [
            (copy_id, image, "us-east-1"),
            (image, base(sandbox), "us-east-1"),
            (base(sandbox), None, None),
        ]
        entries = west.get_image_ancestry(ImageId=copy_id)["ImageAncestryEntries"]
        assert entries[-1]["ImageOwnerAlias"] == "amazon"
        assert all("CreationDate" in e for e in entries)

    def test_R47_parent_fields_stay_after_deregistration(self, sandbox):
        """R47: the parent's ID stays when it is deregistered; the chain ends there."""
        ec2 = sandbox.client("ec2")
        parent = make_image(sandbox, name="parent")
        child = ec2.copy_image(Name="child", SourceImageId=parent, SourceRegion="us-east-1")
        ec2.deregister_image(ImageId=parent)
        assert describe(ec2, child["ImageId"])["SourceImageId"] == parent
        assert _chain(ec2, child["ImageId"]) == [(child["ImageId"], parent, "us-east-1")]

    def test_R48_only_an_image_the_caller_can_see(self, sandbox):
        """R48: another account's private AMI is not found; a bad ID is malformed."""
        image = make_image(sandbox)
        partner = sandbox.client("ec2", account="partner")
        assert error(partner.get_image_ancestry, ImageId=image)["Code"] == "InvalidAMIID.NotFound"
        err = error(sandbox.client("ec2").get_image_ancestry, ImageId="ami-nope")
        assert err["Code"] == "InvalidAMIID.Malformed"
