"""Odd account IDs, Region names and sizes through real boto3 and the lab's AWS rules: AWS's answer
or a clear error, never a Python error from inside labkit or moto, and a refused call changes
nothing anywhere in the sandbox."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from odd import accounts, anything, examples, near, numbers, regions
from sandbox_snapshot import snapshot
from state import assert_clear

from labkit import REGIONS
from labkit.accounts import ORGANIZATION_ARN, ORGANIZATIONAL_UNITS

TWELVE_DIGITS = re.compile(r"[0-9]{12}")
ORG_ARNS = [ORGANIZATION_ARN, *(str(unit["arn"]) for unit in ORGANIZATIONAL_UNITS.values())]


@pytest.fixture
def baseline(lab):
    """The lesson's starting state again (lab.reset()) before and after the test."""
    lab.reset()
    yield
    lab.reset()


def refused(lab, call, **kwargs):
    """Make the call; if it is refused, the error is clear and the sandbox is as it was before.

    Returns:
        The error, or None if the call succeeded.
    """
    before = snapshot(lab.sandbox)
    try:
        call(**kwargs)
    except Exception as error:  # noqa: BLE001 - the property is about what is raised
        assert_clear(error)
        assert snapshot(lab.sandbox) == before, f"refused with {error}, but the state changed"
        return error
    return None


class TestSharingInputs:
    def test_launch_permission_for_any_account(self, lab, baseline):
        """Sharing with a 12-digit ID works (and is undone); anything else is refused cleanly."""
        ec2 = lab.client("ec2")
        image = lab.ids["web_image"]

        @examples(15)
        @given(user=accounts)
        def attempt(user):
            error = refused(
                lab,
                ec2.modify_image_attribute,
                ImageId=image,
                LaunchPermission={"Add": [{"UserId": user}]},
            )
            if error is None:
                assert isinstance(user, str) and TWELVE_DIGITS.fullmatch(user), user
                ec2.modify_image_attribute(
                    ImageId=image, LaunchPermission={"Remove": [{"UserId": user}]}
                )

        attempt()

    def test_launch_permission_for_any_organization(self, lab, baseline):
        """Only the lab's organization and its OUs can be granted; others are refused cleanly."""
        ec2 = lab.client("ec2")
        image = lab.ids["web_image"]

        @examples(15)
        @given(
            key=st.sampled_from(["OrganizationArn", "OrganizationalUnitArn", "Group"]),
            value=st.one_of(near([*ORG_ARNS, "all"]), anything),
        )
        def attempt(key, value):
            assume(not (key == "Group" and value == "all"))  # making it public is allowed
            error = refused(
                lab,
                ec2.modify_image_attribute,
                ImageId=image,
                LaunchPermission={"Add": [{key: value}]},
            )
            if error is None:
                ec2.modify_image_attribute(
                    ImageId=image, LaunchPermission={"Remove": [{key: value}]}
                )

        attempt()

    def test_create_volume_permission_for_any_account(self, lab, baseline):
        """A snapshot's createVolumePermission: 12-digit IDs work (and are undone), others not."""
        ec2 = lab.client("ec2")
        image = ec2.describe_images(ImageIds=[lab.ids["web_image"]])["Images"][0]
        snapshot_id = image["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]

        @examples(15)
        @given(user=accounts)
        def attempt(user):
            error = refused(
                lab,
                ec2.modify_snapshot_attribute,
                SnapshotId=snapshot_id,
                Attribute="createVolumePermission",
                OperationType="add",
                UserIds=[user],
            )
            if error is None:
                assert isinstance(user, str) and TWELVE_DIGITS.fullmatch(user), user
                ec2.modify_snapshot_attribute(
                    SnapshotId=snapshot_id,
                    Attribute="createVolumePermission",
                    OperationType="remove",
                    UserIds=[user],
                )

        attempt()


class TestRegionInputs:
    def test_copy_from_any_region(self, lab, baseline):
        """copy_image(SourceRegion=...): a copy from us-east-1 (where the image is), else a
        clear refusal; nothing made when refused."""
        image = lab.ids["web_image"]

        @examples(15)
        @given(destination=st.sampled_from(REGIONS), source=regions)
        def attempt(destination, source):
            ec2 = lab.client("ec2", region=destination)
            error = refused(
                lab,
                ec2.copy_image,
                SourceImageId=image,
                SourceRegion=source,
                Name="web-server-copy",
            )
            if error is None:
                assert source == "us-east-1", source
                lab.reset()

        attempt()


class TestSizeInputs:
    def test_launch_with_any_root_volume_size(self, lab, baseline):
        """run_instances with a root VolumeSize: a whole number of GiB from the snapshot's 8 up
        launches; anything else is refused and launches nothing."""
        ec2 = lab.client("ec2")
        image = lab.ids["web_image"]

        @examples(15)
        @given(size=numbers)
        def attempt(size):
            error = refused(
                lab,
                ec2.run_instances,
                ImageId=image,
                InstanceType="t3.micro",
                MinCount=1,
                MaxCount=1,
                BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": size}}],
            )
            if error is None:
                assert isinstance(size, int) and 8 <= size <= 65536, size
                lab.reset()

        attempt()

    def test_create_image_with_any_volume_size(self, lab, baseline):
        """create_image with a root VolumeSize smaller than the volume, or not a size at all, is
        refused: no image and no snapshot left half made."""
        ec2 = lab.client("ec2")
        instance = ec2.run_instances(
            ImageId=lab.ids["web_image"], InstanceType="t3.micro", MinCount=1, MaxCount=1
        )["Instances"][0]["InstanceId"]

        @examples(15)
        @given(size=numbers)
        def attempt(size):
            assume(not (isinstance(size, int) and 8 <= size <= 65536))
            refused(
                lab,
                ec2.create_image,
                InstanceId=instance,
                Name="odd-size",
                BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": size}}],
            )

        attempt()


class TestLookups:
    def test_describe_images_with_odd_arguments(self, lab, baseline):
        """describe_images with odd Owners, ImageIds or ExecutableUsers: a list or a clear error."""
        ec2 = lab.client("ec2")

        @examples(15)
        @given(
            key=st.sampled_from(["Owners", "ImageIds", "ExecutableUsers"]),
            value=st.one_of(accounts, near([lab.ids["web_image"], "ami-0123456789abcdef0"])),
        )
        def attempt(key, value):
            refused(lab, ec2.describe_images, **{key: [value]})

        attempt()

    def test_deregister_odd_ids(self, lab, baseline):
        """deregister_image of IDs that are not the learner's image: refused, nothing removed."""
        ec2 = lab.client("ec2")

        @examples(15)
        @given(image=st.one_of(near([lab.ids["web_image"], "ami-0123456789abcdef0"]), anything))
        def attempt(image):
            assume(image != lab.ids["web_image"])
            assert refused(lab, ec2.deregister_image, ImageId=image) is not None

        attempt()
