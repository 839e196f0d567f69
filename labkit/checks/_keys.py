"""What another account may not yet do with a KMS key, for lessons 5 and 8's checks.

The checks ask the sandbox's own rule (R20 in ``labkit/fidelity/encryption.py``, after AWS's
share-kms-key guide) rather than keep a list of their own, so a check cannot answer ✅ while the
partner's launch would still be refused. That rule also refuses a key that is not ``Enabled``
(disabled, or pending deletion), whatever it allows: ``unusable_state`` says so first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..fidelity import encryption as kms_rules

__all__ = [
    "EBS_KEY_ACTIONS",
    "GRANT_OPERATIONS",
    "listed",
    "make_usable",
    "not_allowed",
    "refused_actions",
    "unusable_state",
]

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


def unusable_state(reference: str | None, owner: str, region: str) -> tuple[str, str] | None:
    """The KMS state of the key a reference names, and that state in words, if no account may use
    it now; None for an enabled key (or one that cannot be found: ``refused_actions`` says that).

    ``("PendingDeletion", "pending deletion (KMS deletes it on 2025-03-10)")``. The sandbox's
    RunInstances, CreateVolume and CopyImage refuse a key in any state but ``Enabled``, as KMS does.
    """
    key = kms_rules.find_key(reference, owner, region)
    if key is None or key.key_state == "Enabled":
        return None
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", key.key_state).lower()
    when = getattr(key, "deletion_date", None)
    if key.key_state == "PendingDeletion" and when is not None:
        words += f" (KMS deletes it on {when:%Y-%m-%d})"
    return key.key_state, words


def make_usable(state: str, kms: str, key_id: str) -> str:
    """How to make a key usable again, in code: ``kms.enable_key(KeyId=...)``, after cancelling
    its deletion for a key pending deletion (a cancelled deletion leaves the key disabled)."""
    enable = f"{kms}.enable_key(KeyId={key_id})"
    if state == "PendingDeletion":
        return (
            f"{kms}.cancel_key_deletion(KeyId={key_id}), then {enable} (a key whose deletion "
            "is cancelled stays disabled)"
        )
    return enable
