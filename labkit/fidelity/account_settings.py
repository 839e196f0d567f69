"""The account-level switches labkit keeps for each account and Region, declared in one place.

AWS keeps these guard rails per account and per Region: Allowed AMIs (R29), snapshot block
public access (R36), instance metadata defaults (R50) and serial console access. moto has no
model for them, so the sandbox keeps one :class:`RegionSettings` on each account's EC2 backend
for a Region. moto drops its backends when the sandbox resets or stops, and these settings with
them: a new or reset sandbox starts with every switch in AWS's starting state.

EBS encryption by default and the default EBS key are moto's own backend fields
(``ebs_encryption_by_default``, ``default_kms_key_id``) and stay there; ``ebs_defaults.py``
reads and writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from labkit.seam.moto import ec2_backends

__all__ = ["RegionSettings", "region_settings"]

#: The attribute of moto's EC2 backend that holds the settings (the only one this module adds).
_ATTRIBUTE = "lab_region_settings"


@dataclass
class RegionSettings:
    """One account's guard rails in one Region, in AWS's starting state."""

    #: R29: ``disabled`` | ``audit-mode`` | ``enabled``.
    allowed_images_state: str = "disabled"
    #: R30: the ``ImageCriteria`` list as ReplaceImageCriteriaInAllowedImagesSettings gave it.
    allowed_images_criteria: list[dict[str, Any]] = field(default_factory=list)
    #: R36: ``unblocked`` | ``block-new-sharing`` | ``block-all-sharing``.
    snapshot_block_public_access: str = "unblocked"
    #: R50: account defaults for instance metadata options; an absent key means no preference.
    instance_metadata_defaults: dict[str, Any] = field(default_factory=dict)
    #: EC2 serial console access (off until enabled).
    serial_console_access: bool = False


def region_settings(account_id: str, region: str) -> RegionSettings:
    """The settings of one account in one Region (AWS's starting state until changed)."""
    backend = ec2_backends[account_id][region]
    settings = backend.__dict__.get(_ATTRIBUTE)
    if settings is None:
        settings = RegionSettings()
        backend.__dict__[_ATTRIBUTE] = settings
    return settings
