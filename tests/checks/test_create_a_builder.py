"""Lesson 02's exercise 2.1: a builder launched from the base image and customised passes; a
builder from another image, of another size, untagged, terminated or missing software fails."""

from __future__ import annotations

import re

from check_helpers import fails, launch, passes

from labkit.catalog import image_id
from labkit.checks import get_exercise

LESSON = "02-create-an-ami"
CHECK = "create-customise-builder"
NAMED = [{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "api-builder"}]}]
#: A call written out in a tip: a name followed by "(".
CALL = re.compile(r"[A-Za-z_]\w*\(")


def builder(lab, *, image=None, instance_type="t3.small", tags=NAMED) -> str:
    """An instance like the exercise's builder (the base image, t3.small, Name=api-builder)."""
    extra = {"TagSpecifications": tags} if tags else {}
    return launch(lab, image or lab.ids["base_image"], instance_type=instance_type, **extra)


class TestCustomiseBuilder:
    def test_reference_answer_passes(self, lab):
        """A t3.small from the base image, tagged Name=api-builder, with nodejs20 and git."""
        instance = builder(lab)
        lab.install(instance, "nodejs20", "git")
        result = passes(CHECK, lab.sandbox)
        assert result.message.startswith(f"{instance} (api-builder) is a t3.small")

    def test_the_registered_solution_passes(self, lab):
        """The solution lab.hint shows, run as given, solves the exercise."""
        exec(get_exercise(CHECK).solution, {"lab": lab, "ec2": lab.client("ec2")})
        passes(CHECK, lab.sandbox)

    def test_stopped_after_installing_passes(self, lab):
        """Stopped once the software is on it: still a builder ready to bake."""
        instance = builder(lab)
        lab.install(instance, "nodejs20", "git")
        lab.client("ec2").stop_instances(InstanceIds=[instance])
        passes(CHECK, lab.sandbox)

    def test_nothing_launched(self, lab):
        """The starting state fails: no instance is named api-builder."""
        result = fails(CHECK, lab.sandbox)
        assert result.message == "no running instance is tagged Name=api-builder yet"
        assert result.hint == "tags are given at launch: see how Step 1 names web-builder"

    def test_launched_without_the_name_tag(self, lab):
        """A t3.small with no Name tag fails, pointing at the untagged instance."""
        instance = builder(lab, tags=None)
        assert fails(CHECK, lab.sandbox).message == (
            "no running instance is tagged Name=api-builder yet "
            f"({instance} is a t3.small, with no tags)"
        )

    def test_software_not_installed(self, lab):
        """Launched right but not customised: fails, naming what is missing."""
        instance = builder(lab)
        result = fails(CHECK, lab.sandbox)
        assert result.message == (
            f"{instance} (api-builder) has nothing installed yet; the orders API still needs "
            "nodejs20, git"
        )
        assert not CALL.search(result.hint)

    def test_only_part_of_the_software(self, lab):
        """nodejs20 without git: fails, naming git."""
        instance = builder(lab)
        lab.install(instance, "nodejs20")
        assert fails(CHECK, lab.sandbox).message == (
            f"{instance} (api-builder) has only nodejs20 installed; the orders API still needs git"
        )

    def test_wrong_base_image(self, lab):
        """Launched from Amazon Linux for Arm: fails, naming both images."""
        arm = image_id("al2023-arm64", "us-east-1")
        instance = builder(lab, image=arm, instance_type="t4g.small")
        lab.install(instance, "nodejs20", "git")
        result = fails(CHECK, lab.sandbox)
        assert result.message == (
            f"{instance} (api-builder) was launched from {arm}, not from the base image "
            f"{lab.ids['base_image']} (Amazon Linux 2023 for x86_64)"
        )
        assert not CALL.search(result.hint)

    def test_wrong_instance_type(self, lab):
        """A t3.micro builder fails, naming the size asked for."""
        instance = builder(lab, instance_type="t3.micro")
        lab.install(instance, "nodejs20", "git")
        result = fails(CHECK, lab.sandbox)
        assert result.message == (
            f"{instance} (api-builder) is a t3.micro; the exercise asks for a t3.small"
        )
        assert not CALL.search(result.hint)

    def test_terminated_builder(self, lab):
        """The only api-builder terminated: fails, saying a new one must be launched."""
        instance = builder(lab)
        lab.client("ec2").terminate_instances(InstanceIds=[instance])
        result = fails(CHECK, lab.sandbox)
        assert result.message == (
            f"{instance} (api-builder) is terminated: software can only be installed on a "
            "running instance"
        )

    def test_a_second_try_is_judged(self, lab):
        """A wrong first builder left running, then a right one: the right one passes, and the
        ✅ names the first one, still running (on AWS, billed by the hour)."""
        first = builder(lab, instance_type="t3.micro")
        instance = builder(lab)
        lab.install(instance, "nodejs20", "git")
        result = passes(CHECK, lab.sandbox)
        assert result.message.startswith(f"{instance} (api-builder) is a t3.small")
        assert result.message.endswith(
            f" {first}, another api-builder from an earlier try, is still running: on AWS every "
            "running instance is billed by the hour, so terminate what you no longer need."
        )

    def test_no_stray_named_when_the_first_try_is_terminated(self, lab):
        first = builder(lab, instance_type="t3.micro")
        lab.client("ec2").terminate_instances(InstanceIds=[first])
        lab.install(builder(lab), "nodejs20", "git")
        assert "earlier try" not in passes(CHECK, lab.sandbox).message

    def test_software_installed_on_the_web_builder(self, lab):
        """The packages installed on another instance (Step 1's web-builder, say): fails, and
        says where they went."""
        web = builder(
            lab,
            instance_type="t3.micro",
            tags=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "web-builder"}]}],
        )
        instance = builder(lab)
        lab.install(web, "nodejs20", "git")
        result = fails(CHECK, lab.sandbox)
        assert result.message == (
            f"{instance} (api-builder) has nothing installed yet; the orders API still needs "
            f"nodejs20, git (nodejs20, git went on {web} (web-builder) instead)"
        )
        assert not CALL.search(result.hint)

    def test_the_ladder_ends_with_the_call(self):
        """The last hint shows the call (the tips above never do)."""
        assert "run_instances(" in get_exercise(CHECK).hints[-1]
