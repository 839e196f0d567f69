"""AWS's AMI rules that moto lacks, applied to moto's shared state while a sandbox runs.

One module per family of rules; each rule's code names its ledger entry (R01 …) from the
course's fidelity ledger. ``docs/fidelity.md`` lists how each rule is enforced.
"""

from __future__ import annotations

from labkit.seam.moto import AmiBackend

from . import (
    allowed_images,
    ancestry,
    archive,
    block_public_access,
    copying,
    creating,
    deprecation,
    ebs_defaults,
    encryption,
    fast_launch,
    fast_snapshot_restore,
    image_annotations,
    image_attributes,
    image_storage_tasks,
    instance_defaults,
    kms_requests,
    launching,
    lifecycle,
    parameters,
    pending,
    policy_runs,
    recycle_bin,
    registering,
    rendering,
    retention_rules,
    shared_with_you,
    sharing,
    snapshot_locks,
    snapshot_permissions,
    snapshot_public_access,
    snapshot_recycle_bin,
    visibility,
    volumes,
)
from .patching import Patches

__all__ = ["install"]

# Families in the order their patches apply; a moto method is patched by one family only.
_FAMILIES = (
    pending,
    rendering,
    visibility,
    parameters,
    encryption,
    kms_requests,
    block_public_access,
    snapshot_permissions,
    sharing,
    volumes,
    creating,
    registering,
    launching,
    lifecycle,
    deprecation,
    retention_rules,
    recycle_bin,
    snapshot_recycle_bin,
    snapshot_locks,
    archive,
    image_attributes,
    copying,
    ebs_defaults,
    allowed_images,
    snapshot_public_access,
    shared_with_you,
    instance_defaults,
    ancestry,
    fast_snapshot_restore,
    policy_runs,
    fast_launch,
    image_storage_tasks,
    image_annotations,
)


def _no_bundled_images(self: AmiBackend) -> None:
    """The sandbox's images come from labkit's catalogue, not moto's 1,300 bundled ones."""


def install() -> Patches:
    """Apply every family's rules to moto; undo them with the returned ``Patches``."""
    patches = Patches()
    try:
        patches.replace(AmiBackend, "_load_amis", _no_bundled_images)
        for family in _FAMILIES:
            family.install(patches)
    except BaseException:
        patches.undo()  # a family that fails leaves moto as it found it, not half patched
        raise
    return patches
