"""EBS encryption by default and the default EBS key of an account in a Region (R33–R35).

AWS guide pages: "Enable Amazon EBS encryption by default" (ebs/latest/userguide/
encryption-by-default.html), "Amazon EBS encryption" — default KMS key and the copy scenarios
(ebs-encryption.html), AMIEncryption ("Instance-launching scenarios"), how-ami-copy-works
("Encryption and copying"); API reference: ModifyEbsDefaultKmsKeyId, ResetEbsDefaultKmsKeyId.

Both settings are per account and Region, and kept in moto's own backend fields
(``ebs_encryption_by_default``, ``default_kms_key_id``), which reset with the sandbox.
:func:`default_encryption` is the one answer every creating path asks (CreateVolume,
RunInstances, CopySnapshot, CopyImage): with encryption by default on, a new volume or copy
from an unencrypted source is encrypted with the account's default key — ``aws/ebs`` until
``ModifyEbsDefaultKmsKeyId`` names a customer managed key. Existing volumes and snapshots never
change.
"""

from __future__ import annotations

from labkit.seam.moto import ActionResult, EC2Response, ec2_backends

from . import kms_keys
from .errors import AwsError, missing_parameter
from .patching import Patches

__all__ = [
    "default_encryption",
    "default_key_arn",
    "encryption_by_default",
    "install",
    "new_volume_encryption",
]


def encryption_by_default(account_id: str, region: str) -> bool:
    """R33: is EBS encryption by default on for this account in this Region?"""
    return bool(getattr(ec2_backends[account_id][region], "ebs_encryption_by_default", False))


def default_key_arn(account_id: str, region: str) -> str:
    """R34: the ARN of the account's default EBS key in a Region (``aws/ebs`` unless changed)."""
    return kms_keys.default_ebs_key_arn(account_id, region)


def default_encryption(account_id: str, region: str) -> tuple[bool, str | None]:
    """R33–R35: ``(True, default key ARN)`` when the account encrypts by default, else
    ``(False, None)``.

    The key is checked as any key EBS uses (enabled, usable by the account); a default key that
    was disabled or scheduled for deletion makes encrypted creation fail, as in AWS.
    """
    if not encryption_by_default(account_id, region):
        return False, None
    arn = default_key_arn(account_id, region)
    return True, kms_keys.require_usable_key(arn, account_id, region).arn


def new_volume_encryption(
    account_id: str, region: str, encrypted: bool, kms_key_id: str | None
) -> tuple[bool, str | None]:
    """Encryption of a new empty volume (CreateVolume or a launch mapping without a snapshot).

    A named key is used as given (R34: naming a key overrides the default); ``Encrypted``
    alone, or encryption by default (R33: no per-volume opt-out), gives the default key.
    """
    if kms_key_id and not encrypted:
        raise AwsError(
            "InvalidParameterDependency", "KmsKeyId requires Encrypted to be set to true"
        )
    if kms_key_id:
        return True, kms_keys.require_usable_key(kms_key_id, account_id, region).arn
    by_default, key = default_encryption(account_id, region)
    if by_default:
        return True, key
    if encrypted:
        arn = default_key_arn(account_id, region)
        return True, kms_keys.require_usable_key(arn, account_id, region).arn
    return False, None


def _require_default_candidate(reference: str, account_id: str, region: str) -> str:
    """R34: the ARN of a key that may become the default: existing, enabled, symmetric.

    AWS documents no code for an unknown or unusable key here; ``InvalidParameterValue`` (the
    code for a bad parameter value) was chosen, as for a key that does not exist elsewhere in
    EBS, and ``InvalidKMSKey.InvalidState`` for a disabled key.
    """
    key = kms_keys.require_usable_key(reference, account_id, region)
    spec = getattr(key, "key_spec", None) or "SYMMETRIC_DEFAULT"
    usage = getattr(key, "key_usage", None) or "ENCRYPT_DECRYPT"
    if spec != "SYMMETRIC_DEFAULT" or usage != "ENCRYPT_DECRYPT":
        raise AwsError(
            "InvalidParameterValue",
            f"The KMS key {key.arn} is not a symmetric encryption key; EBS supports only "
            "symmetric encryption KMS keys",
        )
    return str(key.arn)


def _modify_ebs_default_kms_key_id(self: EC2Response) -> ActionResult:
    reference = self._get_param("KmsKeyId")
    if not reference:
        raise missing_parameter("KmsKeyId")
    self.error_on_dryrun()
    arn = _require_default_candidate(reference, self.current_account, self.region)
    ec2_backends[self.current_account][self.region].default_kms_key_id = arn
    return ActionResult({"KmsKeyId": arn})


def _reset_ebs_default_kms_key_id(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    arn = kms_keys.aws_managed_ebs_key(self.current_account, self.region).arn
    ec2_backends[self.current_account][self.region].default_kms_key_id = arn
    return ActionResult({"KmsKeyId": arn})


def install(patches: Patches) -> None:
    """Answer ModifyEbsDefaultKmsKeyId and ResetEbsDefaultKmsKeyId as AWS does."""
    patches.replace(EC2Response, "modify_ebs_default_kms_key_id", _modify_ebs_default_kms_key_id)
    patches.add(EC2Response, "reset_ebs_default_kms_key_id", _reset_ebs_default_kms_key_id)
