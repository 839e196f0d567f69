"""labkit.scenarios.publishing: other owners' public images, with fixed IDs and dates."""

from __future__ import annotations

from labkit.scenarios.publishing import STRANGER_ACCOUNT, publish_image, publish_lookalike

LOOKALIKE = "ami-0c4e7a91d2b35f608"


class TestPublishLookalike:
    def test_a_strangers_public_image_anyone_sees(self, sandbox):
        """The look-alike is public, available, owned by the stranger, named like Amazon Linux."""
        publish_lookalike("us-west-2", LOOKALIKE)
        ec2 = sandbox.client("ec2", region="us-west-2")
        (image,) = ec2.describe_images(Owners=[STRANGER_ACCOUNT])["Images"]
        assert (image["ImageId"], image["OwnerId"], image["Public"], image["State"]) == (
            LOOKALIKE,
            STRANGER_ACCOUNT,
            True,
            "available",
        )
        assert image["Name"].startswith("al2023-ami-")


class TestPublishImage:
    def test_owner_alias_and_deprecation_as_given(self, sandbox):
        """publish_image keeps the owner, its alias, and the deprecation time it is given."""
        publish_image(
            STRANGER_ACCOUNT,
            "ami-0a7d3c95e1f4b2868",
            "al2023-ami-2023.6.20250301.0-kernel-6.1-x86_64",
            "2025-03-01T06:14:52",
            alias=None,
            deprecated="2027-03-01T06:14:00",
        )
        (image,) = sandbox.client("ec2").describe_images(ImageIds=["ami-0a7d3c95e1f4b2868"])[
            "Images"
        ]
        assert image["OwnerId"] == STRANGER_ACCOUNT and image["Public"]
        assert image["DeprecationTime"] == "2027-03-01T06:14:00.000Z"
        assert (
            image["Description"] == "Amazon Linux 2023 AMI 2023.6.20250301.0 x86_64 HVM kernel-6.1"
        )
