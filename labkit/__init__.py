"""AMI Lab's helper package: an offline AWS sandbox for learning Amazon EC2 machine images.

>>> from labkit import Lab
>>> lab = Lab("00-welcome")       # doctest: +SKIP
>>> ec2 = lab.client("ec2")       # a real boto3 client; nothing leaves this machine

``import labkit`` is cheap and changes nothing in the process: the names below are imported on
first use (PEP 562), so ``labkit release``, ``labkit doctor`` and ``labkit --help`` never import
moto or boto3, and nothing is patched until a sandbox starts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._lazy import lazy_names

# `progress` is both a subpackage and the function that shows it: import the function now (it is
# light: no AWS library), or importing the subpackage later would shadow it with the module.
from .progress import load_progress, progress

if TYPE_CHECKING:  # for type checkers and editors; at run time these load on first use
    from .accounts import ACCOUNTS, REGIONS
    from .checks import CheckResult
    from .lab import Lab
    from .sandbox.sandbox import Sandbox, SandboxError

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

# Each public name and the module that defines it.
_LAZY = {
    "ACCOUNTS": ".accounts",
    "REGIONS": ".accounts",
    "CheckResult": ".checks",
    "Lab": ".lab",
    "Sandbox": ".sandbox",
    "SandboxError": ".sandbox",
}


__getattr__, __dir__ = lazy_names(__name__, _LAZY, __all__)


def load_ipython_extension(ipython: object) -> None:
    """``%load_ext labkit``: the ``%aws`` and ``%%aws`` magics (``Lab`` loads them itself)."""
    from .sandbox.endpoint.magic import register

    register(ipython)
