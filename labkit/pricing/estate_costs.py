"""An image estate as the bill sees it, and what it costs each month: per image, Region, owner.

An AMI costs nothing itself; its EBS snapshots cost GB-months (R24), priced at the data written
(``data_gib``), in the standard or archive tier (R28).
``labkit.sandbox.estate.estate_from_sandbox`` reads an :class:`Estate` from the sandbox;
everything here is arithmetic over it.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .. import _valid
from .price_table import (
    DAYS_PER_MONTH,
    PriceTable,
    RegionPrices,
    check_tier,
    prices,
    region_prices,
    resolve_table,
)

__all__ = [
    "Estate",
    "ImageCost",
    "SnapshotCharge",
    "archive_cost",
    "archive_minimum_charge",
    "bundle_monthly_cost",
    "data_gib_by_image",
    "data_gib_by_owner",
    "data_gib_by_region",
    "early_archive_charge",
    "estate_monthly_cost",
    "image_data_gib",
    "image_monthly_cost",
    "monthly_cost_by_image",
    "monthly_cost_by_owner",
    "monthly_cost_by_region",
    "restore_cost",
    "snapshot_monthly_cost",
    "storage_cost",
]


@dataclass(frozen=True)
class SnapshotCharge:
    """One EBS snapshot as the bill sees it: where it is, who owns it, how much data, which tier.

    ``data_gib`` is the data written to the volume when the snapshot was taken. When the sandbox
    recorded none, the reader uses the volume's size instead and sets ``sized_from="volume"``.
    """

    snapshot_id: str
    region: str
    owner_id: str
    data_gib: float
    tier: str = "standard"
    #: When it moved to the archive tier (for the 90-day minimum); None if unknown or standard.
    archived_at: _dt.datetime | None = None
    #: ``"data"`` (data written) or ``"volume"`` (the volume's size, when no data size is known).
    sized_from: str = "data"

    def __post_init__(self) -> None:
        _valid.require_text("snapshot_id", self.snapshot_id)
        region_prices("region", self.region, prices())
        _valid.account_id("owner_id", self.owner_id)
        gib = _valid.amount("data_gib", self.data_gib, most=_valid.MOST_GIB)
        object.__setattr__(self, "data_gib", gib)
        check_tier(self.tier)
        object.__setattr__(self, "archived_at", _valid.utc("archived_at", self.archived_at))
        _valid.choice("sized_from", self.sized_from, ("data", "volume"))


@dataclass(frozen=True)
class ImageCost:
    """One AMI and the snapshots behind it; ``in_use`` if an instance is running from it."""

    image_id: str
    name: str
    region: str
    owner_id: str
    snapshots: tuple[SnapshotCharge, ...] = ()
    in_use: bool = False
    #: Accounts with pending or running instances launched from it.
    used_by: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _valid.require_text("image_id", self.image_id)
        _valid.instance("name", self.name, str, "a string (the AMI name; '' if it has none)")
        region_prices("region", self.region, prices())
        _valid.account_id("owner_id", self.owner_id)
        object.__setattr__(self, "snapshots", _snapshots("snapshots", self.snapshots))
        _valid.flag("in_use", self.in_use)
        used_by = tuple(_valid.strings("used_by", self.used_by))
        for account in used_by:
            _valid.account_id("used_by", account)
        object.__setattr__(self, "used_by", used_by)
        if self.used_by and not self.in_use:
            object.__setattr__(self, "in_use", True)
        for snapshot in self.snapshots:
            if snapshot.region != self.region:
                raise ValueError(
                    f"{self.image_id} is in {self.region} but its snapshot "
                    f"{snapshot.snapshot_id} is in {snapshot.region}: an image and its "
                    "snapshots share a Region"
                )


@dataclass(frozen=True)
class Estate:
    """An account's (or several accounts') images, plus snapshots no registered image uses."""

    images: tuple[ImageCost, ...] = ()
    #: Snapshots behind no registered image, typically left after deregistering one (R25).
    orphaned: tuple[SnapshotCharge, ...] = ()
    #: When the estate was read (sandbox time); projections count archive days from it.
    taken_at: _dt.datetime | None = None

    def __post_init__(self) -> None:
        images = _valid.instances("images", self.images, ImageCost, "ImageCost objects")
        object.__setattr__(self, "images", images)
        object.__setattr__(self, "orphaned", _snapshots("orphaned", self.orphaned))
        object.__setattr__(self, "taken_at", _valid.utc("taken_at", self.taken_at))

    def image(self, image_id: str) -> ImageCost:
        """The image with this ID.

        Raises:
            ValueError: naming the estate's images, when it has no such image.
        """
        for image in self.images:
            if image.image_id == image_id:
                return image
        known = ", ".join(i.image_id for i in self.images) or "none"
        raise ValueError(
            f"image_id: the estate has no image {_valid.shown(image_id)} (its images: {known})"
        )

    def snapshots(self) -> tuple[SnapshotCharge, ...]:
        """Every snapshot once, even if several images use it: what the bill counts."""
        seen: dict[str, SnapshotCharge] = {}
        for image in self.images:
            for snapshot in image.snapshots:
                seen.setdefault(snapshot.snapshot_id, snapshot)
        for snapshot in self.orphaned:
            seen.setdefault(snapshot.snapshot_id, snapshot)
        return tuple(seen.values())


# -- gigabytes ---------------------------------------------------------------------------------


def image_data_gib(image: ImageCost) -> float:
    """GiB of snapshot data behind one image."""
    _image(image)
    return sum(s.data_gib for s in image.snapshots)


def data_gib_by_image(estate: Estate) -> dict[str, float]:
    """GiB of snapshot data per image ID (a snapshot two images share counts for both)."""
    _estate(estate)
    return {image.image_id: image_data_gib(image) for image in estate.images}


def data_gib_by_region(estate: Estate) -> dict[str, float]:
    """GiB of snapshot data per Region, orphaned snapshots included, each snapshot once."""
    _estate(estate)
    return _valid.sum_by(estate.snapshots(), lambda s: s.region, lambda s: s.data_gib)


def data_gib_by_owner(estate: Estate) -> dict[str, float]:
    """GiB of snapshot data per owning account, orphaned snapshots included."""
    _estate(estate)
    return _valid.sum_by(estate.snapshots(), lambda s: s.owner_id, lambda s: s.data_gib)


# -- monthly storage cost ----------------------------------------------------------------------


def storage_cost(
    data_gib: float,
    region: str,
    *,
    months: float = 1,
    tier: str = "standard",
    table: PriceTable | None = None,
) -> float:
    """USD to keep ``data_gib`` of snapshot data in a tier for some months (no minimum applied).

    >>> storage_cost(8, "us-east-1")
    0.4
    """
    prices_here = region_prices("region", region, table)
    gib = _valid.amount("data_gib", data_gib, most=_valid.MOST_GIB)
    months = _valid.amount("months", months, most=_valid.MOST_MONTHS)
    return gib * prices_here.snapshot_gb_month(tier) * months


def archive_cost(
    data_gib: float,
    region: str,
    *,
    days: float,
    retrieve: bool = False,
    table: PriceTable | None = None,
) -> float:
    """USD to keep data in the archive tier for some days: at least the 90-day minimum (R28).

    Args:
        data_gib: GiB archived.
        region: where the snapshot is.
        days: how long it stays archived; fewer than the minimum are billed as the minimum.
        retrieve: add the per-GB fee for restoring it at the end.
    """
    prices_here = region_prices("region", region, table)
    gib = _valid.amount("data_gib", data_gib, most=_valid.MOST_GIB)
    days = _valid.amount("days", days, most=_valid.MOST_DAYS)
    retrieve = _valid.flag("retrieve", retrieve)
    billed_days = max(days, prices_here.archive_minimum_days)
    cost = gib * prices_here.snapshot_archive_gb_month * billed_days / DAYS_PER_MONTH
    if retrieve:
        cost += gib * prices_here.archive_retrieval_gb
    return cost


def restore_cost(data_gib: float, region: str, *, table: PriceTable | None = None) -> float:
    """The one-off USD fee to restore archived data (per GB retrieved)."""
    gib = _valid.amount("data_gib", data_gib, most=_valid.MOST_GIB)
    return gib * region_prices("region", region, table).archive_retrieval_gb


def archive_minimum_charge(
    snapshot: SnapshotCharge, deleted_at: _dt.datetime, *, table: PriceTable | None = None
) -> float:
    """What deleting an archived snapshot at ``deleted_at`` adds: the rest of its 90 days.

    Zero for a standard-tier snapshot, one archived 90 days or more before, or one with no
    ``archived_at`` (the lab then assumes the minimum was met long ago).
    """
    _snapshot(snapshot)
    deleted_at = _valid.utc("deleted_at", deleted_at)
    if deleted_at is None:
        raise ValueError("deleted_at must be a datetime, not None")
    resolve_table(table)
    if snapshot.tier != "archive" or snapshot.archived_at is None:
        return 0.0
    days = (deleted_at - snapshot.archived_at).total_seconds() / 86400
    if days < 0:
        raise ValueError(
            f"{snapshot.snapshot_id} cannot be deleted at {deleted_at:%Y-%m-%d}, before it was "
            f"archived ({snapshot.archived_at:%Y-%m-%d})"
        )
    return early_archive_charge(
        snapshot.data_gib, days, resolve_table(table).region(snapshot.region)
    )


def snapshot_monthly_cost(snapshot: SnapshotCharge, *, table: PriceTable | None = None) -> float:
    """USD per month to store one snapshot at its data size in its tier."""
    _snapshot(snapshot)
    return storage_cost(snapshot.data_gib, snapshot.region, tier=snapshot.tier, table=table)


def image_monthly_cost(image: ImageCost, *, table: PriceTable | None = None) -> float:
    """USD per month for the snapshots behind one image (what deleting them all would save)."""
    _image(image)
    resolve_table(table)
    return sum(snapshot_monthly_cost(s, table=table) for s in image.snapshots)


def estate_monthly_cost(estate: Estate, *, table: PriceTable | None = None) -> float:
    """USD per month for every snapshot in the estate, orphaned ones included, each once."""
    _estate(estate)
    resolve_table(table)
    return sum(snapshot_monthly_cost(s, table=table) for s in estate.snapshots())


def monthly_cost_by_image(estate: Estate, *, table: PriceTable | None = None) -> dict[str, float]:
    """USD per month per image ID (snapshots two images share count for both)."""
    _estate(estate)
    resolve_table(table)
    return {i.image_id: image_monthly_cost(i, table=table) for i in estate.images}


def monthly_cost_by_region(estate: Estate, *, table: PriceTable | None = None) -> dict[str, float]:
    """USD per month per Region, orphaned snapshots included."""
    _estate(estate)
    resolve_table(table)
    cost = lambda s: snapshot_monthly_cost(s, table=table)  # noqa: E731
    return _valid.sum_by(estate.snapshots(), lambda s: s.region, cost)


def monthly_cost_by_owner(estate: Estate, *, table: PriceTable | None = None) -> dict[str, float]:
    """USD per month per owning account: the owner pays, even for images it shares (R12)."""
    _estate(estate)
    resolve_table(table)
    cost = lambda s: snapshot_monthly_cost(s, table=table)  # noqa: E731
    return _valid.sum_by(estate.snapshots(), lambda s: s.owner_id, cost)


def bundle_monthly_cost(
    bundle_gib: float, region: str, *, table: PriceTable | None = None
) -> float:
    """USD per month for an instance-store image's bundle in your S3 bucket (S3 Standard, R07)."""
    gib = _valid.amount("bundle_gib", bundle_gib, most=_valid.MOST_GIB)
    return gib * region_prices("region", region, table).s3_standard_gb_month


def early_archive_charge(gib: float, days_archived: float, rates: RegionPrices) -> float:
    """USD for the rest of the 90-day minimum of data archived ``days_archived`` days (R28)."""
    remaining = max(0.0, rates.archive_minimum_days - days_archived)
    return gib * rates.snapshot_archive_gb_month * remaining / DAYS_PER_MONTH


def _snapshots(name: str, values: Iterable[Any]) -> tuple[SnapshotCharge, ...]:
    return _valid.instances(name, values, SnapshotCharge, "SnapshotCharge objects")


def _estate(value: Any) -> Estate:
    return _valid.instance("estate", value, Estate, "a labkit.pricing.Estate")


def _image(value: Any) -> ImageCost:
    return _valid.instance("image", value, ImageCost, "a labkit.pricing.ImageCost")


def _snapshot(value: Any) -> SnapshotCharge:
    return _valid.instance("snapshot", value, SnapshotCharge, "a labkit.pricing.SnapshotCharge")
