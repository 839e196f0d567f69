"""Lesson 03's checks: the reference answers pass, typical wrong answers fail with their message."""

from __future__ import annotations

import pytest
from check_helpers import fails, passes, snapshots_of

LESSON = "03-copy-across-regions"
SYDNEY = "ap-southeast-2"


def copy(lab, region: str, *, name: str = "web-server-v1", **extra) -> str:
    ec2 = lab.client("ec2", region=region)
    image = ec2.copy_image(
        SourceRegion="us-east-1", SourceImageId=lab.ids["web_image"], Name=name, **extra
    )["ImageId"]
    ec2.get_waiter("image_available").wait(ImageIds=[image])
    return image


class TestCopyToUsWest2:
    def test_reference_answer_passes(self, lab):
        """A copy in us-west-2 made with CopyImageTags passes."""
        copy(lab, "us-west-2", CopyImageTags=True)
        passes("copy-to-us-west-2", lab.sandbox)

    def test_new_tags_instead_of_copied_ones_pass(self, lab):
        """Setting the same tags with TagSpecifications is as good as copying them."""
        tags = [{"Key": "Project", "Value": "web"}, {"Key": "Version", "Value": "1"}]
        copy(lab, "us-west-2", TagSpecifications=[{"ResourceType": "image", "Tags": tags}])
        passes("copy-to-us-west-2", lab.sandbox)

    def test_nothing_copied(self, lab):
        """With no copy, the check names the Region."""
        assert fails("copy-to-us-west-2", lab.sandbox).message == (
            f"there is no copy of {lab.ids['web_image']} in us-west-2 yet"
        )

    def test_copied_without_tags(self, lab):
        """A copy made without CopyImageTags has no tags, and fails."""
        image = copy(lab, "us-west-2")
        assert fails("copy-to-us-west-2", lab.sandbox).message == (
            f"your copy {image} in us-west-2 has no tags, not the source's Project=web, "
            "Version=1: copy_image copies tags only when asked"
        )

    def test_copied_with_the_home_client(self, lab):
        """copy_image called on the us-east-1 client copies within us-east-1, and fails."""
        image = copy(lab, "us-east-1", name="web-server-v1-copy", CopyImageTags=True)
        assert fails("copy-to-us-west-2", lab.sandbox).message == (
            f"your copy {image} is in us-east-1, the source's own Region: copy_image makes the "
            "copy in the Region of the client you call it on"
        )


class TestCleanUpSydney:
    @pytest.fixture
    def sydney_copy(self, lab):
        return copy(lab, SYDNEY)

    def test_reference_answer_passes(self, lab, sydney_copy):
        """Deregistering the copy and deleting its snapshot passes."""
        ec2 = lab.client("ec2", region=SYDNEY)
        snapshots = snapshots_of(lab, sydney_copy, SYDNEY)
        ec2.deregister_image(ImageId=sydney_copy)
        for snapshot in snapshots:
            ec2.delete_snapshot(SnapshotId=snapshot)
        passes("copy-clean-up-sydney", lab.sandbox)

    def test_nothing_done(self, lab, sydney_copy):
        """The copy still registered fails, naming it."""
        assert fails("copy-clean-up-sydney", lab.sandbox).message == (
            f"{sydney_copy}, the copy in ap-southeast-2, is still registered"
        )

    def test_deregistered_only(self, lab, sydney_copy):
        """Deregistering alone leaves the snapshot, still billed: fails naming it."""
        (snapshot,) = snapshots_of(lab, sydney_copy, SYDNEY)
        lab.client("ec2", region=SYDNEY).deregister_image(ImageId=sydney_copy)
        assert fails("copy-clean-up-sydney", lab.sandbox).message == (
            f"the copy is deregistered, but its snapshot {snapshot} is still in ap-southeast-2, "
            "and is billed every month until it is deleted"
        )
