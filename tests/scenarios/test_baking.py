"""labkit.scenarios.baking: images and keys made through boto3 as the lessons teach."""

from __future__ import annotations

from labkit.scenarios.baking import bake, bake_in_region, customer_key, ready_now


def instance_states(ec2) -> list[str]:
    return [
        i["State"]["Name"] for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]
    ]


class TestBake:
    def test_an_available_tagged_image_and_no_builder_left(self, sandbox):
        """bake gives an available image with its tags; the builder instance is terminated."""
        ec2 = sandbox.client("ec2")
        image = bake(sandbox, "web-server-v1", "nginx", tags={"Team": "web"})
        found = ec2.describe_images(ImageIds=[image])["Images"][0]
        assert (found["Name"], found["State"]) == ("web-server-v1", "available")
        assert {"Key": "Team", "Value": "web"} in found["Tags"]
        assert instance_states(ec2) == ["terminated"]

    def test_encrypted_with_the_key_on_every_volume(self, sandbox):
        """With a KMS key, the root and the data volume are both encrypted with it."""
        key = customer_key(sandbox, "alias/test-team", "a test key")
        image = bake(sandbox, "payments-v1", kms_key_id=key, data_volume_gib=5)
        mappings = sandbox.client("ec2").describe_images(ImageIds=[image])["Images"][0][
            "BlockDeviceMappings"
        ]
        assert [
            (m["DeviceName"], m["Ebs"]["Encrypted"], m["Ebs"]["KmsKeyId"]) for m in mappings
        ] == [
            ("/dev/xvda", True, key),
            ("/dev/xvdb", True, key),
        ]

    def test_another_account_owns_what_it_bakes(self, sandbox):
        """account='partner' bakes in the partner's account, not the learner's."""
        image = bake(sandbox, "partner-tools-v2", account="partner")
        partner = sandbox.client("ec2", account="partner")
        assert [i["ImageId"] for i in partner.describe_images(Owners=["self"])["Images"]] == [image]
        assert sandbox.client("ec2").describe_images(Owners=["self"])["Images"] == []


class TestCustomerKey:
    def test_the_alias_names_the_key(self, sandbox):
        """customer_key returns the ARN of the key its alias points at."""
        arn = customer_key(sandbox, "alias/test-reports", "a test key")
        kms = sandbox.client("kms")
        assert kms.describe_key(KeyId="alias/test-reports")["KeyMetadata"]["Arn"] == arn


class TestBakeInRegion:
    def test_named_in_its_region_with_the_data_written(self, sandbox):
        """Name-tagged in its Region with its snapshots; the data snapshot holds the GiB written."""
        ec2 = sandbox.client("ec2", region="us-west-2")
        image = bake_in_region(sandbox, "us-west-2", "ml-training-v1", ("python3.12",), 60, 100)
        found = ec2.describe_images(ImageIds=[image])["Images"][0]
        assert {"Key": "Name", "Value": "ml-training-v1"} in found["Tags"]
        snapshots = {
            m["DeviceName"]: ec2.describe_snapshots(SnapshotIds=[m["Ebs"]["SnapshotId"]])[
                "Snapshots"
            ][0]
            for m in found["BlockDeviceMappings"]
        }
        data = snapshots["/dev/xvdb"]
        assert (data["VolumeSize"], data["FullSnapshotSizeInBytes"]) == (100, 60 * 1024**3)
        assert all(
            {"Key": "Name", "Value": "ml-training-v1"} in s["Tags"] for s in snapshots.values()
        )
        assert instance_states(ec2) == ["terminated"]


class TestReadyNow:
    def test_a_copy_is_available_and_a_snapshot_completed_at_the_first_look(self, sandbox):
        """What a waiter would wait for, done at once: the first Describe already sees it."""
        image = bake(sandbox, "web-server-v1", "nginx")
        west = sandbox.client("ec2", region="us-west-2")
        copy = west.copy_image(SourceImageId=image, SourceRegion="us-east-1", Name="web")["ImageId"]
        ec2 = sandbox.client("ec2")
        volume = ec2.create_volume(AvailabilityZone="us-east-1a", Size=1)["VolumeId"]
        snapshot = ec2.create_snapshot(VolumeId=volume)["SnapshotId"]

        ready_now("us-west-2", images=[copy])
        ready_now("us-east-1", snapshots=[snapshot])

        found = west.describe_images(ImageIds=[copy])["Images"][0]
        assert found["State"] == "available"
        copied = found["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
        assert west.describe_snapshots(SnapshotIds=[copied])["Snapshots"][0]["State"] == "completed"
        assert (
            ec2.describe_snapshots(SnapshotIds=[snapshot])["Snapshots"][0]["State"] == "completed"
        )

    def test_without_it_a_copy_is_first_seen_pending(self, sandbox):
        """The contrast: the sandbox's copies are pending at first, as AWS's are."""
        image = bake(sandbox, "web-server-v1", "nginx")
        west = sandbox.client("ec2", region="us-west-2")
        copy = west.copy_image(SourceImageId=image, SourceRegion="us-east-1", Name="web")["ImageId"]
        assert west.describe_images(ImageIds=[copy])["Images"][0]["State"] == "pending"
