"""R50, R51: instance metadata defaults per Region, the AMI's ImdsSupport and precedence; serial
console access; DescribeInstanceImageMetadata."""

from __future__ import annotations

from .conftest import base, error, launch, make_image

#: Ubuntu's image has no ImdsSupport; Amazon Linux 2023's (and images made from it) is v2.0.
UBUNTU = "ubuntu-24.04-x86_64"


def options(ec2, instance: dict) -> dict:
    described = ec2.describe_instances(InstanceIds=[instance["InstanceId"]])
    return described["Reservations"][0]["Instances"][0]["MetadataOptions"]


def v2_image(sandbox) -> str:
    """An image of the learner's own, made from Ubuntu, then given ImdsSupport v2.0."""
    ec2 = sandbox.client("ec2")
    instance = launch(ec2, base(sandbox, UBUNTU))["InstanceId"]
    image = ec2.create_image(InstanceId=instance, Name="web-ubuntu")["ImageId"]
    ec2.get_waiter("image_available").wait(ImageIds=[image])
    assert "ImdsSupport" not in ec2.describe_images(ImageIds=[image])["Images"][0]
    ec2.modify_image_attribute(ImageId=image, ImdsSupport={"Value": "v2.0"})
    return image


class TestR50AccountDefaults:
    def test_R50_set_show_and_clear(self, sandbox):
        """Modify sets defaults, Get shows them; no-preference and -1 clear them."""
        ec2 = sandbox.client("ec2")
        assert ec2.get_instance_metadata_defaults()["AccountLevel"] == {"ManagedBy": "account"}
        answer = ec2.modify_instance_metadata_defaults(
            HttpTokens="required", HttpPutResponseHopLimit=3, InstanceMetadataTags="enabled"
        )
        assert answer["Return"] is True
        level = ec2.get_instance_metadata_defaults()["AccountLevel"]
        assert level == {
            "HttpTokens": "required",
            "HttpPutResponseHopLimit": 3,
            "InstanceMetadataTags": "enabled",
            "ManagedBy": "account",
        }
        ec2.modify_instance_metadata_defaults(
            HttpTokens="no-preference", HttpPutResponseHopLimit=-1
        )
        level = ec2.get_instance_metadata_defaults()["AccountLevel"]
        assert level == {"InstanceMetadataTags": "enabled", "ManagedBy": "account"}

    def test_R50_bad_values_refused(self, sandbox):
        """An unknown value or a hop limit outside 1–64 is refused, and nothing changes."""
        ec2 = sandbox.client("ec2")
        modify = ec2.modify_instance_metadata_defaults
        assert error(modify, HttpTokens="sometimes")["Code"] == "InvalidParameterValue"
        assert error(modify, HttpTokens="required", HttpPutResponseHopLimit=65)["Code"] == (
            "InvalidParameterValue"
        )
        assert ec2.get_instance_metadata_defaults()["AccountLevel"] == {"ManagedBy": "account"}

    def test_R50_per_region_new_instances_only(self, sandbox):
        """The default applies to later launches in its Region; earlier instances keep theirs."""
        ec2 = sandbox.client("ec2")
        before = launch(ec2, base(sandbox, UBUNTU))
        ec2.modify_instance_metadata_defaults(HttpTokens="required")
        after = launch(ec2, base(sandbox, UBUNTU))
        assert options(ec2, before)["HttpTokens"] == "optional"
        assert options(ec2, after)["HttpTokens"] == "required"
        west = sandbox.client("ec2", region="us-west-2")
        assert west.get_instance_metadata_defaults()["AccountLevel"] == {"ManagedBy": "account"}

    def test_R50_launch_parameters_win(self, sandbox):
        """Values given at launch override the account default, option by option."""
        ec2 = sandbox.client("ec2")
        ec2.modify_instance_metadata_defaults(HttpTokens="required", HttpPutResponseHopLimit=4)
        instance = launch(ec2, base(sandbox), MetadataOptions={"HttpTokens": "optional"})
        got = options(ec2, instance)
        assert (got["HttpTokens"], got["HttpPutResponseHopLimit"]) == ("optional", 4)

    def test_R50_reset_clears_defaults(self, sandbox):
        """A reset sandbox has no account defaults."""
        sandbox.client("ec2").modify_instance_metadata_defaults(HttpTokens="required")
        sandbox.reset()
        level = sandbox.client("ec2").get_instance_metadata_defaults()["AccountLevel"]
        assert level == {"ManagedBy": "account"}


class TestModifyInstanceMetadataOptions:
    def test_R50_options_not_named_keep_their_values(self, sandbox):
        """Changing one option of a running instance leaves the others as they were (moto reset
        the hop limit to 1 and dropped the rest)."""
        ec2 = sandbox.client("ec2")
        instance = launch(ec2, base(sandbox, UBUNTU))
        ec2.modify_instance_metadata_options(
            InstanceId=instance["InstanceId"], HttpPutResponseHopLimit=3
        )
        answer = ec2.modify_instance_metadata_options(
            InstanceId=instance["InstanceId"], HttpTokens="required"
        )["InstanceMetadataOptions"]
        expected = {
            "State": "applied",
            "HttpTokens": "required",
            "HttpPutResponseHopLimit": 3,
            "HttpEndpoint": "enabled",
            "HttpProtocolIpv6": "disabled",
            "InstanceMetadataTags": "disabled",
        }
        assert answer == expected
        assert options(ec2, instance) == expected


class TestR51ImdsSupport:
    def test_R51_v2_image_requires_tokens_and_hop_limit_two(self, sandbox):
        """An AMI with ImdsSupport v2.0 launches HttpTokens required, hop limit 2."""
        ec2 = sandbox.client("ec2")
        got = options(ec2, launch(ec2, v2_image(sandbox)))
        assert (got["HttpTokens"], got["HttpPutResponseHopLimit"]) == ("required", 2)
        plain = options(ec2, launch(ec2, base(sandbox, UBUNTU)))
        assert (plain["HttpTokens"], plain["HttpPutResponseHopLimit"]) == ("optional", 1)
        # Amazon Linux 2023 is registered with ImdsSupport v2.0, as in AWS.
        amazon = options(ec2, launch(ec2, base(sandbox)))
        assert (amazon["HttpTokens"], amazon["HttpPutResponseHopLimit"]) == ("required", 2)

    def test_R51_account_default_and_launch_override_the_ami(self, sandbox):
        """Precedence: launch, then account default, then the AMI."""
        ec2 = sandbox.client("ec2")
        image = v2_image(sandbox)
        ec2.modify_instance_metadata_defaults(HttpTokens="optional")
        got = options(ec2, launch(ec2, image))
        assert (got["HttpTokens"], got["HttpPutResponseHopLimit"]) == ("optional", 2)
        got = options(ec2, launch(ec2, image, MetadataOptions={"HttpPutResponseHopLimit": 5}))
        assert got["HttpPutResponseHopLimit"] == 5

    def test_R51_cannot_be_undone(self, sandbox):
        """Once v2.0, ImdsSupport cannot be taken back."""
        ec2 = sandbox.client("ec2")
        image = v2_image(sandbox)
        refused = error(ec2.modify_image_attribute, ImageId=image, ImdsSupport={"Value": "v1.0"})
        assert refused["Code"] == "InvalidParameterValue"
        assert ec2.describe_images(ImageIds=[image])["Images"][0]["ImdsSupport"] == "v2.0"


class TestDescribeInstanceImageMetadata:
    def test_each_instance_with_its_image(self, sandbox):
        """Every instance of the caller in the Region, with its AMI's details."""
        ec2 = sandbox.client("ec2")
        instance = launch(
            ec2,
            base(sandbox),
            TagSpecifications=[
                {"ResourceType": "instance", "Tags": [{"Key": "Team", "Value": "web"}]}
            ],
        )
        (entry,) = ec2.describe_instance_image_metadata()["InstanceImageMetadata"]
        assert entry["InstanceId"] == instance["InstanceId"]
        assert entry["State"]["Name"] == "running"
        assert entry["Tags"] == [{"Key": "Team", "Value": "web"}]
        image = entry["ImageMetadata"]
        assert image["ImageId"] == base(sandbox)
        assert image["ImageOwnerAlias"] == "amazon"
        assert image["IsPublic"] is True
        assert "ImageAllowed" not in image  # Allowed AMIs is disabled
        partner = sandbox.client("ec2", account="partner")
        assert partner.describe_instance_image_metadata()["InstanceImageMetadata"] == []

    def test_image_no_longer_visible_gives_only_its_id(self, sandbox):
        """Once the AMI is deregistered, only its ID is reported."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox, name="short-lived")
        instance = launch(ec2, image)
        ec2.deregister_image(ImageId=image)
        found = ec2.describe_instance_image_metadata(InstanceIds=[instance["InstanceId"]])
        assert found["InstanceImageMetadata"][0]["ImageMetadata"] == {"ImageId": image}

    def test_filters(self, sandbox):
        """Filters by instance ID and state; an unknown filter is refused."""
        ec2 = sandbox.client("ec2")
        first = launch(ec2, base(sandbox))["InstanceId"]
        launch(ec2, base(sandbox))
        found = ec2.describe_instance_image_metadata(
            Filters=[{"Name": "instance-id", "Values": [first]}]
        )["InstanceImageMetadata"]
        assert [f["InstanceId"] for f in found] == [first]
        refused = error(
            ec2.describe_instance_image_metadata, Filters=[{"Name": "colour", "Values": ["x"]}]
        )
        assert refused["Code"] == "InvalidParameterValue"


class TestSerialConsoleAccess:
    def test_off_until_enabled_per_region(self, sandbox):
        """Disabled at first; Enable/Disable change one account in one Region."""
        ec2 = sandbox.client("ec2")
        answer = ec2.get_serial_console_access_status()
        assert (answer["SerialConsoleAccessEnabled"], answer["ManagedBy"]) == (False, "account")
        assert ec2.enable_serial_console_access()["SerialConsoleAccessEnabled"] is True
        assert ec2.get_serial_console_access_status()["SerialConsoleAccessEnabled"] is True
        west = sandbox.client("ec2", region="us-west-2")
        partner = sandbox.client("ec2", account="partner")
        assert west.get_serial_console_access_status()["SerialConsoleAccessEnabled"] is False
        assert partner.get_serial_console_access_status()["SerialConsoleAccessEnabled"] is False
        assert ec2.disable_serial_console_access()["SerialConsoleAccessEnabled"] is False
        assert ec2.get_serial_console_access_status()["SerialConsoleAccessEnabled"] is False

    def test_reset_turns_it_off(self, sandbox):
        """A reset sandbox starts with serial console access off."""
        sandbox.client("ec2").enable_serial_console_access()
        sandbox.reset()
        status = sandbox.client("ec2").get_serial_console_access_status()
        assert status["SerialConsoleAccessEnabled"] is False
