"""EBS encryption: what a snapshot is encrypted with, and what a launched volume or a copy gets.

Rules R19 and R21 of the fidelity ledger (R17's ``aws/ebs`` key and R20, who may use a key, are
``kms_keys``'; KMS requests across accounts are ``kms_access``'s). AWS guide pages:
AMIEncryption, CopyingAMIs, EBSEncryption ("Encryption by default").
"""

from __future__ import annotations

from labkit.seam.moto import EBSBackend, Snapshot

from . import kms_access
from .ebs_defaults import default_encryption
from .errors import AwsError
from .kms_keys import (
    AWS_MANAGED_EBS_ALIAS,
    EBS_KEY_ACTIONS,
    _missing_in_words,
    _state_in_words,
    accounts_named_by,
    aws_managed_ebs_key,
    can_use_key,
    default_ebs_key_arn,
    find_key,
    is_aws_managed,
    key_allows,
    key_not_usable,
    missing_ebs_actions,
    require_usable_key,
)
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


def _create_default_encryption_key(self: EBSBackend) -> str:
    """moto's own path to the default key, made to create an AWS-managed aws/ebs key."""
    key = aws_managed_ebs_key(self.account_id, self.region_name)  # type: ignore[attr-defined]
    self.default_kms_key_id = key.arn
    return key.arn


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


def install(patches: Patches) -> None:
    """The default EBS key is AWS managed; KMS keys can be used across accounts when allowed;
    key policies are named ``default`` unless a request names one."""
    patches.replace(EBSBackend, "_create_default_encryption_key", _create_default_encryption_key)
    kms_access.install(patches)
