"""The dated price table (labkit/data/prices.json) and the Price List sample are sane."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRICES = ROOT / "labkit" / "data" / "prices.json"
CATALOG = ROOT / "labkit" / "data" / "amis.json"
PRICE_LIST_SAMPLE = ROOT / "tests" / "data" / "price-list-sample.json"

LAB_REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2")

NUMBER_FIELDS = (
    "snapshot_standard_gb_month",
    "snapshot_archive_gb_month",
    "archive_retrieval_gb",
    "archive_minimum_days",
    "s3_standard_gb_month",
    "inter_region_transfer_gb",
)
TABLE_FIELDS = ("instance_hourly", "windows_hourly_surcharge")

#: Offer-file usage types (without the Region prefix) and the prices.json field each one feeds.
USAGE_FIELDS = {
    "EBS:SnapshotUsage": "snapshot_standard_gb_month",
    "EBS:SnapshotArchiveStorage": "snapshot_archive_gb_month",
    "EBS:SnapshotArchiveRetrieval": "archive_retrieval_gb",
}


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def prices() -> dict[str, Any]:
    return _load(PRICES)


@pytest.fixture(scope="module")
def sample() -> dict[str, Any]:
    return _load(PRICE_LIST_SAMPLE)


class TestPriceTable:
    def test_dated_and_in_dollars(self, prices):
        """The table says when its figures date from, in USD, and where to look them up today."""
        assert dt.datetime.strptime(prices["as_of"], "%Y-%m")
        assert prices["currency"] == "USD"
        assert prices["look_up_today"].startswith("https://aws.amazon.com/")

    def test_only_lab_regions(self, prices):
        """The table covers exactly the four lab Regions."""
        assert set(prices["regions"]) == set(LAB_REGIONS)

    @pytest.mark.parametrize("region", LAB_REGIONS)
    def test_every_field_positive(self, prices, region):
        """Each Region has every figure, and every figure is a positive number."""
        figures = prices["regions"][region]
        for field in NUMBER_FIELDS:
            value = figures[field]
            assert isinstance(value, (int, float)) and not isinstance(value, bool), field
            assert value > 0, field
        for field in TABLE_FIELDS:
            assert figures[field], field
            assert all(isinstance(v, float) and v > 0 for v in figures[field].values()), field

    @pytest.mark.parametrize("region", LAB_REGIONS)
    def test_archive_cheaper_than_standard(self, prices, region):
        """The archive tier costs less per GB-month than the standard tier (R28)."""
        figures = prices["regions"][region]
        assert figures["snapshot_archive_gb_month"] < figures["snapshot_standard_gb_month"]
        assert figures["archive_minimum_days"] == 90

    @pytest.mark.parametrize("region", LAB_REGIONS)
    def test_catalogue_instance_types_are_priced(self, prices, region):
        """Every default instance type in the image catalogue has an hourly price in each Region."""
        catalog = _load(CATALOG)
        wanted = {i["default_instance_type"] for i in catalog["images"] if i["region"] == region}
        assert wanted <= set(prices["regions"][region]["instance_hourly"])

    def test_windows_surcharge_only_where_windows_runs(self, prices):
        """The Windows surcharge covers x86 types only: Windows does not run on Graviton (t4g)."""
        for figures in prices["regions"].values():
            surcharged = set(figures["windows_hourly_surcharge"])
            assert surcharged <= set(figures["instance_hourly"])
            assert not any(t.startswith("t4g.") for t in surcharged)

    def test_every_figure_cites_a_known_source(self, prices):
        """Each Region names, for every figure, sources listed in 'sources'."""
        known = {s["id"] for s in prices["sources"]}
        assert all(s["cite"] and s["status"] for s in prices["sources"])
        for region, figures in prices["regions"].items():
            cited = figures["_sources"]
            assert set(cited) == set(NUMBER_FIELDS) | set(TABLE_FIELDS), region
            assert all(ids and set(ids) <= known for ids in cited.values()), region


class TestPriceListSample:
    def test_offer_file_header(self, sample):
        """The sample has the offer file's header fields for AmazonEC2."""
        assert sample["formatVersion"] == "v1.0"
        assert sample["offerCode"] == "AmazonEC2"
        assert dt.datetime.fromisoformat(sample["publicationDate"].replace("Z", "+00:00"))

    def test_every_product_has_an_on_demand_price(self, sample):
        """Each product SKU has one OnDemand term whose dimension gives a USD string price."""
        for sku, product in sample["products"].items():
            assert product["sku"] == sku
            assert product["productFamily"] == "Storage Snapshot"
            [term] = sample["terms"]["OnDemand"][sku].values()
            assert term["sku"] == sku
            [dimension] = term["priceDimensions"].values()
            assert dimension["rateCode"].startswith(f"{sku}.{term['offerTermCode']}.")
            assert float(dimension["pricePerUnit"]["USD"]) > 0

    def test_sample_agrees_with_price_table(self, sample, prices):
        """Snapshot prices in the sample match prices.json for their Region."""
        regions = set()
        for sku, product in sample["products"].items():
            attributes = product["attributes"]
            region = attributes["regionCode"]
            regions.add(region)
            # Outside us-east-1 the usage type carries a Region prefix ("APS2-EBS:SnapshotUsage").
            field = USAGE_FIELDS[attributes["usagetype"].split("-")[-1]]
            [term] = sample["terms"]["OnDemand"][sku].values()
            [dimension] = term["priceDimensions"].values()
            expected = prices["regions"][region][field]
            assert float(dimension["pricePerUnit"]["USD"]) == pytest.approx(expected)
        assert len(regions) == 2
