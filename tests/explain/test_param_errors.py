"""labkit.explain.param_errors: botocore's refusals before sending, explained."""

from __future__ import annotations

from .conftest import AL2023, assert_aws_text_untouched, caught


class TestParamErrors:
    def test_describe_by_name_points_at_filters(self, lab):
        """describe_images(Name=...) is not a parameter: the explanation shows Filters."""
        error, call, explanation = caught(
            lab, lambda: lab.client("ec2").describe_images(Name="al2023-ami-*")
        )
        assert call.operation == "DescribeImages"
        assert_aws_text_untouched(error, explanation)
        assert "Filters=[{'Name': 'name'" in explanation.next_step

    def test_no_device_true_shows_the_empty_string(self, lab):
        """NoDevice=True is refused by botocore: the explanation shows NoDevice ''."""
        error, _, explanation = caught(
            lab,
            lambda: lab.client("ec2").create_image(
                InstanceId="i-0123456789abcdef0",
                Name="leave-out",
                BlockDeviceMappings=[{"DeviceName": "/dev/sdb", "NoDevice": True}],
            ),
        )
        assert_aws_text_untouched(error, explanation)
        assert "'NoDevice': ''" in explanation.meaning

    def test_missing_parameter_is_named(self, lab):
        """A required parameter left out is named, with where to add it."""
        error, _, explanation = caught(
            lab, lambda: lab.client("ec2").copy_image(SourceImageId=AL2023, SourceRegion="x")
        )
        assert_aws_text_untouched(error, explanation)
        assert "needs Name" in explanation.meaning

    def test_wrong_type_names_both_types(self, lab):
        """A number where a list belongs: the explanation names both kinds."""
        error, _, explanation = caught(
            lab, lambda: lab.client("ec2").describe_images(ImageIds=AL2023)
        )
        assert_aws_text_untouched(error, explanation)
        assert "ImageIds takes a list" in explanation.meaning

    def test_a_misspelt_key_inside_a_dict_is_named(self, lab):
        """A key written with the wrong capitals inside a parameter's dict (LaunchPermission's
        "add"): botocore's words, and the lab names the dict and the key."""
        error, _, explanation = caught(
            lab,
            lambda: lab.client("ec2").modify_image_attribute(
                ImageId=AL2023, LaunchPermission={"add": [{"UserId": "222222222222"}]}
            ),
        )
        assert_aws_text_untouched(error, explanation)
        assert explanation.meaning.startswith(
            "LaunchPermission has a key Add, and the call wrote it add"
        )

    def test_a_misspelt_key_in_a_list_of_dicts_is_named(self, lab):
        """TagSpecifications[0]'s "Resourcetype": the explanation names where it is."""
        error, _, explanation = caught(
            lab,
            lambda: lab.client("ec2").run_instances(
                ImageId=AL2023,
                MinCount=1,
                MaxCount=1,
                TagSpecifications=[{"Resourcetype": "instance", "Tags": []}],
            ),
        )
        assert_aws_text_untouched(error, explanation)
        assert explanation.meaning.startswith(
            "TagSpecifications[0] has a key ResourceType, and the call wrote it Resourcetype"
        )

    def test_a_key_with_the_wrong_capitals_inside_a_parameter(self, lab):
        """{'key': ...} in a policy's TargetTags: the explanation names Key and the place."""
        error, _, explanation = caught(
            lab,
            lambda: lab.client("dlm").create_lifecycle_policy(
                ExecutionRoleArn="arn:aws:iam::111111111111:role/r",
                Description="d",
                State="ENABLED",
                PolicyDetails={"TargetTags": [{"key": "AmiBackup", "Value": "reports"}]},
            ),
        )
        assert_aws_text_untouched(error, explanation)
        assert explanation.meaning.startswith(
            "PolicyDetails.TargetTags[0] has a key Key, and the call wrote it key"
        )

    def test_a_misspelt_key_inside_a_parameter(self, lab):
        """{'ImageProvider': ...} in an Allowed AMIs criterion: no such key, where it was."""
        error, _, explanation = caught(
            lab,
            lambda: lab.client("ec2").replace_image_criteria_in_allowed_images_settings(
                ImageCriteria=[{"ImageProvider": ["amazon"]}]
            ),
        )
        assert_aws_text_untouched(error, explanation)
        assert explanation.meaning == (
            "ImageCriteria[0] has no key called ImageProvider; nothing was sent to AWS."
        )
