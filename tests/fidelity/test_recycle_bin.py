"""R27: the Recycle Bin keeps deregistered images restorable while a retention rule says so."""

from __future__ import annotations

import datetime as dt

from labkit.fidelity.retention_rules import AWS_RESOURCE_TYPES

from .conftest import describe, error, make_image


class TestRecycleBin:
    RULE = {"RetentionPeriodValue": 7, "RetentionPeriodUnit": "DAYS"}

    def test_deregistered_image_can_be_restored(self, sandbox):
        """R27: with a retention rule, a deregistered image waits in the bin and comes back."""
        ec2, rbin = sandbox.client("ec2"), sandbox.client("rbin")
        rbin.create_rule(ResourceType="EC2_IMAGE", RetentionPeriod=self.RULE)
        image = make_image(sandbox)
        ec2.deregister_image(ImageId=image)
        assert ec2.describe_images(Owners=["self"])["Images"] == []
        binned = ec2.list_images_in_recycle_bin()["Images"]
        assert [i["ImageId"] for i in binned] == [image]
        assert binned[0]["RecycleBinExitTime"] - binned[0]["RecycleBinEnterTime"] == dt.timedelta(
            days=7
        )
        ec2.restore_image_from_recycle_bin(ImageId=image)
        assert describe(ec2, image)["State"] == "available"
        assert ec2.list_images_in_recycle_bin()["Images"] == []

    def test_retention_ends(self, sandbox):
        """R27: after the retention period the image is gone for good."""
        ec2, rbin = sandbox.client("ec2"), sandbox.client("rbin")
        rbin.create_rule(ResourceType="EC2_IMAGE", RetentionPeriod=self.RULE)
        image = make_image(sandbox)
        ec2.deregister_image(ImageId=image)
        sandbox.advance_clock(days=8)
        assert ec2.list_images_in_recycle_bin()["Images"] == []
        err = error(ec2.restore_image_from_recycle_bin, ImageId=image)
        assert err["Code"] == "InvalidAMIID.NotFound"

    def test_without_a_rule_nothing_is_kept(self, sandbox):
        """R27: with no retention rule, a deregistered image does not enter the bin."""
        ec2 = sandbox.client("ec2")
        ec2.deregister_image(ImageId=make_image(sandbox))
        assert ec2.list_images_in_recycle_bin()["Images"] == []

    def test_tag_level_rule_keeps_only_tagged_images(self, sandbox):
        """R27: a rule with ResourceTags keeps only images with that tag."""
        ec2, rbin = sandbox.client("ec2"), sandbox.client("rbin")
        rbin.create_rule(
            ResourceType="EC2_IMAGE",
            RetentionPeriod=self.RULE,
            ResourceTags=[{"ResourceTagKey": "keep", "ResourceTagValue": "yes"}],
        )
        kept, dropped = make_image(sandbox, name="kept"), make_image(sandbox, name="dropped")
        ec2.create_tags(Resources=[kept], Tags=[{"Key": "keep", "Value": "yes"}])
        ec2.deregister_image(ImageId=kept)
        ec2.deregister_image(ImageId=dropped)
        assert [i["ImageId"] for i in ec2.list_images_in_recycle_bin()["Images"]] == [kept]

    def test_rules_are_listed_read_and_deleted(self, sandbox):
        """R27: ListRules, GetRule and DeleteRule work on the account's rules."""
        rbin = sandbox.client("rbin")
        rule = rbin.create_rule(
            ResourceType="EC2_IMAGE", RetentionPeriod=self.RULE, Description="keep AMIs"
        )
        listed = rbin.list_rules(ResourceType="EC2_IMAGE")["Rules"]
        assert [r["Identifier"] for r in listed] == [rule["Identifier"]]
        assert rbin.get_rule(Identifier=rule["Identifier"])["Description"] == "keep AMIs"
        rbin.delete_rule(Identifier=rule["Identifier"])
        assert rbin.list_rules(ResourceType="EC2_IMAGE")["Rules"] == []
        assert (
            sandbox.client("rbin", account="partner").list_rules(ResourceType="EC2_IMAGE")["Rules"]
            == []
        )

    def test_bad_rules_are_clear_errors(self, sandbox):
        """R27: a retention over 365 days or an unknown rule is an rbin error, not a crash."""
        rbin = sandbox.client("rbin")
        long = {"RetentionPeriodValue": 400, "RetentionPeriodUnit": "DAYS"}
        err = error(rbin.create_rule, ResourceType="EC2_IMAGE", RetentionPeriod=long)
        assert err["Code"] == "ValidationException"
        assert error(rbin.get_rule, Identifier="abcdefghijk")["Code"] == (
            "ResourceNotFoundException"
        )
        err = error(rbin.create_rule, ResourceType="EBS_VOLUME", RetentionPeriod=self.RULE)
        assert err["Code"] == "ValidationException" and "EBS_SNAPSHOT" in err["Message"]

    def test_R27_a_value_outside_the_apis_enums_gets_awss_own_words(self, sandbox):
        """R27: a misspelt ResourceType or RetentionPeriodUnit is refused in AWS's validation
        text (the value, where it was, the values the API knows), with nothing of the lab's."""
        rbin = sandbox.client("rbin")
        err = error(rbin.create_rule, ResourceType="EC2_AMI", RetentionPeriod=self.RULE)
        assert err == {
            "Code": "ValidationException",
            "Message": "1 validation error detected: Value 'EC2_AMI' at 'resourceType' failed "
            "to satisfy constraint: Member must satisfy enum value set: [EBS_SNAPSHOT, "
            "EC2_IMAGE, EBS_VOLUME]",
        }
        days = {"RetentionPeriodValue": 30, "RetentionPeriodUnit": "DAY"}
        err = error(rbin.create_rule, ResourceType="EC2_IMAGE", RetentionPeriod=days)
        assert err["Message"] == (
            "1 validation error detected: Value 'DAY' at 'retentionPeriod.retentionPeriodUnit' "
            "failed to satisfy constraint: Member must satisfy enum value set: [DAYS]"
        )
        assert rbin.list_rules(ResourceType="EC2_IMAGE")["Rules"] == []

    def test_R27_the_enum_is_the_apis(self):
        """The sandbox's list of AWS's resource types is botocore's model's, so a new type shows."""
        import botocore.session

        model = botocore.session.get_session().get_service_model("rbin")
        assert list(AWS_RESOURCE_TYPES) == model.shape_for("ResourceType").enum
