"""Full snapshot copies: CopySnapshot, and the snapshot copies CopyImage makes (R10, R14, R28).

AWS guide pages: ebs-copy-snapshot ("You can copy any accessible snapshots that have a
completed status"; a copy to another Region or key is a full copy), CopyingAMIs ("Costs": the
copy's snapshots are full copies), ebs-modifying-snapshot-permissions (R14: another account's
snapshot needs create-volume permission), snapshot-archive ("You can't copy an archived
snapshot", R28).

``CopyImage`` itself is ``copying.py``, which also installs CopySnapshot; both copy through
:func:`full_copy` and check the source Region with :func:`check_source_region`.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from labkit.seam.moto import ActionResult, EBSBackend, EC2Response, Snapshot, random_snapshot_id

from ..accounts import REGIONS
from . import encryption
from .archive import require_standard_tier
from .errors import AwsError, missing_parameter
from .pending import require_completed
from .visibility import can_create_volume
from .volumes import find_snapshot

__all__ = ["check_source_region", "copy_snapshot", "copy_snapshot_response", "full_copy"]

#: What a Region name looks like (to tell a typo from a real Region the lab does not simulate).
_REGION_NAME = re.compile(r"^[a-z]{2}(-gov)?-[a-z]+-\d$")

#: AWS shows this volume ID on snapshots made by copying (there is no volume behind them).
_COPIED_VOLUME_ID = "vol-ffffffff"


def check_source_region(region: Any, what: str) -> str:
    """The source Region, if the lab simulates it; a clear AWS error if not (never KeyError).

    Args:
        what: ``"AMI"`` or ``"Snapshot"``, for the not-found code of a Region the lab lacks.
    """
    if not region:
        raise missing_parameter("SourceRegion")
    if region in REGIONS:
        return str(region)
    if isinstance(region, str) and _REGION_NAME.match(region):
        raise AwsError(
            f"Invalid{what}ID.NotFound" if what == "AMI" else "InvalidSnapshot.NotFound",
            f"There is nothing to copy in {region}: the lab simulates only the Regions "
            f"{', '.join(REGIONS)}",
        )
    raise AwsError(
        "InvalidParameterValue",
        f"Value ({region}) for parameter SourceRegion is invalid: it is not an AWS Region "
        f"(the lab simulates {', '.join(REGIONS)})",
    )


def _copied_volume(source: Snapshot, backend: Any, encrypted: bool, key: str | None) -> Any:
    """The stand-in volume of a copied snapshot: same size and contents, AWS's dummy ID."""
    volume = copy.copy(source.volume)
    volume.id = _COPIED_VOLUME_ID
    volume.ec2_backend = backend
    volume.attachment = None
    volume.modifications = []
    volume.encrypted = encrypted
    volume.kms_key_id = key
    return volume


def full_copy(
    backend: Any,
    source: Snapshot,
    description: str,
    encrypted: bool,
    key: str | None,
    tags: dict[str, str],
    from_ami: str | None = None,
) -> Snapshot:
    """R10: a complete snapshot copy in the caller's account and Region, owned by the caller.

    It keeps the GiB written (``Snapshot.data_gib``, which pricing reads) and remembers its
    source (``lab_source_snapshot_id``, ``lab_source_region``).
    """
    snapshot = Snapshot(
        backend,
        random_snapshot_id(),
        _copied_volume(source, backend, encrypted, key),
        description,
        encrypted=encrypted,
        kms_key_id=key if encrypted else None,
        owner_id=backend.account_id,
        from_ami=from_ami,
    )
    data = getattr(source, "data_gib", None)
    if data is not None:
        snapshot.data_gib = float(data)
    snapshot.lab_source_snapshot_id = source.id
    snapshot.lab_source_region = source.ec2_backend.region_name
    backend.snapshots[snapshot.id] = snapshot
    if tags:
        snapshot.add_tags(tags)
    return snapshot


def copy_snapshot(
    self: EBSBackend,
    source_snapshot_id: str,
    source_region: str,
    description: str | None,
    kms_key_id: str | None,
    *,
    encrypted: bool = False,
    tags: dict[str, str] | None = None,
) -> Snapshot:
    """CopySnapshot: a full copy, owned by the caller, in the Region the call is made.

    The source may belong to another account that gave the caller create-volume permission;
    an encrypted source also needs the use of its key, and the copy is encrypted with the
    caller's default key unless ``KmsKeyId`` names another (the manual path of R20). An
    archived snapshot must be restored first (R28), and a pending one must complete.

    Raises:
        AwsError: ``InvalidSnapshot.NotFound`` for a snapshot the caller may not read;
            ``IncorrectState`` for one in the archive tier or still pending; KMS and
            encryption errors from ``encryption`` (R19, R20).
    """
    backend: Any = self
    caller, region = backend.account_id, backend.region_name
    source_region = check_source_region(source_region, "Snapshot")
    source = find_snapshot(source_region, source_snapshot_id)
    if source is None or not can_create_volume(source, caller):
        raise AwsError(
            "InvalidSnapshot.NotFound",
            f"The snapshot '{source_snapshot_id}' does not exist.",
        )
    require_standard_tier(source)
    require_completed(source)
    enc, key = encryption.copy_encryption(source, caller, region, bool(encrypted), kms_key_id)
    text = description
    if text is None:
        text = f"[Copied {source_snapshot_id} from {source_region}] {source.description or ''}"
        text = text.rstrip()
    return full_copy(backend, source, text, enc, key, dict(tags or {}))


def copy_snapshot_response(self: EC2Response) -> ActionResult:
    """EC2's CopySnapshot request, served by :func:`copy_snapshot`."""
    tags = self._parse_tag_specification().get("snapshot", {})
    encrypted = self._get_bool_param("Encrypted", False)
    self.error_on_dryrun()
    snapshot = self.ec2_backend.copy_snapshot(
        self._get_param("SourceSnapshotId"),
        self._get_param("SourceRegion"),
        self._get_param("Description"),
        self._get_param("KmsKeyId"),
        encrypted=bool(encrypted),
        tags=tags,
    )
    return ActionResult({"SnapshotId": snapshot.id, "Tags": snapshot.tag_set})
