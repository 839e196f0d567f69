"""Lesson 00's checks: the reference answers pass, typical wrong answers fail with their hint."""

from __future__ import annotations

from check_helpers import fails, passes

from labkit.catalog import image_id

EU = "eu-west-1"


def launch(sandbox, region: str, key: str = "al2023-x86_64", kind: str = "t3.micro") -> None:
    sandbox.client("ec2", region=region).run_instances(
        ImageId=image_id(key, region), InstanceType=kind, MinCount=1, MaxCount=1
    )


class TestFindImage:
    def test_reference_answer_passes(self, sandbox):
        """The newest AL2023 x86_64 image in eu-west-1 passes."""
        passes("welcome-find-image", sandbox, image_id=image_id("al2023-x86_64", EU))

    def test_unanswered(self, sandbox):
        """Leaving the answer as ... says so."""
        assert fails("welcome-find-image", sandbox, image_id=...).message == (
            "my_image_id is still ... ; replace it with an image ID such as 'ami-0abc…'"
        )

    def test_id_from_the_wrong_region(self, sandbox):
        """The same image's us-east-1 ID fails, explaining that IDs are per Region."""
        us_east = image_id("al2023-x86_64", "us-east-1")
        result = fails("welcome-find-image", sandbox, image_id=us_east)
        assert result.message == (
            f"{us_east} is the al2023-x86_64 image in us-east-1: image IDs differ from Region to "
            "Region, and this exercise asks for eu-west-1"
        )
        assert result.hint == "make the client with region='eu-west-1'"

    def test_older_release(self, sandbox):
        """The previous release fails: the newest CreationDate was asked for."""
        older = image_id("al2023-x86_64-previous", EU)
        assert fails("welcome-find-image", sandbox, image_id=older).message == (
            f"{older} is the al2023-x86_64-previous image in eu-west-1, not the newest Amazon "
            "Linux 2023 image for x86_64"
        )

    def test_whole_response_instead_of_id(self, sandbox):
        """Passing the whole describe_images answer fails with what was expected."""
        result = fails("welcome-find-image", sandbox, image_id={"Images": []})
        assert result.message.startswith("expected an image ID, a string starting with 'ami-'")


class TestLaunch:
    def test_reference_answer_passes(self, sandbox):
        """One instance from the AL2023 x86_64 image in eu-west-1 passes."""
        launch(sandbox, EU)
        passes("welcome-launch", sandbox)

    def test_nothing_launched(self, sandbox):
        """With no instance, the check says none is running in eu-west-1."""
        assert fails("welcome-launch", sandbox).message == "no instance is running in eu-west-1 yet"

    def test_launched_in_home_region(self, sandbox):
        """An instance in us-east-1 instead fails, naming the Region mix-up."""
        launch(sandbox, "us-east-1")
        assert fails("welcome-launch", sandbox).message == (
            "no instance is running in eu-west-1; the learner account 111111111111 has one in "
            "us-east-1 instead"
        )

    def test_wrong_image(self, sandbox):
        """An instance from the arm64 image fails, naming the image found."""
        launch(sandbox, EU, key="al2023-arm64", kind="t4g.micro")
        message = fails("welcome-launch", sandbox).message
        assert message.startswith("expected an instance launched from the image of Exercise 0.1")
        assert image_id("al2023-x86_64", EU) not in message  # 0.1's answer is not given away
