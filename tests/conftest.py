"""Shared fixtures: a fresh sandbox per test, real-looking AWS settings, and a network guard."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator

import pytest

from labkit import Sandbox

#: What a learner with a real AWS set-up might have in the environment.
REAL_LOOKING_SETTINGS = {
    "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
    "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "AWS_PROFILE": "production-admin",
    "AWS_DEFAULT_REGION": "eu-central-1",
}


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    """A fresh, running sandbox, stopped after the test."""
    with Sandbox() as sb:
        yield sb


@pytest.fixture
def real_looking_aws(tmp_path, monkeypatch) -> dict[str, str]:
    """Point every AWS setting at a real-looking profile with credentials on disk."""
    credentials = tmp_path / "credentials"
    credentials.write_text(
        "[production-admin]\n"
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
    )
    config = tmp_path / "config"
    config.write_text("[profile production-admin]\nregion = eu-central-1\n")
    settings = dict(
        REAL_LOOKING_SETTINGS,
        AWS_SHARED_CREDENTIALS_FILE=str(credentials),
        AWS_CONFIG_FILE=str(config),
    )
    for key, value in settings.items():
        monkeypatch.setenv(key, value)
    return settings


class NetworkUsed(AssertionError):
    """A test tried to reach something other than this machine."""


def _is_loopback(host: object) -> bool:
    text = str(host)
    return text in ("localhost", "::1") or text.startswith("127.")


@pytest.fixture
def no_network(monkeypatch) -> list[str]:
    """Fail on any connection or name lookup that is not loopback; returns what was attempted."""
    attempts: list[str] = []
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def connect(self, address):  # noqa: ANN001
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(address, tuple) and not _is_loopback(host):
            attempts.append(f"connect {address}")
            raise NetworkUsed(f"connection to {address} attempted")
        return real_connect(self, address)

    def getaddrinfo(host, *args, **kwargs):  # noqa: ANN001
        if host is not None and not _is_loopback(host):
            attempts.append(f"lookup {host}")
            raise NetworkUsed(f"name lookup of {host} attempted")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", _refuse_create_connection(attempts))
    return attempts


def _refuse_create_connection(attempts: list[str]):
    real = socket.create_connection

    def create_connection(address, *args, **kwargs):  # noqa: ANN001
        if not _is_loopback(address[0]):
            attempts.append(f"create_connection {address}")
            raise NetworkUsed(f"connection to {address} attempted")
        return real(address, *args, **kwargs)

    return create_connection


@pytest.fixture(autouse=True)
def _progress_outside_home(tmp_path_factory, monkeypatch) -> None:
    """Passes and hints a test records go to a temporary file, never to ~/.amilab."""
    monkeypatch.setenv("AMILAB_PROGRESS", str(tmp_path_factory.mktemp("amilab") / "progress.json"))


_AWS_SETTINGS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE")


@pytest.fixture(autouse=True, scope="module")
def _aws_settings_restored_after_each_module():
    """Every sandbox a module started has stopped and put the AWS variables back as they were:
    a test that leaves a lab key behind (say, a monkeypatch undone after its lab stopped) makes
    later tests in the same worker fail far from the cause."""
    before = {name: os.environ.get(name) for name in _AWS_SETTINGS}
    yield
    after = {name: os.environ.get(name) for name in _AWS_SETTINGS}
    assert after == before, f"this module left AWS variables changed: {before} -> {after}"
