"""Read figures out of an AWS Price List bulk (JSON) offer file, for ``PriceTable.from_price_list``.

An offer file (``…/offers/v1.0/aws/AmazonEC2/current/<region>/index.json``) lists products by SKU
under ``products`` and their prices under ``terms.OnDemand[SKU][term].priceDimensions``, as
strings in USD. This module picks out the few products the lab prices and returns plain numbers;
it never downloads anything.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

__all__ = ["OfferFigures", "read_offer"]

#: Region codes by the location names older offer files use instead of ``regionCode``.
_LOCATIONS = {
    "US East (N. Virginia)": "us-east-1",
    "US West (Oregon)": "us-west-2",
    "EU (Ireland)": "eu-west-1",
    "Europe (Ireland)": "eu-west-1",
    "Asia Pacific (Sydney)": "ap-southeast-2",
}

#: Usage types (without their Region prefix, e.g. ``APS2-``) and the price table field each feeds.
SNAPSHOT_USAGE_TYPES = {
    "EBS:SnapshotUsage": ("snapshot_standard_gb_month", "GB-Mo"),
    "EBS:SnapshotArchiveStorage": ("snapshot_archive_gb_month", "GB-Mo"),
    "EBS:SnapshotArchiveRetrieval": ("archive_retrieval_gb", "GB"),
}

#: One Region's figures: field name → USD, plus per-instance-type tables.
OfferFigures = dict[str, Any]


def read_offer(source: str | Path | Mapping[str, Any]) -> tuple[dict[str, OfferFigures], str]:
    """The lab's figures in an offer file, by Region, and the file's publication date.

    Recognised: EBS snapshot storage (standard and archive) and archive retrieval; S3 Standard
    storage (first tier, from an AmazonS3 offer); inter-Region transfer out (the dearest rate to
    another Region in the file); Linux on-demand hourly prices and the Windows surcharge
    (Windows minus Linux) for shared-tenancy instances.

    Args:
        source: a path to the JSON file, or the already-parsed offer as a dict.

    Returns:
        ``({region: {field: usd, "instance_hourly": {...}, ...}}, "YYYY-MM-DD")``; the date is
        ``""`` when the file has no ``publicationDate``.

    Raises:
        ValueError: if the source is not an offer file or a price is not a number in the unit
            the lab expects.
    """
    offer = _load(source)
    products = offer.get("products")
    on_demand = offer.get("terms", {}).get("OnDemand")
    if not isinstance(products, Mapping) or not isinstance(on_demand, Mapping):
        raise ValueError(
            "Not an AWS Price List offer file: it needs 'products' and 'terms.OnDemand' "
            "(download one from https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/index.json)"
        )
    figures: dict[str, OfferFigures] = {}
    linux: dict[tuple[str, str], float] = {}
    windows: dict[tuple[str, str], float] = {}
    for sku, product in products.items():
        attributes = product.get("attributes", {})
        region = _region(attributes)
        if not region:
            continue
        price = _Pricer(sku, on_demand.get(sku, {}))
        family = product.get("productFamily", "")
        usage = attributes.get("usagetype", "")
        here = figures.setdefault(region, {})
        if family == "Storage Snapshot":
            for suffix, (field, unit) in SNAPSHOT_USAGE_TYPES.items():
                if _has_suffix(usage, suffix):
                    here[field] = price(unit)
        elif family == "Storage" and attributes.get("volumeType") == "Standard":
            if _has_suffix(usage, "TimedStorage-ByteHrs"):
                here["s3_standard_gb_month"] = price("GB-Mo")
        elif family == "Data Transfer" and attributes.get("transferType") == "InterRegion Outbound":
            # AWS charges a copy's transfer to the source Region; keep its dearest destination.
            rate = max(price("GB"), here.get("inter_region_transfer_gb", 0.0))
            here["inter_region_transfer_gb"] = rate
        elif family == "Compute Instance" and _on_demand_shared(attributes):
            key = (region, attributes.get("instanceType", ""))
            system = attributes.get("operatingSystem")
            if system == "Linux":
                linux[key] = price("Hrs")
            elif system == "Windows" and attributes.get("licenseModel") == "License Included":
                windows[key] = price("Hrs")
    for (region, instance_type), hourly in linux.items():
        figures[region].setdefault("instance_hourly", {})[instance_type] = hourly
        if (region, instance_type) in windows:
            surcharge = windows[(region, instance_type)] - hourly
            figures[region].setdefault("windows_hourly_surcharge", {})[instance_type] = surcharge
    published = str(offer.get("publicationDate", ""))[:10]
    return {region: found for region, found in figures.items() if found}, published


def _load(source: str | Path | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(source, Mapping):
        return source
    if not isinstance(source, (str, Path)):
        raise ValueError(
            f"from_price_list takes a path to an offer file or its parsed JSON, not {source!r}"
        )
    path = Path(source)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"No Price List offer file at {path}") from None
    except json.JSONDecodeError as error:
        raise ValueError(
            f"{path} is not JSON ({error}); expected a Price List offer file"
        ) from None


def _region(attributes: Mapping[str, Any]) -> str | None:
    """A product's Region: ``regionCode`` (``fromRegionCode`` for transfer), else its location."""
    code = attributes.get("regionCode") or attributes.get("fromRegionCode")
    if code:
        return str(code)
    return _LOCATIONS.get(attributes.get("location") or attributes.get("fromLocation") or "")


def _has_suffix(usage_type: str, suffix: str) -> bool:
    """``APS2-EBS:SnapshotUsage`` and ``EBS:SnapshotUsage`` both end in ``EBS:SnapshotUsage``."""
    return usage_type == suffix or usage_type.endswith("-" + suffix)


def _on_demand_shared(attributes: Mapping[str, Any]) -> bool:
    """Shared tenancy, no pre-installed software, the capacity an instance actually uses."""
    return (
        attributes.get("tenancy") == "Shared"
        and attributes.get("preInstalledSw", "NA") == "NA"
        and attributes.get("capacitystatus", "Used") == "Used"
    )


class _Pricer:
    """The USD price of one SKU's on-demand term, in the unit the lab expects."""

    def __init__(self, sku: str, terms: Mapping[str, Any]) -> None:
        self.sku = sku
        self.terms = terms

    def __call__(self, unit: str) -> float:
        dimensions = [d for term in self.terms.values() for d in term["priceDimensions"].values()]
        if not dimensions:
            raise ValueError(f"SKU {self.sku} has no on-demand price in the offer file")
        # Tiered prices (S3) list one dimension per tier: the lab uses the first tier.
        first = min(dimensions, key=lambda d: float(d.get("beginRange") or 0))
        if first.get("unit") != unit:
            raise ValueError(
                f"SKU {self.sku} is priced per {first.get('unit')!r}; the lab expects {unit!r}"
            )
        text = first.get("pricePerUnit", {}).get("USD")
        try:
            value = Decimal(str(text))
        except InvalidOperation:
            raise ValueError(
                f"SKU {self.sku} has a USD price {text!r} that is not a number"
            ) from None
        if not value.is_finite() or value < 0:
            raise ValueError(f"SKU {self.sku} has a USD price {text!r} that cannot be a price")
        return float(value)
