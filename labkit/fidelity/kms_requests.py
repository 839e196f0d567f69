"""KMS requests checked whole before they change a key: key policies, grants, deletion windows.

moto stores whatever PutKeyPolicy and CreateGrant are given and schedules no deletion for a
waiting period out of range (yet answers success). KMS validates the request first and refuses
it without changing the key. AWS references: the KMS API reference for PutKeyPolicy
(``MalformedPolicyDocumentException``), CreateGrant (the ``Operations`` values) and
ScheduleKeyDeletion (``PendingWindowInDays`` 7–30); the KMS developer guide's "Key policies"
(every statement needs ``Effect``, ``Principal`` and ``Action``; a principal is ``*``, an account
ID, or an IAM ARN). Who may use a key, once stored, is ``encryption.py``'s (R20).
"""

from __future__ import annotations

import json
import re
from typing import Any

from labkit.seam.moto import JsonRESTError, KmsBackend, KmsResponse, ValidationException

from .patching import Patches

__all__ = ["GRANT_OPERATIONS", "check_key_policy", "install"]

#: Every operation a grant may allow (CreateGrant API reference, ``Operations``).
GRANT_OPERATIONS = (
    "Decrypt",
    "Encrypt",
    "GenerateDataKey",
    "GenerateDataKeyWithoutPlaintext",
    "ReEncryptFrom",
    "ReEncryptTo",
    "Sign",
    "Verify",
    "GetPublicKey",
    "CreateGrant",
    "RetireGrant",
    "DescribeKey",
    "GenerateDataKeyPair",
    "GenerateDataKeyPairWithoutPlaintext",
    "GenerateMac",
    "VerifyMac",
    "DeriveSharedSecret",
)
#: The waiting period before KMS deletes a key, in days (ScheduleKeyDeletion API reference).
MIN_PENDING_DAYS, MAX_PENDING_DAYS = 7, 30

_ACCOUNT_ID = re.compile(r"^\d{12}$")
_IAM_ARN = re.compile(r"^arn:aws:(iam|sts)::\d{12}:\S+$")

_ORIGINAL_PUT_KEY_POLICY = KmsBackend.put_key_policy
_ORIGINAL_CREATE_GRANT = KmsBackend.create_grant
_ORIGINAL_SCHEDULE_RESPONSE = KmsResponse.schedule_key_deletion


class MalformedPolicyDocument(JsonRESTError):
    """KMS's ``MalformedPolicyDocumentException``."""

    def __init__(self, message: str) -> None:
        super().__init__("MalformedPolicyDocumentException", message)


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def _valid_aws_principal(principal: Any) -> bool:
    if not isinstance(principal, str):
        return False
    return principal == "*" or bool(_ACCOUNT_ID.match(principal) or _IAM_ARN.match(principal))


def check_key_policy(policy: Any) -> None:
    """A key policy KMS would store: a JSON object whose statements each have an ``Effect``
    (Allow or Deny), valid principals and actions.

    Raises:
        MalformedPolicyDocument: for anything else; nothing is stored.
    """
    try:
        document = json.loads(policy) if isinstance(policy, str) else None
    except ValueError:
        document = None
    if not isinstance(document, dict):
        raise MalformedPolicyDocument("The key policy is not a JSON object.")
    statements = document.get("Statement")
    if statements is None or not all(isinstance(s, dict) for s in _as_list(statements)):
        raise MalformedPolicyDocument("The key policy must have a Statement list of objects.")
    for statement in _as_list(statements):
        if statement.get("Effect") not in ("Allow", "Deny"):
            raise MalformedPolicyDocument("Each statement's Effect must be Allow or Deny.")
        if "Action" not in statement and "NotAction" not in statement:
            raise MalformedPolicyDocument("Each statement must have an Action.")
        principal = statement.get("Principal")
        if principal == "*":
            continue
        if not isinstance(principal, dict) or not principal:
            raise MalformedPolicyDocument(
                "Policy contains a statement with one or more invalid principals."
            )
        aws = principal.get("AWS")
        if aws is not None and not all(_valid_aws_principal(p) for p in _as_list(aws)):
            raise MalformedPolicyDocument(
                "Policy contains a statement with one or more invalid principals."
            )


def put_key_policy(self: KmsBackend, key_id: str, policy: str) -> None:
    """PutKeyPolicy: the document is checked before it replaces the key's policy."""
    check_key_policy(policy)
    _ORIGINAL_PUT_KEY_POLICY(self, key_id, policy)


def create_grant(
    self: KmsBackend,
    key_id: str,
    grantee_principal: str,
    operations: list[str],
    name: str,
    constraints: dict[str, Any],
    retiring_principal: str,
) -> tuple[str, str]:
    """CreateGrant: every operation must be one KMS knows, or no grant is made."""
    unknown = [o for o in operations or [] if o not in GRANT_OPERATIONS]
    if not operations or unknown:
        raise ValidationException(
            f"1 validation error detected: Value '{list(operations or [])}' at 'operations' "
            "failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy "
            f"enum value set: [{', '.join(GRANT_OPERATIONS)}]]"
        )
    return _ORIGINAL_CREATE_GRANT(
        self, key_id, grantee_principal, operations, name, constraints, retiring_principal
    )


def _schedule_key_deletion_response(self: KmsResponse) -> str:
    """ScheduleKeyDeletion: a waiting period of 7 to 30 days, or the key is left as it is."""
    days = self._get_param("PendingWindowInDays")
    if days is not None and not MIN_PENDING_DAYS <= int(days) <= MAX_PENDING_DAYS:
        bound = (
            f"greater than or equal to {MIN_PENDING_DAYS}"
            if int(days) < MIN_PENDING_DAYS
            else f"less than or equal to {MAX_PENDING_DAYS}"
        )
        raise ValidationException(
            f"1 validation error detected: Value '{days}' at 'pendingWindowInDays' failed to "
            f"satisfy constraint: Member must have value {bound}"
        )
    return _ORIGINAL_SCHEDULE_RESPONSE(self)


def install(patches: Patches) -> None:
    """KMS refuses a malformed key policy, a grant of unknown operations, and a deletion window
    out of range, before changing the key."""
    patches.replace(KmsBackend, "put_key_policy", put_key_policy)
    patches.replace(KmsBackend, "create_grant", create_grant)
    patches.replace(KmsResponse, "schedule_key_deletion", _schedule_key_deletion_response)
