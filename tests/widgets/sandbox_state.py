"""Reading and setting up sandbox state for the widget tests, with plain boto3 (the snapshot
they compare is tests/sandbox_snapshot.py)."""

from __future__ import annotations

from typing import Any

PARTNER = "222222222222"


def encrypted_copy(lab: Any, image_id: str, kms_key_id: str | None = None) -> str:
    """A copy of the learner's image in us-east-1 with encrypted snapshots (aws/ebs by default)."""
    ec2 = lab.client("ec2")
    params = {"KmsKeyId": kms_key_id} if kms_key_id else {}
    copy = ec2.copy_image(
        SourceImageId=image_id,
        SourceRegion="us-east-1",
        Name="web-encrypted",
        Encrypted=True,
        **params,
    )["ImageId"]
    ec2.get_waiter("image_available").wait(ImageIds=[copy])
    return copy


def launch_permissions(lab: Any, image_id: str, region: str = "us-east-1") -> list[dict]:
    ec2 = lab.client("ec2", region)
    answer = ec2.describe_image_attribute(ImageId=image_id, Attribute="launchPermission")
    return answer["LaunchPermissions"]
