"""Helpers the fidelity tests share; the ``sandbox`` fixture itself is in ``tests/conftest.py``.

Test modules import them (``from .conftest import error, make_image``) and keep only the helpers
of their own family.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from labkit.catalog import image_id

AL2023 = "al2023-x86_64"
LEARNER, PARTNER = "111111111111", "222222222222"


def error(call: Any, *args: Any, **kwargs: Any) -> dict:
    """The AWS error (``Code`` and ``Message``) that a refused call raises."""
    with pytest.raises(ClientError) as caught:
        call(*args, **kwargs)
    return caught.value.response["Error"]


def base(sandbox: Any, key: str = AL2023, region: str = "us-east-1") -> str:
    """A catalogue image's ID in a Region (Amazon Linux 2023 in us-east-1 by default)."""
    return image_id(key, region)


def launch(ec2: Any, image: str, **kwargs: Any) -> dict:
    """One instance of ``image``, as RunInstances describes it."""
    return ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, **kwargs)["Instances"][0]


def ready_image(ec2: Any, instance_id: str, name: str = "web-v1", **kwargs: Any) -> str:
    """CreateImage from an instance, waiting until the image is available."""
    image = ec2.create_image(InstanceId=instance_id, Name=name, **kwargs)["ImageId"]
    ec2.get_waiter("image_available").wait(ImageIds=[image])
    return image


def make_image(sandbox: Any, account: str = "learner", name: str = "web-v1") -> str:
    """An available image of the account's own, made from an Amazon Linux instance."""
    ec2 = sandbox.client("ec2", account=account)
    return ready_image(ec2, launch(ec2, base(sandbox))["InstanceId"], name=name)


def describe(ec2: Any, image: str) -> dict:
    """DescribeImages' answer for one image."""
    return ec2.describe_images(ImageIds=[image])["Images"][0]


def snapshot_of(ec2: Any, image: str) -> str:
    """The snapshot behind an image's first (root) mapping."""
    return describe(ec2, image)["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]


def give_partner(ec2: Any, snapshot_id: str) -> None:
    """Give the partner create-volume permission on a snapshot."""
    ec2.modify_snapshot_attribute(
        SnapshotId=snapshot_id,
        Attribute="createVolumePermission",
        OperationType="add",
        UserIds=[PARTNER],
    )


def share(sandbox: Any, image: str, account: str = "partner") -> None:
    """The learner shares its image with another lab account (the partner by default)."""
    sandbox.client("ec2").modify_image_attribute(
        ImageId=image, LaunchPermission={"Add": [{"UserId": sandbox.account_id(account)}]}
    )
