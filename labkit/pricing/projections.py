"""What a clean-up or archiving changes: the estate after it, and its bill month by month.

Deregistering an image saves nothing; deleting its snapshots does (R25). Archived data bills a
cheaper GB-month, but at least 90 days of it (R28). Unused images keep costing every month (R24).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import replace

from .. import _valid
from .estate_costs import (
    Estate,
    SnapshotCharge,
    _estate,
    early_archive_charge,
    estate_monthly_cost,
)
from .price_table import DAYS_PER_MONTH, PriceTable, resolve_table

__all__ = [
    "clean_up",
    "clean_up_candidates",
    "clean_up_saving",
    "delete_snapshots",
    "deregister",
    "project_monthly_costs",
]


def clean_up_candidates(estate: Estate) -> tuple[str, ...]:
    """IDs of images nobody is running and of orphaned snapshots: what a clean-up could remove."""
    _estate(estate)
    unused = tuple(i.image_id for i in estate.images if not i.in_use)
    return unused + tuple(s.snapshot_id for s in estate.orphaned)


def deregister(estate: Estate, image_ids: Iterable[str]) -> Estate:
    """The estate after deregistering images: their snapshots stay, orphaned and billed (R25)."""
    _estate(estate)
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
    _estate(estate)
    ids = set(_ids("snapshot_ids", snapshot_ids))
    for image in estate.images:
        for snapshot in image.snapshots:
            if snapshot.snapshot_id in ids:
                raise ValueError(
                    f"snapshot_ids: {snapshot.snapshot_id} is used by {image.image_id}: "
                    "deregister the image before deleting its snapshots"
                )
    unknown = ids - {s.snapshot_id for s in estate.orphaned}
    if unknown:
        listed = _valid.shown(", ".join(sorted(unknown)))
        raise ValueError(f"snapshot_ids: the estate has no orphaned snapshot {listed}")
    return replace(estate, orphaned=tuple(s for s in estate.orphaned if s.snapshot_id not in ids))


def clean_up(estate: Estate, ids: Iterable[str] | None = None) -> Estate:
    """The estate after cleaning up: deregister images, then delete their snapshots.

    Args:
        ids: image IDs and orphaned snapshot IDs; :func:`clean_up_candidates` when omitted.
            Snapshots another kept image uses are kept.
    """
    _estate(estate)
    ids = set(clean_up_candidates(estate) if ids is None else _ids("ids", ids))
    image_ids = {i.image_id for i in estate.images} & ids
    after = deregister(estate, image_ids)
    freed = {s.snapshot_id for i in estate.images if i.image_id in image_ids for s in i.snapshots}
    orphan_ids = {s.snapshot_id for s in after.orphaned}
    # Other IDs go through too, so a kept image's snapshot or an unknown one gets its own error.
    try:
        return delete_snapshots(after, (freed & orphan_ids) | (ids - image_ids))
    except ValueError as error:
        raise ValueError(str(error).replace("snapshot_ids:", "ids:", 1)) from None


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
    _valid.flag("delete_snapshots", delete_snapshots)
    resolve_table(table)
    after = clean_up(estate, ids)
    if not delete_snapshots:
        after = deregister(
            estate, {i.image_id for i in estate.images} - {i.image_id for i in after.images}
        )
    return estate_monthly_cost(estate, table=table) - estate_monthly_cost(after, table=table)


# -- projections -------------------------------------------------------------------------------


#: The longest projection: a list of a century's monthly bills (bigger asks only fill memory).
MAX_PROJECTION_MONTHS = 1200


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
    _estate(estate)
    table = resolve_table(table)
    months = _valid.count("months", months)
    if months > MAX_PROJECTION_MONTHS:
        raise ValueError(
            f"months can be at most {MAX_PROJECTION_MONTHS} (a century of bills), not {months}"
        )
    share = _valid.amount("archive_share", archive_share)
    if share > 1:
        raise ValueError(f"archive_share is a share between 0 and 1, not {archive_share}")
    if remove is not None and clean_up_after is None:
        raise ValueError("remove names what to clean up; say when with clean_up_after")
    if archive is not None and archive_after is None:
        raise ValueError("archive names what to archive; say when with archive_after")
    # A month index the projection never reaches stands for "never".
    most = MAX_PROJECTION_MONTHS
    clean_at = (
        months if clean_up_after is None else _valid.count("clean_up_after", clean_up_after, most)
    )
    archive_at = (
        months if archive_after is None else _valid.count("archive_after", archive_after, most)
    )
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
                    totals[month] += early_archive_charge(gib * frac, archived_for, rates)
                continue
            totals[month] += gib * (
                frac * rates.snapshot_archive_gb_month
                + (1 - frac) * rates.snapshot_standard_gb_month
            )
    return totals


# -- helpers -----------------------------------------------------------------------------------


def _unique(snapshots: Iterable[SnapshotCharge]) -> tuple[SnapshotCharge, ...]:
    return tuple({s.snapshot_id: s for s in snapshots}.values())


def _ids(name: str, ids: Iterable[str]) -> list[str]:
    return _valid.strings(name, ids)


def _known_images(estate: Estate, image_ids: Iterable[str]) -> set[str]:
    ids = set(_ids("image_ids", image_ids))
    known = {i.image_id for i in estate.images}
    unknown = sorted(ids - known)
    if unknown:
        listed = _valid.shown(", ".join(unknown))
        raise ValueError(
            f"image_ids: the estate has no image {listed} (its images: "
            f"{', '.join(sorted(known)) or 'none'})"
        )
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
