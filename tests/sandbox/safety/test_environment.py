"""Stop always gives the process back as it was, whatever the learner did (issue 14, case 4)."""

from __future__ import annotations

import os

import boto3
import botocore.client
import botocore.endpoint
import botocore.httpsession
import botocore.session
import botocore.signers
import pytest
from moto.core.botocore_stubber import BotocoreStubber
from moto.core.models import botocore_stubber

from labkit import Sandbox
from labkit.sandbox.safety import masked_aws_environment

from .conftest import the_real_socket_functions


def _aws_settings() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k.startswith(("AWS_", "BOTO_"))}


def _patched_by_the_guard() -> dict[str, object]:
    """Everything the guard replaces while a sandbox runs, as the process holds it now."""
    return {
        "Endpoint._send": botocore.endpoint.Endpoint.__dict__.get("_send"),
        "URLLib3Session.send": botocore.httpsession.URLLib3Session.__dict__.get("send"),
        "ClientCreator.create_client": botocore.client.ClientCreator.__dict__.get("create_client"),
        "Session._register_builtin_handlers": botocore.session.Session.__dict__.get(
            "_register_builtin_handlers"
        ),
        "BotocoreStubber.__call__": BotocoreStubber.__dict__.get("__call__"),
        "RequestSigner.sign": botocore.signers.RequestSigner.__dict__.get("sign"),
        **the_real_socket_functions(),
    }


class TestStopRestores:
    def test_deleted_access_key_then_stop(self, sealed, real_looking_machine):
        """del os.environ['AWS_ACCESS_KEY_ID'] in the lab: stop completes, moto is off, the
        machine's settings come back exactly, and the next lab works."""
        before = _aws_settings()
        default_session = boto3.DEFAULT_SESSION
        sandbox = Sandbox().start()
        del os.environ["AWS_ACCESS_KEY_ID"]
        sandbox.stop()  # raised KeyError from moto before
        assert botocore_stubber.enabled is False
        assert _aws_settings() == before
        assert os.environ["AWS_ACCESS_KEY_ID"] == real_looking_machine["AWS_ACCESS_KEY_ID"]
        assert boto3.DEFAULT_SESSION is default_session
        with Sandbox() as again:
            assert again.client("sts").get_caller_identity()["Account"] == "111111111111"
        assert sealed == []

    def test_every_aws_variable_deleted_then_stop(self, sealed):
        """Even with every AWS_* variable gone, stop completes and puts the machine's back."""
        before = _aws_settings()
        sandbox = Sandbox().start()
        for key in list(_aws_settings()):
            del os.environ[key]
        sandbox.stop()
        assert botocore_stubber.enabled is False
        assert _aws_settings() == before

    def test_settings_changed_in_the_lab_are_put_back(self, sealed, real_looking_machine):
        """A profile, an endpoint or a credentials file set inside the lab is gone after it."""
        before = _aws_settings()
        with Sandbox():
            os.environ["AWS_PROFILE"] = "someone-else"
            os.environ["AWS_ENDPOINT_URL"] = "https://example.com"
            os.environ["AWS_SHARED_CREDENTIALS_FILE"] = "/tmp/other"
            os.environ["BOTO_CONFIG"] = "/tmp/boto"
        assert _aws_settings() == before

    def test_the_guard_is_gone_after_stop(self, sealed):
        """Every botocore, moto and socket attribute the guard replaces is back after stop."""
        before = _patched_by_the_guard()
        with Sandbox():
            running = _patched_by_the_guard()
        assert all(running[name] is not before[name] for name in before)
        assert _patched_by_the_guard() == before
        assert sealed == []

    def test_a_failing_start_leaves_nothing(self, sealed):
        """A lesson whose setup fails leaves no guard, no moto and the settings as they were."""
        before, guard = _aws_settings(), _patched_by_the_guard()

        def broken(_sandbox: Sandbox) -> None:
            raise RuntimeError("broken scenario")

        with pytest.raises(RuntimeError, match="broken scenario"):
            Sandbox(broken).start()
        assert (_aws_settings(), _patched_by_the_guard()) == (before, guard)
        assert botocore_stubber.enabled is False


class TestMaskedEnvironment:
    def test_hides_then_restores_exactly(self, real_looking_machine):
        """Inside: no key, no profile, files at /dev/null. After: exactly what was there."""
        before = _aws_settings()
        with masked_aws_environment("us-west-2"):
            assert "AWS_ACCESS_KEY_ID" not in os.environ and "AWS_PROFILE" not in os.environ
            assert os.environ["AWS_SHARED_CREDENTIALS_FILE"] == os.devnull
            assert os.environ["AWS_DEFAULT_REGION"] == "us-west-2"
            os.environ.pop("AWS_DEFAULT_REGION")
            os.environ["AWS_SECRET_ACCESS_KEY"] = "changed"
        assert _aws_settings() == before

    def test_restores_after_an_error(self, real_looking_machine):
        """An exception inside the block does not keep the masked settings."""
        before = _aws_settings()
        with (
            pytest.raises(ValueError, match="boom"),
            masked_aws_environment("us-east-1", {"AWS_ACCESS_KEY_ID": "inside"}),
        ):
            raise ValueError("boom")
        assert _aws_settings() == before
