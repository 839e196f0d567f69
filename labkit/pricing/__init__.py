"""What an image estate costs: a dated price table and pure functions over plain dataclasses.

Prices are public on-demand list prices in USD (``data/prices.json``, dated; see
``docs/prices-sources.md``). Everything here is arithmetic: nothing reads the sandbox or the
network. ``labkit.sandbox.estate.estate_from_sandbox`` turns sandbox state into an :class:`Estate`.

The model, and where it simplifies AWS:

* An AMI costs nothing itself; its EBS snapshots cost GB-months (R24). A GB here is a GiB, as
  EBS bills it, and a month is 30 days.
* A snapshot is priced at the data written to its volume (``data_gib``), not the volume's size.
  Real snapshots are also incremental along a volume's chain of snapshots; the lab prices each
  image's snapshots at their full data size, as if each were the only one of its volume.
* Archive tier: a cheaper GB-month, a per-GB retrieval fee, and a 90-day minimum: a snapshot
  deleted (or permanently restored) sooner is billed for the rest of the 90 days (R28).
* Deregistering an image saves nothing; deleting its snapshots does (R25).
* The first copy of an image to another Region is a full copy: the destination bills the whole
  image every month, and the source Region charges its transfer rate once per GB (R10). A later
  copy of the same image to that Region is incremental (R46); the lab prices first copies.
  Copying itself is free.
* Who pays: an image's owner pays its storage, also when it is shared (R12), and the transfer of
  every copy of it, also one another account makes (R16); whoever copies an image owns the copy
  and pays its storage (R16); whoever launches pays the instance hours and any Marketplace
  software rate (R23).

Money stays an unrounded float; round only to show it (:func:`format_usd`).

Import from here; the work is done in four smaller modules: ``price_table`` (the dated table,
:func:`prices`, :func:`format_usd`), ``estate_costs`` (the estate dataclasses; GB and monthly cost
per image, Region and owner), ``bills`` (who pays for storage, launches and copies) and
``projections`` (clean-up, and the bill month by month). Pure: no moto, no boto3.
"""

from __future__ import annotations

from .bills import (
    Charge,
    CopyCost,
    bill_by_payer,
    copy_cost,
    instance_hourly_price,
    launch_charges,
    storage_charges,
    who_pays,
    with_copy,
)
from .estate_costs import (
    Estate,
    ImageCost,
    SnapshotCharge,
    archive_cost,
    archive_minimum_charge,
    bundle_monthly_cost,
    data_gib_by_image,
    data_gib_by_owner,
    data_gib_by_region,
    estate_monthly_cost,
    image_data_gib,
    image_monthly_cost,
    monthly_cost_by_image,
    monthly_cost_by_owner,
    monthly_cost_by_region,
    restore_cost,
    snapshot_monthly_cost,
    storage_cost,
)
from .price_table import (
    DAYS_PER_MONTH,
    HOURS_PER_MONTH,
    TIERS,
    PriceTable,
    RegionPrices,
    format_usd,
    prices,
)
from .projections import (
    clean_up,
    clean_up_candidates,
    clean_up_saving,
    delete_snapshots,
    deregister,
    project_monthly_costs,
)

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
