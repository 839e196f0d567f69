"""The lab's explanations of AWS's errors from the governance services of lesson 09: Data
Lifecycle Manager (``dlm``) and the Recycle Bin (``rbin``)."""

from __future__ import annotations

from typing import Any

from .context import FailedCall
from .registry import Explanation, explains

__all__: list[str] = []  # entries register themselves in EXPLANATIONS


@explains("InvalidRequestException")
def _policy_refused(message: str, call: FailedCall | None, lab: Any) -> Explanation | None:
    if call is None or call.service != "dlm":
        return None
    return Explanation(
        "Data Lifecycle Manager refused the policy as written, and made nothing: its message "
        "names the rule (CreateRule, RetainRule, DeprecateRule…) and what that rule needs.",
        "Compare that rule with the lesson's create_lifecycle_policy call, key by key.",
    )


@explains("ValidationException")
def _rule_refused(message: str, call: FailedCall | None, lab: Any) -> Explanation | None:
    if call is None or call.service != "rbin":
        return None
    if "enum value set" in message:
        return Explanation(
            "The Recycle Bin knows only the values listed at the end of AWS's message, and the "
            "one named after Value is not among them; no rule was made.",
            "Spelling and capitals: compare the value with the list, and with the lesson's "
            "create_rule call.",
        )
    return Explanation(
        "The Recycle Bin refused the rule as written, and made nothing.",
        "Compare each parameter with the lesson's create_rule call.",
    )
