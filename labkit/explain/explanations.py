"""One entry point: the lab's explanation of an error, or None when the lab has nothing to add.

Also the table the AWS error codes' entries register in (``@explains("Code")``), and the one
lookup every entry shares: the lab's running sandbox.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .context import FailedCall

__all__ = ["EXPLANATIONS", "Explanation", "explain", "explains", "lab_sandbox"]


@dataclass(frozen=True)
class Explanation:
    """What an error means here (one or two sentences), and what to look at or do next."""

    meaning: str
    next_step: str = ""

    def __str__(self) -> str:
        return f"{self.meaning} {self.next_step}".strip()


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


def lab_sandbox(lab: Any) -> Any:
    """The lab's sandbox while it runs (None otherwise): where an entry may look things up."""
    sandbox = getattr(lab, "sandbox", None)
    return sandbox if sandbox is not None and sandbox.running else None


def explain(
    error: BaseException, call: FailedCall | None = None, lab: Any = None
) -> Explanation | None:
    """The explanation for a ClientError or ParamValidationError, in the context of its call.

    Args:
        error: the exception the learner's cell raised.
        call: the call that raised it (from :func:`labkit.explain.failed_call`), if known.
        lab: the running ``Lab``, to tell the learner's own resources from the lesson's.
    """
    from botocore.exceptions import ClientError, ParamValidationError

    from . import aws_errors, param_errors

    try:
        if isinstance(error, ClientError):
            return aws_errors.explain_client_error(error, call, lab)
        if isinstance(error, ParamValidationError):
            return param_errors.explain_param_error(error, call)
    except Exception:  # an explanation must never hide the error itself
        return None
    return None
