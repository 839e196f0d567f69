"""R01–R04: which images each account sees, by Region, ownership, permission and alias."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from labkit.catalog import image_id

AL2023 = "al2023-x86_64"


def make_image(sandbox, region="us-east-1", account="learner", name="web-v1") -> str:
    ec2 = sandbox.client("ec2", region=region, account=account)
    instance = ec2.run_instances(
        ImageId=image_id(AL2023, region), InstanceType="t3.micro", MinCount=1, MaxCount=1
    )["Instances"][0]["InstanceId"]
    return ec2.create_image(InstanceId=instance, Name=name)["ImageId"]


def error_code(call, *args, **kwargs) -> str:
    with pytest.raises(ClientError) as error:
        call(*args, **kwargs)
    return error.value.response["Error"]["Code"]


def error(call, *args, **kwargs) -> dict:
    with pytest.raises(ClientError) as caught:
        call(*args, **kwargs)
    return caught.value.response["Error"]


class TestRegions:
    def test_image_id_unknown_in_another_region(self, sandbox):
        """R01: an image made in us-east-1 is InvalidAMIID.NotFound in eu-west-1."""
        image = make_image(sandbox)
        eu = sandbox.client("ec2", region="eu-west-1")
        assert error_code(eu.describe_images, ImageIds=[image]) == "InvalidAMIID.NotFound"

    def test_launch_in_another_region_fails(self, sandbox):
        """R01: launching a us-east-1 image ID in eu-west-1 fails with InvalidAMIID.NotFound."""
        image = make_image(sandbox)
        eu = sandbox.client("ec2", region="eu-west-1")
        code = error_code(eu.run_instances, ImageId=image, MinCount=1, MaxCount=1)
        assert code == "InvalidAMIID.NotFound"
        assert eu.describe_instances()["Reservations"] == []


class TestPrivateByDefault:
    def test_owner_sees_new_image(self, sandbox):
        """R02: the owner lists its new image with Owners=['self']."""
        image = make_image(sandbox)
        mine = sandbox.client("ec2").describe_images(Owners=["self"])["Images"]
        assert [i["ImageId"] for i in mine] == [image]
        assert mine[0]["Public"] is False

    def test_other_account_cannot_see_it(self, sandbox):
        """R02: another account neither lists nor finds by ID a private image."""
        image = make_image(sandbox)
        partner = sandbox.client("ec2", account="partner")
        assert image not in [i["ImageId"] for i in partner.describe_images()["Images"]]
        assert error_code(partner.describe_images, ImageIds=[image]) == "InvalidAMIID.NotFound"

    def test_other_account_cannot_launch_it(self, sandbox):
        """R02: another account cannot launch a private image, and no instance appears."""
        image = make_image(sandbox)
        partner = sandbox.client("ec2", account="partner")
        code = error_code(partner.run_instances, ImageId=image, MinCount=1, MaxCount=1)
        assert code == "InvalidAMIID.NotFound"
        assert partner.describe_instances()["Reservations"] == []

    def test_shared_image_becomes_visible(self, sandbox):
        """R02: once shared, the partner finds it by ID and with ExecutableUsers=['self']."""
        image = make_image(sandbox)
        sandbox.client("ec2").get_waiter("image_available").wait(ImageIds=[image])  # not pending
        sandbox.client("ec2").modify_image_attribute(
            ImageId=image, LaunchPermission={"Add": [{"UserId": sandbox.account_id("partner")}]}
        )
        partner = sandbox.client("ec2", account="partner")
        assert partner.describe_images(ImageIds=[image])["Images"][0]["OwnerId"] == "111111111111"
        executable = partner.describe_images(ExecutableUsers=["self"])["Images"]
        assert [i["ImageId"] for i in executable] == [image]


class TestOwnersAndAliases:
    def test_amazon_alias(self, sandbox):
        """R04: Owners=['amazon'] finds Amazon's images, each showing the alias amazon."""
        images = sandbox.client("ec2").describe_images(Owners=["amazon"])["Images"]
        assert images and all(i["ImageOwnerAlias"] == "amazon" for i in images)

    def test_marketplace_alias(self, sandbox):
        """R04: Owners=['aws-marketplace'] finds Marketplace images with their product codes."""
        images = sandbox.client("ec2").describe_images(Owners=["aws-marketplace"])["Images"]
        assert images and all(i["ImageOwnerAlias"] == "aws-marketplace" for i in images)
        assert all(i["ProductCodes"] for i in images)

    def test_own_images_have_no_alias(self, sandbox):
        """R04: an image the learner creates has no owner alias."""
        image = make_image(sandbox)
        found = sandbox.client("ec2").describe_images(ImageIds=[image])["Images"][0]
        assert "ImageOwnerAlias" not in found

    def test_owner_by_account_id(self, sandbox):
        """R04: Owners takes account IDs as well as aliases."""
        images = sandbox.client("ec2").describe_images(Owners=["137112412989"])["Images"]
        assert images and all(i["OwnerId"] == "137112412989" for i in images)

    def test_executable_users_self_excludes_public_images(self, sandbox):
        """R04: ExecutableUsers=['self'] lists explicit permissions only, not public images."""
        assert sandbox.client("ec2").describe_images(ExecutableUsers=["self"])["Images"] == []

    def test_executable_users_all_lists_public_images(self, sandbox):
        """R04: ExecutableUsers=['all'] lists public images."""
        images = sandbox.client("ec2").describe_images(ExecutableUsers=["all"])["Images"]
        assert images and all(i["Public"] for i in images)


class TestMalformedIds:
    @pytest.mark.parametrize("bad", ["ami-xyz", "i-0123456789abcdef0", "ami-0123"])
    def test_malformed_id(self, sandbox, bad):
        """A value that is not shaped like an AMI ID is InvalidAMIID.Malformed."""
        code = error_code(sandbox.client("ec2").describe_images, ImageIds=[bad])
        assert code == "InvalidAMIID.Malformed"


class TestDisabledImages:
    def _disabled(self, sandbox) -> str:
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        ec2.get_waiter("image_available").wait(ImageIds=[image])
        ec2.disable_image(ImageId=image)
        return image

    def test_hidden_from_the_owner_unless_included(self, sandbox):
        """disable-an-ami: a disabled image is left out of DescribeImages by default."""
        image = self._disabled(sandbox)
        ec2 = sandbox.client("ec2")
        assert ec2.describe_images(Owners=["self"])["Images"] == []
        assert ec2.describe_images(ImageIds=[image])["Images"] == []
        found = ec2.describe_images(Owners=["self"], IncludeDisabled=True)["Images"]
        assert [(i["ImageId"], i["State"]) for i in found] == [(image, "disabled")]
        state = [{"Name": "state", "Values": ["disabled"]}]
        found = ec2.describe_images(Owners=["self"], Filters=state, IncludeDisabled=True)
        assert [i["ImageId"] for i in found["Images"]] == [image]

    def test_disabled_state_filter_needs_include_disabled(self, sandbox):
        """Filtering on state 'disabled' without IncludeDisabled is AWS's InvalidParameter."""
        self._disabled(sandbox)
        ec2 = sandbox.client("ec2")
        state = [{"Name": "state", "Values": ["available", "disabled"]}]
        assert error(ec2.describe_images, Owners=["self"], Filters=state) == {
            "Code": "InvalidParameter",
            "Message": "When filtering by the 'disabled' state, 'IncludeDisabled' must be set to "
            "'true' in the request.",
        }

    def test_other_accounts_never_see_it(self, sandbox):
        """disable-an-ami: the partner it was shared with loses it, even with IncludeDisabled."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        ec2.get_waiter("image_available").wait(ImageIds=[image])
        ec2.modify_image_attribute(
            ImageId=image, LaunchPermission={"Add": [{"UserId": sandbox.account_id("partner")}]}
        )
        ec2.disable_image(ImageId=image)
        partner = sandbox.client("ec2", account="partner")
        assert (
            partner.describe_images(ExecutableUsers=["self"], IncludeDisabled=True)["Images"] == []
        )
        code = error_code(partner.describe_images, ImageIds=[image], IncludeDisabled=True)
        assert code == "InvalidAMIID.NotFound"


class TestAmazonsSnapshots:
    def test_hidden_from_describe_snapshots(self, sandbox):
        """R14, R49: an image's mappings name Amazon's snapshot, but only Amazon may describe it.

        DescribeSnapshots leaves out a snapshot ID the caller may not access; an ID that exists
        nowhere is InvalidSnapshot.NotFound.
        """
        ec2 = sandbox.client("ec2")
        amazon = ec2.describe_images(ImageIds=[image_id(AL2023, "us-east-1")])["Images"][0]
        snapshot = amazon["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
        assert error(ec2.describe_snapshots, SnapshotIds=["snap-0123456789abcdef0"]) == {
            "Code": "InvalidSnapshot.NotFound",
            "Message": "The snapshot 'snap-0123456789abcdef0' does not exist.",
        }
        for kwargs in (
            {"SnapshotIds": [snapshot]},
            {"OwnerIds": ["amazon"]},
            {"OwnerIds": [amazon["OwnerId"]]},
            {"RestorableByUserIds": ["all"]},
            {"Filters": [{"Name": "snapshot-id", "Values": [snapshot]}]},
        ):
            assert ec2.describe_snapshots(**kwargs)["Snapshots"] == []


class TestSharedImageMappings:
    def test_R49_launcher_sees_snapshot_ids_but_not_the_snapshots(self, sandbox):
        """R49: an account with launch permission sees the image's block device mappings, snapshot
        IDs included, yet cannot describe, or make a volume from, those snapshots."""
        image = make_image(sandbox)
        learner = sandbox.client("ec2")
        learner.get_waiter("image_available").wait(ImageIds=[image])
        learner.modify_image_attribute(
            ImageId=image, LaunchPermission={"Add": [{"UserId": sandbox.account_id("partner")}]}
        )
        owner_view = learner.describe_images(ImageIds=[image])["Images"][0]
        partner = sandbox.client("ec2", account="partner")
        partner_view = partner.describe_images(ImageIds=[image])["Images"][0]
        assert partner_view["BlockDeviceMappings"] == owner_view["BlockDeviceMappings"]
        snapshot = partner_view["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
        assert snapshot.startswith("snap-")
        # DescribeSnapshots leaves out an ID the caller may not access (its API reference).
        assert partner.describe_snapshots(SnapshotIds=[snapshot])["Snapshots"] == []
        assert (
            error_code(partner.create_volume, SnapshotId=snapshot, AvailabilityZone="us-east-1a")
            == "InvalidSnapshot.NotFound"
        )

    def test_R49_with_create_volume_permission_the_snapshot_is_visible(self, sandbox):
        """R49: create volume permission on the snapshot is what lets the partner describe it."""
        image = make_image(sandbox)
        learner = sandbox.client("ec2")
        learner.get_waiter("image_available").wait(ImageIds=[image])
        partner_id = sandbox.account_id("partner")
        learner.modify_image_attribute(
            ImageId=image, LaunchPermission={"Add": [{"UserId": partner_id}]}
        )
        snapshot = learner.describe_images(ImageIds=[image])["Images"][0]["BlockDeviceMappings"][0][
            "Ebs"
        ]["SnapshotId"]
        learner.modify_snapshot_attribute(
            SnapshotId=snapshot,
            Attribute="createVolumePermission",
            OperationType="add",
            UserIds=[partner_id],
        )
        partner = sandbox.client("ec2", account="partner")
        found = partner.describe_snapshots(SnapshotIds=[snapshot])["Snapshots"]
        assert [s["SnapshotId"] for s in found] == [snapshot]


class TestDescribeSnapshotsByID:
    def test_ids_you_may_not_access_are_left_out(self, sandbox):
        """Asked for its own snapshot and one it may not access, an account gets its own only."""
        learner = sandbox.client("ec2")
        theirs = make_image(sandbox, account="partner", name="tools")
        partner = sandbox.client("ec2", account="partner")
        hidden = partner.describe_images(ImageIds=[theirs])["Images"][0]["BlockDeviceMappings"][0][
            "Ebs"
        ]["SnapshotId"]
        mine = learner.describe_images(ImageIds=[make_image(sandbox)])["Images"][0][
            "BlockDeviceMappings"
        ][0]["Ebs"]["SnapshotId"]
        found = learner.describe_snapshots(SnapshotIds=[mine, hidden])["Snapshots"]
        assert [s["SnapshotId"] for s in found] == [mine]
