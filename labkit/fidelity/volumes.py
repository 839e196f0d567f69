"""What EBS volumes and snapshots hold, and which snapshots an account may make volumes from.

CreateSnapshot and CreateVolume are served here; RunInstances (``launching.py``) makes its
volumes through the same rules.

AWS guide pages: EBSSnapshots ("How incremental snapshots work": a snapshot stores the blocks
written, not the volume size), ebs-creating-snapshot (a snapshot keeps the volume as it was),
ebs-modifying-snapshot-permissions (R14: the owner, or an account given create-volume
permission), snapshot-archive (R28: an archived snapshot must be restored before use).

The sandbox runs no software, so what AWS keeps inside a disk is kept on moto's models: a
volume's ``lab_data_gib`` (GiB written) and ``lab_installed`` (packages, see
``labkit/provisioning.py``); a snapshot keeps a frozen copy of its volume, and so both.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from labkit.seam.moto import EBSBackend, Snapshot, Volume

from ..catalog import INSTALLED_TAG, base_image_used_gib
from .archive import require_standard_tier
from .ebs_defaults import new_volume_encryption
from .encryption import launch_volume_encryption
from .errors import AwsError, invalid_parameter
from .images import backends_in_region
from .patching import Patches
from .pending import require_completed
from .state import DATA_GIB, INSTALLED
from .visibility import can_create_volume

__all__ = [
    "INSTALLED_TAG",
    "fill_from_snapshot",
    "find_snapshot",
    "freeze",
    "install",
    "installed_software",
    "snapshot_data_gib",
    "snapshot_not_found",
    "tag_installed",
    "usable_snapshot",
    "volume_data_gib",
]


# -- what a volume holds ------------------------------------------------------------------------


def volume_data_gib(volume: Any) -> float:
    """GiB actually written on a volume (what its snapshots store), not its size."""
    value = DATA_GIB.get(volume)
    if value is not None:
        return float(value)
    return 0.0


def installed_software(volume: Any) -> tuple[str, ...]:
    """The packages the lab's ``install`` helper put on a volume (the sandbox's view of a disk)."""
    return tuple(INSTALLED.get(volume) or ())


def snapshot_data_gib(snapshot: Snapshot) -> float:
    """GiB a snapshot stores: the data written on its volume when it was taken.

    EBS snapshots are sized by the blocks written, not by the volume size (EBSSnapshots,
    "How incremental snapshots work"). Catalogue images' root snapshots use the base image's
    typical used size (``labkit.catalog.BASE_IMAGE_USED_GIB``).
    """
    explicit = snapshot.__dict__.get("_lab_data_gib")
    if explicit is not None:
        return float(explicit)
    if DATA_GIB.get(snapshot.volume) is not None:
        return volume_data_gib(snapshot.volume)
    image = snapshot.ec2_backend.amis.get(snapshot.from_ami) if snapshot.from_ami else None
    key = getattr(image, "catalog_key", None)
    if key is not None:
        return min(float(snapshot.volume.size), base_image_used_gib(key))
    return 0.0


def _set_snapshot_data_gib(snapshot: Snapshot, value: float) -> None:
    snapshot.__dict__["_lab_data_gib"] = float(value)


def fill_from_snapshot(volume: Volume, snapshot: Snapshot) -> None:
    """A new volume made from a snapshot holds what the snapshot holds (even another account's)."""
    volume.snapshot_id = snapshot.id
    volume.lab_data_gib = snapshot_data_gib(snapshot)
    volume.lab_installed = installed_software(snapshot.volume)


def tag_installed(resource: Any, volumes: Iterable[Any]) -> None:
    """Show the software on an image's or instance's disks as the ``amilab:installed`` tag."""
    packages: list[str] = []
    for volume in volumes:
        for package in installed_software(volume):
            if package not in packages:
                packages.append(package)
    if packages:
        resource.add_tag(INSTALLED_TAG, ",".join(packages))


# -- CreateSnapshot -----------------------------------------------------------------------------


def freeze(volume: Volume) -> Volume:
    """A copy of a volume as it is now, for a snapshot to keep (same ID, size and contents).

    moto's snapshots read their size from the live volume; AWS's keep the size at snapshot
    time, so later changes to the volume must not reach its snapshots.
    """
    frozen = copy.copy(volume)
    frozen.attachment = None
    frozen.modifications = []
    return frozen


_ORIGINAL_CREATE_SNAPSHOT = EBSBackend.create_snapshot


def create_snapshot(
    self: EBSBackend,
    volume_id: str,
    description: str,
    owner_id: str | None = None,
    from_ami: str | None = None,
) -> Snapshot:
    """CreateSnapshot keeps the volume as it is now (size, data, key), as an EBS snapshot does."""
    snapshot = _ORIGINAL_CREATE_SNAPSHOT(self, volume_id, description, owner_id, from_ami)
    volume = snapshot.volume
    snapshot.volume = freeze(volume)
    if volume.encrypted and not snapshot.kms_key_id:
        snapshot.kms_key_id = volume.kms_key_id
    return snapshot


# -- which snapshots an account may use -----------------------------------------------------------


def find_snapshot(region: str, snapshot_id: str) -> Snapshot | None:
    """The snapshot with this ID in a Region, whoever owns it (no permission check)."""
    for backend in backends_in_region(region):
        snapshot = backend.snapshots.get(snapshot_id)
        if snapshot is not None:
            return snapshot
    return None


def snapshot_not_found(snapshot_id: str) -> AwsError:
    """``InvalidSnapshot.NotFound``, worded as EC2 words it."""
    return AwsError("InvalidSnapshot.NotFound", f"The snapshot '{snapshot_id}' does not exist.")


def usable_snapshot(
    region: str, snapshot_id: Any, account_id: str, *, pending_wording: str | None = None
) -> Snapshot:
    """A completed snapshot the account may make volumes from (its own, or shared with it).

    Args:
        pending_wording: how the calling action words its refusal of a pending snapshot,
            when AWS's wording for it is known (see ``pending.require_completed``).

    Raises:
        AwsError: ``InvalidSnapshotID.Malformed``; ``InvalidSnapshot.NotFound`` for a snapshot
            the account may not use (R14: to it, another account's snapshot does not exist);
            ``IncorrectState`` for an archived snapshot (R28) or one still pending.
    """
    if not isinstance(snapshot_id, str) or not snapshot_id.startswith("snap-"):
        raise AwsError(
            "InvalidSnapshotID.Malformed", f'Invalid id: "{snapshot_id}" (expecting "snap-...")'
        )
    snapshot = find_snapshot(region, snapshot_id)
    if snapshot is None or not can_create_volume(snapshot, account_id):
        raise snapshot_not_found(snapshot_id)
    require_standard_tier(snapshot)
    require_completed(snapshot, pending_wording)
    return snapshot


# -- CreateVolume -------------------------------------------------------------------------------

_ORIGINAL_CREATE_VOLUME = EBSBackend.create_volume


def create_volume(
    self: EBSBackend,
    size: int | None,
    zone_name: str,
    snapshot_id: str | None = None,
    encrypted: bool = False,
    kms_key_id: str | None = None,
    volume_type: str | None = None,
    iops: int | None = None,
    throughput: int | None = None,
    multi_attach_enabled: bool | None = None,
) -> Volume:
    """CreateVolume; from a snapshot, only one the caller may use, and not while archived.

    ebs-modifying-snapshot-permissions (R14): an account given create-volume permission can
    create volumes from the snapshot, and the volume is its own; to any other account the
    snapshot does not exist. snapshot-archive (R28): an archived snapshot must be restored
    before it can be used. A pending snapshot is refused until it completes. The volume is at
    least as large as the snapshot and encrypted as a launch volume would be (R21: another
    account's encrypted snapshot gives a volume under the caller's default key unless one is
    named).

    Raises:
        AwsError: ``InvalidSnapshot.NotFound``, ``IncorrectState`` (archived or pending),
            ``InvalidParameterValue`` (smaller than the snapshot), ``InvalidKMSKey.InvalidState``.
    """
    backend: Any = self
    options = (volume_type, iops, throughput, multi_attach_enabled)
    account_id, region = backend.account_id, backend.region_name
    if not snapshot_id:
        # R33: an empty volume is encrypted when asked or when the account encrypts by default.
        encrypted, kms_key_id = new_volume_encryption(
            account_id, region, bool(encrypted), kms_key_id
        )
        return _ORIGINAL_CREATE_VOLUME(self, size, zone_name, None, encrypted, kms_key_id, *options)
    # AWS's wording for a pending snapshot, as public tools quote it.
    snapshot = usable_snapshot(
        region, snapshot_id, account_id, pending_wording="Snapshot is in invalid state - pending"
    )
    if kms_key_id and not encrypted:
        raise AwsError(
            "InvalidParameterDependency", "KmsKeyId requires Encrypted to be set to true"
        )
    needed = snapshot.volume.size
    size = needed if size in (None, "") else int(size)
    if size < needed:
        raise invalid_parameter(
            f"Volume of size {size} GiB is smaller than snapshot '{snapshot.id}', "
            f"expect size >= {needed} GiB"
        )
    encrypted, kms_key_id = launch_volume_encryption(
        snapshot, account_id, region, kms_key_id, encrypted=bool(encrypted)
    )
    # moto looks the snapshot up in the caller's own account only, so it gets none.
    volume = _ORIGINAL_CREATE_VOLUME(self, size, zone_name, None, encrypted, kms_key_id, *options)
    fill_from_snapshot(volume, snapshot)
    return volume


def install(patches: Patches) -> None:
    """Snapshots keep their volume as it was and know what they hold; volumes come from usable
    snapshots only."""
    patches.replace(EBSBackend, "create_snapshot", create_snapshot)
    patches.replace(EBSBackend, "create_volume", create_volume)
    patches.add(Snapshot, "data_gib", property(snapshot_data_gib, _set_snapshot_data_gib))
