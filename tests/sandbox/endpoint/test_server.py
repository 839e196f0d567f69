"""The endpoint: one state behind two doors, only the sandbox's own keys, loopback only."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from labkit import Sandbox, SandboxError
from labkit.catalog import image_id

from .conftest import client_from, http_client

ROOT = Path(__file__).resolve().parents[3]
REAL_LOOKING = ("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")


def _answer(call, *args, **kwargs) -> dict:
    """A call's answer without the per-request metadata, or its AWS error."""
    try:
        answer = call(*args, **kwargs)
    except ClientError as error:
        return {
            "Error": error.response["Error"],
            "status": error.response["ResponseMetadata"]["HTTPStatusCode"],
        }
    answer.pop("ResponseMetadata", None)
    return answer


def _image_count(sandbox: Sandbox) -> int:
    return len(sandbox.client("ec2").describe_images(Owners=["self"])["Images"])


class TestOneStateTwoDoors:
    def test_answers_from_the_endpoint_and_lab_client_are_the_same(self, served):
        """Successes and AWS errors read the same through the endpoint and in-process."""
        here, there = served.client("ec2"), client_from(served.environ(), "ec2")
        kms_here, kms_there = served.client("kms"), client_from(served.environ(), "kms")
        sts_here = served.client("sts", account="partner")
        sts_there = client_from(served.environ("partner"), "sts")
        calls = [
            (here.describe_images, there.describe_images, {"Owners": ["amazon"]}),
            (here.describe_images, there.describe_images, {"ImageIds": ["ami-0123456789abcdef0"]}),
            (here.describe_images, there.describe_images, {"ImageIds": ["not-an-id"]}),
            # moto echoes the ID into its XML; a character XML forbids reads as U+FFFD both ways
            (here.describe_images, there.describe_images, {"ImageIds": ["ami-\x07bell"]}),
            (here.describe_snapshots, there.describe_snapshots, {"OwnerIds": ["self"]}),
            (here.get_ebs_encryption_by_default, there.get_ebs_encryption_by_default, {}),
            (
                here.copy_image,
                there.copy_image,
                {
                    "Name": "a-copy",
                    "SourceImageId": "ami-0123456789abcdef0",
                    "SourceRegion": "us-east-1",
                },
            ),
            (kms_here.describe_key, kms_there.describe_key, {"KeyId": "alias/nothing-here"}),
        ]
        for ours, theirs, params in calls:
            assert _answer(theirs, **params) == _answer(ours, **params), params
        # moto makes a new role ID for each GetCallerIdentity (in-process too): compare the rest.
        here_id, there_id = (
            _answer(sts_here.get_caller_identity),
            _answer(sts_there.get_caller_identity),
        )
        assert {k: here_id[k] for k in ("Account", "Arn")} == {
            k: there_id[k] for k in ("Account", "Arn")
        }

    def test_what_one_door_makes_the_other_sees(self, served):
        """An image made over HTTP is in-process state, and a tag added in-process shows there."""
        there = client_from(served.environ(), "ec2")
        instance = there.run_instances(
            ImageId=image_id("al2023-x86_64", "us-east-1"), MinCount=1, MaxCount=1
        )["Instances"][0]["InstanceId"]
        made = there.create_image(InstanceId=instance, Name="from-the-cli")["ImageId"]
        served.client("ec2").create_tags(Resources=[made], Tags=[{"Key": "Seen", "Value": "yes"}])
        image = there.describe_images(ImageIds=[made])["Images"][0]
        assert image["OwnerId"] == served.account_id("learner")
        assert {"Key": "Seen", "Value": "yes"} in image["Tags"]

    def test_each_account_acts_as_itself(self, served):
        """environ('partner') acts as the partner, in the Region asked for."""
        sts = client_from(served.environ("partner", region="eu-west-1"), "sts")
        assert sts.get_caller_identity()["Account"] == served.account_id("partner")
        assert sts.meta.region_name == "eu-west-1"


class TestOnlyTheSandboxesKeys:
    @pytest.mark.parametrize(
        "service, code",
        [
            ("ec2", "AuthFailure"),
            ("sts", "InvalidClientTokenId"),
            ("kms", "UnrecognizedClientException"),
        ],
    )
    def test_a_real_looking_key_is_refused_as_aws_does(self, served, service, code):
        """A key the sandbox did not issue gets the service's own authentication error."""
        client = http_client(served.endpoint_url, service, *REAL_LOOKING)
        calls = {
            "ec2": lambda: client.describe_images(Owners=["self"]),
            "sts": lambda: client.get_caller_identity(),
            "kms": lambda: client.list_keys(),
        }
        with pytest.raises(ClientError) as refused:
            calls[service]()
        assert refused.value.response["Error"]["Code"] == code

    def test_a_wrong_secret_is_a_signature_that_does_not_match(self, served):
        """The right key ID with another secret: the signature is checked, not just the ID."""
        env = served.environ()
        ec2 = http_client(
            served.endpoint_url, "ec2", env["AWS_ACCESS_KEY_ID"], "x" * 40, env["AWS_SESSION_TOKEN"]
        )
        sts = http_client(
            served.endpoint_url, "sts", env["AWS_ACCESS_KEY_ID"], "x" * 40, env["AWS_SESSION_TOKEN"]
        )
        with pytest.raises(ClientError, match="AuthFailure"):
            ec2.describe_images(Owners=["self"])
        with pytest.raises(ClientError, match="SignatureDoesNotMatch"):
            sts.get_caller_identity()

    def test_a_refused_request_changes_nothing(self, served):
        """CreateImage with a foreign key makes no image; a tampered body is refused too."""
        ec2 = http_client(served.endpoint_url, "ec2", *REAL_LOOKING)
        instance = served.client("ec2").run_instances(
            ImageId=image_id("al2023-x86_64", "us-east-1"), MinCount=1, MaxCount=1
        )["Instances"][0]["InstanceId"]
        before = _image_count(served)
        with pytest.raises(ClientError, match="AuthFailure"):
            ec2.create_image(InstanceId=instance, Name="not-yours")
        assert _image_count(served) == before

    def test_an_unsigned_request_is_refused(self, served):
        """A plain HTTP POST with no signature: MissingAuthenticationToken, and nothing made."""
        body = b"Action=DescribeImages&Version=2016-11-15&Owner.1=self"
        request = urllib.request.Request(served.endpoint_url + "/", data=body, method="POST")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        text = refused.value.read().decode()
        assert "<Code>MissingAuthenticationToken</Code>" in text
        assert refused.value.code == 401

    def test_morto_s_own_api_is_not_served(self, served):
        """moto's reset API, unsigned, is refused like any other unsigned request."""
        request = urllib.request.Request(
            served.endpoint_url + "/moto-api/reset", data=b"", method="POST"
        )
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(request, timeout=5)
        assert served.client("ec2").describe_images(Owners=["amazon"])["Images"]

    def test_a_region_the_lab_does_not_simulate_is_refused(self, served):
        """As AWS answers a Region the account has not enabled: the key is not valid there."""
        env = served.environ()
        ec2 = client_from(env, "ec2", region="eu-central-1")
        with pytest.raises(ClientError, match="AuthFailure"):
            ec2.describe_images(Owners=["self"])

    def test_keys_are_new_for_each_sandbox(self):
        """A stopped sandbox's keys do not open the next sandbox's endpoint."""
        with Sandbox() as first:
            old = first.environ()
        with Sandbox() as second:
            new = second.environ()
            assert new["AWS_ACCESS_KEY_ID"] != old["AWS_ACCESS_KEY_ID"]
            stale = dict(old, AWS_ENDPOINT_URL=new["AWS_ENDPOINT_URL"])
            with pytest.raises(ClientError, match="AuthFailure"):
                client_from(stale, "ec2").describe_images(Owners=["self"])

    def test_two_sandboxes_in_two_processes_cannot_read_each_other(self, served):
        """Another process's sandbox (another kernel) refuses our keys, and ours refuses its."""
        code = (
            "import json, sys\n"
            "from labkit import Sandbox\n"
            "with Sandbox() as sb:\n"
            "    print(json.dumps(sb.environ()), flush=True)\n"
            "    sys.stdin.readline()\n"
        )
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        other = subprocess.Popen(
            [sys.executable, "-c", code],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            theirs = json.loads(other.stdout.readline())
            ours = served.environ()
            assert theirs["AWS_ENDPOINT_URL"] != ours["AWS_ENDPOINT_URL"]
            crossed = [
                dict(ours, AWS_ENDPOINT_URL=theirs["AWS_ENDPOINT_URL"]),
                dict(theirs, AWS_ENDPOINT_URL=ours["AWS_ENDPOINT_URL"]),
            ]
            for settings in crossed:  # from a third process: this one's guard allows only ours
                done = _aws(settings, "ec2", "describe-images", "--owners", "self")
                assert done.returncode != 0
                assert "(AuthFailure)" in done.stderr
            assert '"111111111111"' in _aws(theirs, "sts", "get-caller-identity").stdout
        finally:
            other.communicate("\n", timeout=60)


def _aws(settings: dict[str, str], *words: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, **settings)
    aws = Path(sys.executable).with_name("aws")
    return subprocess.run([str(aws), *words], env=env, capture_output=True, text=True, timeout=120)


class TestServing:
    def test_serve_twice_gives_the_same_url(self, served):
        """serve() is idempotent; endpoint_url says where it serves."""
        assert served.serve() == served.serve() == served.endpoint_url
        assert served.endpoint_url.startswith("http://127.0.0.1:")

    def test_it_listens_on_loopback_only(self, served):
        """The port is bound to 127.0.0.1, not to every interface."""
        port = int(served.endpoint_url.rsplit(":", 1)[1])
        assert served._endpoint._server._server.socket.getsockname() == ("127.0.0.1", port)
        with socket.socket() as probe:
            other_address = socket.gethostbyname(socket.gethostname())
        if other_address.startswith("127."):
            pytest.skip("this machine has no address but loopback")
        with socket.socket() as probe, pytest.raises(OSError):
            probe.settimeout(2)
            probe.connect((other_address, port))

    def test_a_port_already_taken(self):
        """Asking for a port another program holds says so, and the sandbox keeps running."""
        with socket.socket() as holder, Sandbox() as sandbox:
            holder.bind(("127.0.0.1", 0))
            holder.listen(1)
            taken = holder.getsockname()[1]
            with pytest.raises(SandboxError, match=f"port {taken} on 127.0.0.1 is already in use"):
                sandbox.serve(port=taken)
            assert sandbox.endpoint_url is None
            assert sandbox.serve().startswith("http://127.0.0.1:")

    @pytest.mark.parametrize("port", [0, -1, 70000, "8080", 1.5, True])
    def test_a_port_that_is_not_a_port(self, sandbox, port):
        """serve(port=...) takes None or 1-65535, and says so."""
        with pytest.raises(ValueError, match="port"):
            sandbox.serve(port=port)

    def test_another_port_while_serving(self, served):
        """Asking for another port once serving is a clear error, not a second server."""
        with pytest.raises(ValueError, match="already serves at"):
            served.serve(port=1)

    def test_stopping_releases_the_port_and_refuses_connections(self):
        """After stop() the port is closed: a connection is refused; it can be bound again."""
        sandbox = Sandbox().start()
        url = sandbox.serve()
        port = int(url.rsplit(":", 1)[1])
        sandbox.stop()
        assert sandbox.endpoint_url is None
        with socket.socket() as probe, pytest.raises(ConnectionRefusedError):
            probe.connect(("127.0.0.1", port))
        with socket.socket() as again:
            again.bind(("127.0.0.1", port))

    def test_a_stopped_sandbox_does_not_serve(self):
        """serve() and environ() on a stopped sandbox are SandboxError."""
        sandbox = Sandbox()
        with pytest.raises(SandboxError):
            sandbox.serve()
        with pytest.raises(SandboxError):
            sandbox.environ()

    def test_reset_keeps_serving_with_the_same_keys(self, served):
        """reset() throws state away; the endpoint and its keys stay, and see the fresh state."""
        env = served.environ()
        ec2 = client_from(env, "ec2")
        ec2.create_security_group(GroupName="gone-after-reset", Description="x")
        served.reset()
        assert served.environ() == env
        names = [g["GroupName"] for g in ec2.describe_security_groups()["SecurityGroups"]]
        assert "gone-after-reset" not in names


class TestWhatTheSandboxLacks:
    def test_an_action_the_sandbox_does_not_simulate(self, served, capfd):
        """NotSimulated (HTTP 501), said plainly; nothing is printed on the kernel's stderr."""
        ec2 = client_from(served.environ(), "ec2")
        with pytest.raises(ClientError) as refused:
            ec2.describe_fpga_images()  # FPGA images: outside the course, and outside moto
        assert refused.value.response["Error"]["Code"] == "NotSimulated"
        assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 501
        assert "Traceback" not in capfd.readouterr().err

    def test_stopping_leaves_nothing_behind(self):
        """After stop(): the port is closed and the settings files are gone."""
        sandbox = Sandbox().start()
        env = sandbox.environ()
        url = sandbox.endpoint_url
        sandbox.stop()
        assert sandbox.endpoint_url is None
        assert not Path(env["AWS_CONFIG_FILE"]).exists()
        port = int(url.rsplit(":", 1)[1])
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0


class TestMotoApplicationOnDemand:
    """moto's server application (Flask) is made when the first request comes or when the lab
    readies it (labkit/lab.py), not when the endpoint starts: a setup cell does not wait for it."""

    def test_not_made_at_start_made_by_the_first_request(self):
        with Sandbox() as sandbox:
            sandbox.serve()
            server = sandbox._endpoint._server
            assert server._moto_app is None
            assert _image_count_at_endpoint(sandbox) == 0
            assert server._moto_app is not None

    def test_prepare_makes_it_once(self):
        with Sandbox() as sandbox:
            sandbox.serve()
            server = sandbox._endpoint._server
            sandbox.prepare_endpoint()
            made = server._moto_app
            assert made is not None
            sandbox.prepare_endpoint()
            assert server._moto_app is made
            assert _image_count_at_endpoint(sandbox) == 0
            assert server._moto_app is made

    def test_prepare_without_an_endpoint_does_nothing(self):
        sandbox = Sandbox()
        sandbox.prepare_endpoint()  # never started
        with sandbox:
            sandbox.prepare_endpoint()  # started, not serving
            assert sandbox.endpoint_url is None
        sandbox.prepare_endpoint()  # stopped


def _image_count_at_endpoint(sandbox: Sandbox) -> int:
    ec2 = client_from(sandbox.environ(), "ec2")
    return len(ec2.describe_images(Owners=["self"])["Images"])


def test_if_moto_s_server_cannot_load_the_answer_is_an_internal_error(monkeypatch):
    """A drifted moto (its server module moved) gives AWS's InternalError, not a dropped
    connection; the sandbox's own clients are untouched."""
    from labkit.sandbox.endpoint import server as server_module

    def moved():
        raise ImportError("moto.moto_server.werkzeug_app moved")

    with Sandbox() as sandbox:
        sandbox.serve()
        monkeypatch.setattr(server_module, "_quiet_handler", moved)
        ec2 = client_from(sandbox.environ(), "ec2")
        with pytest.raises(ClientError) as raised:
            ec2.describe_images(Owners=["self"])
        assert raised.value.response["Error"]["Code"] == "InternalError"
        assert sandbox.client("ec2").describe_images(Owners=["self"])["Images"] == []
