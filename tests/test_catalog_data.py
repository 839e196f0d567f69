"""The base-image catalogue file (labkit/data/amis.json) is complete, well-formed and AWS-shaped."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

CATALOG = Path(__file__).resolve().parents[1] / "labkit" / "data" / "amis.json"

LAB_REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2")

#: Every key the sandbox reads from an image entry, and nothing else.
IMAGE_FIELDS = {
    "key",
    "region",
    "image_id",
    "name",
    "description",
    "owner_id",
    "owner_alias",
    "architecture",
    "platform",
    "platform_details",
    "usage_operation",
    "virtualization_type",
    "hypervisor",
    "ena_support",
    "boot_mode",
    "root_device_type",
    "root_device_name",
    "root_volume_size_gib",
    "root_volume_type",
    "default_instance_type",
    "creation_date",
    "deprecation_time",
    "product_codes",
    "software_price_per_hour_usd",
    "public",
    "imds_support",
}

#: Catalogue key -> (owner account, owner alias as describe-images shows it).
#: Canonical's Ubuntu images show ImageOwnerAlias "amazon" in real describe-images output.
OWNERS = {
    "al2023-x86_64": ("137112412989", "amazon"),
    "al2023-arm64": ("137112412989", "amazon"),
    "al2023-x86_64-previous": ("137112412989", "amazon"),
    "al2023-arm64-previous": ("137112412989", "amazon"),
    "ubuntu-24.04-x86_64": ("099720109477", "amazon"),
    "windows-2022-base": ("801119661308", "amazon"),
    "marketplace-hardened-al2023": ("679593333241", "aws-marketplace"),
}

AMI_ID = re.compile(r"^ami-[0-9a-f]{17}$")
AWS_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
PRODUCT_CODE = re.compile(r"^[0-9a-z]{25}$")


def _time(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.fixture(scope="module")
def catalog() -> dict[str, Any]:
    return json.loads(CATALOG.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def images(catalog: dict[str, Any]) -> list[dict[str, Any]]:
    return catalog["images"]


def _by_key(images: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    return {i["region"]: i for i in images if i["key"] == key}


class TestShape:
    def test_documented(self, catalog):
        """The file says what it is and where its IDs came from."""
        assert "real" in catalog["_about"].lower() and "illustrative" in catalog["_about"].lower()

    def test_every_image_has_exactly_the_schema_keys(self, images):
        """Each entry carries every key the sandbox reads, and no others."""
        for image in images:
            assert set(image) == IMAGE_FIELDS, image["key"]

    def test_only_lab_regions(self, images):
        """Images live only in the four lab Regions."""
        assert {i["region"] for i in images} == set(LAB_REGIONS)

    @pytest.mark.parametrize("region", LAB_REGIONS)
    def test_every_key_once_in_every_region(self, images, region):
        """Each catalogue key appears exactly once in each lab Region."""
        counts = Counter(i["key"] for i in images if i["region"] == region)
        assert counts == Counter({key: 1 for key in OWNERS})


class TestIds:
    def test_ids_well_formed(self, images):
        """Image IDs are 'ami-' and 17 lowercase hex digits."""
        bad = [i["image_id"] for i in images if not AMI_ID.match(i["image_id"])]
        assert bad == []

    def test_ids_unique_across_regions(self, images):
        """An ID means one image in one Region (R01): no ID is reused anywhere."""
        counts = Counter(i["image_id"] for i in images)
        assert [i for i, n in counts.items() if n > 1] == []

    def test_same_key_same_name_everywhere(self, images):
        """A key names the same image (same name) in every Region, with its own ID there."""
        for key in OWNERS:
            assert len({i["name"] for i in _by_key(images, key).values()}) == 1, key


class TestDates:
    def test_dates_in_aws_format(self, images):
        """Dates look like AWS's: ISO 8601 with milliseconds and Z."""
        for image in images:
            assert AWS_TIME.match(image["creation_date"]), image["image_id"]
            if image["deprecation_time"] is not None:
                assert AWS_TIME.match(image["deprecation_time"]), image["image_id"]

    def test_deprecation_after_creation_within_two_years(self, images):
        """A public AMI deprecates after it is created and at most 2 years later (ami-deprecate)."""
        for image in images:
            created = _time(image["creation_date"])
            deprecated = _time(image["deprecation_time"])
            assert created < deprecated <= created.replace(year=created.year + 2), image["image_id"]

    def test_previous_release_is_older(self, images):
        """'Find the newest AL2023 image' has a real answer: the previous release sorts first."""
        for arch in ("x86_64", "arm64"):
            current = _by_key(images, f"al2023-{arch}")
            previous = _by_key(images, f"al2023-{arch}-previous")
            for region in LAB_REGIONS:
                older, newer = previous[region], current[region]
                assert _time(older["creation_date"]) < _time(newer["creation_date"])
                assert older["name"] < newer["name"]

    def test_everything_listed_on_lab_day_one(self, images):
        """On the sandbox's day one every image exists and none is deprecated yet (R26)."""
        clock = pytest.importorskip("labkit.sandbox.clock")
        for image in images:
            created, deprecated = _time(image["creation_date"]), _time(image["deprecation_time"])
            assert created < clock.LAB_EPOCH < deprecated, (image["key"], image["region"])


class TestOwners:
    def test_owner_ids_and_aliases(self, images):
        """Each image has its publisher's account and the alias AWS shows for it."""
        for image in images:
            owner = (image["owner_id"], image["owner_alias"])
            assert owner == OWNERS[image["key"]], image["image_id"]

    def test_owners_table(self, catalog):
        """The owners table names the four publishing accounts."""
        assert catalog["owners"]["amazon"] == "137112412989"
        assert set(catalog["owners"].values()) == {owner for owner, _ in OWNERS.values()}

    def test_all_public(self, images):
        """Every catalogue image is public."""
        assert all(i["public"] is True for i in images)


class TestMarketplace:
    @pytest.mark.parametrize("region", LAB_REGIONS)
    def test_exactly_one_product_code_image_per_region(self, images, region):
        """Each Region has exactly one image with a product code: the Marketplace one."""
        coded = [i for i in images if i["region"] == region and i["product_codes"]]
        assert [i["key"] for i in coded] == ["marketplace-hardened-al2023"]

    def test_product_code_shape(self, images):
        """The product code is AWS-shaped: 25 lowercase letters and digits, type marketplace."""
        for image in _by_key(images, "marketplace-hardened-al2023").values():
            [code] = image["product_codes"]
            assert set(code) == {"ProductCodeId", "ProductCodeType"}
            assert PRODUCT_CODE.match(code["ProductCodeId"])
            assert code["ProductCodeType"] == "marketplace"

    def test_only_the_seller_charges_software(self, images):
        """Only the Marketplace image has a software price (R23); all others are free."""
        for image in images:
            if image["key"] == "marketplace-hardened-al2023":
                assert image["software_price_per_hour_usd"] > 0
            else:
                assert image["software_price_per_hour_usd"] == 0.0


class TestPlatforms:
    def test_windows(self, images):
        """Windows is platform windows, billed as RunInstances:0002, root /dev/sda1 of 30 GiB."""
        for image in _by_key(images, "windows-2022-base").values():
            assert image["platform"] == "windows"
            assert image["platform_details"] == "Windows"
            assert image["usage_operation"] == "RunInstances:0002"
            assert (image["root_device_name"], image["root_volume_size_gib"]) == ("/dev/sda1", 30)

    def test_linux(self, images):
        """Every other image is Linux/UNIX with no platform value, as AWS shows it."""
        for image in images:
            if image["key"] != "windows-2022-base":
                assert image["platform"] is None
                assert image["platform_details"] == "Linux/UNIX"
                assert image["usage_operation"] == "RunInstances"

    def test_root_devices(self, images):
        """Amazon Linux roots are /dev/xvda, Ubuntu's /dev/sda1; Linux roots are 8 GiB gp3."""
        for image in images:
            if image["key"].startswith(("al2023", "marketplace")):
                assert image["root_device_name"] == "/dev/xvda"
            if image["key"].startswith("ubuntu"):
                assert image["root_device_name"] == "/dev/sda1"
            if image["platform"] is None:
                assert (image["root_volume_size_gib"], image["root_volume_type"]) == (8, "gp3")

    def test_architecture_matches_boot_mode_and_instance_type(self, images):
        """arm64 images boot UEFI on a Graviton type; x86_64 images default to an x86 type."""
        for image in images:
            if image["architecture"] == "arm64":
                assert image["boot_mode"] == "uefi"
                assert image["default_instance_type"].startswith("t4g.")
            else:
                assert image["architecture"] == "x86_64"
                assert not image["default_instance_type"].startswith("t4g.")
                assert image["boot_mode"] in ("uefi-preferred", None)

    def test_common_values(self, images):
        """All images are EBS-backed HVM on the xen hypervisor with ENA."""
        for image in images:
            assert image["virtualization_type"] == "hvm"
            assert image["hypervisor"] == "xen"
            assert image["root_device_type"] == "ebs"
            assert image["ena_support"] is True
            assert image["imds_support"] in ("v2.0", None)
