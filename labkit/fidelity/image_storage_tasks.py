"""Store an AMI in S3 and restore it: CreateStoreImageTask, DescribeStoreImageTasks,
CreateRestoreImageTask.

AWS guide pages: ami-store-restore ("Store and restore an AMI using S3": an EBS-backed AMI
becomes one object in a bucket of the Region; restoring makes a new AMI, with a new ID, in the
caller's account, named as the original unless a name is given) and work-with-ami-store-restore
("snapshots are decrypted as part of the store process"; the object appears only once the task
has completed; DescribeStoreImageTasks covers the past 31 days); ami-ancestry (R47: a restored
AMI records the stored AMI as its parent).

moto's S3 keeps the object (``<ami-id>.bin``, a JSON description of the image, in the caller's
bucket); what the object holds is remembered on the bucket (``bucket.lab_stored_images``: the
image and its snapshots as they were), so restoring works after the AMI and its snapshots are
gone, and a sandbox reset forgets it with the bucket. Choices (docs/fidelity.md): the task
completes at once; only the owner stores an AMI; an AMI with Marketplace product codes is
refused (``UnsupportedOperation``); restored snapshots are unencrypted.
"""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any

from labkit.seam.moto import ActionResult, EC2Response, moto_core_utils

from . import pending
from .ancestry import record_parent
from .creating import tags_by_type
from .errors import AwsError, invalid_parameter, missing_parameter
from .images import block_device_mappings, image_snapshots
from .lifecycle import owned_image
from .patching import Patches
from .snapshot_copies import full_copy
from .state import STORE_TASKS, STORED_IMAGES

__all__ = ["install"]

#: DescribeStoreImageTasks reports tasks of the past 31 days (API reference).
TASK_HISTORY = _dt.timedelta(days=31)


def _now() -> _dt.datetime:
    return moto_core_utils.utcnow()


def _bucket(account_id: str, region: str, name: Any) -> Any:
    """The caller's bucket in this Region, or the error S3 access would give."""
    from labkit.seam.moto import s3_backends

    if not name:
        raise missing_parameter("Bucket")
    bucket = s3_backends[account_id]["aws"].buckets.get(name)
    if bucket is None:
        for account in list(s3_backends.values()):
            other = dict.get(account, "aws")
            if other is not None and name in other.buckets:  # someone else's bucket
                raise AwsError("AccessDenied", f"Access Denied for bucket: {name}")
        raise invalid_parameter(f"The bucket '{name}' does not exist")
    if bucket.region_name != region:
        raise invalid_parameter(f"The bucket '{name}' is not in {region}")
    return bucket


def _tasks(backend: Any) -> dict[str, dict[str, Any]]:
    store = STORE_TASKS.get(backend)
    if store is None:
        store = backend.lab_store_tasks = {}
    return store


def create_store_image_task(backend: Any, image_id: str, bucket_name: str, tags: list) -> str:
    """CreateStoreImageTask: the AMI becomes one object in the bucket; returns its key."""
    from labkit.seam.moto import s3_backends

    image = owned_image(backend, image_id, "store")
    if image.product_codes:
        raise AwsError(
            "UnsupportedOperation", f"The AMI {image_id} has AWS Marketplace product codes"
        )
    bucket = _bucket(backend.account_id, backend.region_name, bucket_name)
    key = f"{image.id}.bin"
    body = {"ImageId": image.id, "Name": image.name, "Region": backend.region_name}
    s3 = s3_backends[backend.account_id]["aws"]
    s3.put_object(bucket.name, key, json.dumps(body).encode())
    stored = STORED_IMAGES.get(bucket)
    if stored is None:
        stored = bucket.lab_stored_images = {}
    stored[key] = {"image": image, "snapshots": image_snapshots(image)}
    if tags:
        s3.put_object_tagging(s3.get_object(bucket.name, key), {t["Key"]: t["Value"] for t in tags})
    _tasks(backend)[image.id] = {
        "AmiId": image.id,
        "TaskStartTime": _now(),
        "Bucket": bucket.name,
        "S3objectKey": key,
        "ProgressPercentage": 100,
        "StoreTaskState": "Completed",
    }
    return key


def describe_store_image_tasks(backend: Any, image_ids: list, filters: list) -> list[dict]:
    """DescribeStoreImageTasks: the caller's tasks of the past 31 days."""
    since = _now() - TASK_HISTORY
    tasks = [t for t in _tasks(backend).values() if t["TaskStartTime"] >= since]
    if image_ids:
        tasks = [t for t in tasks if t["AmiId"] in image_ids]
    fields = {"task-state": "StoreTaskState", "bucket": "Bucket"}
    for entry in filters:
        field = fields.get(entry.get("Name", ""))
        if field is None:
            raise invalid_parameter(f"The filter '{entry.get('Name')}' is invalid")
        tasks = [t for t in tasks if t[field] in entry.get("Values", [])]
    return tasks


def create_restore_image_task(
    backend: Any, bucket_name: str, key: Any, name: str | None, tag_specifications: list
) -> str:
    """CreateRestoreImageTask: a new AMI, with new unencrypted snapshots, from a stored object."""
    if not key:
        raise missing_parameter("ObjectKey")
    bucket = _bucket(backend.account_id, backend.region_name, bucket_name)
    stored = (STORED_IMAGES.get(bucket) or {}).get(key)
    if stored is None:
        raise invalid_parameter(f"The object '{key}' in bucket '{bucket.name}' is not a stored AMI")
    source = stored["image"]
    tags = tags_by_type(tag_specifications or [], ("image", "snapshot"))
    copies = {}
    for snapshot in stored["snapshots"]:
        copy = full_copy(
            backend,
            snapshot,
            f"Created by CreateRestoreImageTask for {source.id}",
            False,
            None,
            tags["snapshot"],
        )
        pending.mark_ready(copy)
        copies[snapshot.id] = copy.id
    mappings = []
    for mapping in block_device_mappings(source):
        ebs = dict(mapping.get("Ebs") or {})
        if ebs.get("SnapshotId") in copies:
            ebs["SnapshotId"] = copies[ebs["SnapshotId"]]
            ebs.update(Encrypted=False)
            ebs.pop("KmsKeyId", None)
        mappings.append({**mapping, "Ebs": ebs} if ebs else dict(mapping))
    image = backend.register_image(
        name or source.name,
        source.description,
        root_device_name=source.root_device_name,
        block_device_mappings=mappings,
        architecture=source.architecture,
        virtualization_type=source.virtualization_type,
        boot_mode=getattr(source, "boot_mode", None),
        ena_support=getattr(source, "ena_support", None),
        imds_support=getattr(source, "imds_support", None),
        tag_specifications=[{"ResourceType": "image", "Tags": _tag_list(tags["image"])}]
        if tags["image"]
        else [],
    )
    image.platform = source.platform
    image.platform_details = getattr(source, "platform_details", image.platform_details)
    image.usage_operation = getattr(source, "usage_operation", image.usage_operation)
    record_parent(image, source.id, source.ec2_backend.region_name)
    return image.id


def _tag_list(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in tags.items()]


def _store_response(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    key = create_store_image_task(
        self.ec2_backend,
        self._get_param("ImageId"),
        self._get_param("Bucket"),
        self._get_param("S3ObjectTags", []),
    )
    return ActionResult({"ObjectKey": key})


def _describe_response(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    tasks = describe_store_image_tasks(
        self.ec2_backend, self._get_param("ImageIds", []), self._get_param("Filters", [])
    )
    return ActionResult({"StoreImageTaskResults": tasks})


def _restore_response(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    image_id = create_restore_image_task(
        self.ec2_backend,
        self._get_param("Bucket"),
        self._get_param("ObjectKey"),
        self._get_param("Name"),
        self._get_param("TagSpecifications", []),
    )
    return ActionResult({"ImageId": image_id})


def install(patches: Patches) -> None:
    """CreateStoreImageTask, DescribeStoreImageTasks and CreateRestoreImageTask."""
    patches.add(EC2Response, "create_store_image_task", _store_response)
    patches.add(EC2Response, "describe_store_image_tasks", _describe_response)
    patches.add(EC2Response, "create_restore_image_task", _restore_response)
