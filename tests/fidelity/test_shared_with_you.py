"""R38, R13: what an account may do with what others share with it: leave the share, tag it."""

from __future__ import annotations

from .conftest import PARTNER, base, error, give_partner, make_image, share, snapshot_of


def partner_sees(sandbox, image: str) -> bool:
    partner = sandbox.client("ec2", account="partner")
    return any(
        i["ImageId"] == image for i in partner.describe_images(ExecutableUsers=["self"])["Images"]
    )


class TestR38CancelImageLaunchPermission:
    def test_R38_recipient_leaves_the_share(self, sandbox):
        """The partner cancels: Return true, the image leaves its listings and lookups."""
        image = make_image(sandbox)
        share(sandbox, image)
        partner = sandbox.client("ec2", account="partner")
        assert partner_sees(sandbox, image)
        assert partner.cancel_image_launch_permission(ImageId=image)["Return"] is True
        assert not partner_sees(sandbox, image)
        assert error(partner.describe_images, ImageIds=[image])["Code"] == "InvalidAMIID.NotFound"
        refused = error(partner.run_instances, ImageId=image, MinCount=1, MaxCount=1)
        assert refused["Code"] == "InvalidAMIID.NotFound"
        owner_view = sandbox.client("ec2").describe_image_attribute(
            ImageId=image, Attribute="launchPermission"
        )["LaunchPermissions"]
        assert {"UserId": PARTNER} not in owner_view

    def test_R38_only_the_owner_shares_again(self, sandbox):
        """After leaving, the partner cannot rejoin; the owner can share again."""
        image = make_image(sandbox)
        share(sandbox, image)
        partner = sandbox.client("ec2", account="partner")
        partner.cancel_image_launch_permission(ImageId=image)
        again = error(
            partner.modify_image_attribute,
            ImageId=image,
            LaunchPermission={"Add": [{"UserId": PARTNER}]},
        )
        assert again["Code"] == "InvalidAMIID.NotFound"
        share(sandbox, image)
        assert partner_sees(sandbox, image)

    def test_R38_public_images_cannot_be_left(self, sandbox):
        """A public image (here Amazon's) is not shared by account ID: refused, still visible."""
        partner = sandbox.client("ec2", account="partner")
        refused = error(partner.cancel_image_launch_permission, ImageId=base(sandbox))
        assert refused["Code"] == "InvalidParameterValue"
        assert partner.describe_images(ImageIds=[base(sandbox)])["Images"]

    def test_R38_owner_and_strangers_refused(self, sandbox):
        """The owner cannot cancel its own image; an account that cannot see it gets NotFound."""
        image = make_image(sandbox)
        ec2 = sandbox.client("ec2")
        assert error(ec2.cancel_image_launch_permission, ImageId=image)["Code"] == (
            "InvalidParameterValue"
        )
        seller = sandbox.client("ec2", account="seller")
        assert error(seller.cancel_image_launch_permission, ImageId=image)["Code"] == (
            "InvalidAMIID.NotFound"
        )
        assert error(seller.cancel_image_launch_permission, ImageId="ami-nope")["Code"] == (
            "InvalidAMIID.Malformed"
        )


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
