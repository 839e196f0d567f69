"""Lesson 01's checks: the reference answers pass, typical wrong answers fail with their message."""

from __future__ import annotations

import base64

from check_helpers import fails, launch, passes

from labkit import boot_model
from labkit.catalog import image_id
from labkit.checks import get_exercise
from labkit.scenarios import LOOKALIKE_IMAGES

LESSON = "01-why-amis"
SCRIPT = "#!/bin/bash\ndnf install -y postgresql16-server\nsystemctl enable --now postgresql\n"
WEST = "us-west-2"
EU = "eu-west-1"


def launch_al2023(lab, region: str = "us-east-1", **extra) -> str:
    return launch(lab, image_id("al2023-x86_64", region), region=region, **extra)


class TestUserData:
    def test_reference_answer_passes(self, lab):
        """An instance in us-east-1 whose user data is a script installing PostgreSQL passes."""
        passes("why-user-data", lab.sandbox, instance_id=launch_al2023(lab, UserData=SCRIPT))

    def test_unanswered(self, lab):
        """Leaving the answer as ... says so."""
        assert fails("why-user-data", lab.sandbox, instance_id=...).message == (
            "my_instance_id is still ... ; replace it with the ID of the instance you launched "
            "('i-…')"
        )

    def test_launched_without_user_data(self, lab):
        """An instance launched with no UserData fails: nothing would be installed."""
        instance = launch_al2023(lab)
        assert fails("why-user-data", lab.sandbox, instance_id=instance).message == (
            f"{instance} was launched without user data, so it boots with nothing installed"
        )

    def test_encoded_twice(self, lab):
        """A script base64-encoded by the learner as well as by boto3 fails, naming why."""
        instance = launch_al2023(lab, UserData=base64.b64encode(SCRIPT.encode()).decode())
        result = fails("why-user-data", lab.sandbox, instance_id=instance)
        assert result.message == (
            f"the user data of {instance} is base64 text, not a script: boto3 already encodes "
            "UserData, so it was encoded twice"
        )
        assert result.hint == "pass the script itself, a plain str, as UserData"

    def test_no_shebang_line(self, lab):
        """Commands without a '#!' first line fail: cloud-init would not run them as a script."""
        instance = launch_al2023(lab, UserData="dnf install -y postgresql16-server\n")
        assert fails("why-user-data", lab.sandbox, instance_id=instance).message == (
            f"the user data of {instance} starts with 'dnf install -y postgresql16-server', "
            "not '#!': cloud-init runs user data as a script only when its first line names the "
            "program that runs it"
        )

    def test_wrong_region(self, lab):
        """The right script on an instance in eu-west-1 fails, naming the Region."""
        instance = launch_al2023(lab, region=EU, UserData=SCRIPT)
        assert fails("why-user-data", lab.sandbox, instance_id=instance).message == (
            f"{instance} is in eu-west-1; this exercise asks for one in us-east-1"
        )


class TestNewestArm64:
    def test_reference_answer_passes(self, lab):
        """Amazon's newest AL2023 arm64 image in us-west-2 passes."""
        passes("why-newest-arm64", lab.sandbox, image_id=image_id("al2023-arm64", WEST))

    def test_lookalike(self, lab):
        """The newest image by name alone is the stranger's look-alike, and fails as untrusted."""
        answer = LOOKALIKE_IMAGES[WEST]
        result = fails("why-newest-arm64", lab.sandbox, image_id=answer)
        assert result.message == (
            f"{answer} is named like Amazon Linux, but it belongs to 444455556666, an account "
            "with no verified alias: anyone can give an image any name"
        )
        assert result.hint == (
            "whose images did you ask for? See *Who publishes images: owners and aliases*"
        )

    def test_wrong_architecture(self, lab):
        """The x86_64 image fails, naming the architecture."""
        answer = image_id("al2023-x86_64", WEST)
        assert fails("why-newest-arm64", lab.sandbox, image_id=answer).message == (
            f"{answer} is Amazon Linux 2023 for x86_64 (Intel and AMD), not arm64 (Graviton)"
        )

    def test_previous_release(self, lab):
        """The older arm64 release fails: the newest was asked for."""
        answer = image_id("al2023-arm64-previous", WEST)
        assert fails("why-newest-arm64", lab.sandbox, image_id=answer).message == (
            f"{answer} is the previous release (al2023-ami-2023.6.20241212.0-kernel-6.1-arm64), "
            "not the newest"
        )

    def test_wrong_region(self, lab):
        """The us-east-1 ID of the right image fails, explaining that IDs are per Region."""
        answer = image_id("al2023-arm64", "us-east-1")
        assert fails("why-newest-arm64", lab.sandbox, image_id=answer).message == (
            f"{answer} is the al2023-arm64 image in us-east-1: image IDs differ from Region to "
            "Region, and this exercise asks for us-west-2"
        )


class TestMarketplaceImage:
    def test_reference_answer_passes(self, lab):
        """The Marketplace image in eu-west-1 passes and names its product code."""
        answer = image_id("marketplace-hardened-al2023", EU)
        result = passes("why-marketplace-image", lab.sandbox, image_id=answer)
        assert "4h8v2kq9m1x7c3n6b5z0r2t8w" in result.message

    def test_windows(self, lab):
        """Windows Server fails: its licence is in the instance price, it has no product code."""
        answer = image_id("windows-2022-base", EU)
        assert fails("why-marketplace-image", lab.sandbox, image_id=answer).message == (
            f"{answer} is Windows Server: its licence is paid through a higher hourly price for "
            "the instance, but it is Amazon's own image, with no Marketplace product code"
        )

    def test_free_image(self, lab):
        """A free Amazon Linux image fails: it has no product code."""
        answer = image_id("al2023-x86_64", EU)
        assert fails("why-marketplace-image", lab.sandbox, image_id=answer).message == (
            f"{answer} is al2023-ami-2023.6.20250218.2-kernel-6.1-x86_64: it has no product "
            "code, so its software is free"
        )

    def test_wrong_region(self, lab):
        """The Marketplace image's us-east-1 ID fails, naming the Region."""
        answer = image_id("marketplace-hardened-al2023", "us-east-1")
        result = fails("why-marketplace-image", lab.sandbox, image_id=answer)
        assert result.message.endswith("and this exercise asks for eu-west-1")


class TestBakingSaves:
    def test_reference_answer_passes(self, lab):
        """The model's own figure for the exercise's fleet passes (12 minutes)."""
        names = {"boot_model": boot_model}
        exec(get_exercise("why-baking-saves").solution, names)
        result = passes("why-baking-saves", lab.sandbox, minutes=names["my_minutes_sooner"])
        assert result.message.startswith("12 minutes sooner")

    def test_not_answered(self, lab):
        assert fails("why-baking-saves", lab.sandbox, minutes=...).message == (
            "my_minutes_sooner is still ... ; replace it with a number of minutes"
        )

    def test_default_install_time(self, lab):
        """The default 45 seconds a package (5.75 minutes) misses the slow mirror."""
        result = fails("why-baking-saves", lab.sandbox, minutes=5.75)
        assert result.message == (
            "5.75 minutes is the saving with the default install time (45 seconds a package); on "
            "sale days the mirror is slower"
        )

    def test_seconds_not_minutes(self, lab):
        result = fails("why-baking-saves", lab.sandbox, minutes=720)
        assert result.message == "720 is the saving in seconds; the exercise asks for minutes"

    def test_the_wrong_way_round(self, lab):
        assert fails("why-baking-saves", lab.sandbox, minutes=-12).message.startswith(
            "-12 is negative"
        )

    def test_not_a_number(self, lab):
        assert fails("why-baking-saves", lab.sandbox, minutes="12").message == (
            "expected a number of minutes, such as 4.5, but found str"
        )

    def test_tips_give_no_code(self, lab):
        """A ❌ points at the model's figures, never the call that answers."""
        for wrong in (5.75, 3.0, -12, "12"):
            hint = fails("why-baking-saves", lab.sandbox, minutes=wrong).hint
            assert "(" not in hint and "=" not in hint
