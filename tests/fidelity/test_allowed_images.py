"""R29–R32: Allowed AMIs — the per-Region guard rail on which images an account finds and uses."""

from __future__ import annotations

from labkit.catalog import image_id

from .conftest import AL2023, base, error, launch, make_image, share

MARKETPLACE = "marketplace-hardened-al2023"
UBUNTU_OWNER = "099720109477"


def listed(ec2, **kwargs) -> set[str]:
    """The IDs DescribeImages returns for the Amazon and Marketplace images, and the caller's."""
    owners = kwargs.pop("Owners", ["amazon", "aws-marketplace", "self"])
    return {i["ImageId"] for i in ec2.describe_images(Owners=owners, **kwargs)["Images"]}


def allow(ec2, *criteria: dict, state: str = "enabled") -> None:
    ec2.replace_image_criteria_in_allowed_images_settings(ImageCriteria=list(criteria))
    ec2.enable_allowed_images_settings(AllowedImagesSettingsState=state)


class TestR29Settings:
    def test_R29_starts_disabled_and_filters_nothing(self, sandbox):
        """A new account's setting is disabled, with no criteria, managed by the account."""
        ec2 = sandbox.client("ec2")
        answer = ec2.get_allowed_images_settings()
        assert answer["State"] == "disabled"
        assert answer["ManagedBy"] == "account"
        assert "ImageCriteria" not in answer
        assert "ImageAllowed" not in ec2.describe_images(ImageIds=[base(sandbox)])["Images"][0]

    def test_R29_enable_takes_enabled_or_audit_mode_only(self, sandbox):
        """EnableAllowedImagesSettings accepts enabled and audit-mode; anything else is refused."""
        ec2 = sandbox.client("ec2")
        for state in ("audit-mode", "enabled"):
            answer = ec2.enable_allowed_images_settings(AllowedImagesSettingsState=state)
            assert answer["AllowedImagesSettingsState"] == state
            assert ec2.get_allowed_images_settings()["State"] == state
        for bad in ("disabled", "on"):
            refused = error(ec2.enable_allowed_images_settings, AllowedImagesSettingsState=bad)
            assert refused["Code"] == "InvalidParameterValue"
        assert ec2.get_allowed_images_settings()["State"] == "enabled"
        answer = ec2.disable_allowed_images_settings()
        assert answer["AllowedImagesSettingsState"] == "disabled"
        assert ec2.get_allowed_images_settings()["State"] == "disabled"

    def test_R29_per_region_and_per_account(self, sandbox):
        """Enabling in one Region changes neither another Region nor another account."""
        sandbox.client("ec2").enable_allowed_images_settings(AllowedImagesSettingsState="enabled")
        west = sandbox.client("ec2", region="us-west-2")
        partner = sandbox.client("ec2", account="partner")
        assert west.get_allowed_images_settings()["State"] == "disabled"
        assert partner.get_allowed_images_settings()["State"] == "disabled"
        assert image_id(AL2023, "us-west-2") in listed(west)

    def test_R29_reset_sandbox_starts_disabled_again(self, sandbox):
        """The settings live with the sandbox: a reset brings back AWS's starting state."""
        ec2 = sandbox.client("ec2")
        allow(ec2, {"ImageProviders": ["amazon"]})
        sandbox.reset()
        ec2 = sandbox.client("ec2")
        assert ec2.get_allowed_images_settings()["State"] == "disabled"
        assert "ImageCriteria" not in ec2.get_allowed_images_settings()


class TestR30Criteria:
    def test_R30_replace_replaces_the_whole_list(self, sandbox):
        """ReplaceImageCriteria… swaps the list: the earlier criteria are gone, not merged."""
        ec2 = sandbox.client("ec2")
        ec2.replace_image_criteria_in_allowed_images_settings(
            ImageCriteria=[{"ImageProviders": ["amazon"]}, {"ImageNames": ["web-*"]}]
        )
        answer = ec2.replace_image_criteria_in_allowed_images_settings(
            ImageCriteria=[{"ImageProviders": ["aws-marketplace"]}]
        )
        assert answer["ReturnValue"] is True
        assert ec2.get_allowed_images_settings()["ImageCriteria"] == [
            {"ImageProviders": ["aws-marketplace"]}
        ]

    def test_R30_and_within_a_criterion_or_between_criteria(self, sandbox):
        """Parameters of one criterion must all hold; any one criterion is enough."""
        ec2 = sandbox.client("ec2")
        amazon, marketplace = base(sandbox), base(sandbox, MARKETPLACE)
        allow(ec2, {"ImageProviders": ["amazon"], "ImageNames": ["no-such-name-*"]})
        assert listed(ec2) == set()
        allow(ec2, {"ImageProviders": ["amazon"], "ImageNames": ["al2023-ami-*-x86_64"]})
        assert amazon in listed(ec2) and marketplace not in listed(ec2)
        allow(
            ec2,
            {"ImageProviders": ["amazon"], "ImageNames": ["al2023-ami-*-x86_64"]},
            {"ImageProviders": ["aws-marketplace"]},
        )
        assert {amazon, marketplace} <= listed(ec2)

    def test_R30_account_ids_and_product_codes(self, sandbox):
        """A provider may be an account ID; MarketplaceProductCodes match the image's codes."""
        ec2 = sandbox.client("ec2")
        marketplace = ec2.describe_images(ImageIds=[base(sandbox, MARKETPLACE)])["Images"][0]
        code = marketplace["ProductCodes"][0]["ProductCodeId"]
        allow(ec2, {"MarketplaceProductCodes": [code]})
        assert listed(ec2) == {marketplace["ImageId"]}
        allow(ec2, {"ImageProviders": [UBUNTU_OWNER]})
        assert {i["OwnerId"] for i in ec2.describe_images(Owners=["amazon"])["Images"]} == {
            UBUNTU_OWNER
        }

    def test_R30_creation_date_condition_on_the_sandbox_clock(self, sandbox):
        """MaximumDaysSinceCreated counts from the sandbox's now: images age out of it."""
        ec2 = sandbox.client("ec2")
        newest = base(sandbox)  # created 2025-02-20, eleven days before the sandbox's start
        allow(ec2, {"CreationDateCondition": {"MaximumDaysSinceCreated": 30}})
        assert newest in listed(ec2)
        sandbox.advance_clock(days=30)
        assert newest not in listed(ec2)

    def test_R30_deprecation_condition_zero_means_no_deprecated_image(self, sandbox):
        """MaximumDaysSinceDeprecated 0 leaves out an image whose deprecation time has passed."""
        ec2 = sandbox.client("ec2")
        older = ec2.describe_images(
            Owners=["amazon"],
            Filters=[
                {"Name": "name", "Values": ["al2023-ami-2023.6.20241212.0-kernel-6.1-x86_64"]}
            ],
        )["Images"][0]["ImageId"]
        allow(ec2, {"DeprecationTimeCondition": {"MaximumDaysSinceDeprecated": 0}})
        assert older in listed(ec2)  # deprecated on 2025-03-12, after the sandbox's start
        sandbox.advance_clock(days=10)
        assert older not in listed(ec2, IncludeDeprecated=True)
        assert base(sandbox) in listed(ec2)

    def test_R30_limits_and_bad_providers(self, sandbox):
        """Over 10 criteria, too many values, an unknown provider: refused, nothing changes."""
        ec2 = sandbox.client("ec2")
        replace = ec2.replace_image_criteria_in_allowed_images_settings
        too_many = [{"ImageProviders": ["amazon"]}] * 11
        assert error(replace, ImageCriteria=too_many)["Code"] == "InvalidParameterValue"
        names = [{"ImageNames": [f"n{i}" for i in range(51)]}]
        assert error(replace, ImageCriteria=names)["Code"] == "InvalidParameterValue"
        assert error(replace, ImageCriteria=[{"ImageProviders": ["canonical"]}])["Code"] == (
            "InvalidParameterValue"
        )
        assert "ImageCriteria" not in ec2.get_allowed_images_settings()

    def test_R30_none_stands_alone(self, sandbox):
        """``none`` (only the account's own images) takes no other value or criterion."""
        ec2 = sandbox.client("ec2")
        replace = ec2.replace_image_criteria_in_allowed_images_settings
        for criteria in (
            [{"ImageProviders": ["none", "amazon"]}],
            [{"ImageProviders": ["none"], "ImageNames": ["web-*"]}],
            [{"ImageProviders": ["none"]}, {"ImageProviders": ["amazon"]}],
        ):
            assert error(replace, ImageCriteria=criteria)["Code"] == "InvalidParameterValue"
        mine = make_image(sandbox)
        allow(ec2, {"ImageProviders": ["none"]})
        assert listed(ec2) == {mine}


class TestR31Enabled:
    def test_R31_describe_leaves_out_images_not_allowed(self, sandbox):
        """Enabled: only matching images are listed, each marked ImageAllowed true."""
        ec2 = sandbox.client("ec2")
        allow(ec2, {"ImageProviders": ["aws-marketplace"]})
        images = ec2.describe_images(Owners=["amazon", "aws-marketplace"])["Images"]
        assert [i["ImageId"] for i in images] == [base(sandbox, MARKETPLACE)]
        assert images[0]["ImageAllowed"] is True
        assert ec2.describe_images(ImageIds=[base(sandbox)])["Images"] == []

    def test_R31_run_instances_refused_with_not_found(self, sandbox):
        """RunInstances of an image that is not allowed: InvalidAMIID.NotFound, nothing launched."""
        ec2 = sandbox.client("ec2")
        allow(ec2, {"ImageProviders": ["aws-marketplace"]})
        refused = error(launch, ec2, base(sandbox))
        assert refused["Code"] == "InvalidAMIID.NotFound"
        assert ec2.describe_instances()["Reservations"] == []
        ec2.disable_allowed_images_settings()
        assert launch(ec2, base(sandbox))["InstanceId"].startswith("i-")

    def test_R31_copy_image_cannot_find_it(self, sandbox):
        """CopyImage of a source that is not allowed in its Region: InvalidAMIID.NotFound."""
        ec2 = sandbox.client("ec2")
        allow(ec2, {"ImageProviders": ["aws-marketplace"]})
        west = sandbox.client("ec2", region="us-west-2")
        refused = error(
            west.copy_image, SourceImageId=base(sandbox), SourceRegion="us-east-1", Name="al-copy"
        )
        assert refused["Code"] == "InvalidAMIID.NotFound"

    def test_R31_own_images_always_allowed(self, sandbox):
        """The account's own images are never restricted, even by criteria naming none of them."""
        ec2 = sandbox.client("ec2")
        mine = make_image(sandbox)
        allow(ec2, {"ImageProviders": ["aws-marketplace"]})
        assert mine in listed(ec2)
        assert launch(ec2, mine)["InstanceId"].startswith("i-")

    def test_R31_shared_image_needs_a_criterion(self, sandbox):
        """An image shared by another account is allowed only if a criterion covers it."""
        partner_image = make_image(sandbox, account="partner", name="tools")
        partner = sandbox.client("ec2", account="partner")
        partner.modify_image_attribute(
            ImageId=partner_image, LaunchPermission={"Add": [{"UserId": sandbox.account_id()}]}
        )
        ec2 = sandbox.client("ec2")
        allow(ec2, {"ImageProviders": ["amazon"]})
        assert error(launch, ec2, partner_image)["Code"] == "InvalidAMIID.NotFound"
        allow(ec2, {"ImageProviders": [sandbox.account_id("partner")]})
        assert launch(ec2, partner_image)["InstanceId"].startswith("i-")

    def test_R31_other_accounts_unaffected(self, sandbox):
        """The learner's setting does not restrict the partner, even for the learner's images."""
        mine = make_image(sandbox)
        share(sandbox, mine)
        allow(sandbox.client("ec2"), {"ImageProviders": ["none"]})
        partner = sandbox.client("ec2", account="partner")
        assert launch(partner, base(sandbox))["InstanceId"].startswith("i-")
        assert launch(partner, mine)["InstanceId"].startswith("i-")


class TestR32AuditMode:
    def test_R32_audit_mode_hides_nothing_and_says_what_enabling_would_do(self, sandbox):
        """Audit mode lists every image with ImageAllowed true or false, and refuses nothing."""
        ec2 = sandbox.client("ec2")
        allow(ec2, {"ImageProviders": ["aws-marketplace"]}, state="audit-mode")
        images = {
            i["ImageId"]: i["ImageAllowed"]
            for i in ec2.describe_images(Owners=["amazon", "aws-marketplace"])["Images"]
        }
        assert images[base(sandbox)] is False
        assert images[base(sandbox, MARKETPLACE)] is True
        assert launch(ec2, base(sandbox))["InstanceId"].startswith("i-")

    def test_R32_image_allowed_filter(self, sandbox):
        """The image-allowed filter selects on what enabling would do."""
        ec2 = sandbox.client("ec2")
        allow(ec2, {"ImageProviders": ["aws-marketplace"]}, state="audit-mode")
        allowed = listed(ec2, Filters=[{"Name": "image-allowed", "Values": ["true"]}])
        assert allowed == {base(sandbox, MARKETPLACE)}
        not_allowed = listed(ec2, Filters=[{"Name": "image-allowed", "Values": ["false"]}])
        assert base(sandbox) in not_allowed and base(sandbox, MARKETPLACE) not in not_allowed

    def test_R32_instance_image_metadata_finds_instances_of_images_not_allowed(self, sandbox):
        """DescribeInstanceImageMetadata marks instances launched from images not allowed."""
        ec2 = sandbox.client("ec2")
        amazon = launch(ec2, base(sandbox))["InstanceId"]
        paid = launch(ec2, base(sandbox, MARKETPLACE))["InstanceId"]
        allow(ec2, {"ImageProviders": ["aws-marketplace"]}, state="audit-mode")
        found = ec2.describe_instance_image_metadata(
            Filters=[{"Name": "image-allowed", "Values": ["false"]}]
        )["InstanceImageMetadata"]
        assert [f["InstanceId"] for f in found] == [amazon]
        assert found[0]["ImageMetadata"]["ImageId"] == base(sandbox)
        assert found[0]["ImageMetadata"]["ImageAllowed"] is False
        everything = ec2.describe_instance_image_metadata()["InstanceImageMetadata"]
        assert {e["InstanceId"] for e in everything} == {amazon, paid}
