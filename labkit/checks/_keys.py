"""What another account may not yet do with a KMS key, for lessons 5 and 8's checks.

The checks ask the sandbox's own rule (R20 in ``labkit/fidelity/encryption.py``, after AWS's
share-kms-key guide) rather than keep a list of their own, so a check cannot answer ✅ while the
partner's launch would still be refused.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..fidelity import encryption as kms_rules

__all__ = ["EBS_KEY_ACTIONS", "GRANT_OPERATIONS", "listed", "not_allowed", "refused_actions"]

#: What another account needs on a customer managed key for EBS to use it (the sandbox's list).
EBS_KEY_ACTIONS = kms_rules.EBS_KEY_ACTIONS

#: The grant operations that give another account all of them, as a learner types them in a hint.
GRANT_OPERATIONS = "[" + ", ".join(repr(a.split(":", 1)[1]) for a in EBS_KEY_ACTIONS) + "]"


def listed(words: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    words = list(words)
    return " and ".join(words) if len(words) < 3 else f"{', '.join(words[:-1])} and {words[-1]}"


def refused_actions(
    reference: str | None, owner: str, region: str, account: str
) -> tuple[str, list[str]]:
    """The ARN of the key a reference names, and the EBS actions it does not allow ``account``.

    A key that cannot be found (gone, or never there) allows nothing.
    """
    key = kms_rules.find_key(reference, owner, region)
    if key is None:
        return str(reference or ""), list(EBS_KEY_ACTIONS)
    return key.arn, kms_rules.missing_ebs_actions(key, account)


def not_allowed(missing: Sequence[str]) -> str:
    """The actions a key refuses, and those it allows if it was shared in part.

    ``kms:DescribeKey, … and kms:ReEncryptFrom (it allows only kms:CreateGrant and kms:Decrypt)``.
    """
    allowed = [a for a in EBS_KEY_ACTIONS if a not in missing]
    only = f" (it allows only {listed(allowed)})" if allowed else ""
    return f"{listed(missing)}{only}"
