"""The curated base-image catalogue (``data/amis.json``): a few public images per Region."""

from __future__ import annotations

import datetime as _dt
import json
from functools import cache
from importlib import resources
from typing import Any

from . import _valid

__all__ = [
    "BASE_IMAGE_USED_GIB",
    "INSTALLED_TAG",
    "CatalogImage",
    "base_image_used_gib",
    "catalog_images",
    "catalog_owners",
    "image_id",
    "install_catalog",
]

CatalogImage = dict[str, Any]

#: The tag through which the sandbox shows the software on an image's or instance's disks (a lab
#: convention: on AWS you would log in and look). Written by the sandbox, read by the checks.
INSTALLED_TAG = "amilab:installed"

#: GiB written on a fresh base image's root volume, by catalogue key prefix. ILLUSTRATIVE:
#: typical used space of a minimal install (Amazon Linux 2023 about 2 GiB of its 8 GiB, Ubuntu
#: about 3, Windows Server about 15 of its 30).
BASE_IMAGE_USED_GIB: dict[str, float] = {
    "al2023": 2.0,
    "ubuntu": 3.0,
    "windows": 15.0,
    "marketplace": 2.5,
}


def base_image_used_gib(catalog_key: str) -> float:
    """GiB written on the root volume of a catalogue image (by its key, e.g. ``al2023-arm64``)."""
    _valid.require_text("catalog_key", catalog_key)
    for prefix, used in BASE_IMAGE_USED_GIB.items():
        if catalog_key.startswith(prefix):
            return used
    return 2.0


@cache
def _catalog() -> dict[str, Any]:
    text = resources.files("labkit").joinpath("data/amis.json").read_text(encoding="utf-8")
    return json.loads(text)


def catalog_images(region: str | None = None) -> list[CatalogImage]:
    """The catalogue's entries, for one Region or all (read once per process)."""
    images = _catalog()["images"]
    return [dict(i) for i in images if region is None or i["region"] == region]


def image_id(key: str, region: str) -> str:
    """The ID of a catalogue image in a Region, by its key (``"al2023-arm64"``).

    Raises:
        KeyError: with the known keys, when there is no such image in that Region.
    """
    for image in _catalog()["images"]:
        if image["key"] == key and image["region"] == region:
            return image["image_id"]
    keys = sorted({i["key"] for i in _catalog()["images"]})
    raise KeyError(f"No catalogue image {key!r} in {region}; known keys: {', '.join(keys)}")


def _parse_time(text: str | None) -> _dt.datetime | None:
    if not text:
        return None
    return _dt.datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)


def catalog_owners() -> tuple[str, ...]:
    """The accounts that own the catalogue's images (Amazon's, Canonical's, Microsoft's…), in
    the catalogue's order."""
    return tuple(dict.fromkeys(i["owner_id"] for i in _catalog()["images"]))


def install_catalog(regions: tuple[str, ...]) -> None:
    """Register the catalogue's images in their owners' accounts, in each Region.

    Each image gets one root snapshot of its stated size, owned by the image's owner. The owners'
    EC2 backends hold only these images: moto would give each a default VPC with a subnet per
    zone (16 of them, about 8 ms a start), which no lab account can see or use.
    """
    from labkit.seam.moto import Ami, EC2Backend, ec2_backends

    from .patches import Patches

    owners = catalog_owners()
    make_default_vpc = EC2Backend.create_default_vpc

    def default_vpc_outside_the_catalog(backend: Any) -> Any:
        return None if backend.account_id in owners else make_default_vpc(backend)

    patches = Patches()
    patches.replace(EC2Backend, "create_default_vpc", default_vpc_outside_the_catalog)
    try:
        for region in regions:
            for owner in owners:  # made now, without a default VPC, in the catalogue's order
                ec2_backends[owner][region]
    finally:
        patches.undo()
    for region in regions:
        for entry in catalog_images(region):
            backend = ec2_backends[entry["owner_id"]][region]
            image = Ami(
                backend,
                entry["image_id"],
                name=entry["name"],
                description=entry["description"],
                owner_id=entry["owner_id"],
                owner_alias=entry.get("owner_alias"),
                public=entry.get("public", True),
                virtualization_type=entry.get("virtualization_type", "hvm"),
                architecture=entry["architecture"],
                creation_date=_parse_time(entry["creation_date"]),
                platform=entry.get("platform"),
                image_location=f"{entry.get('owner_alias') or entry['owner_id']}/{entry['name']}",
                hypervisor=entry.get("hypervisor", "xen"),
                root_device_type=entry.get("root_device_type", "ebs"),
                root_device_name=entry["root_device_name"],
                region_name=f"{region}a",
                snapshot_description=f"Snapshot of {entry['name']}",
                product_codes={p["ProductCodeId"] for p in entry.get("product_codes", [])},
                boot_mode=entry.get("boot_mode", "uefi-preferred"),
            )
            snapshot = image.ebs_snapshot
            snapshot.volume.size = entry["root_volume_size_gib"]
            snapshot.volume.volume_type = entry.get("root_volume_type", "gp3")
            snapshot.start_time = image.creation_date
            image.platform_details = entry.get("platform_details", "Linux/UNIX")
            image.usage_operation = entry.get("usage_operation", "RunInstances")
            image.ena_support = entry.get("ena_support", True)
            image.imds_support = entry.get("imds_support")
            image.deprecation_time = _parse_time(entry.get("deprecation_time"))
            image.catalog_key = entry["key"]
            image.default_instance_type = entry.get("default_instance_type", "t3.micro")
            image.software_price_per_hour_usd = entry.get("software_price_per_hour_usd", 0.0)
            image.state = "available"  # ready at once: never pending, as AWS's own images
            snapshot.status = "completed"
            backend.amis[image.id] = image
