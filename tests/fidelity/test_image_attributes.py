"""R03: DescribeImageAttribute and ResetImageAttribute, for the image's owner only."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from labkit.catalog import image_id

AL2023 = "al2023-x86_64"
PARTNER = "222222222222"


def error(call, *args, **kwargs) -> dict:
    with pytest.raises(ClientError) as caught:
        call(*args, **kwargs)
    return caught.value.response["Error"]


def make_image(sandbox, account: str = "learner", name: str = "web-v1") -> str:
    ec2 = sandbox.client("ec2", account=account)
    instance = ec2.run_instances(ImageId=image_id(AL2023, "us-east-1"), MinCount=1, MaxCount=1)
    image = ec2.create_image(InstanceId=instance["Instances"][0]["InstanceId"], Name=name)
    ec2.get_waiter("image_available").wait(ImageIds=[image["ImageId"]])
    return image["ImageId"]


def share(sandbox, image: str) -> None:
    sandbox.client("ec2").modify_image_attribute(
        ImageId=image, LaunchPermission={"Add": [{"UserId": PARTNER}]}
    )


class TestImageAttributes:
    @pytest.mark.parametrize(
        ("attribute", "member", "value"),
        [
            ("imdsSupport", "ImdsSupport", {"Value": "v2.0"}),
            ("deregistrationProtection", "DeregistrationProtection", {"Value": "disabled"}),
            ("description", "Description", {}),
            ("lastLaunchedTime", "LastLaunchedTime", {}),
            ("productCodes", "ProductCodes", []),
            ("launchPermission", "LaunchPermissions", []),
        ],
    )
    def test_owner_reads_attributes(self, sandbox, attribute, member, value):
        """R03: the owner reads each attribute without errors, as AWS shapes it."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        assert ec2.describe_image_attribute(ImageId=image, Attribute=attribute)[member] == value

    def test_others_get_auth_failure(self, sandbox):
        """R03: reading an attribute of someone else's image is AuthFailure."""
        image = make_image(sandbox)
        share(sandbox, image)
        partner = sandbox.client("ec2", account="partner")
        call = partner.describe_image_attribute
        assert error(call, ImageId=image, Attribute="lastLaunchedTime")["Code"] == "AuthFailure"

    def test_block_device_mapping_attribute_is_deprecated(self, sandbox):
        """R07: the blockDeviceMapping attribute answers AuthFailure, as documented."""
        ec2 = sandbox.client("ec2")
        err = error(
            ec2.describe_image_attribute,
            ImageId=make_image(sandbox),
            Attribute="blockDeviceMapping",
        )
        assert err["Code"] == "AuthFailure" and "describe the image" in err["Message"]

    def test_unknown_attribute(self, sandbox):
        """R03: an unknown attribute name is InvalidParameterValue naming the known ones."""
        ec2 = sandbox.client("ec2")
        err = error(ec2.describe_image_attribute, ImageId=make_image(sandbox), Attribute="colour")
        assert err["Code"] == "InvalidParameterValue" and "lastLaunchedTime" in err["Message"]

    def test_reset_launch_permission_makes_private(self, sandbox):
        """R11: ResetImageAttribute launchPermission removes every share; the partner loses it."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        share(sandbox, image)
        ec2.reset_image_attribute(ImageId=image, Attribute="launchPermission")
        attribute = ec2.describe_image_attribute(ImageId=image, Attribute="launchPermission")
        assert attribute["LaunchPermissions"] == []
        partner = sandbox.client("ec2", account="partner")
        assert error(partner.describe_images, ImageIds=[image])["Code"] == "InvalidAMIID.NotFound"
