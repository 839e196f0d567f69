"""The table the AWS error codes' entries register in (``@explains("Code")``), and the one lookup
every entry shares: the lab's running sandbox. The family modules (``image_errors``,
``snapshot_errors``, ``key_errors``) fill it; ``aws_errors`` reads it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .context import Explanation, FailedCall

__all__ = ["EXPLANATIONS", "Entry", "Explanation", "explains", "running_sandbox"]

Entry = Callable[[str, "FailedCall | None", Any], "Explanation | None"]
#: AWS error code -> its entry: a function of AWS's message, the failed call and the lab.
EXPLANATIONS: dict[str, Entry] = {}


def explains(*codes: str) -> Callable[[Entry], Entry]:
    """Register an entry for one or more AWS error codes."""

    def register(entry: Entry) -> Entry:
        for code in codes:
            EXPLANATIONS[code] = entry
        return entry

    return register


def running_sandbox(lab: Any) -> Any:
    """The lab's sandbox while it runs (None otherwise): where an entry may look things up."""
    sandbox = getattr(lab, "sandbox", None)
    return sandbox if sandbox is not None and sandbox.running else None
