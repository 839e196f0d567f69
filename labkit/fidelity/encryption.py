"""EBS encryption and KMS keys across accounts: who may use which key, and what a copy gets.

Rules R17 (the ``aws/ebs`` part), R19, R20 and R21 of the fidelity ledger. AWS guide pages:
AMIEncryption, CopyingAMIs, ebs-modifying-snapshot-permissions ("Share the KMS key used to
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

import moto.kms.responses
from moto.core.exceptions import JsonRESTError
from moto.ec2.models import ec2_backends
from moto.ec2.models.elastic_block_store import EBSBackend, Snapshot
from moto.kms.exceptions import NotFoundException
from moto.kms.models import Key, KmsBackend, kms_backends
from moto.kms.responses import KmsResponse

from .errors import AwsError
from .patching import Patches

__all__ = [
    "AWS_MANAGED_EBS_ALIAS",
    "EBS_KEY_ACTIONS",
    "accounts_named_by",
    "can_use_key",
    "copy_encryption",
    "default_ebs_key_arn",
    "find_key",
    "install",
    "is_aws_managed",
    "key_allows",
    "key_not_usable",
    "launch_volume_encryption",
    "missing_ebs_actions",
    "require_usable_key",
]

#: The alias of each account's AWS-managed default key for EBS (one per account and Region).
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


def _create_default_encryption_key(self: EBSBackend) -> str:
    """moto's own path to the default key, made to create an AWS-managed aws/ebs key."""
    key = aws_managed_ebs_key(self.account_id, self.region_name)  # type: ignore[attr-defined]
    self.default_kms_key_id = key.arn
    return key.arn


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


def key_not_usable(reference: str, why: str) -> AwsError:
    """The error for a KMS key that cannot be used: EC2's ``InvalidKMSKey.InvalidState``.

    AWS reports this as the state reason of an instance that stops at launch
    (``Client.InvalidKMSKey.InvalidState``) or of a copy that fails; the sandbox refuses the
    call itself, which is quicker to learn from.
    """
    return AwsError("InvalidKMSKey.InvalidState", f"The KMS key {reference} cannot be used: {why}")


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


def _snapshot_region(snapshot: Snapshot) -> str:
    return snapshot.ec2_backend.region_name


def _snapshot_key(snapshot: Snapshot) -> str:
    """The ARN (or, failing that, the stored reference) of the key a snapshot is encrypted with."""
    reference = snapshot.kms_key_id or getattr(snapshot.volume, "kms_key_id", None)
    key = find_key(reference, snapshot.owner_id, _snapshot_region(snapshot))
    if key is None and not reference:
        # An encrypted snapshot with no key recorded was made with the owner's default key.
        key = find_key(
            default_ebs_key_arn(snapshot.owner_id, _snapshot_region(snapshot)),
            snapshot.owner_id,
            _snapshot_region(snapshot),
        )
    if key is not None:
        snapshot.kms_key_id = key.arn
        return key.arn
    return str(reference)


def snapshot_key_arn(snapshot: Snapshot) -> str | None:
    """The ARN of the key an encrypted snapshot uses; None for an unencrypted one."""
    return _snapshot_key(snapshot) if snapshot.encrypted else None


def _require_source_key(snapshot: Snapshot, account_id: str) -> None:
    """R20: reading an encrypted snapshot needs the use of its key."""
    region = _snapshot_region(snapshot)
    reference = _snapshot_key(snapshot)
    key = find_key(reference, snapshot.owner_id, region)
    if key is None:
        raise key_not_usable(reference, f"{snapshot.id} is encrypted with a key that is gone")
    if key.key_state != "Enabled":
        raise key_not_usable(
            key.arn, f"{snapshot.id} is encrypted with it and it is {_state_in_words(key)}"
        )
    if not can_use_key(key, account_id):
        if is_aws_managed(key):
            why = (
                f"{snapshot.id} is encrypted with the AWS-managed aws/ebs key of account "
                f"{key.account_id}, which no other account can use"
            )
        else:
            why = f"{snapshot.id} is encrypted with it, and {_missing_in_words(key, account_id)}"
        raise key_not_usable(key.arn, why)


# -- launching and copying -------------------------------------------------------------------------


def launch_volume_encryption(
    snapshot: Snapshot,
    account_id: str,
    region: str,
    requested_kms_key_id: str | None = None,
    *,
    encrypted: bool = False,
) -> tuple[bool, str | None]:
    """Encryption of a volume that ``account_id`` creates at launch from ``snapshot``.

    R21: a volume from an encrypted snapshot of another account is encrypted with the
    launcher's default EBS key (``aws/ebs`` of that account and Region, created on first use)
    unless a key is named; from its own encrypted snapshot, with the snapshot's key. An
    unencrypted snapshot gives an unencrypted volume unless encryption is asked for
    (``encrypted`` or a named key) or the account encrypts by default. (AMIEncryption
    "Instance-launching scenarios")

    Args:
        snapshot: the image's snapshot the volume is made from.
        account_id: the launching account.
        region: the Region of the launch.
        requested_kms_key_id: ``KmsKeyId`` of the block device mapping, if any.
        encrypted: ``Encrypted=True`` in the block device mapping.

    Returns:
        ``(encrypted, key ARN or None)``.

    Raises:
        AwsError: R20 ``InvalidKMSKey.InvalidState`` when the launcher may not use the
            snapshot's key (or the named key), or the key is disabled; ``InvalidParameterValue``
            for a named key that does not exist.
    """
    if snapshot.encrypted:
        _require_source_key(snapshot, account_id)
    if requested_kms_key_id:
        return True, require_usable_key(requested_kms_key_id, account_id, region).arn
    if snapshot.encrypted:
        if snapshot.owner_id == account_id and _snapshot_region(snapshot) == region:
            return True, _snapshot_key(snapshot)
        return True, _usable_default_key(account_id, region)
    from .ebs_defaults import default_encryption  # R35; imported here, as it imports this

    by_default, default_key = default_encryption(account_id, region)
    if by_default:
        return True, default_key
    if encrypted:
        return True, _usable_default_key(account_id, region)
    return False, None


def _usable_default_key(account_id: str, region: str) -> str:
    arn = default_ebs_key_arn(account_id, region)
    return require_usable_key(arn, account_id, region).arn


def copy_encryption(
    snapshot: Snapshot,
    account_id: str,
    region: str,
    encrypted: bool = False,
    kms_key_id: str | None = None,
) -> tuple[bool, str | None]:
    """Encryption of a snapshot copy that ``account_id`` makes in ``region`` (R19, R20).

    Unencrypted stays unencrypted unless ``Encrypted`` (or encryption by default) asks for the
    default key or ``KmsKeyId``; encrypted stays encrypted — there is no way to decrypt — with
    the same key for the owner in the same Region, else the copier's default key in the
    destination, unless ``KmsKeyId`` names one. (CopyingAMIs "Encryption and copying",
    AMIEncryption)

    Raises:
        AwsError: ``InvalidParameterDependency`` for ``KmsKeyId`` without ``Encrypted``;
            ``InvalidKMSKey.InvalidState`` when the copier may not use the source's key or the
            named key; ``InvalidParameterValue`` for an unknown key.
    """
    check_kms_key_dependency(encrypted, kms_key_id)
    if snapshot.encrypted:
        _require_source_key(snapshot, account_id)
    if kms_key_id:
        return True, require_usable_key(kms_key_id, account_id, region).arn
    if snapshot.encrypted:
        same_owner = snapshot.owner_id == account_id
        if same_owner and _snapshot_region(snapshot) == region:
            return True, _snapshot_key(snapshot)
        return True, _usable_default_key(account_id, region)
    from .ebs_defaults import default_encryption  # R35; imported here, as it imports this

    by_default, default_key = default_encryption(account_id, region)
    if by_default:
        return True, default_key
    if encrypted:
        return True, _usable_default_key(account_id, region)
    return False, None


def check_kms_key_dependency(encrypted: bool, kms_key_id: str | None) -> None:
    """R19: ``KmsKeyId`` only makes sense with ``Encrypted=True``. (CopyImage API reference)"""
    if kms_key_id and not encrypted:
        raise AwsError(
            "InvalidParameterDependency",
            "The parameter KmsKeyId requires the parameter Encrypted to be set to true",
        )


# -- KMS across accounts -----------------------------------------------------------------------

#: KMS actions another account may call on a key it names by ARN, when the key allows it
#: (KMS Developer Guide, "Allowing users in other accounts to use a KMS key"). Everything else
#: (policies, aliases, enabling, deleting, tagging) is for the key's own account only.
_CROSS_ACCOUNT_ACTIONS = frozenset(
    {
        "CreateGrant",
        "Decrypt",
        "DescribeKey",
        "Encrypt",
        "GenerateDataKey",
        "GenerateDataKeyPair",
        "GenerateDataKeyPairWithoutPlaintext",
        "GenerateDataKeyWithoutPlaintext",
        "GenerateMac",
        "GetPublicKey",
        "ListGrants",
        "ReEncrypt",
        "RetireGrant",
        "RevokeGrant",
        "Sign",
        "Verify",
        "VerifyMac",
    }
)

_ORIGINAL_GENERATE_DEFAULT_KEYS = KmsBackend._generate_default_keys
_ORIGINAL_GET_KEY_POLICY = KmsResponse.get_key_policy

#: The only key policy name a learner's key has (GetKeyPolicy, PutKeyPolicy API reference).
_DEFAULT_POLICY_NAME = "default"


class KmsAccessDenied(JsonRESTError):
    """KMS's ``AccessDeniedException``, with its message (moto's own drops the message)."""

    code = 400

    def __init__(self, message: str) -> None:
        super().__init__("AccessDeniedException", message)


def _kms_backend(self: KmsResponse) -> Any:
    """The backend that holds the key a request names: another account's, when it allows it.

    A key of another account can only be named by its ARN; the caller may use it when the key
    policy or a grant allows that action for the caller's account (never for an AWS-managed
    key). Without permission KMS answers ``AccessDeniedException``.
    """
    own = kms_backends[self.current_account][self.region]
    action = self._get_action()
    if action not in _CROSS_ACCOUNT_ACTIONS:
        return own
    reference = self._get_param("KeyId")
    if not isinstance(reference, str) or not reference.startswith("arn:"):
        return own
    parts = reference.split(":", 5)
    if len(parts) != 6 or parts[4] == self.current_account:
        return own
    key = find_key(reference, self.current_account, self.region)
    if key is None or parts[3] != self.region:
        return own  # moto answers NotFoundException, as KMS does
    if not key_allows(key, self.current_account, f"kms:{action}"):
        raise KmsAccessDenied(
            f"User: arn:aws:iam::{self.current_account}:root is not authorized to perform: "
            f"kms:{action} on resource: {key.arn} because no resource-based policy allows the "
            f"kms:{action} action (account {key.account_id} has not shared this key with "
            f"account {self.current_account})"
        )
    return kms_backends[key.account_id][key.region]


class KMSInvalidStateException(JsonRESTError):
    """KMS's error for an operation the key's state does not allow."""

    def __init__(self, message: str) -> None:
        super().__init__("KMSInvalidStateException", message)


def _state_in_words(key: Key) -> str:
    """``PendingDeletion`` -> ``pending deletion``: a key state as a sentence says it."""
    return "".join(f" {c.lower()}" if c.isupper() else c for c in key.key_state).strip()


def _key_by_any_id(method_name: str) -> Any:
    """moto's key-state methods take a raw key ID only; KMS also takes ARNs and aliases.

    EnableKey on a key pending deletion is refused, as KMS does (key-state reference: a key
    pending deletion can only have its deletion cancelled); moto enabled it.
    """
    original = getattr(KmsBackend, method_name)

    def method(self: KmsBackend, key_id: str, *args: Any, **kwargs: Any) -> Any:
        key_id = self.any_id_to_key_id(key_id)
        key = self.keys.get(key_id)
        if method_name == "enable_key" and key is not None and key.key_state == "PendingDeletion":
            raise KMSInvalidStateException(f"{key.arn} is pending deletion.")
        return original(self, key_id, *args, **kwargs)

    method.__name__ = method_name
    method.__doc__ = original.__doc__
    return method


def _assert_default_policy(policy_name: str | None) -> None:
    """``PolicyName`` is optional in GetKeyPolicy and PutKeyPolicy and defaults to ``default``.

    KMS API reference (GetKeyPolicy, PutKeyPolicy): "If no policy name is specified, the
    default value is default." moto required it; another name is still not found.
    """
    if policy_name not in (None, _DEFAULT_POLICY_NAME):
        raise NotFoundException("No such policy exists")


def _get_key_policy_response(self: KmsResponse) -> str:
    """GetKeyPolicy answers the policy's name too, as the current API does."""
    answer = json.loads(_ORIGINAL_GET_KEY_POLICY(self))
    answer["PolicyName"] = _DEFAULT_POLICY_NAME
    return json.dumps(answer)


def _generate_default_keys(self: KmsBackend, alias_name: str) -> str | None:
    """``alias/aws/ebs`` named before first use is the AWS-managed EBS key, as in AWS."""
    if alias_name == AWS_MANAGED_EBS_ALIAS:
        return aws_managed_ebs_key(self.account_id, self.region_name).id
    return _ORIGINAL_GENERATE_DEFAULT_KEYS(self, alias_name)


def _get_ebs_default_kms_key_id_response(self: Any) -> Any:
    from moto.core.responses import ActionResult

    self.error_on_dryrun()
    return ActionResult({"KmsKeyId": default_ebs_key_arn(self.current_account, self.region)})


# -- install --------------------------------------------------------------------------------------


def install(patches: Patches) -> None:
    """The default EBS key is AWS managed; KMS keys can be used across accounts when allowed;
    key policies are named ``default`` unless a request names one."""
    from moto.ec2.responses import EC2Response

    patches.replace(EBSBackend, "_create_default_encryption_key", _create_default_encryption_key)
    patches.replace(KmsBackend, "_generate_default_keys", _generate_default_keys)
    patches.replace(KmsResponse, "kms_backend", property(_kms_backend))
    patches.replace(moto.kms.responses, "_assert_default_policy", _assert_default_policy)
    patches.replace(KmsResponse, "get_key_policy", _get_key_policy_response)
    for name in ("disable_key", "enable_key", "cancel_key_deletion", "schedule_key_deletion"):
        patches.replace(KmsBackend, name, _key_by_any_id(name))
    patches.add(EC2Response, "get_ebs_default_kms_key_id", _get_ebs_default_kms_key_id_response)
