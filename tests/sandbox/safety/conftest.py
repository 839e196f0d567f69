"""A machine set up for real AWS: keys and a profile in the environment and in ~/.aws files.

Every test here also uses ``no_network`` (tests/conftest.py): any lookup or connection beyond
loopback that reaches the socket layer fails the test and is recorded.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

#: The keys the machine's own AWS set-up holds (AWS's documented example keys).
MACHINE_KEY = "AKIAIOSFODNN7EXAMPLE"
MACHINE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def write_aws_files(home) -> tuple:  # noqa: ANN001
    """~/.aws/credentials and ~/.aws/config with a default and a named profile."""
    folder = home / ".aws"
    folder.mkdir(parents=True)
    credentials = folder / "credentials"
    credentials.write_text(
        "".join(
            f"[{name}]\naws_access_key_id = {MACHINE_KEY}\n"
            f"aws_secret_access_key = {MACHINE_SECRET}\n"
            for name in ("default", "production-admin")
        )
    )
    config = folder / "config"
    config.write_text(
        "[default]\nregion = eu-central-1\n[profile production-admin]\nregion = eu-central-1\n"
    )
    return credentials, config


@pytest.fixture
def real_looking_machine(tmp_path, monkeypatch) -> dict[str, str]:
    """Keys and a profile in the environment, and the same in a fresh ~/.aws (HOME is a temp)."""
    home = tmp_path / "home"
    write_aws_files(home)
    monkeypatch.setenv("HOME", str(home))
    # botocore reads ~/.aws only when these do not point elsewhere.
    monkeypatch.delenv("AWS_SHARED_CREDENTIALS_FILE", raising=False)
    monkeypatch.delenv("AWS_CONFIG_FILE", raising=False)
    settings = {
        "AWS_ACCESS_KEY_ID": MACHINE_KEY,
        "AWS_SECRET_ACCESS_KEY": MACHINE_SECRET,
        "AWS_PROFILE": "production-admin",
        "AWS_DEFAULT_REGION": "eu-central-1",
    }
    for key, value in settings.items():
        monkeypatch.setenv(key, value)
    return settings


@pytest.fixture
def sealed(real_looking_machine, no_network) -> list[str]:
    """A real-looking machine under the network guard; returns the attempts the guard saw."""
    return no_network


class _Recorder(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        self.server.requests.append(self.path)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = b"<DescribeRegionsResponse><regionInfo/></DescribeRegionsResponse>"
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def loopback_server() -> Iterator[ThreadingHTTPServer]:
    """An HTTP server on 127.0.0.1 that records the paths it was asked for (``.requests``)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def the_real_socket_functions() -> dict[str, object]:
    """What the socket module and class hold now (to compare before start and after stop)."""
    return {
        "getaddrinfo": socket.getaddrinfo,
        "gethostbyname": socket.gethostbyname,
        "gethostbyname_ex": socket.gethostbyname_ex,
        "create_connection": socket.create_connection,
        "connect": socket.socket.__dict__.get("connect"),
        "connect_ex": socket.socket.__dict__.get("connect_ex"),
    }
