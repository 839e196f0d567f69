"""How images and snapshots appear in EC2's answers: mappings, product codes, dates and tags as
AWS shows them."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from labkit.seam.moto import Ami, Snapshot

from .images import block_device_mappings
from .patching import Patches

__all__ = ["aws_time", "install"]


def aws_time(when: _dt.datetime | None) -> str | None:
    """A datetime as EC2 writes it in image fields: ``2025-02-18T19:52:44.000Z``."""
    if when is None:
        return None
    return when.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _block_device_mappings(self: Ami) -> list[dict[str, Any]]:
    return block_device_mappings(self)


def _product_codes(self: Ami) -> list[dict[str, str]]:
    return [
        {"ProductCodeId": code, "ProductCodeType": "marketplace"}
        for code in sorted(self.product_codes)
    ]


def _deprecation_time(self: Ami) -> str | None:
    return aws_time(getattr(self, "deprecation_time", None))


def _tags(self: Ami | Snapshot) -> list[dict[str, str]] | None:
    """``Tags`` as EC2 answers them: left out when there are none (moto answered ``[]``).

    moto's serializer reads ``Tags`` from ``tag_list`` (the name of its shape, ``TagList``);
    the tags are the ones the asking account sees (``sharing.py`` patches ``get_tags``).
    """
    return self.get_tags() or None


def _full_snapshot_size(self: Snapshot) -> int | None:
    """DescribeSnapshots' FullSnapshotSizeInBytes: the data written, when the sandbox knows it."""
    gib = getattr(self, "data_gib", None)
    return None if gib is None else int(round(gib * 1024**3))


def install(patches: Patches) -> None:
    """Render images and snapshots with the fields AWS returns (the serializer reads these
    names first)."""
    patches.add(Ami, "BlockDeviceMappings", property(_block_device_mappings))
    patches.add(Ami, "ProductCodes", property(_product_codes))
    patches.add(Ami, "DeprecationTime", property(_deprecation_time))
    patches.add(Snapshot, "FullSnapshotSizeInBytes", property(_full_snapshot_size))
    patches.replace(Ami, "tag_list", property(_tags))
    patches.replace(Snapshot, "tag_list", property(_tags))
