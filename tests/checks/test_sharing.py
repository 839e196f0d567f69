"""Lesson 04's checks: the reference answers pass, typical wrong states fail with their message."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError
from check_helpers import (
    PARTNER,
    SELLER,
    fails,
    image_of_an_instance,
    launch,
    passes,
    snapshots_of,
)

LESSON = "04-sharing"


def share(lab, **grantee: str) -> None:
    """A launch permission on orders-app-v3 (for the partner unless another grantee is named)."""
    lab.client("ec2").modify_image_attribute(
        ImageId=lab.ids["app_image"], LaunchPermission={"Add": [grantee or {"UserId": PARTNER}]}
    )


def app_snapshots(lab) -> list[str]:
    return snapshots_of(lab, lab.ids["app_image"])


def grant_volume(lab, snapshot_id: str, **who: list[str]) -> None:
    lab.client("ec2").modify_snapshot_attribute(
        SnapshotId=snapshot_id,
        Attribute="createVolumePermission",
        OperationType="add",
        **(who or {"UserIds": [PARTNER]}),
    )


def share_for_copying(lab) -> None:
    """The reference answer to Exercise 4.3: the image and both of its snapshots."""
    share(lab)
    for snapshot in app_snapshots(lab):
        grant_volume(lab, snapshot)


class TestLaunchOnly:
    def test_reference_answer_passes(self, lab):
        """A launch permission for the partner's account ID and no snapshot permission passes."""
        share(lab)
        passes("sharing-launch-only", lab.sandbox)

    def test_not_shared(self, lab):
        """An image still private fails, saying it is shared with nobody."""
        assert fails("sharing-launch-only", lab.sandbox).message == (
            f"orders-app-v3 ({lab.ids['app_image']}) is shared with nobody yet: it is still private"
        )

    def test_shared_with_the_seller(self, lab):
        """Sharing with the wrong account fails, naming who it is shared with."""
        share(lab, UserId=SELLER)
        assert fails("sharing-launch-only", lab.sandbox).message == (
            f"orders-app-v3 ({lab.ids['app_image']}) is shared with 333333333333 (the seller), "
            "not with the partner account 222222222222"
        )

    def test_copying_allowed_too(self, lab):
        """Also giving create volume permission fails: the partner could copy it."""
        share(lab)
        root = app_snapshots(lab)[0]
        grant_volume(lab, root)
        assert fails("sharing-launch-only", lab.sandbox).message == (
            f"the partner can launch {lab.ids['app_image']}, but it can also copy it: it may "
            f"create volumes from {root}"
        )


class TestPublicBlocked:
    def try_public(self, lab) -> ClientError:
        with pytest.raises(ClientError) as caught:
            share(lab, Group="all")
        return caught.value

    def test_reference_answer_passes(self, lab):
        """The code of the error AWS answers, with the image still private, passes."""
        code = self.try_public(lab).response["Error"]["Code"]
        assert code == "OperationNotPermitted"
        passes("sharing-public-blocked", lab.sandbox, error_code=code)

    def test_whole_error(self, lab):
        """Passing the exception itself fails, asking for its code."""
        error = self.try_public(lab)
        assert fails("sharing-public-blocked", lab.sandbox, error_code=error).message == (
            "expected the error code, a short string, but found the whole error (ClientError)"
        )

    def test_message_instead_of_code(self, lab):
        """Passing the error's message fails, telling message and code apart."""
        message = self.try_public(lab).response["Error"]["Message"]
        assert fails("sharing-public-blocked", lab.sandbox, error_code=message).message == (
            "that is the error's message; the code is its short name, such as "
            "'InvalidAMIID.NotFound'"
        )

    def test_made_public_after_all(self, lab):
        """Turning block public access off and publishing the image fails: it is public."""
        lab.client("ec2").disable_image_block_public_access()
        share(lab, Group="all")
        result = fails("sharing-public-blocked", lab.sandbox, error_code="OperationNotPermitted")
        assert result.message == (
            f"orders-app-v3 ({lab.ids['app_image']}) is public: every AWS account can find and "
            "launch it"
        )

    def test_block_public_access_left_off(self, lab):
        """The right code with block public access left off fails, asking to turn it on."""
        lab.client("ec2").disable_image_block_public_access()
        result = fails("sharing-public-blocked", lab.sandbox, error_code="OperationNotPermitted")
        assert result.message == (
            "block public access for AMIs is unblocked in us-east-1: the next image made public "
            "by mistake would really go public"
        )


class TestCreateVolume:
    def test_reference_answer_passes(self, lab):
        """Launch permission and create volume permission on both snapshots passes."""
        share_for_copying(lab)
        passes("sharing-create-volume", lab.sandbox)

    def test_reference_answer_lets_the_partner_copy(self, lab):
        """With the reference answer the partner's copy_image succeeds and the copy is its own."""
        share_for_copying(lab)
        partner = lab.client("ec2", account="partner")
        copy = partner.copy_image(
            SourceImageId=lab.ids["app_image"], SourceRegion="us-east-1", Name="orders-copy"
        )["ImageId"]
        assert partner.describe_images(ImageIds=[copy])["Images"][0]["OwnerId"] == PARTNER

    def test_nothing_granted(self, lab):
        """No create volume permission fails, naming both snapshots."""
        share(lab)
        root, data = app_snapshots(lab)
        assert fails("sharing-create-volume", lab.sandbox).message == (
            f"the partner 222222222222 has no create volume permission on orders-app-v3's "
            f"snapshots ({root}, {data}), so it cannot copy the image"
        )

    def test_only_the_root_snapshot(self, lab):
        """Granting only one of the two snapshots fails, naming the one left out."""
        share(lab)
        root, data = app_snapshots(lab)
        grant_volume(lab, root)
        assert fails("sharing-create-volume", lab.sandbox).message == (
            f"the partner may create volumes from {root} but not from {data}: copying "
            f"{lab.ids['app_image']} needs every one of its 2 snapshots"
        )

    def test_public_snapshot(self, lab):
        """A snapshot shared with everyone fails: anyone could read it."""
        share(lab)
        root, _data = app_snapshots(lab)
        grant_volume(lab, root, GroupNames=["all"])
        assert fails("sharing-create-volume", lab.sandbox).message == (
            f"{root} is public: any AWS account can create volumes from it and read your data"
        )

    def test_snapshots_without_the_image(self, lab):
        """Snapshots granted but the image not shared fails: the partner cannot find it."""
        for snapshot in app_snapshots(lab):
            grant_volume(lab, snapshot)
        assert fails("sharing-create-volume", lab.sandbox).message == (
            f"the partner may read every snapshot of {lab.ids['app_image']}, but the image "
            "itself is not shared with it, so it cannot find the image to copy it"
        )


class TestMakeYourOwn:
    def test_reference_answer_passes(self, lab):
        """Launching the partner's image and creating an image from the instance passes."""
        image_of_an_instance(lab, lab.ids["partner_image"], "my-tools-v2")
        passes("sharing-make-your-own", lab.sandbox)

    def test_copy_is_refused(self, lab):
        """The direct copy the exercise rules out is refused by the sandbox (R14)."""
        with pytest.raises(ClientError) as caught:
            lab.client("ec2").copy_image(
                SourceImageId=lab.ids["partner_image"], SourceRegion="us-east-1", Name="tools"
            )
        assert caught.value.response["Error"]["Code"] == "InvalidRequest"

    def test_nothing_done(self, lab):
        """With no image of your own yet, the check says so."""
        assert fails("sharing-make-your-own", lab.sandbox).message == (
            f"you own no image made from partner-tools-v2 ({lab.ids['partner_image']}) yet"
        )

    def test_launched_but_no_image(self, lab):
        """An instance launched but no image created fails, naming the next step."""
        instance = launch(lab, lab.ids["partner_image"])
        assert fails("sharing-make-your-own", lab.sandbox).message == (
            f"you launched {instance} from partner-tools-v2 ({lab.ids['partner_image']}); now "
            "create an image from that instance"
        )

    def test_image_of_the_wrong_instance(self, lab):
        """An image made from an instance of another image fails, naming its source."""
        instance, image = image_of_an_instance(lab, lab.ids["web_image"], "not-tools")
        assert fails("sharing-make-your-own", lab.sandbox).message == (
            f"{image} was created from {instance}, an instance of {lab.ids['web_image']}, not "
            f"of partner-tools-v2 ({lab.ids['partner_image']})"
        )
