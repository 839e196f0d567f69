"""While a sandbox runs, no library in the process opens a connection to AWS (issue 14, case 3).

Each way out is tried against AWS's hosts under the network guard: the lab must refuse it with
its own message before any lookup or connection reaches the socket layer.
"""

from __future__ import annotations

import http.client
import socket
import urllib.request

import pytest
import requests

from labkit import Sandbox
from labkit.sandbox.safety import SandboxConnectionError, aws_host, is_loopback

from .conftest import the_real_socket_functions

REFUSED = "The lab refused to reach"

# Hosts moto does not answer: each one must be refused, not looked up.
AWS_HOSTS = [
    "ec2.us-east-1.amazonaws.com",
    "ec2.us-east-1.api.aws",
    "ec2.cn-north-1.amazonaws.com.cn",
    "169.254.169.254",
    "fd00:ec2::254",
]


def _url(host: str) -> str:
    return f"http://[{host}]/latest/" if ":" in host else f"http://{host}/latest/"


def _urllib(host: str) -> None:
    urllib.request.urlopen(_url(host), timeout=1)


def _http_client(host: str) -> None:
    connection = http.client.HTTPSConnection(host, 443, timeout=1)
    connection.request("GET", "/")


def _create_connection(host: str) -> None:
    socket.create_connection((host, 443), timeout=1)


def _raw_socket(host: str) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as raw:
        raw.connect((host, 443))


def _lookup(host: str) -> None:
    socket.getaddrinfo(host, 443)


WAYS_OUT = [_urllib, _http_client, _create_connection, _raw_socket, _lookup]


def _says_why(error: BaseException) -> bool:
    """True if the lab's refusal is the error or anywhere in its causes (libraries wrap it)."""
    seen = error
    while seen is not None:
        if isinstance(seen, SandboxConnectionError) or REFUSED in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__ or getattr(seen, "reason", None)
        if not isinstance(seen, BaseException):
            return False
    return False


@pytest.mark.parametrize("way", WAYS_OUT, ids=lambda f: f.__name__.strip("_"))
def test_every_library_is_refused_aws(way, sealed):
    """urllib, http.client, create_connection, a raw socket, a lookup: all refused, saying why."""
    with Sandbox():
        for host in AWS_HOSTS:
            with pytest.raises(OSError) as refused:
                way(host)
            assert _says_why(refused.value), f"{host}: {refused.value!r}"
    assert sealed == []


def test_requests_is_answered_by_moto_or_refused(sealed):
    """requests: moto's own mock answers AWS URLs it knows (*.amazonaws.com, the metadata
    address) in the process; the lab refuses the rest. Nothing reaches the socket layer."""
    with Sandbox():
        answer = requests.get("https://ec2.us-east-1.amazonaws.com/?Action=DescribeRegions")
        assert b"DescribeRegionsResponse" in answer.content
        for host in AWS_HOSTS:
            try:
                requests.get(_url(host), timeout=1)
            except NotImplementedError:
                pass  # moto's metadata mock: "The /latest/ metadata path has not been implemented"
            except requests.ConnectionError as error:
                assert _says_why(error), f"{host}: {error!r}"
    assert sealed == []


class TestWhatStaysOpen:
    def test_loopback(self, sealed):
        """A server on 127.0.0.1 and localhost are reachable while the lab runs."""
        with socket.create_server(("127.0.0.1", 0)) as server, Sandbox():
            port = server.getsockname()[1]
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            socket.create_connection(("localhost", port), timeout=1).close()
        assert sealed == []

    def test_package_indexes_are_not_the_labs_to_refuse(self, sealed):
        """A lookup of PyPI passes the lab's guard (the test's own guard is what stops it)."""
        with Sandbox():
            with pytest.raises(AssertionError, match="pypi.org"):
                socket.getaddrinfo("pypi.org", 443)
        assert sealed == ["lookup pypi.org"]

    def test_after_stop_the_sockets_are_as_before(self, no_network):
        """The socket functions are the same objects before start and after stop."""
        before = the_real_socket_functions()
        with Sandbox():
            assert the_real_socket_functions() != before
        assert the_real_socket_functions() == before
        with pytest.raises(AssertionError, match="attempted"):
            socket.getaddrinfo("ec2.us-east-1.amazonaws.com", 443)


class TestWhatIsAws:
    @pytest.mark.parametrize(
        "host",
        [
            "ec2.us-east-1.amazonaws.com",
            "EC2.US-EAST-1.AMAZONAWS.COM.",
            "sts.amazonaws.com",
            "s3.cn-north-1.amazonaws.com.cn",
            "ec2.us-east-1.api.aws",
            "abc.lambda-url.us-east-1.on.aws",
            "ec2.us-iso-east-1.c2s.ic.gov",
            "169.254.169.254",
            "::ffff:169.254.169.254",
            "[fd00:ec2::254]",
            "169.254.170.2",
            "instance-data.ec2.internal",
            b"ec2.us-east-1.amazonaws.com",
        ],
    )
    def test_aws_hosts(self, host):
        """AWS's domains in every partition and its metadata and credentials addresses."""
        assert aws_host(host)

    @pytest.mark.parametrize(
        "host",
        ["pypi.org", "files.pythonhosted.org", "notamazonaws.com", "aws.example.com", "10.0.0.1"],
    )
    def test_other_hosts(self, host):
        """Package indexes and hosts that merely look alike are not AWS."""
        assert not aws_host(host)

    @pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "127.8.9.1", "::1", "[::1]"])
    def test_loopback_hosts(self, host):
        """This machine, by name or address."""
        assert is_loopback(host) and not aws_host(host)

    def test_refusal_is_a_connection_error(self):
        """Libraries that handle an unreachable server handle the lab's refusal the same way."""
        assert issubclass(SandboxConnectionError, ConnectionRefusedError)
