"""What the property tests compare and allow: a snapshot of the whole sandbox, and clear errors."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError, ParamValidationError, UnknownServiceError
from traitlets import TraitError

from labkit import SandboxError

#: Errors a learner can act on: each names what was wrong. Anything else (KeyError,
#: AttributeError, TypeError, NotImplementedError, OverflowError…) is a Python error from inside
#: labkit or moto.
CLEAR_ERRORS = (
    ValueError,  # labkit's own refusals, ProvisioningError among them
    SandboxError,
    ClientError,  # AWS's answer, as real boto3 raises it
    ParamValidationError,  # botocore's check of the request, before it is sent
    UnknownServiceError,  # boto3's answer to a service name it does not know
    TraitError,  # a widget's trait given a value of the wrong type
)


def assert_clear(error: BaseException) -> None:
    """A refusal is one of the clear errors, and says something."""
    assert isinstance(error, CLEAR_ERRORS), f"{type(error).__module__}.{type(error).__name__}"
    assert str(error).strip(), f"{type(error).__name__} with no message"


def snapshot(sandbox: Any) -> dict[str, Any]:
    """Everything a refused call could have changed, as the lab's accounts see it.

    Images, instances and snapshots of every account in every Region, with the launch and
    create-volume permissions of each account's own images and snapshots, and the clock.
    """
    state: dict[str, Any] = {"clock": sandbox.clock.offset}
    for account, account_id in sandbox.accounts.items():
        for region in sandbox.regions:
            ec2 = sandbox.client("ec2", region=region, account=account)
            images = ec2.describe_images(Owners=["self"])["Images"]
            for image in images:
                image["LaunchPermissions"] = ec2.describe_image_attribute(
                    ImageId=image["ImageId"], Attribute="launchPermission"
                )["LaunchPermissions"]
            snapshots = ec2.describe_snapshots(
                Filters=[{"Name": "owner-id", "Values": [account_id]}]
            )["Snapshots"]
            for snap in snapshots:
                snap["CreateVolumePermissions"] = ec2.describe_snapshot_attribute(
                    SnapshotId=snap["SnapshotId"], Attribute="createVolumePermission"
                )["CreateVolumePermissions"]
            instances = [
                instance
                for reservation in ec2.describe_instances()["Reservations"]
                for instance in reservation["Instances"]
            ]
            state[f"{account} {region}"] = {
                "images": sorted(images, key=lambda i: i["ImageId"]),
                "snapshots": sorted(snapshots, key=lambda s: s["SnapshotId"]),
                "instances": sorted(instances, key=lambda i: i["InstanceId"]),
            }
    return state
