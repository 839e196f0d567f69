"""The lab's explanation of each AWS error code, in the context of the call that got it.

One entry per code (``@explains("Code")``), each a function of the error and the failed call that
returns an Explanation, or None when it has nothing true to add. AWS's message is never changed:
the learner sees it as AWS sends it, and this text beside it. The entries live in one module per
family (``image_errors``: images, their parameters, instances; ``snapshot_errors``: snapshots and
states; ``key_errors``: KMS; ``governance_errors``: Data Lifecycle Manager and the Recycle
Bin); importing this module registers them all. ``tests/explain`` causes
each code in a sandbox and checks its entry.
"""

from __future__ import annotations

from typing import Any

from . import governance_errors, image_errors, key_errors, snapshot_errors
from .context import FailedCall
from .registry import EXPLANATIONS, Explanation, explains

__all__ = ["EXPLANATIONS", "explain_client_error", "explains"]

#: The families whose entries fill EXPLANATIONS (imported for that alone).
FAMILIES = (image_errors, snapshot_errors, key_errors, governance_errors)


def explain_client_error(error: Any, call: FailedCall | None, lab: Any) -> Explanation | None:
    """The explanation of a botocore ClientError, from its code's entry (None if none)."""
    details = error.response.get("Error", {})
    entry = EXPLANATIONS.get(details.get("Code", ""))
    return entry(details.get("Message", ""), call, lab) if entry else None
