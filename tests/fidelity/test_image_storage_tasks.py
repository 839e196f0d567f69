"""Storing an AMI in S3 and restoring it (R47: the restored AMI names the stored one)."""

from __future__ import annotations

from .conftest import describe, error, make_image, snapshot_of

BUCKET = "lab-ami-backups"


def bucket(sandbox, account: str = "learner") -> str:
    sandbox.client("s3", account=account).create_bucket(Bucket=BUCKET)
    return BUCKET


class TestStoreAndRestore:
    def test_store_writes_one_object_and_a_completed_task(self, sandbox):
        """CreateStoreImageTask: <ami-id>.bin in the bucket; the task is listed as Completed."""
        ec2, s3 = sandbox.client("ec2"), sandbox.client("s3")
        image = make_image(sandbox)
        key = ec2.create_store_image_task(ImageId=image, Bucket=bucket(sandbox))["ObjectKey"]
        assert key == f"{image}.bin"
        assert [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]] == [key]
        tasks = ec2.describe_store_image_tasks()["StoreImageTaskResults"]
        assert [(t["AmiId"], t["StoreTaskState"], t["S3objectKey"]) for t in tasks] == [
            (image, "Completed", key)
        ]
        sandbox.advance_clock(days=32)
        assert ec2.describe_store_image_tasks()["StoreImageTaskResults"] == []

    def test_R47_restore_makes_a_new_ami_after_the_original_is_gone(self, sandbox):
        """CreateRestoreImageTask: a new AMI and new snapshots, named as the original, with the
        stored AMI as its parent, even once the original and its snapshots were deleted."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        original_snapshot = snapshot_of(ec2, image)
        key = ec2.create_store_image_task(ImageId=image, Bucket=bucket(sandbox))["ObjectKey"]
        ec2.deregister_image(ImageId=image, DeleteAssociatedSnapshots=True)
        restored = ec2.create_restore_image_task(Bucket=BUCKET, ObjectKey=key)["ImageId"]
        ec2.get_waiter("image_available").wait(ImageIds=[restored])
        described = describe(ec2, restored)
        assert restored != image and described["Name"] == "web-v1"
        assert described["SourceImageId"] == image
        assert snapshot_of(ec2, restored) != original_snapshot
        again = error(ec2.create_restore_image_task, Bucket=BUCKET, ObjectKey=key)
        assert again["Code"] == "InvalidAMIName.Duplicate"
        renamed = ec2.create_restore_image_task(Bucket=BUCKET, ObjectKey=key, Name="web-v1-b")
        assert describe(ec2, renamed["ImageId"])["Name"] == "web-v1-b"

    def test_only_the_owner_and_only_a_real_bucket(self, sandbox):
        """The partner cannot store the learner's AMI; a missing bucket or object is refused."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        partner = sandbox.client("ec2", account="partner")
        err = error(partner.create_store_image_task, ImageId=image, Bucket=BUCKET)
        assert err["Code"] == "InvalidAMIID.NotFound"
        err = error(ec2.create_store_image_task, ImageId=image, Bucket="no-such-bucket")
        assert err["Code"] == "InvalidParameterValue"
        bucket(sandbox)
        err = error(ec2.create_restore_image_task, Bucket=BUCKET, ObjectKey="ami-0.bin")
        assert err["Code"] == "InvalidParameterValue"
        err = error(partner.create_restore_image_task, Bucket=BUCKET, ObjectKey="ami-0.bin")
        assert err["Code"] == "AccessDenied"
