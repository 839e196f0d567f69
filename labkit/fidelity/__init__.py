"""AWS's AMI rules that moto lacks, applied to moto's shared state while a sandbox runs.

One module per family of rules; each rule's code names its ledger entry (R01 …) from the
course's fidelity ledger. ``docs/fidelity.md`` lists how each rule is enforced.
"""

from __future__ import annotations

from moto.ec2.models.amis import AmiBackend

from . import (
    allowed_images,
    archive,
    block_public_access,
    copying,
    creating,
    ebs_defaults,
    encryption,
    image_attributes,
    instance_defaults,
    kms_requests,
    launching,
    lifecycle,
    parameters,
    pending,
    recycle_bin,
    registering,
    rendering,
    shared_with_you,
    sharing,
    snapshot_permissions,
    snapshot_public_access,
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
    recycle_bin,
    archive,
    image_attributes,
    copying,
    ebs_defaults,
    allowed_images,
    snapshot_public_access,
    shared_with_you,
    instance_defaults,
)


def _no_bundled_images(self: AmiBackend) -> None:
    """The sandbox's images come from labkit's catalogue, not moto's 1,300 bundled ones."""


def install() -> Patches:
    """Apply every family's rules to moto; undo them with the returned ``Patches``."""
    patches = Patches()
    patches.replace(AmiBackend, "_load_amis", _no_bundled_images)
    for family in _FAMILIES:
        family.install(patches)
    return patches
