"""What the checks' tests share: running a check that must pass or fail, and the steps several
lessons' tests take (launch an instance, list an image's snapshots, share with the partner)."""

from __future__ import annotations

from typing import Any

from labkit import Lab
from labkit.checks import CheckResult, get_exercise, run_check

PARTNER = "222222222222"
PARTNER_ROOT = f"arn:aws:iam::{PARTNER}:root"
SELLER = "333333333333"
#: What the EBS guide (share-kms-key) asks another account to be allowed on a shared key, written
#: out here rather than read from the sandbox, so that a change to the sandbox's list shows.
EBS_OPERATIONS = [
    "Decrypt",
    "DescribeKey",
    "CreateGrant",
    "ReEncryptFrom",
    "GenerateDataKey",
    "GenerateDataKeyWithoutPlaintext",
]


def passes(exercise_id: str, sandbox: Any, **answers: Any) -> CheckResult:
    """Run a check on a state it must accept; the result, for its message.

    ``test_honest_checks.py`` counts the tests that call this: every check needs one.
    """
    get_exercise(exercise_id)  # a misspelt ID is an error here, not a check that fails
    result = run_check(exercise_id, sandbox, **answers)
    assert result.passed, f"{exercise_id} failed on a right state: {result.message}"
    return result


def fails(exercise_id: str, sandbox: Any, **answers: Any) -> CheckResult:
    """Run a check on a wrong state it must refuse; the result, for its message and hint.

    ``test_honest_checks.py`` counts the tests that call this: every check needs one.
    """
    get_exercise(exercise_id)  # run_check answers ❌ for an unknown ID: that proves nothing
    result = run_check(exercise_id, sandbox, **answers)
    assert not result.passed, f"{exercise_id} passed on a wrong state: {result.message}"
    return result


def launch(
    lab: Lab,
    image_id: str,
    *,
    region: str = "us-east-1",
    account: str = "learner",
    instance_type: str = "t3.micro",
    **extra: Any,
) -> str:
    """Launch one instance of an image; its ID."""
    answer = lab.client("ec2", region=region, account=account).run_instances(
        ImageId=image_id, InstanceType=instance_type, MinCount=1, MaxCount=1, **extra
    )
    return answer["Instances"][0]["InstanceId"]


def snapshots_of(lab: Lab, image_id: str, region: str = "us-east-1") -> list[str]:
    """The snapshots of an image's EBS volumes, in the order of its block device mappings."""
    image = lab.client("ec2", region=region).describe_images(ImageIds=[image_id])["Images"][0]
    return [m["Ebs"]["SnapshotId"] for m in image["BlockDeviceMappings"] if "Ebs" in m]


def share_with_partner(lab: Lab, image_id: str, region: str = "us-east-1") -> None:
    """A launch permission on the image for the partner's account."""
    lab.client("ec2", region=region).modify_image_attribute(
        ImageId=image_id, LaunchPermission={"Add": [{"UserId": PARTNER}]}
    )


def image_of_an_instance(lab: Lab, image_id: str, name: str) -> tuple[str, str]:
    """Launch an instance of an image and create an image from it; both IDs."""
    instance = launch(lab, image_id)
    return instance, lab.client("ec2").create_image(InstanceId=instance, Name=name)["ImageId"]
