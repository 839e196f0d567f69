"""Lesson 10's checks: the reference states pass (made with boto3, as Packer's calls make them, and
once with Packer itself), typical wrong states fail with their message, and where Packer is
missing an unfinished exercise is skipped, neither ✅ nor ❌."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from check_helpers import fails, passes

from labkit import Lab, packer
from labkit.checks import SKIPPED, run_check
from labkit.checks import packer as packer_checks

LESSON = "10-packer"
OU = packer_checks.PARTNERS_OU
NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "10-packer.ipynb"


def lesson_cells() -> dict:
    """The lesson's TEMPLATE and without(), from its own cells."""
    names: dict = {}
    for cell in json.loads(NOTEBOOK.read_text())["cells"]:
        source = "".join(cell["source"])
        if source.startswith(("TEMPLATE = ", "def without(")):
            exec(source, names)
    return names


@pytest.fixture(autouse=True)
def _packer_present(monkeypatch):
    """The checks judge as where Packer is installed, unless a test says otherwise."""
    monkeypatch.setattr(packer_checks, "_packer_missing", lambda: False)


def bake(lab: Lab, name: str, regions=("us-east-1", "us-west-2"), key: str = "mine") -> dict:
    """An image as Packer's amazon-ebs makes it: a builder, an image, then an encrypted copy in
    each Region (with the scenario's key there, or ``aws/ebs`` for ``key="default"``)."""
    ec2 = lab.client("ec2")
    builder = ec2.run_instances(
        ImageId=lab.ids["base_image"], InstanceType="t3.micro", MinCount=1, MaxCount=1
    )["Instances"][0]["InstanceId"]
    first = ec2.create_image(InstanceId=builder, Name=f"{name}-temporary")["ImageId"]
    ec2.get_waiter("image_available").wait(ImageIds=[first])
    ec2.terminate_instances(InstanceIds=[builder])
    images = {}
    for region in regions:
        encryption = {"Encrypted": True}
        if key == "mine":
            encryption["KmsKeyId"] = lab.ids[f"key_{region.replace('-', '_')}"]
        there = lab.client("ec2", region=region)
        images[region] = there.copy_image(
            SourceRegion="us-east-1", SourceImageId=first, Name=name, **encryption
        )["ImageId"]
        there.get_waiter("image_available").wait(ImageIds=[images[region]])
    ec2.deregister_image(ImageId=first)
    return images


def share(lab: Lab, images: dict, *grantees: dict) -> None:
    for region, image_id in images.items():
        lab.client("ec2", region=region).modify_image_attribute(
            ImageId=image_id, LaunchPermission={"Add": list(grantees)}
        )


class TestOuShare:
    def test_reference_passes(self, lab):
        """golden-v2 in both Regions, with the Region's own key, shared with the OU: ✅."""
        share(lab, bake(lab, "golden-v2"), {"OrganizationalUnitArn": OU})
        assert passes("packer-ou-share", lab.sandbox).message == (
            "golden-v2 is in us-east-1 and us-west-2, encrypted with your key in each, and every "
            "account of the partners OU may launch it"
        )

    def test_no_image_fails(self, lab):
        """Nothing built yet: the check says which image it looked for, and where."""
        result = fails("packer-ou-share", lab.sandbox)
        assert (
            result.message == "expected an image of yours named golden-v2 in us-east-1, found none"
        )

    def test_without_the_copy_fails(self, lab):
        """Built in us-east-1 only (no ami_regions): the us-west-2 image is missing."""
        share(lab, bake(lab, "golden-v2", regions=("us-east-1",)), {"OrganizationalUnitArn": OU})
        result = fails("packer-ou-share", lab.sandbox)
        assert (
            result.message == "expected an image of yours named golden-v2 in us-west-2, found none"
        )

    def test_default_key_fails(self, lab):
        """Encrypted with aws/ebs (which AWS also refuses to share): the key is named first."""
        images = bake(lab, "golden-v2", key="default")
        snapshot = lab.client("ec2").describe_images(ImageIds=[images["us-east-1"]])["Images"][0][
            "BlockDeviceMappings"
        ][0]["Ebs"]["SnapshotId"]
        result = fails("packer-ou-share", lab.sandbox)
        assert result.message == (
            f"golden-v2 in us-east-1 ({images['us-east-1']}): its snapshot {snapshot} is "
            "encrypted with aws/ebs, which no other account may use"
        )

    def test_shared_with_the_account_only_fails(self, lab):
        """Shared with the partner's account (the worked build's ami_users), not the OU."""
        images = bake(lab, "golden-v2")
        share(lab, images, {"UserId": lab.account_id("partner")})
        result = fails("packer-ou-share", lab.sandbox)
        assert result.message == (
            f"golden-v2 in us-east-1 ({images['us-east-1']}) is not shared with the partners OU "
            f"{OU}; it is shared with 222222222222 (the partner)"
        )

    def test_shared_beyond_the_ou_fails(self, lab):
        """The OU and the partner's account too: more than the exercise asks, named."""
        images = bake(lab, "golden-v2")
        share(lab, images, {"OrganizationalUnitArn": OU}, {"UserId": lab.account_id("partner")})
        result = fails("packer-ou-share", lab.sandbox)
        assert result.message == (
            f"golden-v2 in us-east-1 ({images['us-east-1']}) is shared with more than the "
            "partners OU: 222222222222 (the partner)"
        )


class TestDeprecate:
    def deprecate(self, lab: Lab, image_id: str, days: int) -> None:
        lab.client("ec2").enable_image_deprecation(
            ImageId=image_id, DeprecateAt=lab.now() + dt.timedelta(days=days)
        )

    def test_reference_passes(self, lab):
        """golden-rc deprecating in 90 days, by the sandbox's clock: ✅."""
        images = bake(lab, "golden-rc", regions=("us-east-1",))
        self.deprecate(lab, images["us-east-1"], 90)
        assert passes("packer-deprecate", lab.sandbox).message.startswith("golden-rc deprecates on")

    def test_not_deprecated_fails(self, lab):
        """Built, but with no deprecation date."""
        images = bake(lab, "golden-rc", regions=("us-east-1",))
        result = fails("packer-deprecate", lab.sandbox)
        assert result.message == f"golden-rc ({images['us-east-1']}) has no deprecation time"

    def test_wrong_date_fails(self, lab):
        """Deprecating in 30 days: the check says when, and what it expected."""
        images = bake(lab, "golden-rc", regions=("us-east-1",))
        self.deprecate(lab, images["us-east-1"], 30)
        when = (lab.now() + dt.timedelta(days=30)).strftime("%Y-%m-%d")
        result = fails("packer-deprecate", lab.sandbox)
        assert result.message == (
            f"golden-rc ({images['us-east-1']}) deprecates 30 days after it was made, on {when}; "
            "expected 90 days"
        )


class TestWithoutPacker:
    def test_unfinished_exercise_is_skipped(self, lab, monkeypatch):
        """No Packer and no image: "skipped", neither ✅ nor ❌, and it says why."""
        monkeypatch.setattr(packer_checks, "_packer_missing", lambda: True)
        for exercise in ("packer-ou-share", "packer-deprecate"):
            result = run_check(exercise, lab.sandbox)
            assert result.skipped and not result.passed
            assert str(result) == f"{SKIPPED} {exercise}: skipped, {packer_checks.NEEDS_PACKER}"
            assert "❌" not in str(result) and "✅" not in str(result)
            assert "skipped" in result._repr_html_()

    def test_finished_exercise_still_passes(self, lab, monkeypatch):
        """The state decides: a done exercise passes even where Packer is missing."""
        monkeypatch.setattr(packer_checks, "_packer_missing", lambda: True)
        share(lab, bake(lab, "golden-v2"), {"OrganizationalUnitArn": OU})
        assert passes("packer-ou-share", lab.sandbox)


@pytest.mark.skipif(packer.find_packer() is None, reason="needs Packer (apt-get install packer)")
class TestWithPacker:
    def test_the_lessons_solution_passes(self, lab):
        """The lesson's own route: golden-v2 baked by Packer, then shared with the OU."""
        lesson = lesson_cells()
        run = packer.build(
            lab,
            lesson["without"](lesson["TEMPLATE"], "ami_users").replace("golden-v1", "golden-v2"),
            partner=lab.account_id("partner"),
        )
        assert run.ok, run.output
        assert sorted(run.images) == ["us-east-1", "us-west-2"]
        share(lab, run.images, {"OrganizationalUnitArn": OU})
        assert passes("packer-ou-share", lab.sandbox)
