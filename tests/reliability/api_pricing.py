"""The pricing part of the public API table: labkit.pricing's functions and classes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from api_kinds import (
    ACCOUNT_ID,
    DATETIME,
    ESTATE,
    FLAG,
    IDS,
    IMAGE,
    NUMBER,
    PRICED_REGION,
    SNAPSHOT,
    STRING,
    TABLE,
    TEXT,
    Kind,
    Spec,
    amount,
    choice,
    ids_ok,
    list_of,
    optional,
    usd,
    whole,
)

from labkit import ACCOUNTS, pricing

LEARNER, PARTNER = ACCOUNTS["learner"], ACCOUNTS["partner"]
#: The largest sizes and durations the pricing functions take (labkit._valid.MOST_*).
MOST_GIB, MOST_MONTHS, MOST_DAYS, MOST_USD_PER_HOUR = 1e9, 1200, 36500, 1e6


def _p(name: str) -> Callable[[Any], Callable[..., Any]]:
    return lambda _context: getattr(pricing, name)


def _estate_spec(name: str, **more: Kind) -> Spec:
    good = {"estate": lambda c: c.estate, **{k: None for k in more if k == "table"}}
    return Spec(_p(name), {"estate": ESTATE, **more}, good, answer=usd)


PRICING_SPECS: dict[str, Spec] = {
    # labkit.pricing: money
    "labkit.pricing.storage_cost": Spec(
        _p("storage_cost"),
        {
            "data_gib": amount(MOST_GIB),
            "region": PRICED_REGION,
            "months": amount(MOST_MONTHS),
            "tier": choice(*pricing.TIERS),
            "table": TABLE,
        },
        {"data_gib": 8, "region": "us-east-1", "months": 1, "tier": "standard", "table": None},
        answer=usd,
    ),
    "labkit.pricing.archive_cost": Spec(
        _p("archive_cost"),
        {
            "data_gib": amount(MOST_GIB),
            "region": PRICED_REGION,
            "days": amount(MOST_DAYS),
            "retrieve": FLAG,
            "table": TABLE,
        },
        {"data_gib": 8, "region": "us-east-1", "days": 30, "retrieve": False, "table": None},
        answer=usd,
    ),
    "labkit.pricing.restore_cost": Spec(
        _p("restore_cost"),
        {"data_gib": amount(MOST_GIB), "region": PRICED_REGION, "table": TABLE},
        {"data_gib": 8, "region": "us-east-1", "table": None},
        answer=usd,
    ),
    "labkit.pricing.bundle_monthly_cost": Spec(
        _p("bundle_monthly_cost"),
        {"bundle_gib": amount(MOST_GIB), "region": PRICED_REGION, "table": TABLE},
        {"bundle_gib": 8, "region": "us-east-1", "table": None},
        answer=usd,
    ),
    "labkit.pricing.archive_minimum_charge": Spec(
        _p("archive_minimum_charge"),
        {"snapshot": SNAPSHOT, "deleted_at": DATETIME, "table": TABLE},
        {
            "snapshot": lambda c: c.archived,
            "deleted_at": dt.datetime(2025, 6, 1, tzinfo=dt.timezone.utc),
            "table": None,
        },
        answer=usd,
    ),
    "labkit.pricing.snapshot_monthly_cost": Spec(
        _p("snapshot_monthly_cost"),
        {"snapshot": SNAPSHOT, "table": TABLE},
        {"snapshot": lambda c: c.archived, "table": None},
        answer=usd,
    ),
    "labkit.pricing.image_monthly_cost": Spec(
        _p("image_monthly_cost"),
        {"image": IMAGE, "table": TABLE},
        {"image": lambda c: c.image, "table": None},
        answer=usd,
    ),
    "labkit.pricing.image_data_gib": Spec(
        _p("image_data_gib"), {"image": IMAGE}, {"image": lambda c: c.image}, answer=usd
    ),
    "labkit.pricing.estate_monthly_cost": _estate_spec("estate_monthly_cost", table=TABLE),
    "labkit.pricing.monthly_cost_by_image": _estate_spec("monthly_cost_by_image", table=TABLE),
    "labkit.pricing.monthly_cost_by_region": _estate_spec("monthly_cost_by_region", table=TABLE),
    "labkit.pricing.monthly_cost_by_owner": _estate_spec("monthly_cost_by_owner", table=TABLE),
    "labkit.pricing.storage_charges": _estate_spec("storage_charges", table=TABLE),
    "labkit.pricing.data_gib_by_image": _estate_spec("data_gib_by_image"),
    "labkit.pricing.data_gib_by_region": _estate_spec("data_gib_by_region"),
    "labkit.pricing.data_gib_by_owner": _estate_spec("data_gib_by_owner"),
    "labkit.pricing.clean_up_candidates": Spec(
        _p("clean_up_candidates"), {"estate": ESTATE}, {"estate": lambda c: c.estate}
    ),
    "labkit.pricing.deregister": Spec(
        _p("deregister"),
        {"estate": ESTATE, "image_ids": IDS},
        {"estate": lambda c: c.estate, "image_ids": ["ami-old"]},
    ),
    "labkit.pricing.delete_snapshots": Spec(
        _p("delete_snapshots"),
        {"estate": ESTATE, "snapshot_ids": IDS},
        {"estate": lambda c: c.estate, "snapshot_ids": ["snap-orphan"]},
    ),
    "labkit.pricing.clean_up": Spec(
        _p("clean_up"),
        {"estate": ESTATE, "ids": optional(IDS)},
        {"estate": lambda c: c.estate, "ids": None},
    ),
    "labkit.pricing.clean_up_saving": Spec(
        _p("clean_up_saving"),
        {"estate": ESTATE, "ids": optional(IDS), "delete_snapshots": FLAG, "table": TABLE},
        {"estate": lambda c: c.estate, "ids": None, "delete_snapshots": True, "table": None},
        answer=usd,
    ),
    "labkit.pricing.project_monthly_costs": Spec(
        _p("project_monthly_costs"),
        {
            "estate": ESTATE,
            "months": whole(MOST_MONTHS),
            "clean_up_after": optional(whole(MOST_MONTHS)),
            "remove": optional(IDS),
            "archive_after": optional(whole(MOST_MONTHS)),
            "archive_share": amount(1),
            "archive": optional(IDS),
            "table": TABLE,
        },
        {
            "estate": lambda c: c.estate,
            "months": 12,
            "clean_up_after": 3,
            "remove": None,
            "archive_after": 1,
            "archive_share": 0.5,
            "archive": None,
            "table": None,
        },
        answer=usd,
    ),
    "labkit.pricing.copy_cost": Spec(
        _p("copy_cost"),
        {
            "image": IMAGE,
            "destination": PRICED_REGION,
            "copier": optional(ACCOUNT_ID),
            "table": TABLE,
        },
        {"image": lambda c: c.image, "destination": "eu-west-1", "copier": None, "table": None},
        answer=lambda a, c, args: usd(a.charges, c, args),
    ),
    "labkit.pricing.with_copy": Spec(
        _p("with_copy"),
        {
            "estate": ESTATE,
            "image_id": TEXT,
            "destination": PRICED_REGION,
            "copier": optional(ACCOUNT_ID),
            "new_image_id": optional(TEXT),
            "table": TABLE,
        },
        {
            "estate": lambda c: c.estate,
            "image_id": "ami-web",
            "destination": "eu-west-1",
            "copier": None,
            "new_image_id": None,
            "table": None,
        },
    ),
    "labkit.pricing.instance_hourly_price": Spec(
        _p("instance_hourly_price"),
        {
            "region": PRICED_REGION,
            "instance_type": TEXT,
            "windows": FLAG,
            "table": TABLE,
        },
        {"region": "us-east-1", "instance_type": "t3.micro", "windows": False, "table": None},
        answer=usd,
    ),
    "labkit.pricing.launch_charges": Spec(
        _p("launch_charges"),
        {
            "region": PRICED_REGION,
            "instance_type": TEXT,
            "launcher": ACCOUNT_ID,
            "windows": FLAG,
            "software_price_per_hour": amount(MOST_USD_PER_HOUR),
            "table": TABLE,
        },
        {
            "region": "us-east-1",
            "instance_type": "t3.micro",
            "launcher": PARTNER,
            "windows": False,
            "software_price_per_hour": 0.02,
            "table": None,
        },
        answer=usd,
    ),
    "labkit.pricing.who_pays": Spec(
        _p("who_pays"),
        {
            "image": IMAGE,
            "launcher": optional(ACCOUNT_ID),
            "instance_type": TEXT,
            "windows": FLAG,
            "software_price_per_hour": amount(MOST_USD_PER_HOUR),
            "copier": optional(ACCOUNT_ID),
            "copy_to": optional(PRICED_REGION),
            "table": TABLE,
        },
        {
            "image": lambda c: c.image,
            "launcher": PARTNER,
            "instance_type": "t3.micro",
            "windows": False,
            "software_price_per_hour": 0.0,
            "copier": PARTNER,
            "copy_to": "eu-west-1",
            "table": None,
        },
        answer=usd,
    ),
    "labkit.pricing.bill_by_payer": Spec(
        _p("bill_by_payer"),
        {"charges": list_of(pricing.Charge), "per": choice("month", "hour", "once")},
        {"charges": lambda c: c.charges, "per": "month"},
        answer=usd,
    ),
    "labkit.pricing.format_usd": Spec(
        _p("format_usd"),
        {
            "amount": NUMBER,
            "per": optional(choice("hour", "day", "month", "year")),
            "digits": optional(whole(12)),
        },
        {"amount": 1.5, "per": "month", "digits": None},
        answer=lambda a, _c, _args: None if "$" in a else (_ for _ in ()).throw(AssertionError(a)),
    ),
    "labkit.pricing.prices": Spec(_p("prices"), {}),
    "labkit.pricing.SnapshotCharge": Spec(
        _p("SnapshotCharge"),
        {
            "snapshot_id": TEXT,
            "region": PRICED_REGION,
            "owner_id": ACCOUNT_ID,
            "data_gib": amount(MOST_GIB),
            "tier": choice(*pricing.TIERS),
            "archived_at": optional(DATETIME),
            "sized_from": choice("data", "volume"),
        },
        {
            "snapshot_id": "snap-1",
            "region": "us-east-1",
            "owner_id": LEARNER,
            "data_gib": 8,
            "tier": "standard",
            "archived_at": None,
            "sized_from": "data",
        },
    ),
    "labkit.pricing.ImageCost": Spec(
        _p("ImageCost"),
        {
            "image_id": TEXT,
            "name": STRING,
            "region": PRICED_REGION,
            "owner_id": ACCOUNT_ID,
            "snapshots": list_of(pricing.SnapshotCharge),
            "in_use": FLAG,
            "used_by": Kind(
                "account IDs",
                lambda v, c: (
                    ids_ok(v)
                    and all(ACCOUNT_ID.ok(i, c) for i in ([v] if isinstance(v, str) else v))
                ),
            ),
        },
        {
            "image_id": "ami-1",
            "name": "web",
            "region": "us-east-1",
            "owner_id": LEARNER,
            "snapshots": (),
            "in_use": False,
            "used_by": (),
        },
    ),
    "labkit.pricing.Estate": Spec(
        _p("Estate"),
        {
            "images": list_of(pricing.ImageCost),
            "orphaned": list_of(pricing.SnapshotCharge),
            "taken_at": optional(DATETIME),
        },
        {"images": (), "orphaned": (), "taken_at": None},
    ),
}
