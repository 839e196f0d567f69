"""``from labkit.estate import estate_from_sandbox``, as the lessons write it: the estate reader
lives with the sandbox (``labkit.sandbox.estate``); this public path stays."""

from __future__ import annotations

from .sandbox.estate import *  # noqa: F403
from .sandbox.estate import __all__  # noqa: F401
