"""Lesson 06's checks: the reference answers pass, typical wrong states fail with their message."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError
from check_helpers import fails, image_of_an_instance, launch, passes

from labkit.scenarios import SELLER_PRODUCT_CODE

LESSON = "06-marketplace-and-trust"


def answers(lab, choice: str, first: str = "owner", third: str = "deprecated") -> dict:
    """The choose-image check's answers: the candidate chosen, and why the other two are not."""
    return {
        "image_id": lab.ids[choice],
        "reasons": {lab.ids["candidate_1"]: first, lab.ids["candidate_3"]: third},
    }


class TestChooseImage:
    def test_reference_answer_passes(self, lab):
        """Amazon's current image, with the stranger rejected for its owner and the old one for
        its deprecation, passes."""
        passes("trust-choose-image", lab.sandbox, **answers(lab, "candidate_2"))

    def test_reasons_in_own_words_pass(self, lab):
        """Reasons in a learner's own words pass when they name the problem."""
        mine = answers(
            lab, "candidate_2", "unknown account, no alias", "it is deprecated since February"
        )
        passes("trust-choose-image", lab.sandbox, **mine)

    def test_the_newest_lookalike(self, lab):
        """Choosing the newest image, a stranger's look-alike, fails on its owner."""
        result = fails("trust-choose-image", lab.sandbox, **answers(lab, "candidate_1"))
        assert result.message == (
            f"{lab.ids['candidate_1']} is the newest of the three and named like Amazon Linux, "
            "but its owner is 444455556666, an account with no verified alias: anyone can give "
            "an image any name"
        )

    def test_the_deprecated_release(self, lab):
        """Choosing Amazon's deprecated release fails on its deprecation."""
        result = fails("trust-choose-image", lab.sandbox, **answers(lab, "candidate_3"))
        assert result.message == (
            f"{lab.ids['candidate_3']} is Amazon's own, but it was deprecated on 2025-02-20: "
            "Amazon has replaced it with a newer release, and it gets no more fixes"
        )

    def test_reasons_swapped(self, lab):
        """Calling the look-alike deprecated fails, explaining what is wrong with it."""
        swapped = answers(lab, "candidate_2", "deprecated", "owner")
        assert fails("trust-choose-image", lab.sandbox, **swapped).message == (
            f"the reason you gave for {lab.ids['candidate_1']}, 'deprecated', is not what is "
            "wrong with it: its owner 444455556666 has no verified alias (it is not deprecated: "
            "it is the newest of the three)"
        )

    def test_a_reason_missing(self, lab):
        """Leaving out the reason for one rejected image fails, naming it."""
        one_reason = dict(answers(lab, "candidate_2"), reasons={lab.ids["candidate_1"]: "owner"})
        assert fails("trust-choose-image", lab.sandbox, **one_reason).message == (
            f"my_reasons says nothing about {lab.ids['candidate_3']}; say why you rejected it"
        )

    def test_not_a_candidate(self, lab):
        """An image outside the three candidates fails."""
        result = fails("trust-choose-image", lab.sandbox, **answers(lab, "marketplace_image"))
        assert result.message == (
            f"{lab.ids['marketplace_image']} is not one of the three candidates"
        )


class TestLaunchAndCreateImage:
    def test_reference_answer_passes(self, lab):
        """Launching the seller's image and creating an image from the instance passes."""
        _instance, image = image_of_an_instance(lab, lab.ids["seller_image"], "my-analytics-v5")
        passes("marketplace-launch-and-create-image", lab.sandbox)
        described = lab.client("ec2").describe_images(ImageIds=[image])["Images"][0]
        assert described["ProductCodes"][0]["ProductCodeId"] == SELLER_PRODUCT_CODE

    def test_copy_is_refused(self, lab):
        """The copy the exercise rules out is refused, even with create volume permission (R22)."""
        with pytest.raises(ClientError) as caught:
            lab.client("ec2").copy_image(
                SourceImageId=lab.ids["seller_image"], SourceRegion="us-east-1", Name="copy"
            )
        assert caught.value.response["Error"]["Code"] == "InvalidRequest"

    def test_nothing_done(self, lab):
        """With no image of your own yet, the check says so."""
        assert fails("marketplace-launch-and-create-image", lab.sandbox).message == (
            f"you own no image made from the seller's northwind-analytics-v5 "
            f"({lab.ids['seller_image']}) yet"
        )

    def test_launched_but_no_image(self, lab):
        """An instance launched but no image created fails, naming the next step."""
        instance = launch(lab, lab.ids["seller_image"])
        assert fails("marketplace-launch-and-create-image", lab.sandbox).message == (
            f"you launched {instance} from northwind-analytics-v5 ({lab.ids['seller_image']}); "
            "now create an image from that instance"
        )

    def test_launched_but_terminated(self, lab):
        """The only instance of the seller's image is terminated: the check says so, and its tip
        does not suggest create_image on it (the sandbox refuses that)."""
        ec2 = lab.client("ec2")
        instance = launch(lab, lab.ids["seller_image"])
        ec2.terminate_instances(InstanceIds=[instance])
        result = fails("marketplace-launch-and-create-image", lab.sandbox)
        assert result.message == (
            f"you launched {instance} from northwind-analytics-v5 ({lab.ids['seller_image']}), "
            "but it is terminated: an image can only be created from a running or stopped "
            "instance"
        )
        assert instance not in result.hint
        with pytest.raises(ClientError) as refused:
            ec2.create_image(InstanceId=instance, Name="my-analytics-v5")
        assert refused.value.response["Error"]["Code"] == "IncorrectInstanceState"

    def test_image_of_the_wrong_instance(self, lab):
        """An image made from an instance of Amazon Linux fails, naming its source."""
        instance, image = image_of_an_instance(lab, lab.ids["candidate_2"], "plain-al2023")
        assert fails("marketplace-launch-and-create-image", lab.sandbox).message == (
            f"{image} was created from {instance}, an instance of "
            f"{lab.ids['candidate_2']}, not of the seller's northwind-analytics-v5 "
            f"({lab.ids['seller_image']})"
        )


KINDS = "marketplace-what-it-costs"


def kinds(lab, seller: str = "paid", windows: str = "licence included") -> dict:
    """The what-it-costs check's answers, with the partner as the payer."""
    return {
        "kinds": {
            lab.ids["marketplace_image"]: "paid",
            lab.ids["seller_image"]: seller,
            lab.ids["windows_image"]: windows,
        },
        "payer": "222222222222",
    }


class TestWhatItCosts:
    def test_reference_answer_passes(self, lab):
        """Both product-code images paid, Windows licence included, the partner pays: passes."""
        passes(KINDS, lab.sandbox, **kinds(lab))

    def test_own_words_pass(self, lab):
        """Words that name the kind pass: 'rented (Marketplace product)', 'Windows licence'."""
        passes(KINDS, lab.sandbox, **kinds(lab, "rented: has a product code", "Windows licence"))

    def test_shared_paid_image_called_free(self, lab):
        """The seller's image, shared directly, is still paid: 'free' fails, naming the image
        and what to compare, not the answer."""
        result = fails(KINDS, lab.sandbox, **kinds(lab, seller="free"))
        assert result.message == (
            f"northwind-analytics-v5 ({lab.ids['seller_image']}) is not 'free': look again at "
            "what it carries"
        )
        assert "paid" not in result.hint

    def test_windows_called_paid(self, lab):
        """Windows has no product code: 'paid' fails."""
        result = fails(KINDS, lab.sandbox, **kinds(lab, windows="paid"))
        assert result.message.startswith("Windows_Server-2022-English-Full-Base")

    def test_owner_pays(self, lab):
        """The image's owner (the learner) does not pay for the partner's instances."""
        answers = kinds(lab) | {"payer": "111111111111"}
        assert fails(KINDS, lab.sandbox, **answers).message == (
            "my_payer is '111111111111': that account does not pay the seller when the partner "
            "launches your image"
        )

    def test_not_a_dict(self, lab):
        """Answers left as ... fail with what was expected."""
        assert fails(KINDS, lab.sandbox).message.startswith(
            "expected my_kinds to be a dict from image ID to 'free', 'paid' or 'licence included'"
        )
