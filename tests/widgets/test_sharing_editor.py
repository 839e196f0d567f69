"""SharingEditor: the console's Edit AMI permissions page, applied with boto3 calls."""

from __future__ import annotations

import pytest
from sandbox_snapshot import snapshot
from sandbox_state import PARTNER, encrypted_copy, launch_permissions

from labkit.widgets import SharingEditor
from labkit.widgets.sharing_editor import plan_changes

SELLER = "333333333333"


def add(editor: SharingEditor, text: str) -> None:
    editor.account_box.value = text
    editor.add_button.click()


class TestSharingWithAccounts:
    def test_share_with_partner(self, lab, web_image):
        """Add account ID, Save changes: the image is shared and the partner can see it."""
        editor = SharingEditor(lab, image_id=web_image)
        add(editor, PARTNER)
        assert editor.shared_accounts == [PARTNER]
        assert launch_permissions(lab, web_image) == []  # nothing saved yet
        editor.save_button.click()
        assert launch_permissions(lab, web_image) == [{"UserId": PARTNER}]
        partner = lab.client("ec2", account="partner")
        assert partner.describe_images(ImageIds=[web_image])["Images"]
        assert editor.message_kind == "ok"
        assert "shared with partner 222222222222" in editor.message_text
        assert "ec2.modify_image_attribute(" in editor.calls_view.value
        assert editor.calls == [
            "ec2.modify_image_attribute(\n"
            f"    ImageId='{web_image}',\n"
            f"    LaunchPermission={{'Add': [{{'UserId': '{PARTNER}'}}]}},\n)"
        ]

    def test_remove_an_account(self, lab, web_image):
        """Remove selected, Save changes: the account's permission is gone."""
        lab.client("ec2").modify_image_attribute(
            ImageId=web_image, LaunchPermission={"Add": [{"UserId": PARTNER}, {"UserId": SELLER}]}
        )
        editor = SharingEditor(lab, image_id=web_image)
        assert sorted(editor.shared_accounts) == [PARTNER, SELLER]
        editor.shared_list.value = SELLER
        editor.remove_button.click()
        editor.save_button.click()
        assert launch_permissions(lab, web_image) == [{"UserId": PARTNER}]
        assert "'Remove': [{'UserId': '333333333333'}]" in editor.calls[0]

    def test_several_ids_at_once(self, lab, web_image):
        """IDs separated by commas or spaces are added together."""
        editor = SharingEditor(lab, image_id=web_image)
        add(editor, f"{PARTNER}, {SELLER}")
        assert editor.shared_accounts == [PARTNER, SELLER]
        assert editor.account_box.value == ""

    def test_create_volume_permission(self, lab, web_image):
        """The checkbox also gives the added account create volume permission on the snapshot."""
        (image,) = lab.client("ec2").describe_images(ImageIds=[web_image])["Images"]
        snapshot = image["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
        editor = SharingEditor(lab, image_id=web_image)
        add(editor, PARTNER)
        editor.volume_checkbox.value = True
        editor.save_button.click()
        answer = lab.client("ec2").describe_snapshot_attribute(
            SnapshotId=snapshot, Attribute="createVolumePermission"
        )
        assert answer["CreateVolumePermissions"] == [{"UserId": PARTNER}]
        assert "ec2.modify_snapshot_attribute(" in editor.calls_view.value
        assert "Create volume permission added" in editor.message_text

    def test_nothing_to_save(self, lab, web_image):
        """Save changes with no edits makes no call and says so."""
        editor = SharingEditor(lab, image_id=web_image)
        editor.save_button.click()
        assert editor.calls == []
        assert "Nothing to save" in editor.message_text

    def test_cancel_discards_edits(self, lab, web_image):
        """Cancel reloads the permissions AWS has."""
        editor = SharingEditor(lab, image_id=web_image)
        add(editor, PARTNER)
        editor.cancel_button.click()
        assert editor.shared_accounts == []


class TestBadInput:
    def test_account_id_not_12_digits(self, lab, web_image):
        """'12345' is refused with a message; the list and the sandbox stay as they were."""
        editor = SharingEditor(lab, image_id=web_image)
        add(editor, "12345")
        assert editor.message_kind == "error"
        assert editor.message_text == (
            "'12345' is not an AWS account ID: an account ID is exactly 12 digits, "
            "such as 222222222222"
        )
        assert editor.shared_accounts == []
        editor.save_button.click()
        assert launch_permissions(lab, web_image) == []

    def test_one_bad_id_adds_none(self, lab, web_image):
        """A list with one bad ID adds none of them."""
        editor = SharingEditor(lab, image_id=web_image)
        add(editor, f"{PARTNER} partner")
        assert "'partner' is not an AWS account ID" in editor.message_text
        assert editor.shared_accounts == []

    def test_empty_and_own_account(self, lab, web_image):
        """An empty box and the owner's own ID are refused with a message."""
        editor = SharingEditor(lab, image_id=web_image)
        add(editor, "  ")
        assert "Type an AWS account ID" in editor.message_text
        add(editor, "111111111111")
        assert "is your own account" in editor.message_text
        assert editor.shared_accounts == []

    def test_remove_with_nothing_selected(self, lab, web_image):
        """Remove selected with no selection is a message, not an error."""
        editor = SharingEditor(lab, image_id=web_image)
        editor.remove_button.click()
        assert editor.message_text == "Select an account in the list first."

    def test_not_my_image(self, lab):
        """An account with no images of its own is told only an owner can share."""
        editor = SharingEditor(lab, account="partner")
        assert editor.image_id == ""
        assert "partner owns no images yet" in editor.message_text
        assert editor.save_button.disabled


class TestAwsRefuses:
    def test_block_public_access_refuses_public(self, lab, web_image):
        """Public is refused while block public access is on; nothing changes."""
        editor = SharingEditor(lab, image_id=web_image)
        assert "Block public access for AMIs in us-east-1: <b>on</b>" in (
            editor.block_public_access.value
        )
        editor.availability.value = True
        editor.save_button.click()
        assert editor.message_kind == "error"
        assert editor.message_text.startswith("AWS answered OperationNotPermitted: ")
        assert editor.message_text.endswith("Nothing changed.")
        assert launch_permissions(lab, web_image) == []
        assert "{'Add': [{'Group': 'all'}]}" in editor.calls[0]

    def test_public_once_block_public_access_is_off(self, lab, web_image):
        """With block public access off (by boto3), Public succeeds."""
        lab.client("ec2").disable_image_block_public_access()
        editor = SharingEditor(lab, image_id=web_image)
        editor.availability.value = True
        editor.save_button.click()
        assert launch_permissions(lab, web_image) == [{"Group": "all"}]
        assert f"{web_image} is Public" in editor.message_text

    def test_encrypted_image_cannot_be_public(self, lab, web_image):
        """An image with encrypted snapshots cannot be made public: AWS's answer is shown."""
        encrypted = encrypted_copy(lab, web_image)
        lab.client("ec2").disable_image_block_public_access()
        editor = SharingEditor(lab, image_id=encrypted)
        assert editor.image_id == encrypted
        editor.availability.value = True
        editor.save_button.click()
        assert editor.message_text.startswith(
            "AWS answered UnsupportedOperation: Encrypted snapshots can't be shared publicly."
        )
        assert launch_permissions(lab, encrypted) == []

    def test_aws_managed_key_cannot_be_shared(self, lab, web_image):
        """An image encrypted with aws/ebs cannot be shared with an account at all."""
        encrypted = encrypted_copy(lab, web_image)
        editor = SharingEditor(lab, image_id=encrypted)
        add(editor, PARTNER)
        editor.save_button.click()
        assert editor.message_text.startswith("AWS answered InvalidParameter: ")
        assert "AWS Managed CMK" in editor.message_text
        assert launch_permissions(lab, encrypted) == []


class TestPlanChanges:
    def test_plan(self):
        """The plan adds and removes only what differs, and leaves org grants alone."""
        current = [{"UserId": SELLER}, {"OrganizationArn": "arn:aws:organizations::1:o"}]
        assert plan_changes(current, True, [PARTNER]) == {
            "Add": [{"UserId": PARTNER}, {"Group": "all"}],
            "Remove": [{"UserId": SELLER}],
        }
        assert plan_changes(current, False, [SELLER]) == {}


class TestWrongImageId:
    """Issue 14, item 12: a wrong ID never opens (and so never saves) another image."""

    def typo(self, image_id: str) -> str:
        return image_id[:-1] + ("0" if image_id[-1] != "0" else "1")

    def test_a_typo_is_an_error_naming_the_id(self, lab, web_image):
        """SharingEditor(image_id=<a typo>): ValueError naming the ID; nothing changes."""
        before = snapshot(lab.sandbox)
        wrong = self.typo(web_image)
        with pytest.raises(ValueError, match=f"image_id '{wrong}': learner owns no image"):
            SharingEditor(lab, image_id=wrong)
        assert snapshot(lab.sandbox) == before

    def test_an_image_of_another_account_is_an_error(self, lab, web_image):
        """The partner cannot edit the learner's image, even once it is shared with it."""
        lab.client("ec2").modify_image_attribute(
            ImageId=web_image, LaunchPermission={"Add": [{"UserId": PARTNER}]}
        )
        with pytest.raises(ValueError, match=f"'{web_image}': partner owns no image"):
            SharingEditor(lab, image_id=web_image, account="partner")

    def test_an_account_with_no_images_and_an_id_is_an_error(self, lab, web_image):
        """The seller owns no images: naming one is still an error, not an empty editor."""
        with pytest.raises(ValueError, match=web_image):
            SharingEditor(lab, image_id=web_image, account="seller")

    @pytest.mark.parametrize("value", [123, b"ami-1", ["ami-1"], 1.5, True])
    def test_an_id_that_is_not_text_is_an_error(self, lab, value):
        """A number, bytes or a list as the image ID: ValueError naming image_id."""
        with pytest.raises(ValueError, match="image_id must be an AMI ID"):
            SharingEditor(lab, image_id=value)

    def test_omitted_still_opens_the_first_own_image(self, lab, web_image):
        """No ID (or None): the account's first image, as before."""
        assert SharingEditor(lab).image_id == web_image
        assert SharingEditor(lab, image_id=None).image_id == web_image
