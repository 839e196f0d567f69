"""ImageBrowser: the console's AMI list, as one account's boto3 clients see the sandbox."""

from __future__ import annotations

import pytest
import traitlets
from sandbox_state import PARTNER, encrypted_copy

from labkit import REGIONS
from labkit.catalog import image_id
from labkit.widgets import ImageBrowser
from labkit.widgets._base import STOPPED


def ids(browser: ImageBrowser) -> list[str]:
    return [row.image_id for row in browser.shown]


class TestListing:
    def test_lists_images_in_every_region(self, lab, web_image):
        """The learner sees its own image and the public catalogue in all four Regions."""
        browser = ImageBrowser(lab)
        assert web_image in ids(browser)
        assert {row.region for row in browser.shown} == set(REGIONS)
        assert image_id("al2023-x86_64", "eu-west-1") in ids(browser)
        assert f"<b>{len(browser.shown)}</b> of {len(browser.rows)} images" in browser.count.value
        assert browser.image_list.options[0][1] == ("us-east-1", web_image)  # mine first

    def test_owned_by_me(self, lab, web_image):
        """Owned by me lists exactly the learner's images."""
        browser = ImageBrowser(lab)
        browser.show_picker.value = "owned"
        assert ids(browser) == [web_image]
        assert "mine" in browser.image_list.options[0][0]

    def test_public_images(self, lab, web_image):
        """Public images leaves out the learner's private image."""
        browser = ImageBrowser(lab)
        browser.show = "public"
        assert browser.shown and all(row.public for row in browser.shown)
        assert web_image not in ids(browser)

    def test_shared_with_me(self, lab, web_image):
        """The partner sees the learner's image as shared only once the learner shares it."""
        browser = ImageBrowser(lab, account="partner")
        browser.show = "shared"
        assert ids(browser) == []
        lab.client("ec2").modify_image_attribute(
            ImageId=web_image, LaunchPermission={"Add": [{"UserId": PARTNER}]}
        )
        browser.refresh_button.click()
        assert ids(browser) == [web_image]
        assert "shared" in browser.image_list.options[0][0]

    def test_region_filter(self, lab):
        """A Region shows only that Region's images."""
        browser = ImageBrowser(lab)
        browser.region_picker.value = "ap-southeast-2"
        assert browser.shown and {row.region for row in browser.shown} == {"ap-southeast-2"}
        assert "ap-southeast-2 (Sydney)" in browser.count.value

    def test_encrypted_filter(self, lab, web_image):
        """Encrypted lists only images with an encrypted snapshot; Not encrypted the rest."""
        encrypted = encrypted_copy(lab, web_image)
        browser = ImageBrowser(lab)
        browser.encryption_picker.value = "yes"
        assert ids(browser) == [encrypted]
        browser.encryption_picker.value = "no"
        assert encrypted not in ids(browser) and web_image in ids(browser)

    def test_deprecated_filter(self, lab):
        """After their deprecation date, others' images hide by default and show when asked."""
        old = image_id("al2023-x86_64-previous", "us-east-1")
        lab.advance_clock(days=30)  # past 2025-03-12, the previous release's deprecation
        browser = ImageBrowser(lab)
        assert old not in ids(browser)
        browser.deprecated_picker.value = "include"
        assert old in ids(browser)
        browser.deprecated_picker.value = "only"
        assert old in ids(browser) and all(row.deprecated for row in browser.shown)

    def test_first_filters(self, lab, web_image):
        """The first filters can be given when the browser is made; unknown ones are refused."""
        browser = ImageBrowser(lab, show="owned", region="us-east-1")
        assert ids(browser) == [web_image]
        with pytest.raises(ValueError, match="region must be one of .*not 'eu-central-1'"):
            ImageBrowser(lab, region="eu-central-1")
        with pytest.raises(ValueError, match="show must be one of 'all', 'owned'"):
            ImageBrowser(lab, show="mine")

    def test_search(self, lab, web_image):
        """Search keeps images whose ID, name or description contain the text."""
        browser = ImageBrowser(lab)
        browser.search_box.value = "web-server"
        assert ids(browser) == [web_image]


class TestDetails:
    def test_selecting_shows_details_snapshots_and_permissions(self, lab, web_image):
        """Picking the owner's image shows its fields, its snapshot and who may launch it."""
        lab.client("ec2").modify_image_attribute(
            ImageId=web_image, LaunchPermission={"Add": [{"UserId": PARTNER}]}
        )
        (image,) = lab.client("ec2").describe_images(ImageIds=[web_image])["Images"]
        snapshot = image["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
        browser = ImageBrowser(lab)
        browser.image_list.value = ("us-east-1", web_image)
        assert browser.selected == web_image
        details = browser.details.value
        assert "web-server-v1" in details and "you own it" in details
        assert snapshot in details and "learner 111111111111" in details
        assert "partner 222222222222" in details  # launch permissions

    def test_a_recipient_cannot_see_permissions_or_snapshots(self, lab, web_image):
        """The partner sees a shared image's details, but not its snapshot or its grantees."""
        lab.client("ec2").modify_image_attribute(
            ImageId=web_image, LaunchPermission={"Add": [{"UserId": PARTNER}]}
        )
        browser = ImageBrowser(lab, account="partner")
        browser.select(web_image)
        details = browser.details.value
        assert "its owner shared it with you" in details
        assert "not visible to you" in details
        assert "Only the owner sees who an image is shared with" in details
        assert "AuthFailure" in details

    def test_an_image_unshared_since_the_list_was_read(self, lab, web_image):
        """If the owner takes the share back, the details say so and suggest Refresh."""
        ec2 = lab.client("ec2")
        ec2.modify_image_attribute(
            ImageId=web_image, LaunchPermission={"Add": [{"UserId": PARTNER}]}
        )
        browser = ImageBrowser(lab, account="partner")
        ec2.modify_image_attribute(
            ImageId=web_image, LaunchPermission={"Remove": [{"UserId": PARTNER}]}
        )
        browser.select(web_image)
        assert "partner can no longer see this image: press Refresh." in browser.details.value
        assert "InvalidAMIID.NotFound" in browser.details.value
        browser.refresh_button.click()
        assert web_image not in ids(browser)

    def test_unknown_image_is_a_message(self, lab):
        """Selecting an image the account cannot see says so and shows nothing."""
        browser = ImageBrowser(lab)
        browser.select("ami-0123456789abcdef0")
        assert browser.message_kind == "error"
        assert "ami-0123456789abcdef0 is not among the images learner can see" in (
            browser.message_text
        )
        assert browser.selected == ""


class TestAccounts:
    def test_view_as_another_account(self, lab, web_image):
        """Switching View as to the seller re-reads the sandbox with the seller's clients."""
        browser = ImageBrowser(lab)
        browser.account_picker.value = "seller"
        assert browser.account == "seller"
        assert web_image not in ids(browser)
        assert "seller 333333333333" in browser.count.value

    def test_unknown_account_is_refused(self, lab):
        """An account outside the lab is refused and the view stays as it was."""
        with pytest.raises(ValueError, match="no account called 'admin'"):
            ImageBrowser(lab, account="admin")
        browser = ImageBrowser(lab)
        with pytest.raises(traitlets.TraitError, match="no account called 'admin'"):
            browser.account = "admin"
        assert browser.account == "learner" and browser.account_picker.value == "learner"

    def test_stopped_sandbox_is_a_message(self, lab):
        """Refreshing after the sandbox stopped explains what to do instead of raising."""
        browser = ImageBrowser(lab)
        lab.stop()
        browser.refresh_button.click()
        assert browser.message_kind == "error"
        assert browser.message_text == STOPPED
