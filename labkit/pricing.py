"""What an image estate costs: a dated price table and pure functions over plain dataclasses.

Prices are public on-demand list prices in USD (``data/prices.json``, dated; see
``docs/prices-sources.md``). Everything here is arithmetic: nothing reads the sandbox or the
network. ``labkit.estate.estate_from_sandbox`` turns sandbox state into an :class:`Estate`.

The model, and where it simplifies AWS:

* An AMI costs nothing itself; its EBS snapshots cost GB-months (R24). A GB here is a GiB, as
  EBS bills it, and a month is 30 days.
* A snapshot is priced at the data written to its volume (``data_gib``), not the volume's size.
  Real snapshots are also incremental along a volume's chain of snapshots; the lab prices each
  image's snapshots at their full data size, as if each were the only one of its volume.
* Archive tier: a cheaper GB-month, a per-GB retrieval fee, and a 90-day minimum: a snapshot
  deleted (or permanently restored) sooner is billed for the rest of the 90 days (R28).
* Deregistering an image saves nothing; deleting its snapshots does (R25).
* A copy to another Region is a full copy: the destination bills the whole image every month, and
  the source Region charges its transfer rate once per GB (R10). Copying itself is free.
* Who pays: an image's owner pays its storage, also when it is shared (R12); whoever copies an
  image owns and pays for the copy (R16); whoever launches pays the instance hours and any
  Marketplace software rate (R23).

Money stays an unrounded float; round only to show it (:func:`format_usd`).
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from . import pricelist

__all__ = [
    "DAYS_PER_MONTH",
    "HOURS_PER_MONTH",
    "TIERS",
    "Charge",
    "CopyCost",
    "Estate",
    "ImageCost",
    "PriceTable",
    "RegionPrices",
    "SnapshotCharge",
    "archive_cost",
    "archive_minimum_charge",
    "bill_by_payer",
    "bundle_monthly_cost",
    "clean_up",
    "clean_up_candidates",
    "clean_up_saving",
    "copy_cost",
    "data_gib_by_image",
    "data_gib_by_owner",
    "data_gib_by_region",
    "deregister",
    "delete_snapshots",
    "estate_monthly_cost",
    "format_usd",
    "image_data_gib",
    "image_monthly_cost",
    "instance_hourly_price",
    "launch_charges",
    "monthly_cost_by_image",
    "monthly_cost_by_owner",
    "monthly_cost_by_region",
    "prices",
    "project_monthly_costs",
    "restore_cost",
    "snapshot_monthly_cost",
    "storage_charges",
    "storage_cost",
    "who_pays",
    "with_copy",
]

#: Billing months are taken as 30 days (AWS prorates GB-months by the hour of each month).
DAYS_PER_MONTH = 30
#: Hours in a month, as the AWS Pricing Calculator counts them.
HOURS_PER_MONTH = 730
#: Snapshot storage tiers (R28).
TIERS = ("standard", "archive")

# -- the price table ---------------------------------------------------------------------------

_NUMBER_FIELDS = (
    "snapshot_standard_gb_month",
    "snapshot_archive_gb_month",
    "archive_retrieval_gb",
    "archive_minimum_days",
    "s3_standard_gb_month",
    "inter_region_transfer_gb",
)
_TABLE_FIELDS = ("instance_hourly", "windows_hourly_surcharge")


@dataclass(frozen=True)
class RegionPrices:
    """One Region's list prices in USD."""

    region: str
    snapshot_standard_gb_month: float
    snapshot_archive_gb_month: float
    archive_retrieval_gb: float
    archive_minimum_days: int
    s3_standard_gb_month: float
    #: Charged by the SOURCE Region of a cross-Region copy, per GB.
    inter_region_transfer_gb: float
    instance_hourly: Mapping[str, float] = field(default_factory=dict, hash=False)
    windows_hourly_surcharge: Mapping[str, float] = field(default_factory=dict, hash=False)
    #: The date these figures were published (``YYYY-MM`` or ``YYYY-MM-DD``).
    as_of: str = ""

    def __post_init__(self) -> None:
        for name in _TABLE_FIELDS:
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))

    def snapshot_gb_month(self, tier: str) -> float:
        """The GB-month price of snapshot storage in a tier (``"standard"`` or ``"archive"``)."""
        _check_tier(tier)
        return (
            self.snapshot_standard_gb_month
            if tier == "standard"
            else self.snapshot_archive_gb_month
        )


@dataclass(frozen=True)
class PriceTable:
    """List prices for the lab's Regions, with their date and where to find today's."""

    as_of: str
    look_up_today: str
    regions: Mapping[str, RegionPrices] = field(hash=False)
    currency: str = "USD"
    #: Where the figures came from, in words.
    source: str = "labkit/data/prices.json"

    def __post_init__(self) -> None:
        object.__setattr__(self, "regions", MappingProxyType(dict(self.regions)))

    @property
    def region_names(self) -> tuple[str, ...]:
        """The Regions this table prices."""
        return tuple(self.regions)

    @property
    def caption(self) -> str:
        """A one-line note for tables and plots: the date and where to look up today's prices."""
        return f"{self.currency} list prices as of {self.as_of}; today's: {_first_url(self)}"

    def region(self, name: str) -> RegionPrices:
        """The prices of one Region.

        Raises:
            ValueError: naming the Regions the table knows, for any other.
        """
        if isinstance(name, str) and name in self.regions:
            return self.regions[name]
        raise ValueError(
            f"The price table has no Region {name!r}; it prices {', '.join(self.regions)}"
        )

    @classmethod
    def from_price_list(
        cls, path_or_dict: str | Path | Mapping[str, Any], base: PriceTable | None = None
    ) -> PriceTable:
        """A table refreshed from an AWS Price List bulk (JSON) offer file.

        The file's figures replace ``base``'s (the packaged table by default) for the Regions
        ``base`` prices; fields and Regions the file lacks keep ``base``'s figures. The table's
        date becomes the file's ``publicationDate``. Nothing is downloaded: fetch the file first
        (see ``docs/pricing.md``).

        Args:
            path_or_dict: an offer file's path, or its parsed JSON.
            base: the table to refresh; :func:`prices` when omitted.

        Raises:
            ValueError: if it is not an offer file, a price is malformed, or it prices none of
                the table's Regions.
        """
        base = _table(base)
        found, published = pricelist.read_offer(path_or_dict)
        used = {region: figures for region, figures in found.items() if region in base.regions}
        if not used:
            raise ValueError(
                "The offer file has no snapshot, S3, transfer or instance prices for "
                f"{', '.join(base.regions)} (it has {', '.join(found) or 'none the lab uses'})"
            )
        as_of = published or base.as_of
        regions = dict(base.regions)
        for region, figures in used.items():
            old = regions[region]
            changes: dict[str, Any] = {k: v for k, v in figures.items() if k in _NUMBER_FIELDS}
            for name in _TABLE_FIELDS:
                if name in figures:
                    changes[name] = {**getattr(old, name), **figures[name]}
            regions[region] = replace(old, as_of=as_of, **changes)
        is_path = isinstance(path_or_dict, (str, Path))
        name = Path(path_or_dict).name if is_path else "an offer file"  # type: ignore[arg-type]
        source = (
            f"AWS Price List ({name}, published {published or 'undated'}) for "
            f"{', '.join(used)}; other figures from {base.source} ({base.as_of})"
        )
        return cls(as_of, base.look_up_today, regions, base.currency, source)


@cache
def prices() -> PriceTable:
    """The packaged price table (``labkit/data/prices.json``), read once per process."""
    text = resources.files("labkit").joinpath("data/prices.json").read_text(encoding="utf-8")
    return _table_from_json(json.loads(text))


def _table_from_json(data: Mapping[str, Any]) -> PriceTable:
    regions = {}
    for region, figures in data["regions"].items():
        values = {name: figures[name] for name in _NUMBER_FIELDS + _TABLE_FIELDS}
        regions[region] = RegionPrices(region=region, as_of=data["as_of"], **values)
    return PriceTable(data["as_of"], data["look_up_today"], regions, data.get("currency", "USD"))


def _first_url(table: PriceTable) -> str:
    return table.look_up_today.split(" ", 1)[0]


# -- an image estate ---------------------------------------------------------------------------


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
        _require_text("snapshot_id", self.snapshot_id)
        _require_text("region", self.region)
        _require_text("owner_id", self.owner_id)
        object.__setattr__(self, "data_gib", _amount("data_gib", self.data_gib))
        _check_tier(self.tier)
        object.__setattr__(self, "archived_at", _utc("archived_at", self.archived_at))
        if self.sized_from not in ("data", "volume"):
            raise ValueError(f"sized_from is 'data' or 'volume', not {self.sized_from!r}")


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
        _require_text("image_id", self.image_id)
        _require_text("region", self.region)
        _require_text("owner_id", self.owner_id)
        object.__setattr__(self, "snapshots", _snapshots(self.snapshots))
        object.__setattr__(self, "used_by", tuple(self.used_by))
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
        images = tuple(self.images)
        for image in images:
            if not isinstance(image, ImageCost):
                raise ValueError(f"An estate's images are ImageCost objects, not {image!r}")
        object.__setattr__(self, "images", images)
        object.__setattr__(self, "orphaned", _snapshots(self.orphaned))
        object.__setattr__(self, "taken_at", _utc("taken_at", self.taken_at))

    def image(self, image_id: str) -> ImageCost:
        """The image with this ID.

        Raises:
            ValueError: naming the estate's images, when it has no such image.
        """
        for image in self.images:
            if image.image_id == image_id:
                return image
        known = ", ".join(i.image_id for i in self.images) or "none"
        raise ValueError(f"The estate has no image {image_id!r} (its images: {known})")

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
    return sum(s.data_gib for s in image.snapshots)


def data_gib_by_image(estate: Estate) -> dict[str, float]:
    """GiB of snapshot data per image ID (a snapshot two images share counts for both)."""
    return {image.image_id: image_data_gib(image) for image in estate.images}


def data_gib_by_region(estate: Estate) -> dict[str, float]:
    """GiB of snapshot data per Region, orphaned snapshots included, each snapshot once."""
    return _sum_by(estate.snapshots(), lambda s: s.region, lambda s: s.data_gib)


def data_gib_by_owner(estate: Estate) -> dict[str, float]:
    """GiB of snapshot data per owning account, orphaned snapshots included."""
    return _sum_by(estate.snapshots(), lambda s: s.owner_id, lambda s: s.data_gib)


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
    prices_here = _table(table).region(region)
    gib, months = _amount("data_gib", data_gib), _amount("months", months)
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
    prices_here = _table(table).region(region)
    gib, days = _amount("data_gib", data_gib), _amount("days", days)
    billed_days = max(days, prices_here.archive_minimum_days)
    cost = gib * prices_here.snapshot_archive_gb_month * billed_days / DAYS_PER_MONTH
    if retrieve:
        cost += gib * prices_here.archive_retrieval_gb
    return cost


def restore_cost(data_gib: float, region: str, *, table: PriceTable | None = None) -> float:
    """The one-off USD fee to restore archived data (per GB retrieved)."""
    return _amount("data_gib", data_gib) * _table(table).region(region).archive_retrieval_gb


def archive_minimum_charge(
    snapshot: SnapshotCharge, deleted_at: _dt.datetime, *, table: PriceTable | None = None
) -> float:
    """What deleting an archived snapshot at ``deleted_at`` adds: the rest of its 90 days.

    Zero for a standard-tier snapshot, one archived 90 days or more before, or one with no
    ``archived_at`` (the lab then assumes the minimum was met long ago).
    """
    if snapshot.tier != "archive" or snapshot.archived_at is None:
        return 0.0
    deleted_at = _utc("deleted_at", deleted_at)
    if deleted_at is None:
        raise ValueError("deleted_at must be a datetime")
    days = (deleted_at - snapshot.archived_at).total_seconds() / 86400
    if days < 0:
        raise ValueError(
            f"{snapshot.snapshot_id} cannot be deleted at {deleted_at:%Y-%m-%d}, before it was "
            f"archived ({snapshot.archived_at:%Y-%m-%d})"
        )
    return _early_archive_charge(snapshot.data_gib, days, _table(table).region(snapshot.region))


def snapshot_monthly_cost(snapshot: SnapshotCharge, *, table: PriceTable | None = None) -> float:
    """USD per month to store one snapshot at its data size in its tier."""
    return storage_cost(snapshot.data_gib, snapshot.region, tier=snapshot.tier, table=table)


def image_monthly_cost(image: ImageCost, *, table: PriceTable | None = None) -> float:
    """USD per month for the snapshots behind one image (what deleting them all would save)."""
    return sum(snapshot_monthly_cost(s, table=table) for s in image.snapshots)


def estate_monthly_cost(estate: Estate, *, table: PriceTable | None = None) -> float:
    """USD per month for every snapshot in the estate, orphaned ones included, each once."""
    return sum(snapshot_monthly_cost(s, table=table) for s in estate.snapshots())


def monthly_cost_by_image(estate: Estate, *, table: PriceTable | None = None) -> dict[str, float]:
    """USD per month per image ID (snapshots two images share count for both)."""
    return {i.image_id: image_monthly_cost(i, table=table) for i in estate.images}


def monthly_cost_by_region(estate: Estate, *, table: PriceTable | None = None) -> dict[str, float]:
    """USD per month per Region, orphaned snapshots included."""
    cost = lambda s: snapshot_monthly_cost(s, table=table)  # noqa: E731
    return _sum_by(estate.snapshots(), lambda s: s.region, cost)


def monthly_cost_by_owner(estate: Estate, *, table: PriceTable | None = None) -> dict[str, float]:
    """USD per month per owning account: the owner pays, even for images it shares (R12)."""
    cost = lambda s: snapshot_monthly_cost(s, table=table)  # noqa: E731
    return _sum_by(estate.snapshots(), lambda s: s.owner_id, cost)


def bundle_monthly_cost(
    bundle_gib: float, region: str, *, table: PriceTable | None = None
) -> float:
    """USD per month for an instance-store image's bundle in your S3 bucket (S3 Standard, R07)."""
    return _amount("bundle_gib", bundle_gib) * _table(table).region(region).s3_standard_gb_month


# -- changing the estate -----------------------------------------------------------------------


def clean_up_candidates(estate: Estate) -> tuple[str, ...]:
    """IDs of images nobody is running and of orphaned snapshots: what a clean-up could remove."""
    unused = tuple(i.image_id for i in estate.images if not i.in_use)
    return unused + tuple(s.snapshot_id for s in estate.orphaned)


def deregister(estate: Estate, image_ids: Iterable[str]) -> Estate:
    """The estate after deregistering images: their snapshots stay, orphaned and billed (R25)."""
    ids = _known_images(estate, image_ids)
    kept = tuple(i for i in estate.images if i.image_id not in ids)
    still_used = {s.snapshot_id for i in kept for s in i.snapshots}
    left = [s for i in estate.images if i.image_id in ids for s in i.snapshots]
    orphaned = _unique((*estate.orphaned, *(s for s in left if s.snapshot_id not in still_used)))
    return replace(estate, images=kept, orphaned=orphaned)


def delete_snapshots(estate: Estate, snapshot_ids: Iterable[str]) -> Estate:
    """The estate after deleting orphaned snapshots.

    Raises:
        ValueError: for a snapshot a registered image still uses (AWS refuses to delete it,
            R25) or one the estate does not have.
    """
    ids = set(_ids("snapshot_ids", snapshot_ids))
    for image in estate.images:
        for snapshot in image.snapshots:
            if snapshot.snapshot_id in ids:
                raise ValueError(
                    f"{snapshot.snapshot_id} is used by {image.image_id}: deregister the image "
                    "before deleting its snapshots"
                )
    unknown = ids - {s.snapshot_id for s in estate.orphaned}
    if unknown:
        raise ValueError(f"The estate has no snapshot {', '.join(sorted(unknown))}")
    return replace(estate, orphaned=tuple(s for s in estate.orphaned if s.snapshot_id not in ids))


def clean_up(estate: Estate, ids: Iterable[str] | None = None) -> Estate:
    """The estate after cleaning up: deregister images, then delete their snapshots.

    Args:
        ids: image IDs and orphaned snapshot IDs; :func:`clean_up_candidates` when omitted.
            Snapshots another kept image uses are kept.
    """
    ids = set(clean_up_candidates(estate) if ids is None else _ids("ids", ids))
    image_ids = {i.image_id for i in estate.images} & ids
    after = deregister(estate, image_ids)
    freed = {s.snapshot_id for i in estate.images if i.image_id in image_ids for s in i.snapshots}
    orphan_ids = {s.snapshot_id for s in after.orphaned}
    # Other IDs go through too, so a kept image's snapshot or an unknown one gets its own error.
    return delete_snapshots(after, (freed & orphan_ids) | (ids - image_ids))


def clean_up_saving(
    estate: Estate,
    ids: Iterable[str] | None = None,
    *,
    delete_snapshots: bool = True,
    table: PriceTable | None = None,
) -> float:
    """USD saved per month by a clean-up; zero if the snapshots are not deleted (R25).

    Args:
        ids: image IDs and orphaned snapshot IDs; :func:`clean_up_candidates` when omitted.
        delete_snapshots: False to only deregister the images, which saves nothing.
    """
    after = clean_up(estate, ids)
    if not delete_snapshots:
        after = deregister(
            estate, {i.image_id for i in estate.images} - {i.image_id for i in after.images}
        )
    return estate_monthly_cost(estate, table=table) - estate_monthly_cost(after, table=table)


@dataclass(frozen=True)
class Charge:
    """One line of a bill: who pays, for what, how much, and per what (month, hour or once)."""

    payer: str
    item: str
    usd: float
    per: str


@dataclass(frozen=True)
class CopyCost:
    """What copying an image to another Region adds, and who pays it (the copier, R16)."""

    image_id: str
    source_region: str
    destination: str
    data_gib: float
    #: Once, at the source Region's inter-Region rate (free within a Region).
    transfer_usd: float
    #: Every month, for the full copy in the destination (R10).
    monthly_usd: float
    payer: str

    @property
    def charges(self) -> list[Charge]:
        """The copy's lines of the copier's bill."""
        return [
            Charge(
                self.payer,
                f"transfer of {self.image_id} to {self.destination}",
                self.transfer_usd,
                "once",
            ),
            Charge(
                self.payer, f"storage of the copy in {self.destination}", self.monthly_usd, "month"
            ),
        ]


def copy_cost(
    image: ImageCost,
    destination: str,
    *,
    copier: str | None = None,
    table: PriceTable | None = None,
) -> CopyCost:
    """What ``CopyImage`` into ``destination`` adds: a one-off transfer and a full copy's storage.

    Args:
        image: the source image.
        destination: the Region the copy is made in (the same Region adds no transfer).
        copier: the account that copies it and pays (the image's owner when omitted).
    """
    table = _table(table)
    source, target = table.region(image.region), table.region(destination)
    gib = image_data_gib(image)
    transfer = 0.0 if destination == image.region else gib * source.inter_region_transfer_gb
    monthly = gib * target.snapshot_standard_gb_month
    payer = image.owner_id if copier is None else _text("copier", copier)
    return CopyCost(image.image_id, image.region, destination, gib, transfer, monthly, payer)


def with_copy(
    estate: Estate,
    image_id: str,
    destination: str,
    *,
    copier: str | None = None,
    new_image_id: str | None = None,
    table: PriceTable | None = None,
) -> Estate:
    """The estate with a full copy of one image added in ``destination``, owned by the copier.

    The copy's snapshots are new, standard-tier and as large as the source's (R10).
    """
    image = estate.image(image_id)
    _table(table).region(destination)
    owner = image.owner_id if copier is None else _text("copier", copier)
    copy_id = new_image_id or f"{image.image_id}-copy-{destination}"
    snapshots = tuple(
        replace(
            s,
            snapshot_id=f"{s.snapshot_id}-copy-{destination}",
            region=destination,
            owner_id=owner,
            tier="standard",
            archived_at=None,
        )
        for s in image.snapshots
    )
    copy = ImageCost(copy_id, image.name, destination, owner, snapshots)
    return replace(estate, images=(*estate.images, copy))


# -- who pays ----------------------------------------------------------------------------------


def instance_hourly_price(
    region: str, instance_type: str, *, windows: bool = False, table: PriceTable | None = None
) -> float:
    """USD per hour for an on-demand instance (Linux, or Windows with its licence included).

    Raises:
        ValueError: naming the types the table prices, for any other; or for Windows on a type
            with no Windows price (Windows does not run on Graviton types such as t4g).
    """
    prices_here = _table(table).region(region)
    if instance_type not in prices_here.instance_hourly:
        known = ", ".join(prices_here.instance_hourly)
        raise ValueError(f"The price table has no {instance_type!r} in {region}; it has {known}")
    hourly = prices_here.instance_hourly[instance_type]
    if windows:
        if instance_type not in prices_here.windows_hourly_surcharge:
            raise ValueError(f"The price table has no Windows price for {instance_type}")
        hourly += prices_here.windows_hourly_surcharge[instance_type]
    return hourly


def launch_charges(
    region: str,
    instance_type: str,
    launcher: str,
    *,
    windows: bool = False,
    software_price_per_hour: float = 0.0,
    table: PriceTable | None = None,
) -> list[Charge]:
    """The hourly lines a launch adds to the launcher's bill (R12, R23); the image owner pays none.

    Args:
        software_price_per_hour: a Marketplace image's software rate (the catalogue's
            ``software_price_per_hour_usd``), charged on top of the instance.
    """
    launcher = _text("launcher", launcher)
    hourly = instance_hourly_price(region, instance_type, windows=windows, table=table)
    software = _amount("software_price_per_hour", software_price_per_hour)
    kind = "Windows" if windows else "Linux"
    lines = [Charge(launcher, f"{instance_type} {kind} instance in {region}", hourly, "hour")]
    if software:
        lines.append(Charge(launcher, "Marketplace software", software, "hour"))
    return lines


def storage_charges(estate: Estate, *, table: PriceTable | None = None) -> list[Charge]:
    """One monthly storage line per owning account (R12: sharing never moves the bill)."""
    return [
        Charge(owner, "snapshot storage", usd, "month")
        for owner, usd in monthly_cost_by_owner(estate, table=table).items()
    ]


def who_pays(
    image: ImageCost,
    *,
    launcher: str | None = None,
    instance_type: str = "t3.micro",
    windows: bool = False,
    software_price_per_hour: float = 0.0,
    copier: str | None = None,
    copy_to: str | None = None,
    table: PriceTable | None = None,
) -> list[Charge]:
    """Every line an image puts on someone's bill: storage, a launch, a copy.

    The owner pays the image's storage (R12); a launcher pays its instance and any software rate
    (R23); a copier pays the transfer and its copy's storage (R16).
    """
    lines = [
        Charge(image.owner_id, "snapshot storage", image_monthly_cost(image, table=table), "month")
    ]
    if launcher is not None:
        lines += launch_charges(
            image.region,
            instance_type,
            launcher,
            windows=windows,
            software_price_per_hour=software_price_per_hour,
            table=table,
        )
    if copy_to is not None:
        lines += copy_cost(image, copy_to, copier=copier, table=table).charges
    return lines


def bill_by_payer(charges: Iterable[Charge], per: str = "month") -> dict[str, float]:
    """Total USD per payer of the charges billed per ``per`` (``month``, ``hour`` or ``once``)."""
    return _sum_by([c for c in charges if c.per == per], lambda c: c.payer, lambda c: c.usd)


# -- projections -------------------------------------------------------------------------------


def project_monthly_costs(
    estate: Estate,
    months: int = 12,
    *,
    clean_up_after: int | None = None,
    remove: Iterable[str] | None = None,
    archive_after: int | None = None,
    archive_share: float = 1.0,
    archive: Iterable[str] | None = None,
    table: PriceTable | None = None,
) -> list[float]:
    """The estate's storage bill for each of the next ``months`` months.

    With no options every month costs the same: unused images keep costing (R24).

    Args:
        months: how many monthly totals to return.
        clean_up_after: delete the ``remove`` set's snapshots after this many months (0: now).
        remove: image and orphaned snapshot IDs to clean up; :func:`clean_up_candidates` when
            omitted. Deregistering alone would save nothing (R25), so a clean-up here deletes.
        archive_after: move a share of the ``archive`` set's data to the archive tier after this
            many months. Archived data deleted within 90 days bills the rest of the 90 days in
            the month it is deleted (R28).
        archive_share: the share (0 to 1) of each chosen snapshot's data that is archived.
        archive: image and orphaned snapshot IDs to archive; the clean-up candidates by default.

    Returns:
        ``months`` floats, USD, the first for the coming month.
    """
    table = _table(table)
    months = _count("months", months)
    share = _amount("archive_share", archive_share)
    if share > 1:
        raise ValueError(f"archive_share is a share between 0 and 1, not {archive_share}")
    if remove is not None and clean_up_after is None:
        raise ValueError("remove names what to clean up; say when with clean_up_after")
    if archive is not None and archive_after is None:
        raise ValueError("archive names what to archive; say when with archive_after")
    # A month index the projection never reaches stands for "never".
    clean_at = months if clean_up_after is None else _count("clean_up_after", clean_up_after)
    archive_at = months if archive_after is None else _count("archive_after", archive_after)
    removed = set() if clean_up_after is None else _snapshot_ids(estate, remove, "remove")
    archived = set() if archive_after is None else _snapshot_ids(estate, archive, "archive")
    days_before = _days_archived(estate)
    totals = [0.0] * months
    for snapshot in estate.snapshots():
        rates = table.region(snapshot.region)
        gib = snapshot.data_gib
        for month in range(months):
            gone = snapshot.snapshot_id in removed and month >= clean_at
            if snapshot.tier == "archive":
                frac = 1.0
                archived_for = days_before.get(snapshot.snapshot_id, math.inf)
                archived_for += DAYS_PER_MONTH * month
            elif snapshot.snapshot_id in archived and month >= archive_at:
                frac, archived_for = share, DAYS_PER_MONTH * (month - archive_at)
            else:
                frac, archived_for = 0.0, 0.0
            if gone:
                if month == clean_at and frac:
                    totals[month] += _early_archive_charge(gib * frac, archived_for, rates)
                continue
            totals[month] += gib * (
                frac * rates.snapshot_archive_gb_month
                + (1 - frac) * rates.snapshot_standard_gb_month
            )
    return totals


# -- showing money -----------------------------------------------------------------------------


def format_usd(amount: float, *, per: str | None = None, digits: int | None = None) -> str:
    """Money for people: ``$0.40``, ``$1,234.50``, ``-$3.75``, ``$0.0104/hour``.

    Args:
        per: a period to append (``"month"`` → ``$0.40/month``).
        digits: decimal places. By default 2 from a dollar up; under a dollar, as many as the
            amount needs up to 4 (``$0.775``, ``$0.0104``), so hourly prices stay readable.
    """
    value = _number("amount", amount)
    if digits is None:
        text = f"{abs(value):,.2f}" if abs(value) >= 1 else f"{abs(value):.4f}".rstrip("0")
        if len(text.partition(".")[2]) < 2:
            text = f"{abs(value):,.2f}"
    else:
        text = f"{abs(value):,.{_count('digits', digits)}f}"
    sign = "-" if value < 0 and any(c not in "0.," for c in text) else ""
    text = f"{sign}${text}"
    return f"{text}/{per}" if per else text


# -- helpers -----------------------------------------------------------------------------------


def _table(table: PriceTable | None) -> PriceTable:
    if table is None:
        return prices()
    if not isinstance(table, PriceTable):
        raise ValueError(f"table must be a PriceTable, not {table!r}")
    return table


def _number(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number, not {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, not {value}")
    return value


def _amount(name: str, value: Any) -> float:
    """A number that cannot be negative (a size, a duration, a price)."""
    value = _number(name, value)
    if value < 0:
        raise ValueError(f"{name} cannot be negative (it is {value:g})")
    return value


def _count(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be a whole number of months, not {value!r}")
    if value < 0:
        raise ValueError(f"{name} cannot be negative (it is {value})")
    return int(value)


def _text(name: str, value: Any) -> str:
    _require_text(name, value)
    return value


def _require_text(name: str, value: Any) -> None:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty string, not {value!r}")


def _check_tier(tier: Any) -> None:
    if tier not in TIERS:
        raise ValueError(f"A snapshot's tier is 'standard' or 'archive', not {tier!r}")


def _utc(name: str, value: Any) -> _dt.datetime | None:
    if value is None:
        return None
    if not isinstance(value, _dt.datetime):
        raise ValueError(f"{name} must be a datetime, not {value!r}")
    if value.tzinfo is None:
        return value.replace(tzinfo=_dt.timezone.utc)
    return value.astimezone(_dt.timezone.utc)


def _snapshots(values: Iterable[Any]) -> tuple[SnapshotCharge, ...]:
    snapshots = tuple(values)
    for snapshot in snapshots:
        if not isinstance(snapshot, SnapshotCharge):
            raise ValueError(f"Expected SnapshotCharge objects, not {snapshot!r}")
    return snapshots


def _unique(snapshots: Iterable[SnapshotCharge]) -> tuple[SnapshotCharge, ...]:
    return tuple({s.snapshot_id: s for s in snapshots}.values())


def _ids(name: str, ids: Iterable[str]) -> list[str]:
    if isinstance(ids, str):
        return [ids]
    ids = list(ids)
    for value in ids:
        _require_text(name, value)
    return ids


def _known_images(estate: Estate, image_ids: Iterable[str]) -> set[str]:
    ids = set(_ids("image_ids", image_ids))
    for image_id in ids:
        estate.image(image_id)
    return ids


def _snapshot_ids(estate: Estate, ids: Iterable[str] | None, name: str) -> set[str]:
    """The snapshots behind a set of image and orphaned snapshot IDs (kept images' excepted)."""
    chosen = set(clean_up_candidates(estate) if ids is None else _ids(name, ids))
    images = {i.image_id: i for i in estate.images}
    orphans = {s.snapshot_id for s in estate.orphaned}
    unknown = chosen - set(images) - orphans
    if unknown:
        raise ValueError(
            f"{name}: the estate has no image or orphaned snapshot {', '.join(sorted(unknown))}"
        )
    picked = {s.snapshot_id for i in chosen & set(images) for s in images[i].snapshots}
    kept = {s.snapshot_id for i in set(images) - chosen for s in images[i].snapshots}
    return (picked - kept) | (chosen & orphans)


def _days_archived(estate: Estate) -> dict[str, float]:
    """Days each archived snapshot has spent archived when the estate was read, where known."""
    if estate.taken_at is None:
        return {}
    return {
        s.snapshot_id: max(0.0, (estate.taken_at - s.archived_at).total_seconds() / 86400)
        for s in estate.snapshots()
        if s.archived_at is not None
    }


def _early_archive_charge(gib: float, days_archived: float, rates: RegionPrices) -> float:
    remaining = max(0.0, rates.archive_minimum_days - days_archived)
    return gib * rates.snapshot_archive_gb_month * remaining / DAYS_PER_MONTH


def _sum_by(items: Iterable[Any], key: Any, value: Any) -> dict[str, float]:
    totals: dict[str, float] = {}
    for item in items:
        totals[key(item)] = totals.get(key(item), 0.0) + value(item)
    return totals
