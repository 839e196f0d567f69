"""Customising an instance: what is installed is recorded, sized, and travels with images."""

from __future__ import annotations

import pytest
from moto.ec2.models import ec2_backends

from labkit import Lab
from labkit.catalog import image_id
from labkit.sandbox.provisioning import (
    PACKAGE_SIZES_GIB,
    ProvisioningError,
    base_image_used_gib,
    install_software,
)

AL2023 = "al2023-x86_64"
LEARNER = "111111111111"
PACKAGES = ("postgresql16", "postgis", "pgadmin4")


def launch(ec2, image: str) -> str:
    return ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]


def tags(ec2, instance: str) -> dict[str, str]:
    found = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]
    return {t["Key"]: t["Value"] for t in found.get("Tags", [])}


def snapshot(snapshot_id: str, owner: str = LEARNER):
    return ec2_backends[owner]["us-east-1"].snapshots[snapshot_id]


def image_from(ec2, instance: str, name: str = "pg-v1") -> dict:
    image = ec2.create_image(InstanceId=instance, Name=name)["ImageId"]
    ec2.get_waiter("image_available").wait(ImageIds=[image])
    return ec2.describe_images(ImageIds=[image])["Images"][0]


class TestInstall:
    def test_records_what_was_installed(self, sandbox):
        """Installing tags the instance amilab:installed and adds the packages' GiB."""
        ec2 = sandbox.client("ec2")
        instance = launch(ec2, image_id(AL2023, "us-east-1"))
        result = install_software(sandbox, instance, *PACKAGES)
        assert result["Installed"] == list(PACKAGES)
        assert result["AddedGiB"] == pytest.approx(sum(PACKAGE_SIZES_GIB[p] for p in PACKAGES))
        assert result["DataGiB"] == pytest.approx(base_image_used_gib(AL2023) + result["AddedGiB"])
        assert tags(ec2, instance) == {"amilab:installed": ",".join(PACKAGES)}

    def test_installing_twice_adds_nothing(self, sandbox):
        """A package already on the disk is not counted again."""
        ec2 = sandbox.client("ec2")
        instance = launch(ec2, image_id(AL2023, "us-east-1"))
        install_software(sandbox, instance, "nginx")
        again = install_software(sandbox, instance, "nginx", "git")
        assert again["Installed"] == ["nginx", "git"]
        assert again["AddedGiB"] == pytest.approx(PACKAGE_SIZES_GIB["git"])

    def test_unknown_package_lists_known_ones(self, sandbox):
        """An unknown package is a ProvisioningError naming the packages the lab knows."""
        instance = launch(sandbox.client("ec2"), image_id(AL2023, "us-east-1"))
        with pytest.raises(ProvisioningError, match="'oracle-db'.*postgresql16"):
            install_software(sandbox, instance, "oracle-db")

    def test_packages_given_as_a_list(self, sandbox):
        """A list of packages is read as its packages, as if given one by one."""
        instance = launch(sandbox.client("ec2"), image_id(AL2023, "us-east-1"))
        done = install_software(sandbox, instance, ["nodejs20", "git"])
        assert done["Installed"] == ["nodejs20", "git"]

    def test_stopped_instance_refused(self, sandbox):
        """Software goes on a running instance only; a stopped one is a clear error."""
        ec2 = sandbox.client("ec2")
        instance = launch(ec2, image_id(AL2023, "us-east-1"))
        ec2.stop_instances(InstanceIds=[instance])
        with pytest.raises(ProvisioningError, match="stopped"):
            install_software(sandbox, instance, "git")

    def test_unknown_instance(self, sandbox):
        """An instance of another account is not found in the learner's account."""
        partner = sandbox.client("ec2", account="partner")
        instance = launch(partner, image_id(AL2023, "us-east-1"))
        with pytest.raises(ProvisioningError, match="no instance"):
            install_software(sandbox, instance, "git")
        assert install_software(sandbox, instance, "git", account="partner")["Installed"] == ["git"]

    def test_disk_can_fill_up(self, sandbox):
        """More software than the root volume holds is refused with the sizes involved."""
        instance = launch(sandbox.client("ec2"), image_id(AL2023, "us-east-1"))
        install_software(sandbox, instance, "cuda-toolkit-12")
        with pytest.raises(ProvisioningError, match="Not enough space"):
            install_software(
                sandbox,
                instance,
                "docker",
                "pgadmin4",
                "postgis",
                "nodejs20",
                "java-21-amazon-corretto",
            )

    def test_with_a_boto3_client(self, sandbox):
        """The helper also takes the sandbox's boto3 EC2 client (its account and Region)."""
        ec2 = sandbox.client("ec2", region="eu-west-1", account="partner")
        instance = launch(ec2, image_id(AL2023, "eu-west-1"))
        install_software(ec2, instance, "httpd")
        assert tags(ec2, instance) == {"amilab:installed": "httpd"}


class TestCustomisationTravels:
    def test_image_and_its_instances_show_the_record(self, sandbox):
        """An image of a customised instance, and instances launched from it, show the record."""
        ec2 = sandbox.client("ec2")
        instance = launch(ec2, image_id(AL2023, "us-east-1"))
        install_software(sandbox, instance, *PACKAGES)
        image = image_from(ec2, instance)
        assert {"Key": "amilab:installed", "Value": ",".join(PACKAGES)} in image["Tags"]
        child = launch(ec2, image["ImageId"])
        assert tags(ec2, child) == {"amilab:installed": ",".join(PACKAGES)}

    def test_shared_image_instances_show_it_too(self, sandbox):
        """The partner's instance from a shared customised image shows the same software."""
        ec2 = sandbox.client("ec2")
        instance = launch(ec2, image_id(AL2023, "us-east-1"))
        install_software(sandbox, instance, "nginx")
        image = image_from(ec2, instance)["ImageId"]
        ec2.modify_image_attribute(
            ImageId=image, LaunchPermission={"Add": [{"UserId": sandbox.account_id("partner")}]}
        )
        partner = sandbox.client("ec2", account="partner")
        assert tags(partner, launch(partner, image)) == {"amilab:installed": "nginx"}


class TestDataWritten:
    def test_catalogue_snapshots_hold_the_base_install(self, sandbox):
        """Catalogue snapshots store the base image's used GiB, not the volume size."""
        ec2 = sandbox.client("ec2")
        for key, used in (("al2023-x86_64", 2.0), ("ubuntu-24.04-x86_64", 3.0)):
            found = ec2.describe_images(ImageIds=[image_id(key, "us-east-1")])["Images"][0]
            mapping = found["BlockDeviceMappings"][0]["Ebs"]
            assert snapshot(mapping["SnapshotId"], found["OwnerId"]).data_gib == used
            assert mapping["VolumeSize"] == 8
        windows = ec2.describe_images(ImageIds=[image_id("windows-2022-base", "us-east-1")])
        root = windows["Images"][0]["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
        assert snapshot(root, windows["Images"][0]["OwnerId"]).data_gib == 15.0

    def test_image_snapshot_records_data_written(self, sandbox):
        """A snapshot of a customised root volume stores base + installed GiB."""
        ec2 = sandbox.client("ec2")
        instance = launch(ec2, image_id(AL2023, "us-east-1"))
        result = install_software(sandbox, instance, *PACKAGES)
        image = image_from(ec2, instance)
        root = image["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
        assert snapshot(root).data_gib == pytest.approx(result["DataGiB"])

    def test_empty_volume_snapshot_holds_nothing(self, sandbox):
        """A snapshot of a new, empty volume stores no data, whatever the volume's size."""
        ec2 = sandbox.client("ec2")
        volume = ec2.create_volume(Size=100, AvailabilityZone="us-east-1a")["VolumeId"]
        snap = ec2.create_snapshot(VolumeId=volume)["SnapshotId"]
        assert snapshot(snap).data_gib == 0.0


class TestLab:
    def test_lab_install(self):
        """lab.install(instance, ...) customises the learner's instance."""
        lab = Lab(quiet=True)
        try:
            ec2 = lab.client("ec2")
            instance = launch(ec2, image_id(AL2023, "us-east-1"))
            assert lab.install(instance, "git")["Installed"] == ["git"]
        finally:
            lab.stop()
