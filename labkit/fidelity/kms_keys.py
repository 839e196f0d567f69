"""KMS keys for EBS: which key a reference names, the AWS-managed ``aws/ebs`` key, and who may
use a key (R17's ``aws/ebs`` part, R20).

AWS guide pages: AMIEncryption, ebs-modifying-snapshot-permissions ("Share the KMS key used to
encrypt a shared snapshot"), EBSEncryption ("Encryption by default").

A KMS key lives in one account and Region. Its own account may use it; another account may use
a customer managed key only when the key policy allows that account (``Principal`` its root
``arn:aws:iam::222222222222:root``, its ID, or one of its roles) or a grant names it. The
AWS-managed default key ``alias/aws/ebs`` can never be used by another account.
"""

from __future__ import annotations

import fnmatch
import json
from typing import Any

from labkit.seam.moto import Key, ec2_backends, kms_backends

from .errors import AwsError

__all__ = [
    "AWS_MANAGED_EBS_ALIAS",
    "EBS_KEY_ACTIONS",
    "accounts_named_by",
    "aws_managed_ebs_key",
    "can_use_key",
    "default_ebs_key_arn",
    "find_key",
    "is_aws_managed",
    "key_allows",
    "KEY_NOT_USABLE_MESSAGE",
    "key_not_usable",
    "unusable_key_reason",
    "missing_ebs_actions",
    "require_usable_key",
]

AWS_MANAGED_EBS_ALIAS = "alias/aws/ebs"

#: What another account must be allowed to do with a customer managed key for EBS to use it on
#: its behalf, to launch from or copy a shared encrypted image or snapshot. The Amazon EBS User
#: Guide, "Share the KMS key used to encrypt a shared Amazon EBS snapshot" (share-kms-key; in the
#: archived EC2 guide, ebs-modifying-snapshot-permissions "Considerations"), lists these six for
#: "users of your shared customer managed key who are accessing encrypted snapshots", without
#: telling launching from copying apart. Its ``kms:ReEncrypt`` is no KMS permission of its own:
#: re-encrypting *from* the shared key is ``kms:ReEncryptFrom``, which the console's
#: ``kms:ReEncrypt*`` includes. ``kms:Encrypt``, in the console's "Allow use of the key" statement,
#: is not on the list, so the sandbox does not ask for it.
EBS_KEY_ACTIONS = (
    "kms:DescribeKey",
    "kms:CreateGrant",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:ReEncryptFrom",
    "kms:Decrypt",
)


# -- finding keys ----------------------------------------------------------------------------------


def _state_in_words(key: Key) -> str:
    """``PendingDeletion`` -> ``pending deletion``: a key state as a sentence says it."""
    return "".join(f" {c.lower()}" if c.isupper() else c for c in key.key_state).strip()


def _kms(account_id: str, region: str) -> Any:
    return kms_backends[account_id][region]


def _mark_aws_managed(key: Key) -> Key:
    """The aws/ebs key is AWS managed: shown as such, and usable by its own account only."""
    key.key_manager = "AWS"
    key.description = "Default key that protects my EBS volumes when no other key is defined"
    key.policy = json.dumps(
        {
            "Version": "2012-10-17",
            "Id": "auto-ebs-2",
            "Statement": [
                {
                    "Sid": "Allow access through EBS for all principals in the account",
                    "Effect": "Allow",
                    "Principal": {"AWS": "*"},
                    "Action": [
                        "kms:Encrypt",
                        "kms:Decrypt",
                        "kms:ReEncrypt*",
                        "kms:GenerateDataKey*",
                        "kms:CreateGrant",
                        "kms:DescribeKey",
                    ],
                    "Resource": "*",
                    "Condition": {"StringEquals": {"kms:CallerAccount": key.account_id}},
                }
            ],
        }
    )
    return key


def aws_managed_ebs_key(account_id: str, region: str) -> Key:
    """The account's ``aws/ebs`` key in a Region, created on first use as AWS does."""
    kms = _kms(account_id, region)
    key_id = None
    for key in kms.keys.values():
        if AWS_MANAGED_EBS_ALIAS in key.aliases:
            key_id = key.id
    if key_id is None:
        key = kms.create_key(
            policy="",
            key_usage="ENCRYPT_DECRYPT",
            key_spec="SYMMETRIC_DEFAULT",
            description="",
            tags=None,
        )
        kms.create_alias(key.id, AWS_MANAGED_EBS_ALIAS)
        key_id = key.id
    key = kms.keys[key_id]
    if key.key_manager != "AWS":
        _mark_aws_managed(key)
    return key


def default_ebs_key_arn(account_id: str, region: str) -> str:
    """The key EBS uses for this account and Region when none is named (aws/ebs unless changed).

    ``ModifyEbsDefaultKmsKeyId`` can make a customer managed key the default; otherwise it is
    the AWS-managed ``aws/ebs`` key, created on first use. (EBSEncryption)
    """
    backend = ec2_backends[account_id][region]
    if not backend.default_kms_key_id:
        backend.default_kms_key_id = aws_managed_ebs_key(account_id, region).arn
    return backend.default_kms_key_id


def find_key(reference: str | None, account_id: str, region: str) -> Key | None:
    """The KMS key a reference names, as seen from ``account_id`` in ``region``.

    A key ID or alias name means the caller's own account; a key or alias ARN may name any
    account (the only way to name another account's key, as in AWS). No permission check.
    """
    if not reference:
        return None
    ref = str(reference)
    owner, where = account_id, region
    if ref.startswith("arn:"):
        parts = ref.split(":", 5)
        if len(parts) != 6 or parts[2] != "kms":
            return None
        where, owner, ref = parts[3], parts[4], parts[5]
    try:
        kms = _kms(owner, where)
    except KeyError:  # not a Region KMS knows
        return None
    if ref == AWS_MANAGED_EBS_ALIAS:
        return aws_managed_ebs_key(owner, where)
    if ref.startswith("alias/"):
        for key in kms.keys.values():
            if ref in key.aliases:
                return key
        return None
    if ref.startswith("key/"):
        ref = ref[len("key/") :]
    return kms.keys.get(ref)


def is_aws_managed(key: Key) -> bool:
    """True for an AWS-managed key such as ``aws/ebs`` (never usable by another account)."""
    return key.key_manager == "AWS" or any(a.startswith("alias/aws/") for a in key.aliases)


# -- who may use a key -----------------------------------------------------------------------------


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _principal_names(principal: str, account_id: str) -> bool:
    """A policy principal that covers an account: ``*``, its ID, its root, or one of its ARNs."""
    if principal in ("*", account_id):
        return True
    if principal.startswith("arn:"):
        parts = principal.split(":", 5)
        return len(parts) == 6 and parts[2] == "iam" and parts[4] == account_id
    return False


def _statement_covers(statement: dict[str, Any], account_id: str, action: str) -> bool:
    principal = statement.get("Principal")
    if principal == "*":
        names = True
    elif isinstance(principal, dict):
        names = any(_principal_names(str(p), account_id) for p in _as_list(principal.get("AWS")))
    else:
        names = False
    if not names:
        return False
    actions = [str(a).lower() for a in _as_list(statement.get("Action"))]
    return any(fnmatch.fnmatchcase(action.lower(), pattern) for pattern in actions)


def _policy_allows(key: Key, account_id: str, action: str) -> bool:
    """The key policy allows (and does not deny) an account an action; conditions ignored."""
    try:
        policy = json.loads(key.policy or "{}")
    except (TypeError, ValueError):
        return False
    statements = _as_list(policy.get("Statement"))
    matching = [s for s in statements if isinstance(s, dict)]
    if any(
        str(s.get("Effect", "")).lower() == "deny" and _statement_covers(s, account_id, action)
        for s in matching
    ):
        return False
    return any(
        str(s.get("Effect", "")).lower() == "allow" and _statement_covers(s, account_id, action)
        for s in matching
    )


def _grant_allows(key: Key, account_id: str, operation: str) -> bool:
    """A grant on the key names a principal of the account and includes the operation."""
    return any(
        _principal_names(str(grant.grantee_principal), account_id)
        and operation in _as_list(grant.operations)
        for grant in key.grants.values()
    )


def _account_of(principal: str) -> str | None:
    if principal.isdigit() and len(principal) == 12:
        return principal
    parts = principal.split(":", 5)
    if principal.startswith("arn:") and len(parts) == 6 and parts[2] == "iam":
        return parts[4]
    return None


def accounts_named_by(key: Key) -> list[str]:
    """The account IDs the key policy's principals and the key's grantees name (not ``*``)."""
    try:
        policy = json.loads(key.policy or "{}")
    except (TypeError, ValueError):
        policy = {}
    principals: list[str] = []
    for statement in _as_list(policy.get("Statement") if isinstance(policy, dict) else None):
        principal = statement.get("Principal") if isinstance(statement, dict) else None
        if isinstance(principal, dict):
            principals += [str(p) for p in _as_list(principal.get("AWS"))]
    principals += [str(grant.grantee_principal) for grant in key.grants.values()]
    return sorted({a for a in map(_account_of, principals) if a})


def key_allows(key: Key, account_id: str, action: str) -> bool:
    """Does the key policy or a grant let this account perform a KMS action on the key?

    Its own account may do anything (the default key policy lets the account's root do
    ``kms:*``); another account only through an ``Allow`` statement naming it (and no ``Deny``),
    or a grant whose grantee is in it; never for an AWS-managed key. Conditions are ignored.
    """
    if key.account_id == account_id:
        return True
    if is_aws_managed(key):
        return False
    operation = action.split(":", 1)[-1]
    return _policy_allows(key, account_id, action) or _grant_allows(key, account_id, operation)


def missing_ebs_actions(key: Key, account_id: str) -> list[str]:
    """R20: the actions of ``EBS_KEY_ACTIONS`` that the key does not allow this account.

    Empty for the key's own account; every action for another account on an AWS-managed key.
    The key policy and grants add up, as in KMS: one statement may allow some actions and a
    grant the rest. Key state is not checked here.
    """
    return [action for action in EBS_KEY_ACTIONS if not key_allows(key, account_id, action)]


def can_use_key(key: Key, account_id: str) -> bool:
    """R20: may this account use the key for EBS (read a snapshot, encrypt a volume)?

    Another account needs every action of ``EBS_KEY_ACTIONS`` on a customer managed key, from
    the key policy or a grant; nobody else may use an AWS-managed key. Key state is not
    checked here.
    """
    return not missing_ebs_actions(key, account_id)


def _missing_in_words(key: Key, account_id: str) -> str:
    """Why another account may not use a customer managed key for EBS, naming what it lacks."""
    missing = missing_ebs_actions(key, account_id)
    needs = ", ".join(EBS_KEY_ACTIONS)
    if len(missing) == len(EBS_KEY_ACTIONS):
        return (
            f"account {key.account_id} has not shared it with account {account_id} (no key "
            f"policy statement or grant allows it; EBS needs {needs})"
        )
    return (
        f"account {key.account_id} has shared it with account {account_id} only in part: "
        f"the key policy and grants do not allow {', '.join(missing)} (EBS needs {needs})"
    )


#: What EC2 says when a KMS key cannot be used (an instance's state reason
#: ``Client.InvalidKMSKey.InvalidState``, a failed copy): the same words whatever the reason.
KEY_NOT_USABLE_MESSAGE = "The KMS key provided is in an incorrect state"


def key_not_usable(reference: str, why: str) -> AwsError:
    """The error for a KMS key that cannot be used: EC2's ``InvalidKMSKey.InvalidState``.

    AWS reports this as the state reason of an instance that stops at launch or of a copy that
    fails; the sandbox refuses the call itself, which is quicker to learn from. The message is
    AWS's, whatever the reason: ``why`` (the key's state, the actions its policy lacks) is the
    lab's to explain beside it (``unusable_key_reason``, which labkit.explain asks), never
    inside AWS's text. Both arguments say which refusal this is, for whoever reads the code.
    """
    return AwsError("InvalidKMSKey.InvalidState", KEY_NOT_USABLE_MESSAGE)


def unusable_key_reason(key: Key, account_id: str) -> str | None:
    """Why this account may not use the key for EBS now, in words; None if it may."""
    if key.key_state != "Enabled":
        return f"it is {_state_in_words(key)}"
    if can_use_key(key, account_id):
        return None
    if is_aws_managed(key):
        return (
            f"it is the AWS-managed aws/ebs key of account {key.account_id}, which no other "
            "account can use"
        )
    return _missing_in_words(key, account_id)


def require_usable_key(reference: str, account_id: str, region: str) -> Key:
    """The key a reference names, if this account may use it now; raise an AWS error if not.

    Raises:
        AwsError: ``InvalidParameterValue`` for a key that does not exist (or is in another
            Region); ``InvalidKMSKey.InvalidState`` for a disabled key, or one the account has
            no key policy statement or grant for.
    """
    key = find_key(reference, account_id, region)
    if key is None:
        raise AwsError(
            "InvalidParameterValue",
            f"The KMS key {reference} does not exist.",
        )
    if key.region != region:
        raise AwsError(
            "InvalidParameterValue",
            f"The KMS key {reference} is in {key.region}; EBS needs a key in {region}",
        )
    if key.key_state != "Enabled":
        raise key_not_usable(key.arn, f"it is {_state_in_words(key)}")
    if not can_use_key(key, account_id):
        if is_aws_managed(key):
            why = (
                f"it is the AWS-managed aws/ebs key of account {key.account_id}, which no other "
                "account can use (share data encrypted with a customer managed key instead)"
            )
        else:
            why = _missing_in_words(key, account_id)
        raise key_not_usable(key.arn, why)
    return key
