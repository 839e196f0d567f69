"""labkit.explain.aws_errors: every AWS code the lab explains, caused for real in a sandbox."""

from __future__ import annotations

import itertools

import pytest
from botocore.exceptions import ClientError

from labkit.explain import FailedCall, explain
from labkit.explain.aws_errors import EXPLANATIONS

from .conftest import AL2023, assert_aws_text_untouched, aws_code, caught


def launch(lab, region="us-east-1"):
    ec2 = lab.client("ec2", region=region)
    return ec2.run_instances(ImageId=AL2023, InstanceType="t3.micro", MinCount=1, MaxCount=1)[
        "Instances"
    ][0]["InstanceId"]


_names = itertools.count()


def own_image(lab, name=None):
    """A new image of the learner's (a fresh name unless one is given: the lab is shared)."""
    name = name or f"image-{next(_names)}"
    return lab.client("ec2").create_image(InstanceId=launch(lab), Name=name)["ImageId"]


def share(lab, image, who):
    lab.client("ec2").get_waiter("image_available").wait(ImageIds=[image])  # pending: not sharable
    return lab.client("ec2").modify_image_attribute(ImageId=image, LaunchPermission={"Add": [who]})


def snapshot_of(lab, image):
    (found,) = lab.client("ec2").describe_images(ImageIds=[image])["Images"]
    return found["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]


def key(lab, account="learner"):
    return lab.client("kms", account=account).create_key()["KeyMetadata"]["KeyId"]


# Each code the table explains, and an action that makes AWS (the sandbox) answer with it.
TRIGGERS = {
    "InvalidAMIName.Duplicate": lambda lab: (
        own_image(lab, "dup-twice"),
        lab.client("ec2").copy_image(
            Name="dup-twice", SourceImageId=AL2023, SourceRegion="us-east-1"
        ),
    ),
    "InvalidAMIName.Malformed": lambda lab: lab.client("ec2").copy_image(
        Name="bad:name", SourceImageId=AL2023, SourceRegion="us-east-1"
    ),
    "InvalidAMIID.Malformed": lambda lab: lab.client("ec2").describe_images(ImageIds=["ami-xyz"]),
    "InvalidAMIID.NotFound": lambda lab: lab.client("ec2").describe_images(
        ImageIds=["ami-0123456789abcdef0"]
    ),
    "InvalidAMIID.Unavailable": lambda lab: (
        image := own_image(lab),
        lab.client("ec2").disable_image(ImageId=image),
        lab.client("ec2").copy_image(Name="c", SourceImageId=image, SourceRegion="us-east-1"),
    ),
    "AuthFailure": lambda lab: (
        image := own_image(lab),
        share(lab, image, {"UserId": lab.account_id("partner")}),
        lab.client("ec2", account="partner").modify_image_attribute(
            ImageId=image, LaunchPermission={"Add": [{"UserId": lab.account_id("seller")}]}
        ),
    ),
    "InvalidAMIAttributeItemValue": lambda lab: share(
        lab, own_image(lab), {"OrganizationalUnitArn": "ou-abcd-12345678"}
    ),
    "InvalidUserID.Malformed": lambda lab: lab.client("ec2").modify_snapshot_attribute(
        SnapshotId=snapshot_of(lab, own_image(lab)),
        Attribute="createVolumePermission",
        OperationType="add",
        UserIds=["123"],
    ),
    "InvalidParameter": lambda lab: share(
        lab,
        lab.client("ec2").copy_image(
            Name=f"on-aws-ebs-{next(_names)}",
            SourceImageId=AL2023,
            SourceRegion="us-east-1",
            Encrypted=True,
        )["ImageId"],
        {"UserId": lab.account_id("partner")},
    ),
    "InvalidParameterDependency": lambda lab: lab.client("ec2").copy_image(
        Name=f"kms-copy-{next(_names)}",
        SourceImageId=AL2023,
        SourceRegion="us-east-1",
        KmsKeyId=key(lab),
    ),
    "IncorrectInstanceState": lambda lab: (
        instance := launch(lab),
        lab.client("ec2").terminate_instances(InstanceIds=[instance]),
        lab.client("ec2").create_image(InstanceId=instance, Name="from-terminated"),
    ),
    "InvalidInstanceID.NotFound": lambda lab: lab.client("ec2").create_image(
        InstanceId="i-0123456789abcdef0", Name="nothing"
    ),
    "InvalidSnapshot.NotFound": lambda lab: lab.client("ec2").describe_snapshots(
        SnapshotIds=["snap-0123456789abcdef0"]
    ),
    "InvalidSnapshot.InUse": lambda lab: lab.client("ec2").delete_snapshot(
        SnapshotId=snapshot_of(lab, own_image(lab))
    ),
    "OperationNotPermitted": lambda lab: (
        image := own_image(lab),
        lab.client("ec2").enable_image_deregistration_protection(ImageId=image),
        lab.client("ec2").deregister_image(ImageId=image),
    ),
    "NotFoundException": lambda lab: lab.client("kms").describe_key(KeyId="alias/nothing-here"),
    "AlreadyExistsException": lambda lab: [
        lab.client("kms").create_alias(AliasName="alias/twice", TargetKeyId=key(lab))
        for _ in range(2)
    ],
    "KMSInvalidStateException": lambda lab: (
        k := key(lab),
        lab.client("kms").schedule_key_deletion(KeyId=k, PendingWindowInDays=7),
        lab.client("kms").enable_key(KeyId=k),
    ),
    "InvalidRequestException": lambda lab: lab.client("dlm").create_lifecycle_policy(
        ExecutionRoleArn="arn:aws:iam::111111111111:role/AWSDataLifecycleManagerDefaultRole",
        Description="every hour, kept by the hour",
        State="ENABLED",
        PolicyDetails={
            "PolicyType": "IMAGE_MANAGEMENT",
            "ResourceTypes": ["INSTANCE"],
            "TargetTags": [{"Key": "AmiBackup", "Value": "reports"}],
            "Schedules": [
                {
                    "Name": "hourly",
                    "CreateRule": {"Interval": 12, "IntervalUnit": "HOURS"},
                    "RetainRule": {"Interval": 14, "IntervalUnit": "HOURS"},
                }
            ],
        },
    ),
    "ValidationException": lambda lab: lab.client("rbin").create_rule(
        ResourceType="EC2_AMI",
        RetentionPeriod={"RetentionPeriodValue": 30, "RetentionPeriodUnit": "DAYS"},
    ),
}

# Codes whose situations need a lesson's state to arise (a Marketplace image shared by the seller,
# a pending snapshot, a partner's key policy): their entries are checked on a made-up error with
# the call that gets them, as the lesson tests cause the real ones.
SYNTHETIC = {
    "UnsupportedOperation": FailedCall("ec2", "CopyImage", {}, "us-east-1", "learner"),
    "InvalidRequest": FailedCall("ec2", "CopyImage", {}, "us-east-1", "learner"),
    "IncorrectState": FailedCall("ec2", "RegisterImage", {}, "us-east-1", "learner"),
    "InvalidKMSKey.InvalidState": FailedCall("ec2", "CopyImage", {}, "us-east-1", "learner"),
    "AccessDeniedException": FailedCall("kms", "Encrypt", {}, "us-east-1", "partner"),
    "InvalidParameterValue": FailedCall("ec2", "RunInstances", {}, "us-east-1", "learner"),
    "InvalidParameterCombination": FailedCall("ec2", "CopyImage", {}, "us-east-1", "learner"),
    "MissingParameter": FailedCall("ec2", "RegisterImage", {}, "us-east-1", "learner"),
    "InvalidSnapshotID.Malformed": FailedCall("ec2", "DescribeSnapshots", {}, None, None),
    "InvalidInstanceID.Malformed": FailedCall("ec2", "CreateImage", {}, None, None),
}
MESSAGES = {
    "UnsupportedOperation": "The AMI is an AWS Marketplace AMI and cannot be copied.",
    "InvalidRequest": "Copying an AWS Marketplace AMI shared with you is not supported.",
}


def test_every_entry_is_tested():
    """Each code in the table is caused for real here, or checked on the call that gets it."""
    assert set(EXPLANATIONS) == set(TRIGGERS) | set(SYNTHETIC)


@pytest.mark.parametrize("code", sorted(TRIGGERS))
def test_real_error_gets_its_explanation(lab, code):
    """The sandbox answers with that code; the lab explains it, and AWS's text is untouched."""
    error, call, explanation = caught(lab, lambda: TRIGGERS[code](lab))
    assert aws_code(error) == code
    assert_aws_text_untouched(error, explanation)
    assert call is not None and call.account in ("learner", "partner")


@pytest.mark.parametrize("code", sorted(SYNTHETIC))
def test_entry_explains_its_call(code):
    """For codes a lesson's state causes, the entry gives an explanation for the call."""
    error = ClientError(
        {"Error": {"Code": code, "Message": MESSAGES.get(code, "AWS's text")}},
        SYNTHETIC[code].operation,
    )
    explanation = explain(error, SYNTHETIC[code])
    assert_aws_text_untouched(error, explanation)


class TestGovernanceServices:
    def test_a_kms_validation_error_gets_no_recycle_bin_words(self, lab):
        """ValidationException is KMS's code too: the Recycle Bin's explanation is for rbin only."""
        error = ClientError(
            {"Error": {"Code": "ValidationException", "Message": "1 validation error detected"}},
            "CreateGrant",
        )
        assert explain(error, FailedCall("kms", "CreateGrant", {}, "us-east-1", "learner")) is None

    def test_a_misspelt_resource_type_is_explained(self, lab):
        error, _, explanation = caught(lab, lambda: TRIGGERS["ValidationException"](lab))
        assert aws_code(error) == "ValidationException" and "'EC2_AMI'" in str(error)
        assert "not among them" in explanation.meaning


class TestRerunningALock:
    def test_the_same_compliance_lock_twice_is_explained_as_a_rerun(self, lab):
        """A lock cell run twice: AWS refuses the second, and the box says why and what to read."""
        ec2 = lab.client("ec2")
        snapshot = snapshot_of(lab, own_image(lab))
        lock = {"SnapshotId": snapshot, "LockMode": "compliance", "ExpirationDate": "2030-01-01"}
        error, _, explanation = caught(lab, lambda: [ec2.lock_snapshot(**lock) for _ in range(2)])
        assert aws_code(error) == "OperationNotPermitted"
        assert_aws_text_untouched(error, explanation)
        assert "earlier run of this cell" in explanation.meaning
        assert "describe_locked_snapshots" in explanation.next_step


class TestContext:
    def test_a_rerun_names_the_image_the_first_run_made(self, lab):
        """Running a create cell twice: the explanation names the image the first run made."""
        error, _, explanation = caught(
            lab,
            lambda: [
                lab.client("ec2").copy_image(
                    Name="golden-rerun", SourceImageId=AL2023, SourceRegion="us-east-1"
                )
                for _ in range(2)
            ],
        )
        (image,) = lab.client("ec2").describe_images(
            Owners=["self"], Filters=[{"Name": "name", "Values": ["golden-rerun"]}]
        )["Images"]
        assert image["ImageId"] in explanation.meaning
        assert "earlier run" in explanation.meaning

    def test_an_image_in_another_region_is_located(self, lab):
        """Describing your own image from the wrong Region: the explanation says where it is."""
        image = own_image(lab)
        error, _, explanation = caught(
            lab, lambda: lab.client("ec2", region="us-west-2").describe_images(ImageIds=[image])
        )
        assert aws_code(error) == "InvalidAMIID.NotFound"
        assert "us-east-1" in explanation.meaning and "Region" in explanation.meaning

    def test_an_image_not_shared_is_said_to_be_invisible(self, lab):
        """The partner asking for the learner's unshared image is told it is not shared."""
        image = own_image(lab)
        error, _, explanation = caught(
            lab, lambda: lab.client("ec2", account="partner").describe_images(ImageIds=[image])
        )
        assert "cannot see it" in explanation.meaning

    def test_an_ou_id_is_asked_for_as_an_arn(self, lab):
        """Sharing with a bare ou- ID: the explanation asks for the OU's full ARN."""
        _, _, explanation = caught(lab, lambda: TRIGGERS["InvalidAMIAttributeItemValue"](lab))
        assert "full ARN" in explanation.meaning

    def test_an_account_id_with_dashes_is_read_digit_by_digit(self, lab):
        """An ID written as the console shows it (dashes): AWS's own words, and the lab says the
        dashes are not part of the ID, without writing the corrected call."""
        image = own_image(lab)
        error, _, explanation = caught(lab, lambda: share(lab, image, {"UserId": "4444-5555-6666"}))
        assert error.response["Error"] == {
            "Code": "InvalidAMIAttributeItemValue",
            "Message": 'Invalid attribute item value "4444-5555-6666" for userId item type.',
        }
        assert_aws_text_untouched(error, explanation)
        assert "dashes" in explanation.meaning
        assert "444455556666" not in explanation.meaning + explanation.next_step

    def test_an_image_tagged_at_launch_is_explained(self, lab):
        """run_instances with ResourceType 'image': AWS's words, and the lab says what a launch
        can tag, without the corrected call."""
        error, _, explanation = caught(
            lab,
            lambda: lab.client("ec2").run_instances(
                ImageId=AL2023,
                MinCount=1,
                MaxCount=1,
                TagSpecifications=[
                    {"ResourceType": "image", "Tags": [{"Key": "Name", "Value": "x"}]}
                ],
            ),
        )
        assert aws_code(error) == "InvalidParameterValue"
        assert_aws_text_untouched(error, explanation)
        assert "only what the launch makes" in explanation.meaning

    def test_an_instance_tagged_by_create_image_is_explained(self, lab):
        """create_image with ResourceType 'instance': AWS's words alone in the message (no
        advice appended), and the lab names what create_image can tag."""
        error, _, explanation = caught(
            lab,
            lambda: lab.client("ec2").create_image(
                InstanceId=launch(lab),
                Name=f"tagged-{next(_names)}",
                TagSpecifications=[
                    {"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "x"}]}
                ],
            ),
        )
        assert error.response["Error"]["Message"] == (
            "'instance' is not a valid taggable resource type for this operation."
        )
        assert_aws_text_untouched(error, explanation)
        assert "('image')" in explanation.meaning and "('snapshot')" in explanation.meaning

    def test_kms_key_id_without_encrypted(self, lab):
        """KmsKeyId without Encrypted=True: the explanation says to add Encrypted=True."""
        _, _, explanation = caught(lab, lambda: TRIGGERS["InvalidParameterDependency"](lab))
        assert "Encrypted=True" in explanation.next_step

    def test_a_key_the_partner_may_not_use_is_explained_beside_awss_words(self, lab):
        """EC2 says only that the key is in an incorrect state; the lab says why, from its rule."""
        learner = lab.client("ec2")
        kms_key, source = key(lab), own_image(lab)
        learner.get_waiter("image_available").wait(ImageIds=[source])
        image = learner.copy_image(
            Name=f"enc-{next(_names)}",
            SourceImageId=source,
            SourceRegion="us-east-1",
            Encrypted=True,
            KmsKeyId=kms_key,
        )["ImageId"]
        share(lab, image, {"UserId": lab.account_id("partner")})
        partner = lab.client("ec2", account="partner")
        error, _, explanation = caught(
            lab,
            lambda: partner.run_instances(
                ImageId=image, InstanceType="t3.micro", MinCount=1, MaxCount=1
            ),
        )
        assert error.response["Error"] == {
            "Code": "InvalidKMSKey.InvalidState",
            "Message": "The KMS key provided is in an incorrect state",
        }
        assert "has not shared it with account" in explanation.meaning

    def test_unknown_codes_get_no_explanation(self):
        """A code the lab does not know gets no made-up explanation."""
        error = ClientError({"Error": {"Code": "SomethingNew", "Message": "x"}}, "DescribeImages")
        assert explain(error, None) is None
