"""R03: DescribeImageAttribute and ResetImageAttribute, for the image's owner only."""

from __future__ import annotations

import pytest

from .conftest import error, make_image, share


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
        assert err == {
            "Code": "AuthFailure",
            "Message": "Unauthorized attempt to access restricted resource",
        }

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
