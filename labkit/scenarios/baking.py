"""The lab accounts' own images and keys, made through boto3 as the lessons teach."""

from __future__ import annotations

from typing import Any

__all__ = ["bake", "bake_in_region", "customer_key", "ready_now", "record_written"]


def bake(
    sandbox: Any,
    name: str,
    *packages: str,
    account: str = "learner",
    data_volume_gib: int = 0,
    kms_key_id: str | None = None,
    tags: dict[str, str] | None = None,
) -> str:
    """An image made as lesson 2 teaches: launch Amazon Linux, install, create_image, terminate."""
    from ..catalog import image_id
    from ..sandbox.provisioning import install_software

    ec2 = sandbox.client("ec2", account=account)
    root: dict[str, Any] = {"VolumeSize": 8, "VolumeType": "gp3", "DeleteOnTermination": True}
    if kms_key_id:
        root.update(Encrypted=True, KmsKeyId=kms_key_id)
    mappings = [{"DeviceName": "/dev/xvda", "Ebs": root}]
    if data_volume_gib:
        data = {"VolumeSize": data_volume_gib, "VolumeType": "gp3", "DeleteOnTermination": True}
        if kms_key_id:
            data.update(Encrypted=True, KmsKeyId=kms_key_id)
        mappings.append({"DeviceName": "/dev/xvdb", "Ebs": data})
    instance = ec2.run_instances(
        ImageId=image_id("al2023-x86_64", sandbox.home_region),
        InstanceType="t3.micro",
        MinCount=1,
        MaxCount=1,
        BlockDeviceMappings=mappings,
    )["Instances"][0]["InstanceId"]
    if packages:
        install_software(sandbox, instance, *packages, account=account)
    tag_list = [{"Key": k, "Value": v} for k, v in (tags or {}).items()]
    answer = ec2.create_image(
        InstanceId=instance,
        Name=name,
        TagSpecifications=[{"ResourceType": "image", "Tags": tag_list}] if tag_list else [],
    )
    ec2.terminate_instances(InstanceIds=[instance])
    ready_now(sandbox.home_region, images=[answer["ImageId"]])
    return answer["ImageId"]


def ready_now(region: str, *, images: Any = (), snapshots: Any = ()) -> None:
    """Images available (with their snapshots) and snapshots completed, as a waiter would leave
    them, at once: a starting state needs no DescribeImages polls (about 6 ms a waiter)."""
    from ..fidelity.images import backends_in_region, find_image, image_snapshots
    from ..fidelity.pending import mark_ready

    for image_id in images:
        image = find_image(region, image_id)
        mark_ready(image)
        for snapshot in image_snapshots(image):
            mark_ready(snapshot)
    for snapshot_id in snapshots:
        for backend in backends_in_region(region):
            if snapshot_id in backend.snapshots:
                mark_ready(backend.snapshots[snapshot_id])


def customer_key(sandbox: Any, alias: str, description: str) -> str:
    """A customer managed KMS key of the learner's, with an alias; returns its ARN."""
    kms = sandbox.client("kms")
    key = kms.create_key(Description=description)["KeyMetadata"]
    kms.create_alias(AliasName=alias, TargetKeyId=key["KeyId"])
    return key["Arn"]


def record_written(sandbox: Any, region: str, volume_id: str, gib: float) -> None:
    """Record ``gib`` of data written on a volume (the sandbox's stand-in for copying files)."""
    from labkit.seam.moto import ec2_backends

    ec2_backends[sandbox.account_id("learner")][region].volumes[volume_id].lab_data_gib = gib


def bake_in_region(
    sandbox: Any, region: str, name: str, packages: tuple, data: float, size: int
) -> str:
    """A learner's image baked in ``region`` as lesson 2 teaches, tagged with its name.

    Args:
        packages: the software installed before the image is made.
        data: GiB written on the data volume (``/dev/xvdb``), when there is one.
        size: the data volume's size in GiB; 0 for no data volume.
    """
    from ..catalog import image_id
    from ..sandbox.provisioning import install_software

    ec2 = sandbox.client("ec2", region=region)
    mappings = [{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8, "VolumeType": "gp3"}}]
    if size:
        mappings.append(
            {"DeviceName": "/dev/xvdb", "Ebs": {"VolumeSize": size, "VolumeType": "gp3"}}
        )
    builder = ec2.run_instances(
        ImageId=image_id("al2023-x86_64", region),
        InstanceType="t3.micro",
        MinCount=1,
        MaxCount=1,
        BlockDeviceMappings=mappings,
    )["Instances"][0]["InstanceId"]
    install_software(sandbox, builder, *packages, region=region)
    for mapping in ec2.describe_instances(InstanceIds=[builder])["Reservations"][0]["Instances"][0][
        "BlockDeviceMappings"
    ]:
        if mapping["DeviceName"] == "/dev/xvdb":
            record_written(sandbox, region, mapping["Ebs"]["VolumeId"], float(data))
    tags = [{"Key": "Name", "Value": name}]
    image = ec2.create_image(
        InstanceId=builder,
        Name=name,
        TagSpecifications=[
            {"ResourceType": "image", "Tags": tags},
            {"ResourceType": "snapshot", "Tags": tags},
        ],
    )["ImageId"]
    ready_now(region, images=[image])
    ec2.terminate_instances(InstanceIds=[builder])
    return image
