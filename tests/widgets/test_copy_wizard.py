"""CopyWizard: the console's Copy AMI page, copying with boto3 and pricing with labkit.pricing."""

from __future__ import annotations

import pytest
from sandbox_snapshot import snapshot
from sandbox_state import PARTNER

from labkit import pricing
from labkit.sandbox.estate import estate_from_sandbox
from labkit.widgets import CopyWizard


def images_in(lab, region: str, account: str = "learner") -> list[dict]:
    return lab.client("ec2", region, account).describe_images(Owners=["self"])["Images"]


class TestCopy:
    def test_starts_from_my_image(self, lab, web_image):
        """The source is the learner's own image, named as the console would name the copy."""
        wizard = CopyWizard(lab)
        assert (wizard.image_id, wizard.source_region) == (web_image, "us-east-1")
        assert wizard.name == "web-server-v1"
        assert wizard.destination == "us-west-2"

    def test_copy_to_another_region(self, lab, web_image):
        """Copy AMI makes a new image in the destination, owned by the learner, from the source."""
        wizard = CopyWizard(lab, image_id=web_image)
        wizard.destination_box.value = "eu-west-1"
        wizard.name_box.value = "web-server-v1-eu"
        wizard.copy_button.click()
        (copy,) = images_in(lab, "eu-west-1")
        assert copy["ImageId"] == wizard.new_image_id
        assert copy["Name"] == "web-server-v1-eu"
        assert copy["SourceImageId"] == web_image and copy["SourceImageRegion"] == "us-east-1"
        assert wizard.message_kind == "ok"
        assert wizard.new_image_id in wizard.result.value
        assert "ec2.copy_image(" in wizard.result.value

    def test_copy_tags(self, lab, web_image):
        """With Copy tags the copy has the source's user tags; without, it has none of them."""
        wizard = CopyWizard(lab, image_id=web_image, destination="eu-west-1")
        wizard.name = "tagged"
        wizard.tags_checkbox.value = True
        wizard.copy_button.click()
        wizard.name = "untagged"
        wizard.tags_checkbox.value = False
        wizard.copy_button.click()
        tags = {
            i["Name"]: {t["Key"] for t in i.get("Tags", [])} for i in images_in(lab, "eu-west-1")
        }
        assert {"Project", "Version"} <= tags["tagged"]
        assert not {"Project", "Version"} & tags["untagged"]  # amilab:installed always travels

    def test_encrypt_with_a_customer_key(self, lab, web_image):
        """Encrypting with a key from the destination's key list gives snapshots under that key."""
        kms = lab.client("kms", "eu-west-1")
        key = kms.create_key(Description="web images in Ireland")["KeyMetadata"]
        kms.create_alias(AliasName="alias/web-eu", TargetKeyId=key["KeyId"])
        wizard = CopyWizard(lab, image_id=web_image, destination="eu-west-1")
        assert wizard.key_picker.disabled
        wizard.encrypt_checkbox.value = True
        assert ("alias/web-eu", key["Arn"]) in wizard.key_picker.options
        wizard.key_picker.value = key["Arn"]
        wizard.copy_button.click()
        (copy,) = images_in(lab, "eu-west-1")
        ebs = copy["BlockDeviceMappings"][0]["Ebs"]
        assert ebs["Encrypted"] is True
        (snapshot,) = lab.client("ec2", "eu-west-1").describe_snapshots(
            SnapshotIds=[ebs["SnapshotId"]]
        )["Snapshots"]
        assert snapshot["KmsKeyId"] == key["Arn"]
        assert "Encrypted=True" in wizard.result.value and "KmsKeyId=" in wizard.result.value


class TestCost:
    def test_cost_is_labkit_pricing_copy_cost(self, lab, web_image):
        """The monthly cost shown is pricing.copy_cost of the learner's image."""
        wizard = CopyWizard(lab, image_id=web_image, destination="ap-southeast-2")
        image = estate_from_sandbox(lab.sandbox, "learner").image(web_image)
        cost = pricing.copy_cost(image, "ap-southeast-2")
        assert pricing.format_usd(cost.monthly_usd, per="month") in wizard.cost.value
        assert pricing.format_usd(cost.transfer_usd) in wizard.cost.value
        assert "ap-southeast-2 (Sydney)" in wizard.cost.value
        assert pricing.prices().as_of in wizard.cost.value

    def test_cost_follows_the_destination(self, lab, web_image):
        """Changing the destination recomputes the cost; the same Region has no transfer."""
        wizard = CopyWizard(lab, image_id=web_image, destination="eu-west-1")
        assert "once to transfer it out of us-east-1" in wizard.cost.value
        wizard.destination = "us-east-1"
        assert "no transfer charge within a Region" in wizard.cost.value


class TestBadInput:
    def test_empty_name(self, lab, web_image):
        """An empty name is refused in the widget; nothing is copied."""
        wizard = CopyWizard(lab, image_id=web_image, destination="eu-west-1")
        wizard.name_box.value = "   "
        wizard.copy_button.click()
        assert wizard.message_kind == "error"
        assert wizard.message_text == "Give the copy a name: an AMI name cannot be empty."
        assert images_in(lab, "eu-west-1") == []
        assert wizard.new_image_id == ""

    def test_name_too_short(self, lab, web_image):
        """A name boto3 will not send (under 3 characters) is refused in words; nothing copied."""
        wizard = CopyWizard(lab, image_id=web_image, destination="eu-west-1")
        wizard.name = "ab"
        wizard.copy_button.click()
        assert wizard.message_text == (
            "boto3 refused to send the request: "
            "Invalid length for parameter Name, value: 2, valid min length: 3"
        )
        assert wizard.output.outputs == ()
        assert images_in(lab, "eu-west-1") == []

    @pytest.mark.parametrize("region", ["eu-central-1", "mars-north-1", ""])
    def test_unknown_region(self, lab, web_image, region):
        """A Region the lab does not simulate is refused; no Region gets a copy."""
        wizard = CopyWizard(lab, image_id=web_image)
        wizard.destination_box.value = region
        assert wizard.message_kind == "error"
        assert "us-east-1, us-west-2, eu-west-1, ap-southeast-2" in wizard.message_text
        assert wizard.cost.value == ""
        wizard.copy_button.click()
        assert wizard.message_kind == "error"
        assert all(len(images_in(lab, r)) == (r == "us-east-1") for r in lab.sandbox.regions)

    def test_aws_refusal_is_shown(self, lab, web_image):
        """Copying a shared image without create volume permission shows AWS's refusal."""
        lab.client("ec2").modify_image_attribute(
            ImageId=web_image, LaunchPermission={"Add": [{"UserId": PARTNER}]}
        )
        wizard = CopyWizard(lab, image_id=web_image, destination="us-east-1", account="partner")
        assert wizard.image_id == web_image
        assert "owner learner" in wizard.source_picker.label
        wizard.copy_button.click()
        assert wizard.message_kind == "error"
        assert wizard.message_text.startswith("AWS answered ")
        assert images_in(lab, "us-east-1", "partner") == []
        assert "ec2.copy_image(" in wizard.result.value


class TestCostText:
    def test_R16_cross_account_copy_names_both_payers(self):
        """Another account's copy: the copier pays the storage, the source owner the transfer."""
        from labkit.widgets.copy_wizard import cost_text

        source = pricing.ImageCost(
            "ami-gold",
            "gold",
            "us-east-1",
            "111111111111",
            (pricing.SnapshotCharge("snap-gold", "us-east-1", "111111111111", 10.0),),
        )
        text = cost_text(pricing.copy_cost(source, "eu-west-1", copier=PARTNER))
        assert "pays the storage, as the copy's owner" in text
        assert "the source image's owner" in text


class TestWrongImageId:
    """Issue 14, item 12: a wrong ID never opens (and so never copies) another image."""

    def test_a_typo_is_an_error_naming_the_id(self, lab, web_image):
        """CopyWizard(image_id=<a typo>): ValueError naming the ID; nothing is copied."""
        before = snapshot(lab.sandbox)
        wrong = web_image[:-1] + ("0" if web_image[-1] != "0" else "1")
        with pytest.raises(ValueError, match=f"image_id '{wrong}': learner can see no image"):
            CopyWizard(lab, image_id=wrong, destination="eu-west-1")
        assert snapshot(lab.sandbox) == before

    def test_an_image_the_account_cannot_see_is_an_error(self, lab, web_image):
        """The learner's private image, from the partner's side: an error, not another image."""
        with pytest.raises(ValueError, match=f"'{web_image}': partner can see no image"):
            CopyWizard(lab, image_id=web_image, account="partner")

    @pytest.mark.parametrize("destination", ["eu-central-1", "US-EAST-1", 5, b"us-east-1"])
    def test_an_unknown_destination_is_an_error(self, lab, web_image, destination):
        """A destination the lab does not simulate: ValueError naming destination."""
        with pytest.raises(ValueError, match="destination must be one of the lab's Regions"):
            CopyWizard(lab, image_id=web_image, destination=destination)
