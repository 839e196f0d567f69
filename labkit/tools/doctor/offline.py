"""Doctor checks of the sandbox itself: it starts, and nothing it does reaches AWS."""

from __future__ import annotations

import socket
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from .report import ERROR, OK, Finding

__all__ = ["UNSIMULATED_ENDPOINT", "check_sandbox", "check_sealed", "tripwire"]

# A real AWS endpoint that moto does not simulate (EC2's dual-stack name): the sandbox must stop it.
UNSIMULATED_ENDPOINT = "https://ec2.us-east-1.api.aws"


def check_sandbox() -> Finding:
    """A sandbox starts and answers a DescribeImages call."""
    from ...sandbox.sandbox import Sandbox

    started = time.perf_counter()
    with Sandbox() as sandbox:
        images = sandbox.client("ec2").describe_images(Owners=["amazon"])["Images"]
    seconds = time.perf_counter() - started
    if not images:
        return Finding(
            "sandbox",
            ERROR,
            "started, but lists no Amazon images",
            f"{sys.executable} -m pip install --force-reinstall --no-deps -e .",
        )
    return Finding(
        "sandbox", OK, f"started and listed {len(images)} Amazon images in {seconds:.1f} s"
    )


@contextmanager
def tripwire() -> Iterator[list[str]]:
    """Refuse (and record) every connection and name lookup beyond this machine."""
    attempts: list[str] = []
    real_connect, real_lookup = socket.socket.connect, socket.getaddrinfo

    def local(host: object) -> bool:
        return str(host) in ("localhost", "::1") or str(host).startswith("127.")

    def connect(self: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(address, tuple) and not local(host):
            attempts.append(f"connect {address}")
            raise OSError(f"labkit doctor stopped a connection to {address}")
        return real_connect(self, address)

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        if host is not None and not local(host):
            attempts.append(f"lookup {host}")
            raise OSError(f"labkit doctor stopped a name lookup of {host}")
        return real_lookup(host, *args, **kwargs)

    socket.socket.connect, socket.getaddrinfo = connect, getaddrinfo
    try:
        yield attempts
    finally:
        socket.socket.connect, socket.getaddrinfo = real_connect, real_lookup


def check_sealed() -> Finding:
    """From inside a sandbox, no request reaches AWS: moto answers it or the lab stops it."""
    from ...accounts import ACCOUNTS
    from ...sandbox.safety import SandboxError
    from ...sandbox.sandbox import Sandbox, _session

    name = "no way out to AWS"
    fix = f"{sys.executable} -m pip install --force-reinstall --no-deps -e . (labkit is damaged)"
    with tripwire() as attempts, Sandbox() as sandbox:
        account = sandbox.client("sts").get_caller_identity()["Account"]
        outside = _session().client(
            "ec2",
            region_name="us-east-1",
            endpoint_url=UNSIMULATED_ENDPOINT,
            **sandbox._credentials["learner"],
        )
        try:
            outside.describe_regions()
            stopped = False
        except SandboxError:
            stopped = True
    if attempts:
        return Finding(name, ERROR, f"the sandbox tried the network: {', '.join(attempts)}", fix)
    if account != ACCOUNTS["learner"]:
        return Finding(name, ERROR, f"STS answered for account {account}, not the lab's", fix)
    if not stopped:
        return Finding(name, ERROR, f"a request to {UNSIMULATED_ENDPOINT} was not stopped", fix)
    return Finding(
        name, OK, "no connection attempted; a request moto does not simulate was stopped"
    )
