"""Lesson 03's checks: the reference answers pass, typical wrong answers fail with their message."""

from __future__ import annotations

import pytest
from check_helpers import fails, launch, passes, snapshots_of

from labkit import pricing
from labkit.catalog import image_id
from labkit.estate import estate_from_sandbox
from labkit.widgets import CopyWizard

LESSON = "03-copy-across-regions"
SYDNEY = "ap-southeast-2"


def copy(lab, region: str, *, name: str = "web-server-v1", **extra) -> str:
    ec2 = lab.client("ec2", region=region)
    image = ec2.copy_image(
        SourceRegion="us-east-1", SourceImageId=lab.ids["web_image"], Name=name, **extra
    )["ImageId"]
    ec2.get_waiter("image_available").wait(ImageIds=[image])
    return image


class TestCopyToUsWest2:
    def test_reference_answer_passes(self, lab):
        """A copy in us-west-2 made with CopyImageTags passes."""
        copy(lab, "us-west-2", CopyImageTags=True)
        passes("copy-to-us-west-2", lab.sandbox)

    def test_new_tags_instead_of_copied_ones_pass(self, lab):
        """Setting the same tags with TagSpecifications is as good as copying them."""
        tags = [{"Key": "Project", "Value": "web"}, {"Key": "Version", "Value": "1"}]
        copy(lab, "us-west-2", TagSpecifications=[{"ResourceType": "image", "Tags": tags}])
        passes("copy-to-us-west-2", lab.sandbox)

    def test_a_copy_made_with_the_copy_wizard_passes(self, lab):
        """The lesson lets the learner use the Copy AMI page or code (issue 18, "Widgets and
        exercises"): the check reads the copy the page makes like any other."""
        wizard = CopyWizard(lab, image_id=lab.ids["web_image"], destination="us-west-2")
        wizard.tags_checkbox.value = True
        wizard.copy_button.click()
        assert wizard.message_kind == "ok", wizard.result.value
        passes("copy-to-us-west-2", lab.sandbox)

    def test_a_copy_wizard_copy_without_tags_fails(self, lab):
        """The page's copy is judged honestly too: left without "Copy tags", it fails."""
        wizard = CopyWizard(lab, image_id=lab.ids["web_image"], destination="us-west-2")
        wizard.copy_button.click()
        assert fails("copy-to-us-west-2", lab.sandbox).message == (
            f"your copy {wizard.new_image_id} in us-west-2 has no tags, not the source's "
            "Project=web, Version=1: copy_image copies tags only when asked"
        )

    def test_nothing_copied(self, lab):
        """With no copy, the check names the Region."""
        assert fails("copy-to-us-west-2", lab.sandbox).message == (
            f"there is no copy of {lab.ids['web_image']} in us-west-2 yet"
        )

    def test_copied_without_tags(self, lab):
        """A copy made without CopyImageTags has no tags, and fails."""
        image = copy(lab, "us-west-2")
        assert fails("copy-to-us-west-2", lab.sandbox).message == (
            f"your copy {image} in us-west-2 has no tags, not the source's Project=web, "
            "Version=1: copy_image copies tags only when asked"
        )

    def test_copied_with_the_home_client(self, lab):
        """copy_image called on the us-east-1 client copies within us-east-1, and fails."""
        image = copy(lab, "us-east-1", name="web-server-v1-copy", CopyImageTags=True)
        assert fails("copy-to-us-west-2", lab.sandbox).message == (
            f"your copy {image} is in us-east-1, the source's own Region: copy_image makes the "
            "copy in the Region of the client you call it on"
        )


class TestCleanUpSydney:
    @pytest.fixture
    def sydney_copy(self, lab):
        return copy(lab, SYDNEY)

    def test_reference_answer_passes(self, lab, sydney_copy):
        """Deregistering the copy and deleting its snapshot passes."""
        ec2 = lab.client("ec2", region=SYDNEY)
        snapshots = snapshots_of(lab, sydney_copy, SYDNEY)
        ec2.deregister_image(ImageId=sydney_copy)
        for snapshot in snapshots:
            ec2.delete_snapshot(SnapshotId=snapshot)
        passes("copy-clean-up-sydney", lab.sandbox)

    def test_nothing_done(self, lab, sydney_copy):
        """The copy still registered fails, naming it."""
        assert fails("copy-clean-up-sydney", lab.sandbox).message == (
            f"{sydney_copy}, the copy in ap-southeast-2, is still registered"
        )

    def test_deregistered_only(self, lab, sydney_copy):
        """Deregistering alone leaves the snapshot, still billed: fails naming it."""
        (snapshot,) = snapshots_of(lab, sydney_copy, SYDNEY)
        lab.client("ec2", region=SYDNEY).deregister_image(ImageId=sydney_copy)
        assert fails("copy-clean-up-sydney", lab.sandbox).message == (
            f"the copy is deregistered, but its snapshot {snapshot} is still in ap-southeast-2, "
            "and is billed every month until it is deleted"
        )


def first_copy_to_oregon(lab):
    """The lesson's own figures for a first copy to us-west-2 (as its cells compute them)."""
    image = estate_from_sandbox(lab, regions=["us-east-1"]).image(lab.ids["web_image"])
    return pricing.copy_cost(image, "us-west-2")


class TestFirstYearCost:
    def test_reference_answer_passes(self, lab):
        cost = first_copy_to_oregon(lab)
        result = passes(
            "copy-first-year-cost", lab.sandbox, usd=cost.transfer_usd + 12 * cost.monthly_usd
        )
        assert "of transfer once" in result.message

    def test_rounded_to_cents_passes(self, lab):
        cost = first_copy_to_oregon(lab)
        passes(
            "copy-first-year-cost",
            lab.sandbox,
            usd=round(cost.transfer_usd + 12 * cost.monthly_usd, 2),
        )

    def test_transfer_forgotten(self, lab):
        cost = first_copy_to_oregon(lab)
        result = fails("copy-first-year-cost", lab.sandbox, usd=12 * cost.monthly_usd)
        assert result.message == (
            f"${12 * cost.monthly_usd:.2f} is twelve months of storage; the first copy's transfer "
            "is missing"
        )

    def test_transfer_every_month(self, lab):
        cost = first_copy_to_oregon(lab)
        usd = 12 * (cost.transfer_usd + cost.monthly_usd)
        assert "billed once" in fails("copy-first-year-cost", lab.sandbox, usd=usd).message

    def test_one_month(self, lab):
        cost = first_copy_to_oregon(lab)
        usd = cost.transfer_usd + cost.monthly_usd
        assert fails("copy-first-year-cost", lab.sandbox, usd=usd).message.endswith(
            "the exercise asks for a year"
        )

    def test_formatted_text(self, lab):
        assert fails("copy-first-year-cost", lab.sandbox, usd="$1.20").message == (
            "expected a number of dollars, such as 0.75, but found str"
        )

    def test_not_answered(self, lab):
        assert fails("copy-first-year-cost", lab.sandbox, usd=...).message.startswith(
            "my_first_year_usd is still ..."
        )


def web_group(lab, region: str, port: int = 80) -> str:
    ec2 = lab.client("ec2", region=region)
    group = ec2.create_security_group(GroupName=f"g{port}", Description="test")["GroupId"]
    rule = {
        "IpProtocol": "tcp",
        "FromPort": port,
        "ToPort": port,
        "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
    }
    ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[rule])
    return group


class TestLaunchInOregon:
    def test_reference_answer_passes(self, lab):
        west = copy(lab, "us-west-2", CopyImageTags=True)
        launch(lab, west, region="us-west-2", SecurityGroupIds=[web_group(lab, "us-west-2")])
        passes("copy-launch-in-oregon", lab.sandbox)

    def test_no_copy_yet(self, lab):
        assert fails("copy-launch-in-oregon", lab.sandbox).message == (
            f"you have no copy of {lab.ids['web_image']} in us-west-2 yet: do Exercise 3.2 first"
        )

    def test_launched_from_amazons_image_instead(self, lab):
        copy(lab, "us-west-2")
        base = image_id("al2023-x86_64", "us-west-2")
        launch(lab, base, region="us-west-2")
        assert fails("copy-launch-in-oregon", lab.sandbox).message == (
            f"us-west-2 has instances from {base}, none from your copy there"
        )

    def test_no_web_traffic(self, lab):
        """The default group lets no web traffic in; a group for port 22 neither."""
        west = copy(lab, "us-west-2")
        instance = launch(
            lab, west, region="us-west-2", SecurityGroupIds=[web_group(lab, "us-west-2", 22)]
        )
        assert fails("copy-launch-in-oregon", lab.sandbox).message == (
            f"{instance} runs your copy, but none of its security groups lets web traffic in on "
            "port 80"
        )
