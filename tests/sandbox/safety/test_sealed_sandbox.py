"""A whole lesson's calls: nothing leaves the machine and no real credential is read, even with
real-looking settings in the environment and on disk."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from labkit import Sandbox
from labkit.catalog import image_id

ROOT = Path(__file__).resolve().parents[3]


class TestSealedSandbox:
    def test_no_connection_or_lookup_with_real_looking_settings(self, real_looking_aws, no_network):
        """A lesson's calls make no connection and no DNS lookup, whatever AWS_* says."""
        with Sandbox() as sb:
            ec2 = sb.client("ec2")
            instance = ec2.run_instances(
                ImageId=image_id("al2023-x86_64", "us-east-1"), MinCount=1, MaxCount=1
            )["Instances"][0]["InstanceId"]
            ec2.create_image(InstanceId=instance, Name="web")
            sb.client("sts", account="partner").get_caller_identity()
            sb.client("kms", region="eu-west-1").create_key()
        assert no_network == []

    def test_real_credentials_are_not_used(self, real_looking_aws):
        """Clients, and plain boto3 inside the sandbox, act as lab accounts, not the profile."""
        import boto3

        with Sandbox() as sb:
            plain = boto3.client("sts").get_caller_identity()["Account"]
            assert plain == sb.account_id("learner")
            credentials = sb.client("ec2")._request_signer._credentials
            assert credentials.access_key != real_looking_aws["AWS_ACCESS_KEY_ID"]

    def test_settings_are_masked_then_restored_exactly(self, real_looking_aws):
        """AWS_PROFILE and friends are hidden while running, and back as before after stop."""
        before = {k: v for k, v in os.environ.items() if k.startswith("AWS_")}
        with Sandbox():
            assert "AWS_PROFILE" not in os.environ
            assert os.environ["AWS_SHARED_CREDENTIALS_FILE"] == os.devnull
        after = {k: v for k, v in os.environ.items() if k.startswith("AWS_")}
        assert after == before

    def test_import_ignores_a_missing_profile(self, tmp_path):
        """Importing labkit with AWS_PROFILE naming no profile does not read or fail on it."""
        env = dict(
            os.environ,
            PYTHONPATH=str(ROOT),
            AWS_PROFILE="no-such-profile",
            AWS_CONFIG_FILE=str(tmp_path / "missing-config"),
        )
        code = (
            "from labkit import Sandbox\n"
            "with Sandbox() as sb: print(sb.client('sts').get_caller_identity()['Account'])"
        )
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip().endswith("111111111111")
