"""Lesson 06's checks: the reference answers pass, typical wrong states fail with their message."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from labkit import Lab
from labkit.checks import run_check
from labkit.scenarios import SELLER_PRODUCT_CODE


@pytest.fixture
def lab():
    lab = Lab("06-marketplace-and-trust", quiet=True)
    yield lab
    lab.stop()


def reasons(lab, first: str = "owner", third: str = "deprecated") -> dict[str, str]:
    return {lab.ids["candidate_1"]: first, lab.ids["candidate_3"]: third}


def launch(lab, image_id: str) -> str:
    answer = lab.client("ec2").run_instances(
        ImageId=image_id, InstanceType="t3.micro", MinCount=1, MaxCount=1
    )
    return answer["Instances"][0]["InstanceId"]


class TestChooseImage:
    def check(self, lab, image_id, my_reasons):
        return run_check("trust-choose-image", lab.sandbox, image_id=image_id, reasons=my_reasons)

    def test_reference_answer_passes(self, lab):
        """Amazon's current image, with the stranger rejected for its owner and the old one for
        its deprecation, passes."""
        result = self.check(lab, lab.ids["candidate_2"], reasons(lab))
        assert result.passed, result.message

    def test_reasons_in_own_words_pass(self, lab):
        """Reasons in a learner's own words pass when they name the problem."""
        my_reasons = reasons(lab, "unknown account, no alias", "it is deprecated since February")
        assert self.check(lab, lab.ids["candidate_2"], my_reasons).passed

    def test_the_newest_lookalike(self, lab):
        """Choosing the newest image, a stranger's look-alike, fails on its owner."""
        result = self.check(lab, lab.ids["candidate_1"], reasons(lab))
        assert not result.passed
        assert result.message == (
            f"{lab.ids['candidate_1']} is the newest of the three and named like Amazon Linux, "
            "but its owner is 444455556666, an account with no verified alias: anyone can give "
            "an image any name"
        )

    def test_the_deprecated_release(self, lab):
        """Choosing Amazon's deprecated release fails on its deprecation."""
        result = self.check(lab, lab.ids["candidate_3"], reasons(lab))
        assert not result.passed
        assert result.message == (
            f"{lab.ids['candidate_3']} is Amazon's own, but it was deprecated on 2025-02-20: "
            "Amazon has replaced it with a newer release, and it gets no more fixes"
        )

    def test_reasons_swapped(self, lab):
        """Calling the look-alike deprecated fails, explaining what is wrong with it."""
        result = self.check(lab, lab.ids["candidate_2"], reasons(lab, "deprecated", "owner"))
        assert not result.passed
        assert result.message == (
            f"the reason you gave for {lab.ids['candidate_1']}, 'deprecated', is not what is "
            "wrong with it: its owner 444455556666 has no verified alias (it is not deprecated: "
            "it is the newest of the three)"
        )

    def test_a_reason_missing(self, lab):
        """Leaving out the reason for one rejected image fails, naming it."""
        my_reasons = {lab.ids["candidate_1"]: "owner"}
        result = self.check(lab, lab.ids["candidate_2"], my_reasons)
        assert not result.passed
        assert result.message == (
            f"my_reasons says nothing about {lab.ids['candidate_3']}; say why you rejected it"
        )

    def test_not_a_candidate(self, lab):
        """An image outside the three candidates fails."""
        result = self.check(lab, lab.ids["marketplace_image"], reasons(lab))
        assert not result.passed
        assert result.message == (
            f"{lab.ids['marketplace_image']} is not one of the three candidates"
        )


class TestLaunchAndCreateImage:
    def test_reference_answer_passes(self, lab):
        """Launching the seller's image and creating an image from the instance passes."""
        instance = launch(lab, lab.ids["seller_image"])
        image = lab.client("ec2").create_image(InstanceId=instance, Name="my-analytics-v5")
        result = run_check("marketplace-launch-and-create-image", lab.sandbox)
        assert result.passed, result.message
        described = lab.client("ec2").describe_images(ImageIds=[image["ImageId"]])["Images"][0]
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
        result = run_check("marketplace-launch-and-create-image", lab.sandbox)
        assert not result.passed
        assert result.message == (
            f"you own no image made from the seller's northwind-analytics-v5 "
            f"({lab.ids['seller_image']}) yet"
        )

    def test_launched_but_no_image(self, lab):
        """An instance launched but no image created fails, naming the next step."""
        instance = launch(lab, lab.ids["seller_image"])
        result = run_check("marketplace-launch-and-create-image", lab.sandbox)
        assert not result.passed
        assert result.message == (
            f"you launched {instance} from northwind-analytics-v5 ({lab.ids['seller_image']}); "
            "now create an image from that instance"
        )

    def test_image_of_the_wrong_instance(self, lab):
        """An image made from an instance of Amazon Linux fails, naming its source."""
        instance = launch(lab, lab.ids["candidate_2"])
        image = lab.client("ec2").create_image(InstanceId=instance, Name="plain-al2023")
        result = run_check("marketplace-launch-and-create-image", lab.sandbox)
        assert not result.passed
        assert result.message == (
            f"{image['ImageId']} was created from {instance}, an instance of "
            f"{lab.ids['candidate_2']}, not of the seller's northwind-analytics-v5 "
            f"({lab.ids['seller_image']})"
        )
