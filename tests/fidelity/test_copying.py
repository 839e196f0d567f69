"""R01, R08–R10, R14, R16: copying images and snapshots across Regions and accounts."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from labkit.catalog import image_id
from labkit.sandbox.provisioning import install_software

from .conftest import error as error_of
from .conftest import give_partner
from .conftest import make_image as make_own_image

AL2023 = "al2023-x86_64"
LEARNER = "111111111111"
PARTNER = "222222222222"


def launch(ec2, image: str) -> str:
    reservation = ec2.run_instances(ImageId=image, InstanceType="t3.micro", MinCount=1, MaxCount=1)
    return reservation["Instances"][0]["InstanceId"]


def make_image(sandbox, account="learner", region="us-east-1", name="web-v1", **kwargs) -> str:
    """An available image of the account's own, made from Amazon Linux."""
    ec2 = sandbox.client("ec2", region=region, account=account)
    instance = launch(ec2, image_id(AL2023, region))
    image = ec2.create_image(InstanceId=instance, Name=name, **kwargs)["ImageId"]
    ec2.get_waiter("image_available").wait(ImageIds=[image])
    return image


def describe(ec2, image: str) -> dict:
    return ec2.describe_images(ImageIds=[image])["Images"][0]


def snapshot_ids(ec2, image: str) -> list[str]:
    mappings = describe(ec2, image)["BlockDeviceMappings"]
    return [m["Ebs"]["SnapshotId"] for m in mappings if "Ebs" in m]


def snapshot(ec2, snapshot_id: str) -> dict:
    return ec2.describe_snapshots(SnapshotIds=[snapshot_id])["Snapshots"][0]


def error_code(call, *args, **kwargs) -> str:
    with pytest.raises(ClientError) as error:
        call(*args, **kwargs)
    return error.value.response["Error"]["Code"]


def share_with_partner(sandbox, image: str, storage: bool) -> None:
    """Share the learner's image with the partner; with its snapshots too if ``storage``."""
    learner = sandbox.client("ec2")
    learner.modify_image_attribute(ImageId=image, LaunchPermission={"Add": [{"UserId": PARTNER}]})
    if storage:
        for snapshot_id in snapshot_ids(learner, image):
            give_partner(learner, snapshot_id)


class TestCopyMakesANewImage:
    def test_copy_lands_in_the_calling_region(self, sandbox):
        """R08: the copy is made where the call is made, with a new ID, owned by the caller."""
        image = make_image(sandbox)
        west = sandbox.client("ec2", region="us-west-2")
        copy = west.copy_image(SourceImageId=image, SourceRegion="us-east-1", Name="web-v1")[
            "ImageId"
        ]
        assert copy != image
        described = describe(west, copy)
        assert described["OwnerId"] == LEARNER
        assert described["SourceImageId"] == image
        assert described["SourceImageRegion"] == "us-east-1"
        assert described["Description"].startswith(f"[Copied {image} from us-east-1]")

    def test_copy_id_means_nothing_in_the_source_region(self, sandbox):
        """R01: the copy's ID is InvalidAMIID.NotFound back in the source Region."""
        image = make_image(sandbox)
        west = sandbox.client("ec2", region="us-west-2")
        copy = west.copy_image(SourceImageId=image, SourceRegion="us-east-1", Name="web-v1")
        east = sandbox.client("ec2")
        assert error_code(east.describe_images, ImageIds=[copy["ImageId"]]) == (
            "InvalidAMIID.NotFound"
        )

    def test_copy_is_pending_then_available(self, sandbox):
        """R08: a new copy reports pending first, then available."""
        image = make_image(sandbox)
        west = sandbox.client("ec2", region="us-west-2")
        copy = west.copy_image(SourceImageId=image, SourceRegion="us-east-1", Name="web-v1")
        states = [describe(west, copy["ImageId"])["State"] for _ in range(2)]
        assert states == ["pending", "available"]

    def test_copy_outlives_its_source(self, sandbox):
        """R08: changing and deregistering the source leaves the copy as it was."""
        image = make_image(sandbox, Description="web server")
        west = sandbox.client("ec2", region="us-west-2")
        copy = west.copy_image(SourceImageId=image, SourceRegion="us-east-1", Name="web-v1")[
            "ImageId"
        ]
        east = sandbox.client("ec2")
        east.modify_image_attribute(ImageId=image, Description={"Value": "changed"})
        east.deregister_image(ImageId=image)
        west.get_waiter("image_available").wait(ImageIds=[copy])
        described = describe(west, copy)
        assert described["Description"] == f"[Copied {image} from us-east-1] web server"
        assert launch(west, copy).startswith("i-")

    def test_copy_within_the_same_region(self, sandbox):
        """R08: copying in the source's own Region also gives a distinct image."""
        image = make_image(sandbox)
        east = sandbox.client("ec2")
        copy = east.copy_image(SourceImageId=image, SourceRegion="us-east-1", Name="web-v1-copy")
        assert describe(east, copy["ImageId"])["SourceImageId"] == image

    def test_pending_source_cannot_be_copied(self, sandbox):
        """R08: a source still pending is InvalidAMIID.Unavailable until it is available."""
        east = sandbox.client("ec2")
        instance = launch(east, image_id(AL2023, "us-east-1"))
        image = east.create_image(InstanceId=instance, Name="web-v1")["ImageId"]
        code = error_code(
            east.copy_image, SourceImageId=image, SourceRegion="us-east-1", Name="web-v2"
        )
        assert code == "InvalidAMIID.Unavailable"

    def test_unknown_source_region_is_an_aws_error(self, sandbox):
        """R08: a SourceRegion that is not a Region is InvalidParameterValue, not a crash."""
        image = make_image(sandbox)
        west = sandbox.client("ec2", region="us-west-2")
        code = error_code(
            west.copy_image, SourceImageId=image, SourceRegion="atlantis-1", Name="web-v1"
        )
        assert code == "InvalidParameterValue"

    def test_wrong_source_region_is_not_found(self, sandbox):
        """R01: naming the wrong source Region finds no image (InvalidAMIID.NotFound)."""
        image = make_image(sandbox)
        west = sandbox.client("ec2", region="us-west-2")
        code = error_code(
            west.copy_image, SourceImageId=image, SourceRegion="eu-west-1", Name="web-v1"
        )
        assert code == "InvalidAMIID.NotFound"
        assert west.describe_images(Owners=["self"])["Images"] == []

    def test_client_token_makes_the_call_idempotent(self, sandbox):
        """R08: the same ClientToken returns the same copy; different parameters are refused."""
        image = make_image(sandbox)
        west = sandbox.client("ec2", region="us-west-2")
        request = {"SourceImageId": image, "SourceRegion": "us-east-1", "Name": "web-v1"}
        first = west.copy_image(ClientToken="copy-web-1", **request)["ImageId"]
        again = west.copy_image(ClientToken="copy-web-1", **request)["ImageId"]
        assert first == again
        assert len(west.describe_images(Owners=["self"])["Images"]) == 1
        changed = dict(request, Name="web-v2")
        code = error_code(west.copy_image, ClientToken="copy-web-1", **changed)
        assert code == "IdempotentParameterMismatch"

    def test_catalogue_image_is_copyable(self, sandbox):
        """R08: Amazon's public base image can be copied into the learner's account."""
        west = sandbox.client("ec2", region="us-west-2")
        copy = west.copy_image(
            SourceImageId=image_id(AL2023, "us-east-1"), SourceRegion="us-east-1", Name="al2023"
        )["ImageId"]
        assert describe(west, copy)["OwnerId"] == LEARNER


class TestWhatIsCopied:
    def test_launch_permissions_are_not_copied(self, sandbox):
        """R09: a shared source gives a private copy."""
        image = make_image(sandbox)
        share_with_partner(sandbox, image, storage=False)
        west = sandbox.client("ec2", region="us-west-2")
        copy = west.copy_image(SourceImageId=image, SourceRegion="us-east-1", Name="web-v1")[
            "ImageId"
        ]
        attribute = west.describe_image_attribute(ImageId=copy, Attribute="launchPermission")
        assert attribute["LaunchPermissions"] == []

    def test_tags_only_with_copy_image_tags(self, sandbox):
        """R09: user tags come along only with CopyImageTags=True."""
        tags = [{"ResourceType": "image", "Tags": [{"Key": "team", "Value": "web"}]}]
        image = make_image(sandbox, TagSpecifications=tags)
        west = sandbox.client("ec2", region="us-west-2")
        plain = west.copy_image(SourceImageId=image, SourceRegion="us-east-1", Name="web-a")
        tagged = west.copy_image(
            SourceImageId=image, SourceRegion="us-east-1", Name="web-b", CopyImageTags=True
        )
        assert not describe(west, plain["ImageId"]).get("Tags")
        assert describe(west, tagged["ImageId"])["Tags"] == [{"Key": "team", "Value": "web"}]

    def test_tag_specifications_tag_image_and_snapshots(self, sandbox):
        """R09: TagSpecifications tag the new image and its new snapshots."""
        image = make_image(sandbox)
        west = sandbox.client("ec2", region="us-west-2")
        copy = west.copy_image(
            SourceImageId=image,
            SourceRegion="us-east-1",
            Name="web-v1",
            TagSpecifications=[
                {"ResourceType": "image", "Tags": [{"Key": "stage", "Value": "prod"}]},
                {"ResourceType": "snapshot", "Tags": [{"Key": "stage", "Value": "prod"}]},
            ],
        )["ImageId"]
        assert describe(west, copy)["Tags"] == [{"Key": "stage", "Value": "prod"}]
        for snapshot_id in snapshot_ids(west, copy):
            assert snapshot(west, snapshot_id)["Tags"] == [{"Key": "stage", "Value": "prod"}]

    def test_partner_copy_never_takes_the_owners_tags(self, sandbox):
        """R09: CopyImageTags by the partner copies its own tags, not the learner's."""
        tags = [{"ResourceType": "image", "Tags": [{"Key": "team", "Value": "web"}]}]
        image = make_image(sandbox, TagSpecifications=tags)
        share_with_partner(sandbox, image, storage=True)
        partner = sandbox.client("ec2", account="partner")
        partner.create_tags(Resources=[image], Tags=[{"Key": "vetted", "Value": "yes"}])
        copy = partner.copy_image(
            SourceImageId=image, SourceRegion="us-east-1", Name="web-v1", CopyImageTags=True
        )["ImageId"]
        assert describe(partner, copy)["Tags"] == [{"Key": "vetted", "Value": "yes"}]


class TestFullSnapshotCopies:
    def test_R10_first_copy_has_full_snapshots_of_its_own(self, sandbox):
        """R10: a first copy to a Region copies each snapshot in full, same size, owned by the
        caller."""
        image = make_image(sandbox)
        east, west = sandbox.client("ec2"), sandbox.client("ec2", region="us-west-2")
        copy = west.copy_image(SourceImageId=image, SourceRegion="us-east-1", Name="web-v1")[
            "ImageId"
        ]
        sources, copies = snapshot_ids(east, image), snapshot_ids(west, copy)
        assert len(sources) == len(copies) and not set(sources) & set(copies)
        for source_id, copy_id in zip(sources, copies, strict=True):
            original, copied = snapshot(east, source_id), snapshot(west, copy_id)
            assert copied["OwnerId"] == LEARNER
            assert copied["VolumeSize"] == original["VolumeSize"]
            assert copied["Description"] == (
                f"Copied for DestinationAmi {copy} from SourceAmi {image} for SourceSnapshot "
                f"{source_id}"
            )
        assert len(east.describe_snapshots(OwnerIds=["self"])["Snapshots"]) == len(sources)

    def test_copy_keeps_the_data_written(self, sandbox):
        """R10: the copy stores the same GiB of data, and the software on it travels along."""
        east = sandbox.client("ec2")
        instance = launch(east, image_id(AL2023, "us-east-1"))
        install_software(east, instance, "postgresql16", "postgis")
        image = east.create_image(InstanceId=instance, Name="db-v1")["ImageId"]
        east.get_waiter("image_available").wait(ImageIds=[image])
        west = sandbox.client("ec2", region="us-west-2")
        copy = west.copy_image(SourceImageId=image, SourceRegion="us-east-1", Name="db-v1")[
            "ImageId"
        ]
        from labkit.fidelity.creating import find_snapshot

        original = find_snapshot("us-east-1", snapshot_ids(east, image)[0])
        copied = find_snapshot("us-west-2", snapshot_ids(west, copy)[0])
        assert copied.data_gib == pytest.approx(original.data_gib)
        assert copied.data_gib > 2.0
        west.get_waiter("image_available").wait(ImageIds=[copy])
        tags = {t["Key"]: t["Value"] for t in describe(west, copy).get("Tags", [])}
        assert "postgresql16" in tags.get("amilab:installed", "")


class TestCrossAccountCopy:
    def test_needs_create_volume_permission(self, sandbox):
        """R14: without create-volume permission the partner's copy is InvalidRequest; no image."""
        image = make_image(sandbox)
        share_with_partner(sandbox, image, storage=False)
        partner = sandbox.client("ec2", region="eu-west-1", account="partner")
        code = error_code(
            partner.copy_image, SourceImageId=image, SourceRegion="us-east-1", Name="web-v1"
        )
        assert code == "InvalidRequest"
        assert partner.describe_images(Owners=["self"])["Images"] == []
        assert partner.describe_snapshots(OwnerIds=["self"])["Snapshots"] == []

    def test_unshared_image_is_not_found(self, sandbox):
        """R14: an image not shared with the partner cannot be copied (InvalidAMIID.NotFound)."""
        image = make_image(sandbox)
        partner = sandbox.client("ec2", account="partner")
        code = error_code(
            partner.copy_image, SourceImageId=image, SourceRegion="us-east-1", Name="web-v1"
        )
        assert code == "InvalidAMIID.NotFound"

    @pytest.mark.parametrize("region", ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"])
    def test_R16_partner_owns_its_copy_in_any_region(self, sandbox, region):
        """R16: with launch and create-volume permission the partner owns the copy and snapshots."""
        image = make_image(sandbox)
        share_with_partner(sandbox, image, storage=True)
        partner = sandbox.client("ec2", region=region, account="partner")
        copy = partner.copy_image(SourceImageId=image, SourceRegion="us-east-1", Name="web-v1")[
            "ImageId"
        ]
        assert describe(partner, copy)["OwnerId"] == PARTNER
        for snapshot_id in snapshot_ids(partner, copy):
            assert snapshot(partner, snapshot_id)["OwnerId"] == PARTNER
        learner = sandbox.client("ec2")
        for snapshot_id in snapshot_ids(learner, image):
            assert snapshot(learner, snapshot_id)["OwnerId"] == LEARNER
        assert learner.describe_images(Owners=["self"])["Images"][0]["ImageId"] == image

    def test_R16_copier_pays_storage_source_owner_pays_transfer(self, sandbox):
        """R16: after the partner copies the learner's image to eu-west-1, the copy (and its
        storage) is the partner's, and the transfer is billed to the learner, the source owner."""
        from labkit import pricing
        from labkit.sandbox.estate import estate_from_sandbox

        image = make_image(sandbox)
        share_with_partner(sandbox, image, storage=True)
        partner = sandbox.client("ec2", region="eu-west-1", account="partner")
        copy = partner.copy_image(SourceImageId=image, SourceRegion="us-east-1", Name="web-v1")[
            "ImageId"
        ]
        partner.get_waiter("image_available").wait(ImageIds=[copy])
        source = estate_from_sandbox(sandbox, "learner", regions=["us-east-1"]).image(image)
        copied = estate_from_sandbox(sandbox, "partner", regions=["eu-west-1"]).image(copy)
        cost = pricing.copy_cost(source, "eu-west-1", copier=PARTNER)
        assert (cost.transfer_payer, cost.payer, copied.owner_id) == (LEARNER, PARTNER, PARTNER)
        assert cost.transfer_usd > 0
        assert pricing.image_monthly_cost(copied) == pytest.approx(cost.monthly_usd)

    def test_learner_cannot_see_the_partners_copy(self, sandbox):
        """R16: the partner's copy is private to the partner."""
        image = make_image(sandbox)
        share_with_partner(sandbox, image, storage=True)
        partner = sandbox.client("ec2", account="partner")
        copy = partner.copy_image(SourceImageId=image, SourceRegion="us-east-1", Name="web-v1")
        learner = sandbox.client("ec2")
        code = error_code(learner.describe_images, ImageIds=[copy["ImageId"]])
        assert code == "InvalidAMIID.NotFound"


class TestArchivedSnapshotsAreNotCopied:
    """R28: "You can't copy an archived snapshot" (snapshot-archive, Limitations)."""

    @staticmethod
    def archived(sandbox) -> str:
        """A snapshot of the learner's, archived after its image was deregistered."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        (snapshot_id,) = snapshot_ids(ec2, image)
        ec2.deregister_image(ImageId=image)
        ec2.modify_snapshot_tier(SnapshotId=snapshot_id, StorageTier="archive")
        return snapshot_id

    def test_copy_snapshot_of_an_archived_snapshot_is_refused(self, sandbox):
        """R28: CopySnapshot of an archived snapshot is IncorrectState; nothing is copied."""
        source = self.archived(sandbox)
        west = sandbox.client("ec2", region="us-west-2")
        refused = west.copy_snapshot
        with pytest.raises(ClientError) as caught:
            refused(SourceSnapshotId=source, SourceRegion="us-east-1")
        assert caught.value.response["Error"]["Code"] == "IncorrectState"
        assert "archive tier" in caught.value.response["Error"]["Message"]
        assert west.describe_snapshots(OwnerIds=["self"])["Snapshots"] == []

    def test_copy_after_a_restore(self, sandbox):
        """R28: once restored (hours later), the snapshot copies as any other."""
        source = self.archived(sandbox)
        ec2 = sandbox.client("ec2")
        ec2.restore_snapshot_tier(SnapshotId=source, TemporaryRestoreDays=1)
        code = error_code(ec2.copy_snapshot, SourceSnapshotId=source, SourceRegion="us-east-1")
        assert code == "IncorrectState"  # the restore is still in progress
        sandbox.advance_clock(7 * 3600)
        copy = ec2.copy_snapshot(SourceSnapshotId=source, SourceRegion="us-east-1")["SnapshotId"]
        assert snapshot(ec2, copy)["StorageTier"] == "standard"

    def test_copy_image_whose_snapshot_went_back_to_the_archive(self, sandbox):
        """R28: an image registered during a temporary restore cannot be copied after it ends."""
        source = self.archived(sandbox)
        ec2 = sandbox.client("ec2")
        ec2.restore_snapshot_tier(SnapshotId=source, TemporaryRestoreDays=1)
        sandbox.advance_clock(7 * 3600)
        image = ec2.register_image(
            Name="web-restored",
            RootDeviceName="/dev/xvda",
            BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": source}}],
        )["ImageId"]
        ec2.get_waiter("image_available").wait(ImageIds=[image])
        sandbox.advance_clock(days=2)
        assert snapshot(ec2, source)["StorageTier"] == "archive"
        code = error_code(
            ec2.copy_image, SourceImageId=image, SourceRegion="us-east-1", Name="web-copy"
        )
        assert code == "IncorrectState"
        assert [i["ImageId"] for i in ec2.describe_images(Owners=["self"])["Images"]] == [image]


class TestDisabledImagesAreNotCopied:
    def test_the_refusal_says_disabled_in_aws_words(self, sandbox):
        """A disabled image is refused as AWS refuses it (the state, no advice); enabled, it
        copies."""
        ec2 = sandbox.client("ec2")
        image = make_own_image(sandbox)
        ec2.disable_image(ImageId=image)

        found = error_of(ec2.copy_image, SourceImageId=image, SourceRegion="us-east-1", Name="copy")

        assert found["Code"] == "InvalidAMIID.Unavailable"
        assert found["Message"] == (
            f"The AMI ID '{image}' is currently disabled and may not be used for this operation."
        )
        ec2.enable_image(ImageId=image)
        assert ec2.copy_image(SourceImageId=image, SourceRegion="us-east-1", Name="copy")["ImageId"]


class TestCrossAccountCopyR44:
    """R44 (ami-rules-2): what an account needs to copy an AMI shared with it, and what it gets."""

    def test_R44_launch_permission_alone_does_not_let_the_partner_copy(self, sandbox):
        """R44: without create volume permission on the snapshots, the partner's copy fails."""
        image = make_image(sandbox)
        share_with_partner(sandbox, image, storage=False)
        partner = sandbox.client("ec2", region="eu-west-1", account="partner")
        refused = error_of(
            partner.copy_image, SourceImageId=image, SourceRegion="us-east-1", Name="mine"
        )
        assert refused == {
            "Code": "InvalidRequest",
            "Message": "You do not have permission to access the storage of this ami",
        }
        assert partner.describe_images(Owners=["self"])["Images"] == []

    def test_R44_the_copy_is_the_copiers_and_the_sources_tags_stay_behind(self, sandbox):
        """R44: with both permissions the partner owns the copy; the source's tags do not cross."""
        image = make_image(sandbox)
        sandbox.client("ec2").create_tags(Resources=[image], Tags=[{"Key": "team", "Value": "web"}])
        share_with_partner(sandbox, image, storage=True)
        partner = sandbox.client("ec2", region="eu-west-1", account="partner")
        copy = partner.copy_image(
            SourceImageId=image, SourceRegion="us-east-1", Name="mine", CopyImageTags=True
        )["ImageId"]
        copied = describe(partner, copy)
        assert copied["OwnerId"] == PARTNER
        assert copied.get("Tags", []) == []
        assert describe(sandbox.client("ec2"), image)["OwnerId"] == LEARNER


class TestIncrementalCopiesR46:
    def test_R46_a_later_copy_looks_like_a_full_one_through_the_api(self, sandbox):
        """R46: incremental or not, the API shows every copy with its own full-size snapshots;
        the saving shows only on the bill (lesson 03 and 07 say so, pricing.copy_cost)."""
        image = make_image(sandbox)
        west = sandbox.client("ec2", region="us-west-2")
        first, later = (
            west.copy_image(SourceImageId=image, SourceRegion="us-east-1", Name=name)["ImageId"]
            for name in ("web-v1", "web-v1-again")
        )
        east = sandbox.client("ec2")
        sizes = [snapshot(east, s)["VolumeSize"] for s in snapshot_ids(east, image)]
        for copy in (first, later):
            assert [snapshot(west, s)["VolumeSize"] for s in snapshot_ids(west, copy)] == sizes
        assert not set(snapshot_ids(west, first)) & set(snapshot_ids(west, later))
