"""What programs get: a lab account's settings, and the kernel's environment while serving."""

from __future__ import annotations

import configparser
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from labkit import Sandbox

ROOT = Path(__file__).resolve().parents[3]


class TestEnviron:
    def test_environ_names_the_endpoint_keys_region_and_the_labs_files(self, served):
        """Everything a program needs, and never a profile."""
        env = served.environ("partner", region="eu-west-1")
        assert env["AWS_ENDPOINT_URL"] == served.endpoint_url
        assert env["AWS_DEFAULT_REGION"] == env["AWS_REGION"] == "eu-west-1"
        assert env["AWS_ACCESS_KEY_ID"].startswith("ASIA")
        assert env["AWS_SECRET_ACCESS_KEY"] and env["AWS_SESSION_TOKEN"]
        assert "AWS_PROFILE" not in env
        assert all(isinstance(v, str) for v in env.values())
        for name in ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
            path = Path(env[name])
            assert path.is_file() and stat.S_IMODE(path.stat().st_mode) == 0o600

    def test_the_files_hold_a_profile_per_account(self, served):
        """[default] is the learner; each account has its own profile with its own keys."""
        env = served.environ()
        credentials = configparser.ConfigParser()
        credentials.read(env["AWS_SHARED_CREDENTIALS_FILE"])
        config = configparser.ConfigParser()
        config.read(env["AWS_CONFIG_FILE"])
        assert set(credentials.sections()) == {"default", "learner", "partner", "seller"}
        for account in ("learner", "partner", "seller"):
            keys = served.environ(account)
            assert credentials[account]["aws_access_key_id"] == keys["AWS_ACCESS_KEY_ID"]
            assert config[f"profile {account}"]["endpoint_url"] == served.endpoint_url
        assert credentials["default"]["aws_access_key_id"] == env["AWS_ACCESS_KEY_ID"]

    @pytest.mark.parametrize(
        "account, region", [("nobody", None), (3, None), ("learner", "us-east-2"), ("learner", 1)]
    )
    def test_bad_account_or_region(self, served, account, region):
        """An account or Region the lab does not have is a ValueError naming it."""
        with pytest.raises(ValueError, match="account|Region"):
            served.environ(account, region=region)

    def test_the_files_are_removed_on_stop(self):
        """The lab's settings files live only as long as the sandbox serves."""
        with Sandbox() as sandbox:
            folder = Path(sandbox.environ()["AWS_CONFIG_FILE"]).parent
            assert folder.is_dir()
        assert not folder.exists()


class TestTheKernelsEnvironment:
    def test_while_serving_subprocesses_act_as_the_learner(self, real_looking_aws):
        """os.environ carries the learner's settings; stop() restores the real-looking ones."""
        before = dict(os.environ)
        with Sandbox() as sandbox:
            sandbox.serve()
            assert {k: os.environ.get(k) for k in sandbox.environ()} == sandbox.environ()
            assert "AWS_PROFILE" not in os.environ
            code = "import boto3; print(boto3.client('sts').get_caller_identity()['Account'])"
            done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
            assert done.stdout.strip() == "111111111111", done.stderr
        assert dict(os.environ) == before

    def test_a_data_path_is_not_masked(self, monkeypatch, tmp_path):
        """AWS_DATA_PATH names model folders, not keys: it stays while a sandbox runs."""
        monkeypatch.setenv("AWS_DATA_PATH", str(tmp_path))
        with Sandbox():
            assert os.environ["AWS_DATA_PATH"] == str(tmp_path)
        assert os.environ["AWS_DATA_PATH"] == str(tmp_path)

    def test_plain_boto3_in_the_kernel_reaches_the_sandbox(self, served):
        """A client made with no arguments in the kernel goes to the endpoint, as the learner."""
        import boto3

        client = boto3.client("ec2")
        assert client.meta.endpoint_url == served.endpoint_url
        assert client.describe_images(Owners=["amazon"])["Images"]

    def test_lab_clients_stay_in_process(self, served):
        """lab.client ignores AWS_ENDPOINT_URL: it answers without a socket, as before."""
        assert "amazonaws.com" in served.client("ec2").meta.endpoint_url

    def test_aws_on_path_is_the_one_installed_with_labkit(self, served):
        """`!aws` finds the pinned AWS CLI beside this Python, even without an activated venv."""
        import shutil
        import sysconfig

        assert Path(shutil.which("aws")).parent == Path(sysconfig.get_path("scripts"))

    def test_a_python_program_with_only_the_environment(self, served, tmp_path):
        """docs/endpoint.md's example: a boto3 script in another process, given only environ()."""
        script = tmp_path / "list_images.py"
        script.write_text(
            textwrap.dedent(
                """
                import boto3

                ec2 = boto3.client("ec2")  # endpoint, keys and Region from the environment
                names = sorted(i["Name"] for i in ec2.describe_images(Owners=["amazon"])["Images"])
                print(len(names), names[0])
                """
            )
        )
        env = {"PATH": os.environ["PATH"], **served.environ("partner", region="eu-west-1")}
        done = subprocess.run(
            [sys.executable, str(script)], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        count, first = done.stdout.split()
        expected = sorted(
            i["Name"]
            for i in served.client("ec2", region="eu-west-1").describe_images(Owners=["amazon"])[
                "Images"
            ]
        )
        assert (int(count), first) == (len(expected), expected[0])


def test_serving_and_the_cli_leave_the_process_as_they_found_it(real_looking_aws):
    """Start, serve, run the CLI (help too), stop: environment, argv, threads, the request guard,
    awscli's help renderer and botocore's loader factory are as before."""
    import sys
    import threading

    import awscli.help
    import botocore.session

    from labkit.sandbox.endpoint.cli import run_cli

    def snapshot() -> dict:
        return {
            "environ": dict(os.environ),
            "argv": list(sys.argv),
            "threads": {t.name for t in threading.enumerate()},
            "help": awscli.help.get_renderer,
            "loader": botocore.session.create_loader,
        }

    before = snapshot()
    with Sandbox() as sandbox:
        sandbox.serve()
        assert run_cli(sandbox, "sts get-caller-identity").exit_code == 0
        assert run_cli(sandbox, "ec2 help").exit_code == 0
    assert snapshot() == before


def test_without_path_the_shell_is_still_found(monkeypatch):
    """A kernel started with no PATH: putting this Python's scripts first keeps the default path,
    so `!aws` still finds `sh` (IPython runs `!` commands through it)."""
    import shutil
    import sysconfig

    from labkit.sandbox.endpoint.environment import pointing_subprocesses

    monkeypatch.delenv("PATH", raising=False)
    monkeypatch.setattr(shutil, "which", lambda name, path=None: f"{path or 'elsewhere'}/{name}")
    with pointing_subprocesses({}):
        parts = os.environ["PATH"].split(os.pathsep)
    assert parts[0] == sysconfig.get_path("scripts")
    assert parts[1:] == os.defpath.split(os.pathsep)
