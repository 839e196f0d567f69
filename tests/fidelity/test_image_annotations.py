"""Watermarks, instance type specifications and image findings on an AMI."""

from __future__ import annotations

from .conftest import LEARNER, base, describe, error, launch, make_image, share


class TestWatermarks:
    def test_watermark_travels_to_copies_and_images_of_instances(self, sandbox):
        """AttachImageWatermark: shown on the AMI, carried to CopyImage and CreateImage results;
        detaching it from the parent leaves the derivatives' watermarks."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        key = ec2.attach_image_watermark(ImageId=image, WatermarkName="approved")["WatermarkKey"]
        assert key == f"{LEARNER}:approved"
        marks = describe(ec2, image)["ImageWatermarks"]
        assert [(m["WatermarkKey"], m["SourceImageId"]) for m in marks] == [(key, image)]
        copy = ec2.copy_image(Name="copy", SourceImageId=image, SourceRegion="us-east-1")
        child = ec2.create_image(
            InstanceId=launch(ec2, image)["InstanceId"], Name="child", NoReboot=True
        )["ImageId"]
        ec2.detach_image_watermark(ImageId=image, WatermarkKey=key)
        assert "ImageWatermarks" not in describe(ec2, image)
        for derived in (copy["ImageId"], child):
            assert [m["WatermarkKey"] for m in describe(ec2, derived)["ImageWatermarks"]] == [key]
        ec2.detach_image_watermark(ImageId=image, WatermarkKey=key)  # idempotent

    def test_watermarks_are_for_owners_and_private_amis(self, sandbox):
        """Only the owner attaches; not on a public AMI; names of 3–128 allowed characters."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        share(sandbox, image)
        partner = sandbox.client("ec2", account="partner")
        err = error(partner.attach_image_watermark, ImageId=image, WatermarkName="mine")
        assert err["Code"] == "AuthFailure"
        err = error(ec2.attach_image_watermark, ImageId=image, WatermarkName="no!")
        assert err["Code"] == "InvalidParameterValue"
        err = error(ec2.attach_image_watermark, ImageId=base(sandbox), WatermarkName="amazon")
        assert err["Code"] == "AuthFailure"


class TestInstanceTypeSpecification:
    def test_run_instances_follows_the_specification(self, sandbox):
        """Supported t3.* but not t3.nano: t3.micro launches; m5.large and t3.nano are refused;
        removing the specification allows every type again."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        spec = {"SupportedInstanceTypes": ["t3.*"], "UnsupportedInstanceTypes": ["t3.nano"]}
        answer = ec2.replace_image_instance_type_specification(
            ImageId=image, InstanceTypeSpecification=spec
        )
        assert answer["ReturnValue"] is True
        assert describe(ec2, image)["InstanceTypeSpecification"] == {
            "SupportedInstanceTypes": [{"InstanceType": "t3.*"}],
            "UnsupportedInstanceTypes": [{"InstanceType": "t3.nano"}],
        }
        launch(ec2, image, InstanceType="t3.micro")
        for refused in ("m5.large", "t3.nano"):
            err = error(launch, ec2, image, InstanceType=refused)
            assert err["Code"] == "InvalidParameterCombination"
        ec2.replace_image_instance_type_specification(ImageId=image)
        assert "InstanceTypeSpecification" not in describe(ec2, image)
        launch(ec2, image, InstanceType="m5.large")

    def test_only_the_owner_sets_it(self, sandbox):
        """Another account (even one the AMI is shared with) is refused."""
        image = make_image(sandbox)
        share(sandbox, image)
        partner = sandbox.client("ec2", account="partner")
        err = error(
            partner.replace_image_instance_type_specification,
            ImageId=image,
            InstanceTypeSpecification={"SupportedInstanceTypes": ["t3.micro"]},
        )
        assert err["Code"] == "AuthFailure"


class TestImageFindings:
    def test_no_inspector_no_findings(self, sandbox):
        """GetImageFindings: nothing was scanned, so no findings; unseen AMIs are not found."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        assert ec2.get_image_findings(ImageId=image)["ImageFindings"] == []
        assert ec2.get_image_findings(ImageId=base(sandbox))["ImageFindings"] == []
        partner = sandbox.client("ec2", account="partner")
        assert error(partner.get_image_findings, ImageId=image)["Code"] == "InvalidAMIID.NotFound"
