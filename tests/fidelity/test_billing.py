"""R17 (product codes), R22/R45, R23: Marketplace and billing products when copying and paying."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from labkit.catalog import catalog_images, image_id
from labkit.fidelity.billing import (
    SoftwareCharge,
    software_charge,
    software_charges_by_account,
    software_rate,
)

MARKETPLACE = "marketplace-hardened-al2023"
WINDOWS = "windows-2022-base"
LEARNER = "111111111111"
PARTNER = "222222222222"


def launch(ec2, image: str, instance_type: str = "t3.micro") -> str:
    reservation = ec2.run_instances(
        ImageId=image, InstanceType=instance_type, MinCount=1, MaxCount=1
    )
    return reservation["Instances"][0]["InstanceId"]


def image_from(sandbox, base: str, account="learner", name="hardened-web") -> str:
    """Launch a catalogue image and create an image from the instance (CreateImage)."""
    ec2 = sandbox.client("ec2", account=account)
    instance = launch(ec2, image_id(base, "us-east-1"), "t3.medium")
    image = ec2.create_image(InstanceId=instance, Name=name)["ImageId"]
    ec2.get_waiter("image_available").wait(ImageIds=[image])
    return image


def product_codes(ec2, image: str) -> list[str]:
    described = ec2.describe_images(ImageIds=[image])["Images"][0]
    return [p["ProductCodeId"] for p in described.get("ProductCodes", [])]


def marketplace_code() -> str:
    entry = next(i for i in catalog_images("us-east-1") if i["key"] == MARKETPLACE)
    return entry["product_codes"][0]["ProductCodeId"]


def share_fully(sandbox, image: str) -> None:
    """Share an image and its snapshots with the partner (launch and create-volume)."""
    learner = sandbox.client("ec2")
    learner.modify_image_attribute(ImageId=image, LaunchPermission={"Add": [{"UserId": PARTNER}]})
    mappings = learner.describe_images(ImageIds=[image])["Images"][0]["BlockDeviceMappings"]
    for mapping in mappings:
        learner.modify_snapshot_attribute(
            SnapshotId=mapping["Ebs"]["SnapshotId"],
            Attribute="createVolumePermission",
            OperationType="add",
            UserIds=[PARTNER],
        )


def error(call, **kwargs) -> dict:
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    return raised.value.response["Error"]


class TestCopyingPaidImages:
    def test_R22_public_marketplace_image_cannot_be_copied(self, sandbox):
        """R22: CopyImage of the seller's Marketplace image is InvalidRequest; nothing is made."""
        ec2 = sandbox.client("ec2", region="us-west-2")
        refused = error(
            ec2.copy_image,
            SourceImageId=image_id(MARKETPLACE, "us-east-1"),
            SourceRegion="us-east-1",
            Name="hardened-copy",
        )
        assert refused == {
            "Code": "InvalidRequest",
            "Message": "Images from AWS Marketplace cannot be copied to another AWS account.",
        }
        assert ec2.describe_images(Owners=["self"])["Images"] == []

    def test_launch_then_create_image_keeps_the_codes(self, sandbox):
        """R22: an image made from a Marketplace instance keeps the product code."""
        image = image_from(sandbox, MARKETPLACE)
        assert product_codes(sandbox.client("ec2"), image) == [marketplace_code()]

    def test_R45_owner_copies_its_own_derived_image(self, sandbox):
        """R45: the owner may copy its own Marketplace-derived image; the copy keeps the codes."""
        image = image_from(sandbox, MARKETPLACE)
        west = sandbox.client("ec2", region="us-west-2")
        copy = west.copy_image(SourceImageId=image, SourceRegion="us-east-1", Name="hardened")
        assert product_codes(west, copy["ImageId"]) == [marketplace_code()]

    def test_R22_partner_cannot_copy_a_shared_derived_image(self, sandbox):
        """R22: even with full sharing, the partner cannot copy a Marketplace-derived image."""
        image = image_from(sandbox, MARKETPLACE)
        share_fully(sandbox, image)
        partner = sandbox.client("ec2", account="partner")
        refused = error(
            partner.copy_image, SourceImageId=image, SourceRegion="us-east-1", Name="hardened"
        )
        assert refused["Code"] == "InvalidRequest"
        assert partner.describe_images(Owners=["self"])["Images"] == []

    def test_partner_launches_and_images_it_instead(self, sandbox):
        """R22: the partner's launch-then-CreateImage gives its own image with the codes kept."""
        image = image_from(sandbox, MARKETPLACE)
        sandbox.client("ec2").modify_image_attribute(
            ImageId=image, LaunchPermission={"Add": [{"UserId": PARTNER}]}
        )
        partner = sandbox.client("ec2", account="partner")
        instance = launch(partner, image)
        own = partner.create_image(InstanceId=instance, Name="hardened-mine")["ImageId"]
        partner.get_waiter("image_available").wait(ImageIds=[own])
        described = partner.describe_images(ImageIds=[own])["Images"][0]
        assert described["OwnerId"] == PARTNER
        assert product_codes(partner, own) == [marketplace_code()]

    def test_R22_shared_windows_image_can_be_copied(self, sandbox):
        """R22 (corrected): another account's Windows image, shared fully, copies like any other;
        the partner owns the copy, which stays a Windows image."""
        image = image_from(sandbox, WINDOWS, name="win-web")
        share_fully(sandbox, image)
        partner = sandbox.client("ec2", account="partner", region="us-west-2")
        copy = partner.copy_image(SourceImageId=image, SourceRegion="us-east-1", Name="win-web")
        partner.get_waiter("image_available").wait(ImageIds=[copy["ImageId"]])
        described = partner.describe_images(ImageIds=[copy["ImageId"]])["Images"][0]
        assert described["OwnerId"] == PARTNER
        assert described["PlatformDetails"] == "Windows"
        assert described["UsageOperation"] == "RunInstances:0002"
        assert described.get("ProductCodes", []) == []

    def test_R22_shared_windows_image_still_needs_create_volume_permission(self, sandbox):
        """R14 still applies: a Windows image shared for launch only cannot be copied."""
        image = image_from(sandbox, WINDOWS, name="win-web")
        sandbox.client("ec2").modify_image_attribute(
            ImageId=image, LaunchPermission={"Add": [{"UserId": PARTNER}]}
        )
        partner = sandbox.client("ec2", account="partner")
        refused = error(
            partner.copy_image, SourceImageId=image, SourceRegion="us-east-1", Name="win-web"
        )
        assert refused == {
            "Code": "InvalidRequest",
            "Message": "You do not have permission to access the storage of this ami",
        }

    def test_amazons_windows_image_can_be_copied(self, sandbox):
        """R22: Amazon's own public Windows image is copyable by any account."""
        west = sandbox.client("ec2", region="us-west-2")
        copy = west.copy_image(
            SourceImageId=image_id(WINDOWS, "us-east-1"), SourceRegion="us-east-1", Name="win"
        )
        described = west.describe_images(ImageIds=[copy["ImageId"]])["Images"][0]
        assert described["OwnerId"] == LEARNER
        assert described["PlatformDetails"] == "Windows"


class TestPaidImagesStayPrivate:
    def test_product_coded_image_cannot_be_public(self, sandbox):
        """R17: even with block public access off, a product-coded image cannot be public."""
        image = image_from(sandbox, MARKETPLACE)
        learner = sandbox.client("ec2")
        learner.disable_image_block_public_access()
        refused = error(
            learner.modify_image_attribute,
            ImageId=image,
            LaunchPermission={"Add": [{"Group": "all"}]},
        )
        assert refused["Code"] == "UnsupportedOperation"
        assert not learner.describe_images(ImageIds=[image])["Images"][0]["Public"]


class TestWhoPaysTheSoftware:
    def test_launcher_pays_the_seller_rate(self):
        """R23: the launching account pays rate × hours; the image owner pays nothing."""
        charge = software_charge(0.02, 100, launcher=PARTNER, image_owner=LEARNER)
        assert charge == SoftwareCharge(PARTNER, LEARNER, 0.02, 100.0, 2.0)
        assert charge.owner_pays_usd == 0.0

    def test_owner_pays_for_its_own_launches(self):
        """R23: an owner that launches its own paid image pays like anyone else."""
        charge = software_charge(0.02, 10, launcher=LEARNER, image_owner=LEARNER)
        assert charge.owner_pays_usd == pytest.approx(0.2)

    def test_charges_by_account(self):
        """R23: each launching account pays for its own hours; the owner is not billed."""
        totals = software_charges_by_account(
            0.02, LEARNER, [(PARTNER, 720), (PARTNER, 24), ("333333333333", 10)]
        )
        assert totals == {PARTNER: pytest.approx(14.88), "333333333333": pytest.approx(0.2)}
        assert LEARNER not in totals

    def test_rate_follows_the_product_code(self):
        """R23: a derived image's rate is the Marketplace product's, found by its code."""
        catalogue = catalog_images("us-east-1")
        assert software_rate([marketplace_code()], catalogue) == pytest.approx(0.02)
        assert software_rate([], catalogue) == 0.0

    def test_negative_usage_is_refused(self):
        """R23: negative hours are a programming error."""
        with pytest.raises(ValueError):
            software_charge(0.02, -1, launcher=PARTNER, image_owner=LEARNER)
