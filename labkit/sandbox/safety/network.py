"""While a sandbox runs, no library in the process may open a connection to AWS.

botocore's requests are answered by moto or refused (``requests.py``); this is the second wall,
for everything else: urllib, http.client, requests, ``socket.create_connection``, a raw socket.
Name lookups and connections to AWS's domains and to the instance metadata and container
credential addresses are refused with :class:`SandboxConnectionError`. Every other host, loopback
(the lab's own endpoint) and the package indexes ``%pip`` needs, stays open.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

from .errors import SandboxConnectionError

__all__ = ["aws_host", "guard_sockets", "is_loopback"]

# The domains of AWS's partitions (commercial, China, GovCloud, the ISO partitions) and of its
# newer endpoints (*.api.aws, *.on.aws); "ec2.internal" is where instance-data lives on EC2.
AWS_DOMAINS = (
    "amazonaws.com",
    "amazonaws.com.cn",
    "aws",
    "c2s.ic.gov",
    "sc2s.sgov.gov",
    "cloud.adc-e.uk",
    "csp.hci.ic.gov",
    "ec2.internal",
)
# Where EC2 serves instance metadata (IPv4 and IPv6, and its name), and where ECS and EKS serve
# container credentials: credentials come from there without any AWS domain.
AWS_ADDRESSES = frozenset(
    {
        "169.254.169.254",
        "fd00:ec2::254",
        "169.254.170.2",
        "169.254.170.23",
        "fd00:ec2::23",
        "instance-data",
    }
)


def _host_text(host: object) -> str | None:
    if isinstance(host, (bytes, bytearray)):
        host = bytes(host).decode("ascii", errors="replace")
    if not isinstance(host, str):
        return None
    return host.strip().strip("[]").rstrip(".").lower()


def _address(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(name.split("%", 1)[0])
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def aws_host(host: object) -> bool:
    """True for a name in one of AWS's domains, or an instance metadata or credentials address."""
    name = _host_text(host)
    if not name:
        return False
    address = _address(name)
    if address is not None:
        return str(address) in AWS_ADDRESSES
    return name in AWS_ADDRESSES or any(
        name == domain or name.endswith("." + domain) for domain in AWS_DOMAINS
    )


def is_loopback(host: object) -> bool:
    """True for this machine: ``localhost`` and the loopback addresses."""
    name = _host_text(host)
    if not name:
        return False
    if name == "localhost" or name.endswith(".localhost"):
        return True
    address = _address(name)
    return address is not None and address.is_loopback


def refusal(host: object) -> SandboxConnectionError:
    """The error for a lookup of or a connection to AWS, saying why it was refused."""
    return SandboxConnectionError(
        f"The lab refused to reach {host!r}: that is AWS, and while a lab sandbox runs nothing "
        "in this process may reach AWS. Use lab.client(...) (or boto3 inside the lab): the "
        "sandbox answers every AWS call itself, on this machine."
    )


def _host_of(address: object) -> object:
    return address[0] if isinstance(address, tuple) and address else None


def guard_sockets(patches: Any) -> None:
    """Refuse lookups of and connections to AWS, through ``patches`` (undone on stop)."""
    real_getaddrinfo = socket.getaddrinfo
    real_gethostbyname = socket.gethostbyname
    real_gethostbyname_ex = socket.gethostbyname_ex
    real_create_connection = socket.create_connection
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def getaddrinfo(host, *args, **kwargs):  # noqa: ANN001, ANN202
        if aws_host(host):
            raise refusal(host)
        return real_getaddrinfo(host, *args, **kwargs)

    def gethostbyname(host):  # noqa: ANN001, ANN202
        if aws_host(host):
            raise refusal(host)
        return real_gethostbyname(host)

    def gethostbyname_ex(host):  # noqa: ANN001, ANN202
        if aws_host(host):
            raise refusal(host)
        return real_gethostbyname_ex(host)

    def create_connection(address, *args, **kwargs):  # noqa: ANN001, ANN202
        if aws_host(_host_of(address)):
            raise refusal(_host_of(address))
        return real_create_connection(address, *args, **kwargs)

    def connect(self, address):  # noqa: ANN001, ANN202
        if aws_host(_host_of(address)):
            raise refusal(_host_of(address))
        return real_connect(self, address)

    def connect_ex(self, address):  # noqa: ANN001, ANN202
        if aws_host(_host_of(address)):
            raise refusal(_host_of(address))
        return real_connect_ex(self, address)

    # socket.create_connection (http.client, urllib) looks names up through socket.getaddrinfo
    # and connects through socket.socket.connect; it is guarded too in case it was replaced.
    for name, new in (
        ("create_connection", create_connection),
        ("getaddrinfo", getaddrinfo),
        ("gethostbyname", gethostbyname),
        ("gethostbyname_ex", gethostbyname_ex),
    ):
        patches.replace(socket, name, new)
    patches.replace(socket.socket, "connect", connect)
    patches.replace(socket.socket, "connect_ex", connect_ex)
