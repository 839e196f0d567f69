"""R13: an account may tag the images and snapshots shared with it; its tags stay its own."""

from __future__ import annotations

from .conftest import error, give_partner, make_image, share, snapshot_of


def tags(ec2, snapshot: str) -> list[dict]:
    return ec2.describe_snapshots(SnapshotIds=[snapshot])["Snapshots"][0].get("Tags", [])


class TestR13TaggingSharedResources:
    def test_R13_recipient_tags_a_shared_snapshot_for_itself(self, sandbox):
        """The partner tags the learner's snapshot; only the partner sees that tag."""
        learner = sandbox.client("ec2")
        snapshot = snapshot_of(learner, make_image(sandbox))
        give_partner(learner, snapshot)
        partner = sandbox.client("ec2", account="partner")
        partner.create_tags(Resources=[snapshot], Tags=[{"Key": "Use", "Value": "restore-test"}])
        assert tags(partner, snapshot) == [{"Key": "Use", "Value": "restore-test"}]
        assert tags(learner, snapshot) == []
        partner.delete_tags(Resources=[snapshot], Tags=[{"Key": "Use"}])
        assert tags(partner, snapshot) == []

    def test_R13_recipient_tags_a_shared_image_for_itself(self, sandbox):
        """The same holds for a shared image."""
        image = make_image(sandbox)
        share(sandbox, image)
        partner = sandbox.client("ec2", account="partner")
        partner.create_tags(Resources=[image], Tags=[{"Key": "Team", "Value": "partner"}])
        partner_view = partner.describe_images(ImageIds=[image])["Images"][0]["Tags"]
        assert partner_view == [{"Key": "Team", "Value": "partner"}]
        assert "Tags" not in sandbox.client("ec2").describe_images(ImageIds=[image])["Images"][0]

    def test_R13_snapshots_you_cannot_see_cannot_be_tagged(self, sandbox):
        """A snapshot not shared with the caller, or none at all: InvalidSnapshot.NotFound."""
        learner = sandbox.client("ec2")
        snapshot = snapshot_of(learner, make_image(sandbox))
        seller = sandbox.client("ec2", account="seller")
        for target in (snapshot, "snap-0123456789abcdef0"):
            refused = error(
                seller.create_tags, Resources=[target], Tags=[{"Key": "k", "Value": "v"}]
            )
            assert refused == {
                "Code": "InvalidSnapshot.NotFound",
                "Message": f"The snapshot '{target}' does not exist.",
            }
