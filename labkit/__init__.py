"""AMI Lab's helper package: an offline AWS sandbox for learning Amazon EC2 machine images.

>>> from labkit import Lab
>>> lab = Lab("00-welcome")       # doctest: +SKIP
>>> ec2 = lab.client("ec2")       # a real boto3 client; nothing leaves this machine
"""

from __future__ import annotations

from .accounts import ACCOUNTS, REGIONS
from .checks import CheckResult
from .lab import Lab
from .progress import load_progress, progress
from .sandbox import Sandbox, SandboxError

__all__ = [
    "ACCOUNTS",
    "REGIONS",
    "CheckResult",
    "Lab",
    "Sandbox",
    "SandboxError",
    "load_progress",
    "progress",
]
__version__ = "0.1.0"


def load_ipython_extension(ipython: object) -> None:
    """``%load_ext labkit``: the ``%aws`` and ``%%aws`` magics (``Lab`` loads them itself)."""
    from .endpoint.magic import register

    register(ipython)
