"""Marketplace and billing products: who may copy a paid image, and who pays (R22/R45, R23).

AWS guide pages: CopyingAMIs ("Considerations": shared AWS Marketplace AMIs cannot be copied
with CopyImage; launch an instance and ``CreateImage`` instead, which keeps the codes),
how-ami-copy-works ("Cross-account copying"), paid-amis, sharingamis-explicit ("Billing").

- R22/R45: ``CopyImage`` of an AWS Marketplace image that another account owns, or of any image
  derived from one (the sandbox knows them by their Marketplace product codes, which launching
  and ``CreateImage`` carry on), is refused. Other billing products are not: a Windows
  (licence-included) image shared with you copies like any other (the rule that every billing
  product code, Windows included, blocks the copy was replaced in 2019). The restriction is
  about copies across accounts: an owner may copy its own Marketplace-derived image, and the
  copy keeps the codes.
- R23: the seller's hourly software rate is paid by the account that launches the instance, on
  top of the instance's own price; the image's owner pays nothing for others' launches.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .errors import AwsError

__all__ = [
    "SoftwareCharge",
    "billing_products",
    "check_copy_allowed",
    "software_charge",
    "software_charges_by_account",
    "software_rate",
]

#: ``UsageOperation`` of images with no billing product (plain Linux/UNIX).
_NO_BILLING_PRODUCT = "RunInstances"

#: AWS's message for a refused cross-account copy of a Marketplace image (the code and wording
#: AWS returns in practice; CopyingAMIs documents the rule, not the error).
MARKETPLACE_COPY_REFUSED = "Images from AWS Marketplace cannot be copied to another AWS account."


def billing_products(image: Any) -> list[str]:
    """The billing products an image carries: its product codes, then any OS billing product."""
    products = sorted(getattr(image, "product_codes", ()) or ())
    usage = getattr(image, "usage_operation", None) or _NO_BILLING_PRODUCT
    if usage != _NO_BILLING_PRODUCT:
        products.append(usage)
    return products


def check_copy_allowed(image: Any, account_id: str) -> None:
    """R22/R45: refuse CopyImage of another account's Marketplace (or Marketplace-derived) image.

    Only Marketplace product codes block the copy; an OS billing product such as Windows
    (``UsageOperation`` ``RunInstances:0002``) does not.

    Raises:
        AwsError: ``InvalidRequest``, with AWS's message and nothing added.
    """
    if image.owner_id == account_id:
        return
    if getattr(image, "product_codes", None):
        raise AwsError("InvalidRequest", MARKETPLACE_COPY_REFUSED)


# -- who pays the software charge (R23) --------------------------------------------------------


@dataclass(frozen=True)
class SoftwareCharge:
    """The software part of a bill for running one image: who pays whom, and how much.

    Attributes:
        payer: the account billed (the one that launched the instances).
        image_owner: the account that owns the image (billed nothing for others' launches).
        rate_usd_per_hour: the seller's software rate, per instance-hour.
        instance_hours: instance-hours run.
        amount_usd: ``rate × hours``, billed to ``payer`` on top of the instance price.
    """

    payer: str
    image_owner: str
    rate_usd_per_hour: float
    instance_hours: float
    amount_usd: float

    @property
    def owner_pays_usd(self) -> float:
        """What the image owner pays for this usage: nothing, unless it launched it itself."""
        return self.amount_usd if self.payer == self.image_owner else 0.0


def software_charge(
    rate_usd_per_hour: float, instance_hours: float, launcher: str, image_owner: str
) -> SoftwareCharge:
    """R23: the launcher pays the seller's rate for the hours it runs; the owner pays nothing.

    Raises:
        ValueError: for a negative rate or negative hours.
    """
    if rate_usd_per_hour < 0 or instance_hours < 0:
        raise ValueError("A software rate and instance-hours cannot be negative")
    return SoftwareCharge(
        payer=launcher,
        image_owner=image_owner,
        rate_usd_per_hour=float(rate_usd_per_hour),
        instance_hours=float(instance_hours),
        amount_usd=round(float(rate_usd_per_hour) * float(instance_hours), 6),
    )


def software_charges_by_account(
    rate_usd_per_hour: float, image_owner: str, usage: Iterable[tuple[str, float]]
) -> dict[str, float]:
    """R23: software charges per account for ``(launching account, instance-hours)`` pairs.

    The image owner appears only if it launched instances itself.
    """
    totals: dict[str, float] = {}
    for launcher, hours in usage:
        charge = software_charge(rate_usd_per_hour, hours, launcher, image_owner)
        totals[charge.payer] = round(totals.get(charge.payer, 0.0) + charge.amount_usd, 6)
    return totals


def software_rate(product_codes: Iterable[str], catalogue: Iterable[dict[str, Any]]) -> float:
    """The seller's hourly rate for images carrying these product codes (0.0 for none).

    Derived images keep the codes (R22), so a rate is found through the code, not the image:
    the catalogue entry with that code gives ``software_price_per_hour_usd``.
    """
    codes = set(product_codes)
    rate = 0.0
    for entry in catalogue:
        entry_codes = {p.get("ProductCodeId") for p in entry.get("product_codes", [])}
        if codes & entry_codes:
            rate = max(rate, float(entry.get("software_price_per_hour_usd", 0.0) or 0.0))
    return rate
