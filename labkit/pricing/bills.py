"""Who pays for what: the lines an image, a launch or a copy puts on whose bill.

The owner pays an image's storage, also when it is shared (R12); a launcher pays its instance
hours and any Marketplace software rate (R23); a copier owns its copy and pays the copy's storage
every month, while the one-off transfer out of the source Region is charged to the owner of the
source image, also when another account makes the copy (R16, R44). The figures are those of a
first copy to a Region, a full copy (R10); a later copy of the same image to that Region is
incremental (R46) and adds only the blocks that changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from .. import _valid
from .estate_costs import (
    Estate,
    ImageCost,
    _estate,
    _image,
    image_data_gib,
    image_monthly_cost,
    monthly_cost_by_owner,
)
from .price_table import PriceTable, region_prices, resolve_table

__all__ = [
    "Charge",
    "CopyCost",
    "bill_by_payer",
    "copy_cost",
    "instance_hourly_price",
    "launch_charges",
    "storage_charges",
    "who_pays",
    "with_copy",
]


@dataclass(frozen=True)
class Charge:
    """One line of a bill: who pays, for what, how much, and per what (month, hour or once)."""

    payer: str
    item: str
    usd: float
    per: str


@dataclass(frozen=True)
class CopyCost:
    """What copying an image to another Region adds, and who pays it (R16).

    The copier (``payer``) owns the copy and pays its storage; the source image's owner
    (``transfer_payer``) pays the transfer, also when another account copies it.
    """

    image_id: str
    source_region: str
    destination: str
    data_gib: float
    #: Once, at the source Region's inter-Region rate (free within a Region).
    transfer_usd: float
    #: Every month, for the full copy in the destination (R10).
    monthly_usd: float
    #: The copier: it owns the copy and pays its storage.
    payer: str
    #: The source image's owner: it pays the transfer (R16).
    transfer_payer: str

    @property
    def charges(self) -> list[Charge]:
        """The copy's lines: the transfer on the source owner's bill, storage on the copier's."""
        return [
            Charge(
                self.transfer_payer,
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

    A first copy to a Region is full (R10); this prices that one. A later copy of the same image
    to that Region is incremental (R46) and costs only the changed blocks.

    Args:
        image: the source image.
        destination: the Region the copy is made in (the same Region adds no transfer).
        copier: the account that copies it, owns the copy and pays its storage (the image's
            owner when omitted). The transfer is billed to the image's owner either way (R16).
    """
    _image(image)
    region_prices("destination", destination, table)
    copier = None if copier is None else _valid.account_id("copier", copier)
    table = resolve_table(table)
    source, target = table.region(image.region), table.region(destination)
    gib = image_data_gib(image)
    transfer = 0.0 if destination == image.region else gib * source.inter_region_transfer_gb
    monthly = gib * target.snapshot_standard_gb_month
    payer = image.owner_id if copier is None else _valid.text("copier", copier)
    return CopyCost(
        image.image_id, image.region, destination, gib, transfer, monthly, payer, image.owner_id
    )


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

    The copy's snapshots are new, standard-tier and as large as the source's: a first copy to
    the Region (R10).
    """
    _estate(estate)
    _valid.require_text("image_id", image_id)
    region_prices("destination", destination, table)
    copier = None if copier is None else _valid.account_id("copier", copier)
    new_image_id = _valid.optional_text("new_image_id", new_image_id)
    image = estate.image(image_id)
    resolve_table(table).region(destination)
    owner = image.owner_id if copier is None else _valid.text("copier", copier)
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
        TypeError, ValueError: naming the parameter, for a value it does not take.
    """
    prices_here = region_prices("region", region, table)
    _valid.flag("windows", windows)
    if not isinstance(instance_type, str) or instance_type not in prices_here.instance_hourly:
        known = ", ".join(prices_here.instance_hourly)
        raise ValueError(
            f"instance_type: the price table has no {_valid.shown(instance_type)} in {region}; "
            f"it has {known}"
        )
    hourly = prices_here.instance_hourly[instance_type]
    if windows:
        if instance_type not in prices_here.windows_hourly_surcharge:
            raise ValueError(f"windows: the price table has no Windows price for {instance_type}")
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
    launcher = _valid.account_id("launcher", launcher)
    hourly = instance_hourly_price(region, instance_type, windows=windows, table=table)
    software = _valid.amount(
        "software_price_per_hour", software_price_per_hour, most=_valid.MOST_USD_PER_HOUR
    )
    kind = "Windows" if windows else "Linux"
    lines = [Charge(launcher, f"{instance_type} {kind} instance in {region}", hourly, "hour")]
    if software:
        lines.append(Charge(launcher, "Marketplace software", software, "hour"))
    return lines


def storage_charges(estate: Estate, *, table: PriceTable | None = None) -> list[Charge]:
    """One monthly storage line per owning account (R12: sharing never moves the bill)."""
    _estate(estate)
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

    The owner pays the image's storage (R12) and the transfer of any copy, even one another
    account makes (R16); a launcher pays its instance and any software rate (R23); a copier pays
    its copy's storage (R16).
    """
    _image(image)
    launcher = None if launcher is None else _valid.account_id("launcher", launcher)
    copier = None if copier is None else _valid.account_id("copier", copier)
    copy_to = None if copy_to is None else region_prices("copy_to", copy_to, table).region
    _valid.flag("windows", windows)
    _valid.amount("software_price_per_hour", software_price_per_hour, _valid.MOST_USD_PER_HOUR)
    if launcher is None:
        region_prices("region", image.region, table)
        instance_hourly_price(image.region, instance_type, windows=windows, table=table)
    if copy_to is None and copier is not None:
        raise ValueError("copier pays for a copy: say where with copy_to")
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
    """Total USD per payer of the charges billed per ``per`` (``month``, ``hour`` or ``once``).

    Raises:
        TypeError, ValueError: naming ``charges`` or ``per``, for anything else.
    """
    charges = _valid.instances("charges", charges, Charge, "Charge objects")
    _valid.choice("per", per, ("month", "hour", "once"))
    return _valid.sum_by([c for c in charges if c.per == per], lambda c: c.payer, lambda c: c.usd)
