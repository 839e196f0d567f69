"""EC2 Fast Launch: Windows AMIs only, owner only, enabling → enabled on the sandbox clock."""

from __future__ import annotations

from .conftest import base, error, launch, make_image, ready_image

WINDOWS = "windows-2022-base"


def windows_image(sandbox) -> str:
    """The learner's own Windows AMI, made from a Windows Server 2022 instance."""
    ec2 = sandbox.client("ec2")
    instance = launch(ec2, base(sandbox, WINDOWS), InstanceType="t3.large")["InstanceId"]
    return ready_image(ec2, instance, name="windows-golden")


class TestFastLaunch:
    def test_windows_image_is_enabled_after_a_while(self, sandbox):
        """Fast Launch on a Windows AMI: enabling, then enabled; 5 snapshots by default."""
        ec2 = sandbox.client("ec2")
        image = windows_image(sandbox)
        answer = ec2.enable_fast_launch(ImageId=image)
        assert answer["State"] == "enabling" and answer["ResourceType"] == "snapshot"
        assert answer["SnapshotConfiguration"] == {"TargetResourceCount": 5}
        assert answer["MaxParallelLaunches"] == 6
        sandbox.advance_clock(seconds=601)
        listed = ec2.describe_fast_launch_images()["FastLaunchImages"]
        assert [(i["ImageId"], i["State"]) for i in listed] == [(image, "enabled")]

    def test_disabling_removes_it_from_the_list(self, sandbox):
        """DisableFastLaunch: disabling, then no longer listed; disabling again is refused."""
        ec2 = sandbox.client("ec2")
        image = windows_image(sandbox)
        ec2.enable_fast_launch(ImageId=image, MaxParallelLaunches=10)
        assert ec2.disable_fast_launch(ImageId=image)["State"] == "disabling"
        sandbox.advance_clock(seconds=601)
        assert ec2.describe_fast_launch_images()["FastLaunchImages"] == []
        assert error(ec2.disable_fast_launch, ImageId=image)["Code"] == "IncorrectState"

    def test_linux_images_and_other_owners_are_refused(self, sandbox):
        """A Linux AMI is UnsupportedOperation; Amazon's own Windows AMI is not the caller's."""
        ec2 = sandbox.client("ec2")
        err = error(ec2.enable_fast_launch, ImageId=make_image(sandbox))
        assert err["Code"] == "UnsupportedOperation" and "Windows" in err["Message"]
        err = error(ec2.enable_fast_launch, ImageId=base(sandbox, WINDOWS))
        assert err["Code"] == "AuthFailure"
        image = windows_image(sandbox)
        err = error(ec2.enable_fast_launch, ImageId=image, MaxParallelLaunches=2)
        assert err["Code"] == "InvalidParameterValue"
