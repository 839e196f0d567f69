"""Lesson 04's checks: the reference answers pass, typical wrong states fail with their message."""

from __future__ import annotations

import re

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

from labkit.accounts import ORGANIZATION_ARN, ORGANIZATIONAL_UNITS
from labkit.checks import get_exercise, run_check
from labkit.scenarios import CUSTOMER_ACCOUNT as CUSTOMER

LESSON = "04-sharing"
PARTNERS_OU = str(ORGANIZATIONAL_UNITS["partners"]["arn"])


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


def partner_copy(lab) -> str:
    """The partner's copy of orders-app-v3 (its CopyImage, which the sandbox may refuse)."""
    return lab.client("ec2", account="partner").copy_image(
        SourceImageId=lab.ids["app_image"], SourceRegion="us-east-1", Name="orders-copy"
    )["ImageId"]


def follow(lab, hint: str) -> None:
    """Run the call a tip ends with (from its ``modify_…(`` or ``create_image(``), as a
    learner would in a new cell, with the notebook's ec2 client."""
    starts = [hint.find(c) for c in ("modify_", "create_image(") if c in hint]
    code = hint[min(starts) :]
    exec("ec2." + code, {"lab": lab, "ec2": lab.client("ec2")})


EXERCISES = (
    "sharing-launch-only",
    "sharing-public-blocked",
    "sharing-create-volume",
    "sharing-make-your-own",
    "sharing-with-ou",
    "sharing-take-back",
)


def try_call(call, **params) -> None:
    """The lesson's helper: one call; a refusal is printed, not raised."""
    try:
        call(**params)
    except ClientError as error:
        print(error.response["Error"]["Code"], "-", error.response["Error"]["Message"])


def share_web(lab, *grantees: dict) -> None:
    """Launch permissions on web-server-v1 (exercise 4.5's image)."""
    lab.client("ec2").modify_image_attribute(
        ImageId=lab.ids["web_image"], LaunchPermission={"Add": list(grantees)}
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
        """Create volume permission on one snapshot fails: the partner can read that disk (it
        cannot copy the image yet, and the message does not say it can)."""
        share(lab)
        root = app_snapshots(lab)[0]
        grant_volume(lab, root)
        result = fails("sharing-launch-only", lab.sandbox)
        assert result.message == (
            f"the partner can launch {lab.ids['app_image']}, and it may also create volumes from "
            f"{root}, so it can read everything on that disk: this exercise shares for "
            "launching only"
        )
        with pytest.raises(ClientError):
            partner_copy(lab)

    def test_also_shared_with_the_seller(self, lab):
        """The partner and the seller: fails, naming the seller as too much, with the removal."""
        share(lab)
        share(lab, UserId=SELLER)
        result = fails("sharing-launch-only", lab.sandbox)
        assert result.message == (
            f"orders-app-v3 ({lab.ids['app_image']}) is shared with the partner, but also with "
            "333333333333 (the seller): more accounts can launch it than the exercise asks"
        )
        assert result.hint == (
            "take back the launch permissions that are not the partner's account ID, as in "
            "*Take a share back*"
        )

    def test_also_shared_with_the_organization(self, lab):
        """The partner and the whole organization: fails, naming the organization."""
        share(lab)
        share(lab, OrganizationArn=ORGANIZATION_ARN)
        assert fails("sharing-launch-only", lab.sandbox).message == (
            f"orders-app-v3 ({lab.ids['app_image']}) is shared with the partner, but also with "
            f"the organization {ORGANIZATION_ARN} (every account in it, now or later): more "
            "accounts can launch it than the exercise asks"
        )

    def test_also_shared_with_an_ou(self, lab):
        """The partner and the partners' OU: fails, naming the OU."""
        share(lab)
        share(lab, OrganizationalUnitArn=PARTNERS_OU)
        assert (
            "but also with the OU " + PARTNERS_OU
            in fails("sharing-launch-only", lab.sandbox).message
        )

    def test_also_public(self, lab):
        """The partner and everyone (block public access switched off): fails, it is public."""
        lab.client("ec2").disable_image_block_public_access()
        share(lab)
        share(lab, Group="all")
        assert fails("sharing-launch-only", lab.sandbox).message == (
            f"orders-app-v3 ({lab.ids['app_image']}) is public: every AWS account can find and "
            "launch it"
        )

    def test_only_through_the_ou(self, lab):
        """Shared through the partners' OU alone: the partner can launch it (the check says so,
        as the sandbox does), but not by its account ID, and the OU reaches further."""
        share(lab, OrganizationalUnitArn=PARTNERS_OU)
        lab.client("ec2", account="partner").describe_images(ImageIds=[lab.ids["app_image"]])
        result = fails("sharing-launch-only", lab.sandbox)
        assert result.message == (
            f"the partner can launch orders-app-v3 ({lab.ids['app_image']}), but only through "
            f"the OU {PARTNERS_OU} (every account in it, now or later): share it with the "
            "partner's account ID, and with nobody else"
        )
        assert result.hint == (
            "which grantee names one account? See *Share with one account*; then take back the "
            "others, as in *Take a share back*"
        )

    def test_snapshot_readable_by_the_seller(self, lab):
        """Create volume permission for the seller: fails, the seller can read the disk."""
        share(lab)
        root = app_snapshots(lab)[0]
        grant_volume(lab, root, UserIds=[SELLER])
        assert fails("sharing-launch-only", lab.sandbox).message == (
            f"333333333333 (the seller) may also create volumes from {root}, and so read your "
            "data: only the partner should"
        )

    def test_still_passes_after_exercise_4_3(self, lab):
        """Exercise 4.3 does not undo 4.1: with 4.3's permission the check still passes, and
        says the partner can now copy the image (which the sandbox confirms)."""
        share_for_copying(lab)
        result = passes("sharing-launch-only", lab.sandbox)
        assert result.message.endswith(
            "It may also create volumes from every snapshot, so it can copy the image too: that "
            "is exercise 4.3's create volume permission, checked there."
        )
        partner_copy(lab)


class TestPublicBlocked:
    """Exercise 4.2: asked to publish orders-app-v3 for a customer, the learner reads AWS's
    refusal and shares it with the customer's account instead (launch only)."""

    def try_public(self, lab) -> ClientError:
        with pytest.raises(ClientError) as caught:
            share(lab, Group="all")
        return caught.value

    def test_reference_answer_passes(self, lab):
        """The refusal read, then a launch permission for the customer's account: passes."""
        assert self.try_public(lab).response["Error"]["Code"] == "OperationNotPermitted"
        share(lab, UserId=CUSTOMER)
        result = passes("sharing-public-blocked", lab.sandbox)
        assert result.message.startswith(
            f"orders-app-v3 ({lab.ids['app_image']}) is not public, block public access is still on"
        )

    def test_the_registered_solution_passes(self, lab):
        """The solution lab.hint shows, run as given with the lesson's try_call, passes."""
        names = {"lab": lab, "ec2": lab.client("ec2"), "try_call": try_call}
        exec(get_exercise("sharing-public-blocked").solution, names)
        passes("sharing-public-blocked", lab.sandbox)

    def test_exercise_4_1_alone_does_not_pass(self, lab):
        """The partner's share (exercise 4.1's answer) does not reach the customer: 4.2 is a
        decision of its own, not passed for free once 4.1 is done."""
        share(lab)
        passes("sharing-launch-only", lab.sandbox)
        result = fails("sharing-public-blocked", lab.sandbox)
        assert result.message == (
            f"orders-app-v3 ({lab.ids['app_image']}) is shared with the partner 222222222222 "
            "(exercise 4.1), but the customer, in its own account 444455556666, cannot try it: "
            "the partner's share does not reach the customer's account"
        )
        assert not CALL.search(result.hint)

    def test_the_account_id_as_the_customer_wrote_it(self, lab):
        """The ID with its dashes is refused by AWS (its own error), and nothing is shared."""
        with pytest.raises(ClientError) as caught:
            share(lab, UserId="4444-5555-6666")
        assert caught.value.response["Error"] == {
            "Code": "InvalidAMIAttributeItemValue",
            "Message": 'Invalid attribute item value "4444-5555-6666" for userId item type.',
        }
        assert fails("sharing-public-blocked", lab.sandbox).message == (
            f"orders-app-v3 ({lab.ids['app_image']}) is private: the customer, in its own "
            "account 444455556666, cannot try it"
        )

    def test_refused_and_nothing_else(self, lab):
        """Only the refusal read: the customer still cannot try the image, so it fails."""
        self.try_public(lab)
        result = fails("sharing-public-blocked", lab.sandbox)
        assert result.message == (
            f"orders-app-v3 ({lab.ids['app_image']}) is private: the customer, in its own "
            "account 444455556666, cannot try it"
        )
        assert not CALL.search(result.hint)

    def test_made_public_after_all(self, lab):
        """Turning block public access off and publishing the image fails: it is public."""
        lab.client("ec2").disable_image_block_public_access()
        share(lab, Group="all")
        share(lab, UserId=CUSTOMER)
        result = fails("sharing-public-blocked", lab.sandbox)
        assert result.message == (
            f"orders-app-v3 ({lab.ids['app_image']}) is public: every AWS account can find and "
            "launch it"
        )
        assert not CALL.search(result.hint)

    def test_block_public_access_left_off(self, lab):
        """Shared with the customer, but block public access left off: fails, naming the switch."""
        lab.client("ec2").disable_image_block_public_access()
        share(lab, UserId=CUSTOMER)
        result = fails("sharing-public-blocked", lab.sandbox)
        assert result.message == (
            "block public access for AMIs is unblocked in us-east-1: the next image made public "
            "by mistake would really go public"
        )
        assert not CALL.search(result.hint)

    def test_switched_back_on_after_publishing(self, lab):
        """Published, then the switch back on: still public (the switch does not unpublish)."""
        ec2 = lab.client("ec2")
        ec2.disable_image_block_public_access()
        share(lab, Group="all")
        ec2.enable_image_block_public_access(ImageBlockPublicAccessState="block-new-sharing")
        share(lab, UserId=CUSTOMER)
        assert fails("sharing-public-blocked", lab.sandbox).message.endswith(
            "is public: every AWS account can find and launch it"
        )

    def test_shared_with_the_whole_organization(self, lab):
        """The organization instead of the customer: fails, the customer is not in it."""
        share(lab, OrganizationArn=ORGANIZATION_ARN)
        result = fails("sharing-public-blocked", lab.sandbox)
        assert result.message == (
            f"orders-app-v3 ({lab.ids['app_image']}) is shared with the organization "
            f"{ORGANIZATION_ARN} (every account in it, now or later), but the customer, in its "
            "own account 444455556666, cannot try it"
        )
        assert not CALL.search(result.hint)

    def test_shared_with_the_seller(self, lab):
        """Another account instead of the customer's: fails, naming who it is shared with."""
        share(lab, UserId=SELLER)
        assert fails("sharing-public-blocked", lab.sandbox).message == (
            f"orders-app-v3 ({lab.ids['app_image']}) is shared with 333333333333 (the seller), "
            "but the customer, in its own account 444455556666, cannot try it"
        )

    def test_customer_and_more(self, lab):
        """The customer and the seller: wider than needed, fails naming the seller."""
        share(lab, UserId=CUSTOMER)
        share(lab, UserId=SELLER)
        result = fails("sharing-public-blocked", lab.sandbox)
        assert result.message == (
            f"orders-app-v3 ({lab.ids['app_image']}) is shared with the customer, but also with "
            "333333333333 (the seller): wider than the customer needs"
        )
        assert not CALL.search(result.hint)

    def test_customer_may_copy(self, lab):
        """Create volume permission for the customer on a snapshot: fails, trying needs launching
        only (the editor's snapshot box ticked, say)."""
        share(lab, UserId=CUSTOMER)
        root = app_snapshots(lab)[0]
        grant_volume(lab, root, UserIds=[CUSTOMER])
        result = fails("sharing-public-blocked", lab.sandbox)
        assert result.message == (
            f"the customer 444455556666 may also create volumes from {root}, so it can read "
            "everything on that disk: trying the image needs launching only"
        )
        assert not CALL.search(result.hint)

    def test_partner_share_left_alone(self, lab):
        """Exercises 4.1 and 4.3 done as well: 4.2 judges the customer's share only, and passes."""
        share_for_copying(lab)
        share(lab, UserId=CUSTOMER)
        passes("sharing-public-blocked", lab.sandbox)

    def test_takes_no_answer_variable(self, lab):
        """The check judges the sandbox only: an error code passed in is refused, not read."""
        share(lab, UserId=CUSTOMER)
        result = run_check(
            "sharing-public-blocked", lab.sandbox, error_code="OperationNotPermitted"
        )
        assert not result.passed
        assert result.message.startswith("this check does not take error_code")


class TestCustomerShareUndoesNothing:
    """Exercise 4.2 adds the customer to orders-app-v3's launch permissions: 4.1 and 4.3, on the
    same image, judge their own grantee (the partner) and still pass, and say so."""

    def test_launch_only_still_passes(self, lab):
        share(lab)
        share(lab, UserId=CUSTOMER)
        result = passes("sharing-launch-only", lab.sandbox)
        assert result.message.endswith(
            "The customer 444455556666 may launch it too: that is exercise 4.2's share, checked "
            "there."
        )

    def test_create_volume_still_passes(self, lab):
        share_for_copying(lab)
        share(lab, UserId=CUSTOMER)
        passes("sharing-create-volume", lab.sandbox)

    def test_customer_alone_is_not_the_partner(self, lab):
        """4.2 done, 4.1 not: 4.1 fails, naming the customer's share, not 'shared with nobody'."""
        share(lab, UserId=CUSTOMER)
        assert fails("sharing-launch-only", lab.sandbox).message == (
            f"orders-app-v3 ({lab.ids['app_image']}) is shared with 444455556666 (the customer), "
            "not with the partner account 222222222222"
        )

    def test_customer_may_not_read_snapshots_in_4_1(self, lab):
        """The customer's share is tolerated, its create volume permission is not."""
        share(lab)
        share(lab, UserId=CUSTOMER)
        root = app_snapshots(lab)[0]
        grant_volume(lab, root, UserIds=[CUSTOMER])
        assert fails("sharing-launch-only", lab.sandbox).message == (
            f"444455556666 may also create volumes from {root}, and so read your data: only the "
            "partner should"
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

    def test_seller_may_create_volumes_too(self, lab):
        """4.3's answer plus create volume permission for the seller: fails, naming the seller."""
        share_for_copying(lab)
        root, _data = app_snapshots(lab)
        grant_volume(lab, root, UserIds=[SELLER])
        result = fails("sharing-create-volume", lab.sandbox)
        assert result.message == (
            f"333333333333 (the seller) may also create volumes from {root}, and so read your "
            "data: only the partner should"
        )
        assert result.hint == f"take that permission back on {root} (the 'remove' operation)"

    def test_image_also_shared_with_the_seller(self, lab):
        """4.3's answer with the image also shared with the seller: fails, naming the seller."""
        share_for_copying(lab)
        share(lab, UserId=SELLER)
        assert fails("sharing-create-volume", lab.sandbox).message == (
            f"the partner can copy orders-app-v3 ({lab.ids['app_image']}), but the image is also "
            "shared with 333333333333 (the seller): more accounts can launch it than the partner"
        )

    def test_image_shared_through_the_ou(self, lab):
        """Every snapshot granted and the image shared through the partners' OU: the partner's
        copy_image succeeds, and the check says it can copy (never that it cannot find the
        image), then names the OU as reaching further than the partner."""
        lab.client("ec2").modify_image_attribute(
            ImageId=lab.ids["app_image"],
            LaunchPermission={"Add": [{"OrganizationalUnitArn": PARTNERS_OU}]},
        )
        for snapshot in app_snapshots(lab):
            grant_volume(lab, snapshot)
        result = fails("sharing-create-volume", lab.sandbox)
        assert result.message == (
            f"the partner can copy orders-app-v3 ({lab.ids['app_image']}), but the image is also "
            f"shared with the OU {PARTNERS_OU} (every account in it, now or later): more "
            "accounts can launch it than the partner"
        )
        assert "cannot find" not in result.message
        partner_copy(lab)

    def test_image_public(self, lab):
        """Every snapshot granted and the image public (block public access off): the partner
        can find it, and the check says the image is public."""
        lab.client("ec2").disable_image_block_public_access()
        share(lab, Group="all")
        for snapshot in app_snapshots(lab):
            grant_volume(lab, snapshot)
        assert fails("sharing-create-volume", lab.sandbox).message == (
            f"orders-app-v3 ({lab.ids['app_image']}) is public: every AWS account can find and "
            "launch it"
        )

    def test_image_shared_with_the_organization(self, lab):
        """Every snapshot granted and the image shared with the organization: the partner can
        copy, and the check names the organization as reaching further."""
        share(lab, OrganizationArn=ORGANIZATION_ARN)
        for snapshot in app_snapshots(lab):
            grant_volume(lab, snapshot)
        assert fails("sharing-create-volume", lab.sandbox).message == (
            f"the partner can copy orders-app-v3 ({lab.ids['app_image']}), but the image is also "
            f"shared with the organization {ORGANIZATION_ARN} (every account in it, now or "
            "later): more accounts can launch it than the partner"
        )
        partner_copy(lab)

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

    def test_launched_but_terminated(self, lab):
        """The only instance from the partner's image is terminated: the check says so and
        does not suggest create_image on it (the sandbox refuses that); its tip works."""
        ec2 = lab.client("ec2")
        instance = launch(lab, lab.ids["partner_image"])
        ec2.terminate_instances(InstanceIds=[instance])
        result = fails("sharing-make-your-own", lab.sandbox)
        assert result.message == (
            f"you launched {instance} from partner-tools-v2 ({lab.ids['partner_image']}), but "
            "it is terminated: an image can only be created from a running or stopped instance"
        )
        assert instance not in result.hint
        with pytest.raises(ClientError) as refused:
            ec2.create_image(InstanceId=instance, Name="my-tools-v2")
        assert refused.value.response["Error"]["Code"] == "IncorrectInstanceState"
        image_of_an_instance(lab, lab.ids["partner_image"], "my-tools-v2")
        passes("sharing-make-your-own", lab.sandbox)

    def test_terminated_and_running(self, lab):
        """One terminated and one running instance: the tip names the running one."""
        ec2 = lab.client("ec2")
        gone = launch(lab, lab.ids["partner_image"])
        ec2.terminate_instances(InstanceIds=[gone])
        running = launch(lab, lab.ids["partner_image"])
        assert fails("sharing-make-your-own", lab.sandbox).hint == (
            f"create an image from {running}, as lesson 2 does from its builder"
        )

    def test_image_of_the_wrong_instance(self, lab):
        """An image made from an instance of another image fails, naming its source."""
        instance, image = image_of_an_instance(lab, lab.ids["web_image"], "not-tools")
        assert fails("sharing-make-your-own", lab.sandbox).message == (
            f"{image} was created from {instance}, an instance of {lab.ids['web_image']}, not "
            f"of partner-tools-v2 ({lab.ids['partner_image']})"
        )


class TestWithOu:
    OU = {"OrganizationalUnitArn": PARTNERS_OU}

    def test_reference_answer_passes(self, lab):
        """The partners OU alone passes: the partner launches through it, by the sandbox's rules."""
        exec(
            get_exercise("sharing-with-ou").solution,
            {"lab": lab, "ec2": lab.client("ec2"), "partners_ou": PARTNERS_OU},
        )
        assert (
            "any account that joins the OU later" in passes("sharing-with-ou", lab.sandbox).message
        )

    def test_not_shared(self, lab):
        result = fails("sharing-with-ou", lab.sandbox)
        assert (
            result.message
            == f"web-server-v1 ({lab.ids['web_image']}) is shared with nobody: it is private"
        )

    def test_by_account_id_only(self, lab):
        """The partner's account ID is not the OU: a later member could not launch."""
        share_web(lab, {"UserId": PARTNER})
        result = fails("sharing-with-ou", lab.sandbox)
        assert result.message == (
            f"web-server-v1 ({lab.ids['web_image']}) is shared with {PARTNER} (the partner), but "
            f"not with the OU {PARTNERS_OU}: an account that joins the OU later could not launch it"
        )

    def test_whole_organization(self, lab):
        """The organization reaches further than the OU."""
        share_web(lab, {"OrganizationArn": ORGANIZATION_ARN})
        assert fails("sharing-with-ou", lab.sandbox).message.endswith(
            "every account in it may launch it, not only the partners OU's"
        )

    def test_ou_and_the_seller(self, lab):
        """The OU plus another account is more than asked, and names the extra."""
        share_web(lab, self.OU, {"UserId": SELLER})
        assert fails("sharing-with-ou", lab.sandbox).message == (
            f"web-server-v1 ({lab.ids['web_image']}) is shared with the partners OU, and also with "
            f"{SELLER} (the seller): more than the exercise asks"
        )

    def test_public(self, lab):
        lab.client("ec2").disable_image_block_public_access()
        share_web(lab, self.OU, {"Group": "all"})
        assert "is public" in fails("sharing-with-ou", lab.sandbox).message

    def test_tips_give_no_code(self, lab):
        """A ❌ says where to look, never the call that fixes it."""
        for grantees in ([], [{"UserId": PARTNER}], [{"OrganizationArn": ORGANIZATION_ARN}]):
            if grantees:
                share_web(lab, *grantees)
            assert "(" not in fails("sharing-with-ou", lab.sandbox).hint.replace(
                "(partners_ou)", ""
            )


class TestWholeLesson:
    def test_every_check_passes_after_the_last_exercise(self, lab):
        """The six solutions, in order, then every check of the lesson again: all ✅ (no
        exercise undoes another)."""
        names = {"lab": lab, "ec2": lab.client("ec2"), "partners_ou": PARTNERS_OU}
        names["try_call"] = try_call
        for exercise in EXERCISES:
            exec(get_exercise(exercise).solution, names)
        for exercise in EXERCISES:
            result = run_check(exercise, lab.sandbox)
            assert result.passed, f"{exercise}: {result.message}"


#: A call written out in a tip: a name followed by "(".
CALL = re.compile(r"[A-Za-z_]\w*\(")


class TestTipsPointNotTell:
    """A ❌ says what is wrong and where to look, never the call that fixes it (issue 18); the
    worked call is the last hint of lab.hint's ladder."""

    def test_launch_only_with_the_seller_too(self, lab):
        share(lab)
        share(lab, UserId=SELLER)
        assert not CALL.search(fails("sharing-launch-only", lab.sandbox).hint)

    def test_create_volume_with_the_seller_too(self, lab):
        share_for_copying(lab)
        grant_volume(lab, app_snapshots(lab)[0], UserIds=[SELLER])
        assert not CALL.search(fails("sharing-create-volume", lab.sandbox).hint)

    def test_create_volume_through_the_ou(self, lab):
        share(lab, OrganizationalUnitArn=PARTNERS_OU)
        for snapshot in app_snapshots(lab):
            grant_volume(lab, snapshot)
        assert not CALL.search(fails("sharing-create-volume", lab.sandbox).hint)

    def test_nothing_granted(self, lab):
        share(lab)
        assert not CALL.search(fails("sharing-create-volume", lab.sandbox).hint)

    def test_make_your_own_with_a_running_instance(self, lab):
        launch(lab, lab.ids["partner_image"])
        assert not CALL.search(fails("sharing-make-your-own", lab.sandbox).hint)

    def test_public_snapshot(self, lab):
        share(lab)
        grant_volume(lab, app_snapshots(lab)[0], GroupNames=["all"])
        assert not CALL.search(fails("sharing-launch-only", lab.sandbox).hint)

    def test_the_ladder_ends_with_the_call(self):
        """The call is not lost: the last hint of each ladder shows it."""
        for exercise in EXERCISES:
            assert CALL.search(get_exercise(exercise).hints[-1]), exercise
