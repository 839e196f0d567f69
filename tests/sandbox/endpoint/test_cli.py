"""The AWS CLI in the kernel's process: lab.aws(...) and run_cli, with the CLI's own messages."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from labkit import Lab
from labkit.sandbox.endpoint.cli import AwsCliError, aws_json, cli_words, run_cli


class TestRunCli:
    def test_a_command_prints_what_the_cli_prints(self, served):
        """The output is the CLI's, byte for byte the same as the `aws` program's."""
        words = ["ec2", "describe-images", "--owners", "amazon", "--query", "Images[].Name"]
        run = run_cli(served, words)
        aws = os.path.join(os.path.dirname(sys.executable), "aws")
        done = subprocess.run([aws, *words], capture_output=True, text=True, timeout=120)
        assert (run.exit_code, run.stdout) == (0, done.stdout)
        assert "al2023-ami-" in run.stdout

    def test_an_error_is_the_clis_own(self, served):
        """An AWS error reads as the CLI shows it, with its exit code, in and out of process."""
        run = run_cli(served, "ec2 describe-images --image-ids ami-0123456789abcdef0")
        assert run.exit_code == 255
        assert run.stderr.strip() == (
            "An error occurred (InvalidAMIID.NotFound) when calling the DescribeImages "
            "operation: The image id '[ami-0123456789abcdef0]' does not exist"
        )

    def test_a_malformed_command_gives_the_usage_error(self, served):
        """`ec2 describe-imagez`: the CLI's usage message and exit code 2, not a traceback."""
        run = run_cli(served, "ec2 describe-imagez")
        assert run.exit_code == 2
        assert "aws: error: argument operation: Invalid choice" in run.stderr
        assert "describe-images" in run.stderr and "Traceback" not in run.stderr

    def test_help_is_text_in_the_output(self, served):
        """`ec2 describe-images help` is the CLI's help as text, not a pager on the terminal."""
        run = run_cli(served, "ec2 describe-images help")
        assert run.exit_code == 0
        assert run.stdout.lstrip().startswith("describe-images")
        assert "--owners" in run.stdout

    def test_account_and_region(self, served):
        """account= and region= act as that lab account, in that Region."""
        run = run_cli(served, "sts get-caller-identity --query Account", account="seller")
        assert run.stdout.strip() == '"333333333333"'
        run = run_cli(served, "configure get region", region="ap-southeast-2")
        assert run.exit_code == 0

    @pytest.mark.parametrize(
        "command, error",
        [
            (None, TypeError),
            (["ec2", 3], TypeError),
            ("", ValueError),
            ("aws", ValueError),
            ("ec2 describe-images --query 'Images", ValueError),
        ],
    )
    def test_bad_commands(self, command, error):
        """A command is a string or a list of strings, not empty, with balanced quotes."""
        with pytest.raises(error, match="command"):
            cli_words(command)

    def test_a_leading_aws_is_dropped(self):
        """Commands pasted from AWS's documentation start with `aws`."""
        assert cli_words("aws ec2 describe-images") == ["ec2", "describe-images"]

    @pytest.mark.parametrize("options", [{"account": "root"}, {"region": "us-east-2"}])
    def test_bad_account_or_region(self, served, options):
        """An account or Region the lab does not have is a ValueError naming it."""
        with pytest.raises(ValueError, match="account|region"):
            run_cli(served, "sts get-caller-identity", **options)


class TestAwsJson:
    def test_parsed_json(self, served):
        """What the CLI prints, parsed; None when it prints nothing."""
        assert aws_json(served, "sts get-caller-identity")["Account"] == "111111111111"
        image = served.client("ec2").describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
        tag = f"ec2 create-tags --resources {image} --tags Key=Seen,Value=yes"
        assert aws_json(served, tag) is None

    def test_a_failure_raises_with_the_clis_message(self, served):
        """AwsCliError's message is the CLI's; IPython shows it instead of a traceback."""
        with pytest.raises(AwsCliError) as failed:
            aws_json(served, "ec2 describe-images --image-ids ami-0123456789abcdef0")
        assert str(failed.value).startswith("An error occurred (InvalidAMIID.NotFound)")
        assert failed.value.exit_code == 255
        assert failed.value._render_traceback_() == str(failed.value).splitlines()


class TestLab:
    def test_lab_serves_from_the_start_and_aws_works(self, tmp_path, monkeypatch):
        """Lab(...) serves at once; lab.aws and lab.environ use it; stop() ends it."""
        monkeypatch.setenv("AMILAB_PROGRESS", str(tmp_path / "progress.json"))
        lab = Lab("02-create-an-ami", quiet=True)
        try:
            assert lab.endpoint_url == lab.serve() == os.environ["AWS_ENDPOINT_URL"]
            assert lab.environ("partner")["AWS_ENDPOINT_URL"] == lab.endpoint_url
            names = lab.aws("ec2 describe-images --owners amazon --query Images[].Name")
            assert "al2023-ami-2023.6.20250218.2-kernel-6.1-x86_64" in names
        finally:
            lab.stop()
        assert lab.endpoint_url is None
        assert "AWS_ENDPOINT_URL" not in os.environ

    def test_reset_of_a_stopped_lab_serves_again(self, tmp_path, monkeypatch):
        """lab.reset() after stop() starts and serves again."""
        monkeypatch.setenv("AMILAB_PROGRESS", str(tmp_path / "progress.json"))
        lab = Lab("00-welcome", quiet=True)
        lab.stop()
        lab.reset()
        try:
            assert lab.endpoint_url is not None
            assert lab.aws("sts get-caller-identity")["Account"] == "111111111111"
        finally:
            lab.stop()
