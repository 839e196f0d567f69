"""Lesson 10's checks: the reference states pass (made with boto3, as Packer's calls make them, and
with Packer itself), typical wrong states fail with their message, and where Packer is missing an
unfinished exercise is skipped, neither ✅ nor ❌."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from check_helpers import fails, passes

from labkit import Lab, packer
from labkit.catalog import image_id as catalog_image
from labkit.checks import SKIPPED, run_check
from labkit.checks import packer as packer_checks
from labkit.scenarios import PACKER_LOOKALIKE, STRANGER_ACCOUNT

LESSON = "10-packer"
OU = packer_checks.PARTNERS_OU
NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "10-packer.ipynb"


def lesson_cells() -> dict:
    """The lesson's TEMPLATE, WIKI_TEMPLATE and without(), from its own cells."""
    names: dict = {}
    for cell in json.loads(NOTEBOOK.read_text())["cells"]:
        source = "".join(cell["source"])
        if source.startswith(("TEMPLATE = ", "WIKI_TEMPLATE = ", "def without(")):
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


def bake_from(lab: Lab, source: str, name: str = "golden-dev", instance_type="t3.micro") -> str:
    """An image as Packer's amazon-ebs makes it without encrypt_boot: a builder launched from
    ``source``, imaged, then terminated."""
    ec2 = lab.client("ec2")
    builder = ec2.run_instances(ImageId=source, InstanceType=instance_type, MinCount=1, MaxCount=1)[
        "Instances"
    ][0]["InstanceId"]
    image = ec2.create_image(InstanceId=builder, Name=name)["ImageId"]
    ec2.get_waiter("image_available").wait(ImageIds=[image])
    ec2.terminate_instances(InstanceIds=[builder])
    return image


def share(lab: Lab, images: dict, *grantees: dict) -> None:
    for region, image_id in images.items():
        lab.client("ec2", region=region).modify_image_attribute(
            ImageId=image_id, LaunchPermission={"Add": list(grantees)}
        )


class TestBaseImage:
    def test_reference_passes(self, lab):
        """golden-dev from Amazon's newest Amazon Linux 2023 for x86_64: ✅, naming it."""
        bake_from(lab, lab.ids["base_image"])
        assert passes("packer-base-image", lab.sandbox).message == (
            f"golden-dev was baked from {lab.ids['base_image']}, the newest Amazon Linux 2023 for "
            "x86_64 that Amazon owns"
        )

    def test_no_image_fails(self, lab):
        result = fails("packer-base-image", lab.sandbox)
        assert (
            result.message == "expected an image of yours named golden-dev in us-east-1, found none"
        )

    def test_the_lookalike_fails(self, lab):
        """Baked from the stranger's newer look-alike (the wiki's two owners): the owner named,
        and the hint points at owners, without the answer."""
        image = bake_from(lab, PACKER_LOOKALIKE)
        result = fails("packer-base-image", lab.sandbox)
        assert result.message == (
            f"golden-dev ({image}) was baked from {PACKER_LOOKALIKE}, "
            f"al2023-ami-2023.6.20250301.0-kernel-6.1-x86_64, which belongs to {STRANGER_ACCOUNT}, "
            "an account with no verified alias: a look-alike of Amazon Linux, not Amazon's image"
        )
        assert result.hint == (
            "look at owners in your template's source_ami_filter: which owner is Amazon's?"
        )
        assert '"amazon"' not in result.hint

    def test_an_older_amazon_image_fails(self, lab):
        """Amazon's, but the previous release (a pinned name, or most_recent left out)."""
        older = catalog_image("al2023-x86_64-previous", "us-east-1")
        image = bake_from(lab, older)
        result = fails("packer-base-image", lab.sandbox)
        assert result.message == (
            f"golden-dev ({image}) was baked from {older}, "
            "al2023-ami-2023.6.20241212.0-kernel-6.1-x86_64: Amazon's, but not the newest Amazon "
            f"Linux 2023; {lab.ids['base_image']}, al2023-ami-2023.6.20250218.2-kernel-6.1-x86_64, "
            "is newer"
        )
        assert "most_recent" in result.hint

    def test_another_amazon_image_fails(self, lab):
        """Amazon's newest Amazon Linux 2023, but for Arm (a name filter that is too wide)."""
        arm = catalog_image("al2023-arm64", "us-east-1")
        image = bake_from(lab, arm, instance_type="t4g.micro")
        result = fails("packer-base-image", lab.sandbox)
        assert result.message == (
            f"golden-dev ({image}) was baked from {arm}, "
            "al2023-ami-2023.6.20250218.2-kernel-6.1-arm64: Amazon's, but not Amazon Linux 2023 "
            "for x86_64 (al2023-ami-2023.6.20250218.2-kernel-6.1-x86_64)"
        )

    def test_an_encrypted_copy_cannot_be_traced(self, lab):
        """Built with encrypt_boot: Packer's first image is gone, so the ancestry stops there and
        the check says so rather than guess."""
        images = bake(lab, "golden-dev", regions=("us-east-1",))
        ec2 = lab.client("ec2")
        parent = ec2.describe_images(ImageIds=[images["us-east-1"]])["Images"][0]["SourceImageId"]
        result = fails("packer-base-image", lab.sandbox)
        assert result.message == (
            f"golden-dev ({images['us-east-1']}): its ancestry stops at {parent}, an image no "
            "longer registered, so its base image cannot be told"
        )


class TestWrongRegion:
    def test_an_image_in_another_region_is_pointed_at(self, lab):
        """golden-dev built in us-west-2 (region changed in the template): the ❌ says where."""
        west = lab.client("ec2", region="us-west-2")
        west.copy_image(
            SourceImageId=lab.ids["base_image"], SourceRegion="us-east-1", Name="golden-dev"
        )
        result = fails("packer-base-image", lab.sandbox)
        assert result.message == (
            "expected an image of yours named golden-dev in us-east-1, found none (you have one "
            "in us-west-2)"
        )
        assert result.hint == "look at region in your template"


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
        assert result.hint == (
            "look at ami_regions in your template: the Regions Packer copies the image to"
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

    def test_copied_to_the_second_region_fails(self, lab):
        """golden-rc built from TEMPLATE as it is: a copy in us-west-2 too."""
        images = bake(lab, "golden-rc")
        self.deprecate(lab, images["us-east-1"], 90)
        result = fails("packer-deprecate", lab.sandbox)
        assert result.message == (
            "golden-rc was also copied to us-west-2: a release candidate is built in us-east-1 only"
        )
        assert result.hint == "look at ami_regions in your template"

    def test_shared_with_the_partner_fails(self, lab):
        """golden-rc shared as golden-v1 is: the partner may launch a release candidate."""
        images = bake(lab, "golden-rc", regions=("us-east-1",))
        share(lab, images, {"UserId": lab.account_id("partner")})
        self.deprecate(lab, images["us-east-1"], 90)
        result = fails("packer-deprecate", lab.sandbox)
        assert result.message.startswith(
            f"golden-rc ({images['us-east-1']}) is shared with 222222222222"
        )
        assert result.message.endswith(": a release candidate is shared with nobody")


class TestWithoutPacker:
    def test_unfinished_exercise_is_skipped(self, lab, monkeypatch):
        """No Packer and no image: "skipped", neither ✅ nor ❌, and it says why."""
        monkeypatch.setattr(packer_checks, "_packer_missing", lambda: True)
        for exercise in ("packer-base-image", "packer-ou-share", "packer-deprecate"):
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

    def test_the_wikis_template_fails_and_amazons_owner_passes(self, lab):
        """The wiki's template as it is bakes from the stranger's look-alike (❌); with Amazon as
        the only owner, from Amazon's newest image (✅), replacing the first golden-dev."""
        wiki = lesson_cells()["WIKI_TEMPLATE"]
        run = packer.build(lab, wiki)
        assert run.ok, run.output
        result = fails("packer-base-image", lab.sandbox)
        assert f"was baked from {PACKER_LOOKALIKE}" in result.message
        run = packer.build(lab, wiki.replace('"137112412989", "444455556666"', '"amazon"'))
        assert run.ok, run.output
        assert passes("packer-base-image", lab.sandbox)
        names = [i["Name"] for i in lab.client("ec2").describe_images(Owners=["self"])["Images"]]
        assert names == ["golden-dev"]
