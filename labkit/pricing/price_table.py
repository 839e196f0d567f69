"""The dated price table: list prices per lab Region, where they came from, how to show money.

Figures are public on-demand list prices in USD (``data/prices.json``, dated; see
``docs/prices-sources.md``); :meth:`PriceTable.from_price_list` refreshes them from an AWS Price
List offer file. Nothing here reads the sandbox or the network.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .. import _valid
from . import pricelist

__all__ = [
    "DAYS_PER_MONTH",
    "HOURS_PER_MONTH",
    "TIERS",
    "PriceTable",
    "RegionPrices",
    "check_tier",
    "format_usd",
    "region_prices",
    "prices",
    "resolve_table",
]

#: Billing months are taken as 30 days (AWS prorates GB-months by the hour of each month).
DAYS_PER_MONTH = 30
#: Hours in a month, as the AWS Pricing Calculator counts them.
HOURS_PER_MONTH = 730
#: Snapshot storage tiers (R28).
TIERS = ("standard", "archive")

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
        check_tier(tier)
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
        base = resolve_table(base)
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


def resolve_table(table: PriceTable | None) -> PriceTable:
    """``table``, or the packaged table when it is None."""
    if table is None:
        return prices()
    if not isinstance(table, PriceTable):
        raise TypeError(f"table must be a PriceTable, not {_valid.shown(table)}")
    return table


def region_prices(name: str, region: Any, table: PriceTable | None) -> RegionPrices:
    """The prices of the Region given as parameter ``name``.

    Raises:
        ValueError: naming the parameter and the Regions the table prices, for any other value.
    """
    table = resolve_table(table)
    if isinstance(region, str) and region in table.regions:
        return table.regions[region]
    raise ValueError(
        f"{name}: the price table has no Region {_valid.shown(region)}; "
        f"it prices {', '.join(table.regions)}"
    )


#: The periods :func:`format_usd` can append.
PERIODS = ("hour", "day", "month", "year")


def check_tier(tier: Any) -> None:
    """Raise unless ``tier`` is one of :data:`TIERS`."""
    if not isinstance(tier, str) or tier not in TIERS:
        raise ValueError(f"A snapshot's tier is 'standard' or 'archive', not {_valid.shown(tier)}")


# -- showing money -----------------------------------------------------------------------------


def format_usd(amount: float, *, per: str | None = None, digits: int | None = None) -> str:
    """Money for people: ``$0.40``, ``$1,234.50``, ``-$3.75``, ``$0.0104/hour``.

    Args:
        per: a period to append (``"month"`` → ``$0.40/month``): hour, day, month or year.
        digits: decimal places, 0 to 12. By default 2 from a dollar up; under a dollar, as many
            as the amount needs up to 4 (``$0.775``, ``$0.0104``), so hourly prices stay readable.

    Raises:
        ValueError: naming the parameter, for an amount that is not a finite number, a period
            not listed, or digits outside 0 to 12.
    """
    value = _valid.number("amount", amount)
    if per is not None:
        _valid.choice("per", per, PERIODS)
    if digits is not None:
        digits = _valid.count("digits", digits, most=12)
    if digits is None:
        text = f"{abs(value):,.2f}" if abs(value) >= 1 else f"{abs(value):.4f}".rstrip("0")
        if len(text.partition(".")[2]) < 2:
            text = f"{abs(value):,.2f}"
    else:
        text = f"{abs(value):,.{digits}f}"
    sign = "-" if value < 0 and any(c not in "0.," for c in text) else ""
    text = f"{sign}${text}"
    return f"{text}/{per}" if per else text
