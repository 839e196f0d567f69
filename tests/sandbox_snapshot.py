"""A snapshot of the whole sandbox, as the lab's accounts see it: what a test compares before
and after a call that must change nothing (a refused call, a cancelled widget action).

Used by tests/reliability (the property tests) and tests/widgets.
"""

from __future__ import annotations

from typing import Any


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
