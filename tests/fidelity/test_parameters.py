"""Public latest-image parameters name the catalogue's images, in every Region."""

from __future__ import annotations

import pytest

from labkit.catalog import image_id

LATEST = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-{arch}"


class TestPublicParameters:
    @pytest.mark.parametrize("region", ["us-east-1", "eu-west-1", "ap-southeast-2"])
    def test_latest_al2023_is_the_catalogue_image(self, sandbox, region):
        """The AL2023 'latest' parameter gives the Region's newest catalogue image."""
        ssm = sandbox.client("ssm", region=region)
        for arch in ("x86_64", "arm64"):
            value = ssm.get_parameter(Name=LATEST.format(arch=arch))["Parameter"]["Value"]
            assert value == image_id(f"al2023-{arch}", region)

    def test_parameter_launches(self, sandbox):
        """The parameter's image ID launches in the same Region."""
        ssm, ec2 = sandbox.client("ssm"), sandbox.client("ec2")
        value = ssm.get_parameter(Name=LATEST.format(arch="x86_64"))["Parameter"]["Value"]
        reservation = ec2.run_instances(ImageId=value, MinCount=1, MaxCount=1)
        assert reservation["Instances"][0]["ImageId"] == value

    def test_by_path(self, sandbox):
        """GetParametersByPath lists the Amazon Linux parameters with catalogue IDs."""
        ssm = sandbox.client("ssm", region="us-west-2")
        params = ssm.get_parameters_by_path(Path="/aws/service/ami-amazon-linux-latest")
        values = {p["Value"] for p in params["Parameters"]}
        assert image_id("al2023-arm64", "us-west-2") in values

    def test_ubuntu_and_windows(self, sandbox):
        """Canonical's and Windows' public parameters name their catalogue images."""
        ssm = sandbox.client("ssm")
        ubuntu = (
            "/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id"
        )
        windows = "/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base"
        assert ssm.get_parameter(Name=ubuntu)["Parameter"]["Value"] == image_id(
            "ubuntu-24.04-x86_64", "us-east-1"
        )
        assert ssm.get_parameter(Name=windows)["Parameter"]["Value"] == image_id(
            "windows-2022-base", "us-east-1"
        )
