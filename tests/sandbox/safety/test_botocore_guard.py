"""Every botocore request in the process is answered by the sandbox or refused, never sent.

Issue 14, cases 1 and 2: clients and sessions made before ``import labkit`` (a cell run above the
setup cell), and clients made inside a lab and used after it stopped.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from botocore.credentials import RefreshableCredentials
from moto.core.models import botocore_stubber

from labkit import Sandbox, SandboxError

from .conftest import MACHINE_KEY

ROOT = Path(__file__).resolve().parents[3]

# Run as a fresh Python, so the client and session are truly made before labkit (and moto) are
# imported. An audit hook refuses and records every lookup and connection beyond loopback (from
# the start), and every read of ~/.aws files once the lab runs.
BEFORE_IMPORT = r"""
import json, os, sys

attempts, lab_running = [], [False]

def loopback(host):
    text = host.decode() if isinstance(host, bytes) else str(host)
    return text in ("localhost", "::1") or text.startswith("127.")

def hook(event, args):
    if event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.connect"):
        target = args[1] if event == "socket.connect" else args[0]
        host = target[0] if isinstance(target, tuple) else target
        if host is not None and not loopback(host):
            attempts.append(f"{event} {target!r}")
            raise ConnectionRefusedError(f"test guard: {event} {target!r}")
    elif event == "open" and lab_running[0] and isinstance(args[0], (str, bytes)):
        if "/.aws/" in os.fsdecode(args[0]):
            attempts.append(f"read {args[0]}")

sys.addaudithook(hook)

import boto3

client_made_before = boto3.client("ec2", region_name="us-east-1")
session_made_before = boto3.Session()

from labkit import Sandbox, SandboxError

def outcome(call):
    try:
        return "answered " + json.dumps(call(), default=str)
    except SandboxError as error:
        return "refused " + str(error)
    except Exception as error:
        return f"{type(error).__name__} {error}"

answers = {}
with Sandbox() as sandbox:
    lab_running[0] = True
    answers["client"] = outcome(lambda: client_made_before.describe_images(Owners=["self"]))
    answers["session"] = outcome(
        lambda: session_made_before.client("sts").get_caller_identity()["Account"]
    )
    answers["plain"] = outcome(lambda: boto3.client("sts").get_caller_identity()["Account"])
    lab_running[0] = False
answers["attempts"] = attempts
print(json.dumps(answers))
"""


@pytest.fixture(scope="module")
def made_before_import(tmp_path_factory) -> dict:
    """What a client and a session made before ``import labkit`` got inside the lab."""
    from .conftest import MACHINE_SECRET, write_aws_files

    home = tmp_path_factory.mktemp("home")
    write_aws_files(home)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "BOTO_", "PYTHON"))}
    env.update(
        HOME=str(home),
        PYTHONPATH=str(ROOT),
        AWS_ACCESS_KEY_ID=MACHINE_KEY,
        AWS_SECRET_ACCESS_KEY=MACHINE_SECRET,
        AWS_PROFILE="production-admin",
        AMILAB_PROGRESS=str(home / "progress.json"),
    )
    done = subprocess.run(
        [sys.executable, "-c", BEFORE_IMPORT], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _without_motos_handler(client):  # noqa: ANN001, ANN202
    """The client as if it had been made before moto was imported (moto's handler not on it)."""
    client.meta.events.unregister("before-send", botocore_stubber)
    return client


class TestMadeBeforeTheLab:
    def test_a_client_made_before_import_is_refused_not_sent(self, made_before_import):
        """Issue 14 case 1: the machine's keys are never sent; the learner is told why."""
        assert made_before_import["attempts"] == []
        assert made_before_import["client"].startswith("refused ")
        assert "did not issue" in made_before_import["client"]

    def test_a_session_made_before_import_is_answered_by_the_sandbox(self, made_before_import):
        """A session made before the import acts as the learner inside the lab, offline."""
        assert made_before_import["attempts"] == []
        assert made_before_import["session"] == 'answered "111111111111"'
        assert made_before_import["plain"] == 'answered "111111111111"'

    def test_machine_keys_without_motos_handler_are_refused(self, sealed):
        """In-process twin: a client without moto's handler, holding the machine's keys."""
        client = _without_motos_handler(boto3.client("ec2", region_name="us-east-1"))
        with Sandbox():
            with pytest.raises(SandboxError, match="did not issue"):
                client.describe_images(Owners=["self"])
        assert sealed == []

    def test_machine_keys_with_motos_handler_are_refused(self, sealed):
        """A client made after the import but before the lab holds the machine's keys: refused
        inside the lab, not answered as some other account."""
        early = boto3.client("ec2", region_name="us-east-1")
        with Sandbox():
            with pytest.raises(SandboxError, match="did not issue"):
                early.describe_images(Owners=["self"])
        assert sealed == []

    def test_machine_credentials_are_not_refreshed(self, sealed):
        """Refreshable credentials made before the lab (a credential process, SSO, a role) are
        refused before signing: their refresh, which may run a program or call AWS, never runs."""
        refreshed = []

        def refresh() -> dict[str, str]:
            refreshed.append(True)
            soon = datetime.now(timezone.utc) + timedelta(seconds=30)
            return {
                "access_key": MACHINE_KEY,
                "secret_key": "s",
                "token": "t",
                "expiry_time": soon.isoformat(),
            }

        early = boto3.client("ec2", region_name="us-east-1")
        early._request_signer._credentials = RefreshableCredentials.create_from_metadata(
            refresh(), refresh_using=refresh, method="credential_process"
        )
        refreshed.clear()
        with Sandbox():
            with pytest.raises(SandboxError, match="did not issue"):
                early.describe_images(Owners=["self"])
        assert refreshed == [] and sealed == []

    def test_sandbox_keys_without_motos_handler_are_answered(self, sealed):
        """A client without moto's handler but with a lab account's keys gets the sandbox."""
        with Sandbox() as sandbox:
            keys = sandbox._credentials["partner"]
            client = _without_motos_handler(boto3.client("sts", region_name="us-east-1", **keys))
            assert client.get_caller_identity()["Account"] == sandbox.account_id("partner")
        assert sealed == []

    def test_instance_metadata_is_not_fetched(self, sealed):
        """botocore's own HTTP layer (instance metadata, container credentials) stays home."""
        from botocore.utils import InstanceMetadataFetcher

        with Sandbox():
            # env={}: as if the learner had switched AWS_EC2_METADATA_DISABLED off again.
            fetcher = InstanceMetadataFetcher(timeout=0.1, num_attempts=1, env={})
            with pytest.raises(SandboxError):
                fetcher.retrieve_iam_role_credentials()
        assert sealed == []


class TestMadeInsideTheLab:
    def test_a_plain_client_refuses_after_stop(self, sealed):
        """Issue 14 case 2: a plain boto3 client from inside the lab refuses once it stopped."""
        with Sandbox():
            plain = boto3.client("ec2")
            plain.describe_regions()
        with pytest.raises(SandboxError, match="sandbox that has stopped"):
            plain.describe_images(Owners=["self"])
        assert sealed == []

    def test_a_session_from_inside_refuses_after_stop(self, sealed, monkeypatch):
        """A client made after stop from a session made inside the lab refuses too."""
        # (With AWS_PROFILE back after stop, botocore stops at ProfileNotFound before sending.)
        monkeypatch.delenv("AWS_PROFILE")
        with Sandbox():
            session = boto3.Session(region_name="eu-west-1")
            session.client("sts").get_caller_identity()
        with pytest.raises(SandboxError, match="sandbox that has stopped"):
            session.client("ec2").describe_images(Owners=["self"])
        assert sealed == []

    def test_a_client_of_a_stopped_lab_refuses_in_the_next(self, sealed):
        """A client belongs to its lab: in the next lab it refuses, as lab.client's do."""
        with Sandbox():
            plain = boto3.client("ec2")
        with Sandbox():
            with pytest.raises(SandboxError, match="sandbox that has stopped"):
                plain.describe_regions()
            boto3.client("ec2").describe_regions()
        assert sealed == []

    def test_clients_made_outside_are_left_alone(self, no_network):
        """After stop, a client made outside any sandbox is untouched: it really tries to send."""
        with Sandbox():
            pass
        outside = boto3.client(
            "ec2",
            region_name="us-east-1",
            aws_access_key_id=MACHINE_KEY,
            aws_secret_access_key="x",
            config=Config(retries={"max_attempts": 0}),
        )
        with pytest.raises(Exception, match="attempted"):  # botocore wraps the guard's error
            outside.describe_regions()
        assert no_network and "ec2.us-east-1.amazonaws.com" in no_network[0]


class TestOtherEndpoints:
    def test_request_to_another_endpoint_is_stopped(self, sandbox, no_network):
        """Inside the sandbox, a client pointed at any other endpoint raises SandboxError."""
        elsewhere = boto3.client("ec2", endpoint_url="https://ec2.example.com")
        with pytest.raises(SandboxError, match="stopped before it could leave"):
            elsewhere.describe_images(Owners=["self"])
        assert no_network == []

    def test_loopback_stays_open(self, sandbox, no_network, loopback_server):
        """A client pointed at an endpoint on 127.0.0.1 (the lab's own) reaches it."""
        port = loopback_server.server_address[1]
        local = boto3.client("ec2", endpoint_url=f"http://127.0.0.1:{port}")
        local.describe_regions()
        assert loopback_server.requests == ["/"]
        assert no_network == []


class TestAnswersBotocoreCanRead:
    def test_a_control_character_in_an_echoed_id(self, sandbox):
        """moto echoes the ID into XML; a character XML forbids becomes U+FFFD, so the learner
        gets AWS's error, not a ResponseParserError."""
        from botocore.exceptions import ClientError

        with pytest.raises(ClientError) as refused:
            sandbox.client("ec2").describe_images(ImageIds=["ami-\x01abc"])
        assert refused.value.response["Error"]["Code"] == "InvalidAMIID.Malformed"
        assert "ami-\ufffdabc" in refused.value.response["Error"]["Message"]
