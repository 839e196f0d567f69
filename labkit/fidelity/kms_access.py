"""KMS requests across accounts, and KMS's answers where moto's differ (R20).

Another account may call a key's cryptographic and grant actions when it names the key by ARN
and the key allows it (KMS Developer Guide, "Allowing users in other accounts to use a KMS
key"); key-state operations take any key ID, as KMS does; key policies are named ``default``;
``alias/aws/ebs`` is the AWS-managed EBS key; EC2's GetEbsDefaultKmsKeyId answers.
"""

from __future__ import annotations

import json
from typing import Any

from labkit.seam.moto import (
    JsonRESTError,
    KmsBackend,
    KmsResponse,
    NotFoundException,
    kms_backends,
    moto_kms_responses,
)

from .kms_keys import (
    AWS_MANAGED_EBS_ALIAS,
    aws_managed_ebs_key,
    default_ebs_key_arn,
    find_key,
    key_allows,
)
from .patching import Patches

__all__ = ["KMSInvalidStateException", "KmsAccessDenied", "install"]


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
    from labkit.seam.moto import ActionResult

    self.error_on_dryrun()
    return ActionResult({"KmsKeyId": default_ebs_key_arn(self.current_account, self.region)})


def install(patches: Patches) -> None:
    """KMS keys can be used across accounts when allowed; key-state operations take any ID; key
    policies are named ``default`` unless a request names one."""
    from labkit.seam.moto import EC2Response

    patches.replace(KmsBackend, "_generate_default_keys", _generate_default_keys)
    patches.replace(KmsResponse, "kms_backend", property(_kms_backend))
    patches.replace(moto_kms_responses, "_assert_default_policy", _assert_default_policy)
    patches.replace(KmsResponse, "get_key_policy", _get_key_policy_response)
    for name in ("disable_key", "enable_key", "cancel_key_deletion", "schedule_key_deletion"):
        patches.replace(KmsBackend, name, _key_by_any_id(name))
    patches.add(EC2Response, "get_ebs_default_kms_key_id", _get_ebs_default_kms_key_id_response)
