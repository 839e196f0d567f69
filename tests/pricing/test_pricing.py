"""labkit.pricing prices an image estate from a dated table; labkit.sandbox.estate reads one.

Expected figures are worked by hand from labkit/data/prices.json (as of 2025-03): us-east-1
snapshot standard $0.05 and archive $0.0125 per GB-month, retrieval $0.03 per GB, transfer out
$0.02 per GB; ap-southeast-2 $0.055, $0.01375, $0.033 and $0.098.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from labkit import pricing
from labkit.catalog import catalog_images
from labkit.catalog import image_id as catalog_image_id
from labkit.pricing import (
    Charge,
    Estate,
    ImageCost,
    PriceTable,
    SnapshotCharge,
    prices,
)
from labkit.sandbox.estate import estate_from_sandbox

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "price-list-sample.json"
LEARNER, PARTNER = "111111111111", "222222222222"
NOW = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.timezone.utc)


def snap(
    sid: str, gib: float, region: str = "us-east-1", owner: str = LEARNER, **kw
) -> SnapshotCharge:
    return SnapshotCharge(sid, region, owner, gib, **kw)


def image(iid: str, *gibs: float, region: str = "us-east-1", in_use: bool = False) -> ImageCost:
    snaps = tuple(snap(f"snap-{iid}-{n}", g, region) for n, g in enumerate(gibs))
    return ImageCost(iid, f"name-{iid}", region, LEARNER, snaps, in_use=in_use)


@pytest.fixture
def estate() -> Estate:
    """In use 8 GiB ($0.40), unused 20 GiB ($1.00), an orphaned 10 GiB snapshot ($0.50)."""
    return Estate(
        images=(image("ami-web", 8, in_use=True), image("ami-old", 12, 8)),
        orphaned=(snap("snap-left", 10),),
        taken_at=NOW,
    )


class TestPriceTable:
    def test_dated_with_a_place_to_look_up_today(self):
        """The packaged table shows its date and where to find today's prices."""
        table = prices()
        assert table.as_of == "2025-03"
        assert table.look_up_today.startswith("https://aws.amazon.com/ebs/pricing/")
        assert "2025-03" in table.caption and "https://aws.amazon.com/ebs/pricing/" in table.caption

    def test_prices_the_four_lab_regions(self):
        """Every lab Region is priced, with the reference's us-east-1 figures."""
        table = prices()
        assert table.region_names == ("us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2")
        east = table.region("us-east-1")
        assert (east.snapshot_standard_gb_month, east.snapshot_archive_gb_month) == (0.05, 0.0125)
        assert (east.archive_retrieval_gb, east.archive_minimum_days) == (0.03, 90)
        assert (east.s3_standard_gb_month, east.inter_region_transfer_gb) == (0.023, 0.02)

    def test_frozen(self):
        """Neither the table nor its figures can be changed in place."""
        table = prices()
        with pytest.raises(AttributeError):
            table.as_of = "2030-01"  # type: ignore[misc]
        with pytest.raises(TypeError):
            table.region("us-east-1").instance_hourly["t3.micro"] = 0  # type: ignore[index]

    def test_unknown_region_names_the_known_ones(self):
        """An unknown Region is a ValueError that lists the Regions the table prices."""
        with pytest.raises(ValueError, match="no Region 'eu-central-1'.*us-east-1, us-west-2"):
            prices().region("eu-central-1")

    def test_loads_without_the_network(self, no_network):
        """Reading the packaged table and a Price List file touch no network."""
        pricing.prices.cache_clear()
        table = pricing.prices()
        PriceTable.from_price_list(SAMPLE)
        assert table.as_of == "2025-03"
        assert no_network == []


class TestFromPriceList:
    def test_sample_file(self):
        """The sample's snapshot prices land in their Regions, dated by its publication date."""
        table = PriceTable.from_price_list(SAMPLE)
        assert table.as_of == "2025-02-20"
        sydney = table.region("ap-southeast-2")
        assert sydney.snapshot_standard_gb_month == 0.055
        assert sydney.snapshot_archive_gb_month == 0.01375
        assert sydney.archive_retrieval_gb == 0.033
        assert sydney.as_of == "2025-02-20"
        assert "price-list-sample.json" in table.source and "us-east-1" in table.source

    def test_missing_fields_come_from_the_base(self):
        """S3, transfer, instances and untouched Regions keep the base table's figures."""
        table = PriceTable.from_price_list(SAMPLE)
        base = prices()
        assert table.region("ap-southeast-2").inter_region_transfer_gb == 0.098
        assert table.region("us-east-1").instance_hourly == base.region("us-east-1").instance_hourly
        assert table.region("eu-west-1") == base.region("eu-west-1")

    def test_new_price_replaces_old(self):
        """A changed price in the file changes the table, and the functions that use it."""
        offer = json.loads(SAMPLE.read_text())
        term = offer["terms"]["OnDemand"]["7U7TWP44UP36AT3R"]["7U7TWP44UP36AT3R.JRTCKXETXF"]
        dimension = next(iter(term["priceDimensions"].values()))
        dimension["pricePerUnit"]["USD"] = "0.0600000000"
        table = PriceTable.from_price_list(offer, base=prices())
        assert pricing.storage_cost(10, "us-east-1", table=table) == pytest.approx(0.60)

    def test_s3_transfer_and_instances(self):
        """S3 Standard's first tier, the dearest transfer out, and Linux/Windows hourly prices."""
        offer = _offer(
            (
                "S3",
                "Storage",
                {
                    "volumeType": "Standard",
                    "usagetype": "EUW1-TimedStorage-ByteHrs",
                    "regionCode": "eu-west-1",
                },
                [("0", "0.0240000000", "GB-Mo"), ("51200", "0.0220000000", "GB-Mo")],
            ),
            (
                "DT1",
                "Data Transfer",
                {
                    "transferType": "InterRegion Outbound",
                    "fromRegionCode": "eu-west-1",
                    "toRegionCode": "us-east-1",
                    "usagetype": "EUW1-USE1-AWS-Out-Bytes",
                },
                [("0", "0.0200000000", "GB")],
            ),
            (
                "DT2",
                "Data Transfer",
                {
                    "transferType": "InterRegion Outbound",
                    "fromRegionCode": "eu-west-1",
                    "toRegionCode": "ap-southeast-2",
                    "usagetype": "EUW1-APS2-AWS-Out-Bytes",
                },
                [("0", "0.0210000000", "GB")],
            ),
            (
                "LIN",
                "Compute Instance",
                _instance("Linux", "No License required"),
                [("0", "0.0120000000", "Hrs")],
            ),
            (
                "WIN",
                "Compute Instance",
                _instance("Windows", "License Included"),
                [("0", "0.0210000000", "Hrs")],
            ),
        )
        west = PriceTable.from_price_list(offer).region("eu-west-1")
        assert west.s3_standard_gb_month == 0.024
        assert west.inter_region_transfer_gb == 0.021
        assert west.instance_hourly["t3.micro"] == 0.012
        assert west.windows_hourly_surcharge["t3.micro"] == pytest.approx(0.009)
        assert west.instance_hourly["t3.medium"] == 0.0456  # not in the file: the base's

    def test_not_an_offer_file(self, tmp_path):
        """Something that is not an offer file is a ValueError saying so."""
        with pytest.raises(ValueError, match="Not an AWS Price List offer file"):
            PriceTable.from_price_list({"regions": {}})
        bad = tmp_path / "index.json"
        bad.write_text("{not json")
        with pytest.raises(ValueError, match="is not JSON"):
            PriceTable.from_price_list(bad)
        with pytest.raises(ValueError, match="No Price List offer file"):
            PriceTable.from_price_list(tmp_path / "missing.json")

    def test_wrong_unit_or_price(self):
        """A price in an unexpected unit, or not a number, names the SKU."""
        offer = json.loads(SAMPLE.read_text())
        terms = offer["terms"]["OnDemand"]["DDSCQ4YGF66NWWRJ"]["DDSCQ4YGF66NWWRJ.JRTCKXETXF"]
        dimension = next(iter(terms["priceDimensions"].values()))
        dimension["unit"] = "GB-Mo"
        with pytest.raises(ValueError, match="DDSCQ4YGF66NWWRJ is priced per 'GB-Mo'"):
            PriceTable.from_price_list(offer)
        dimension["unit"], dimension["pricePerUnit"]["USD"] = "GB", "free"
        with pytest.raises(ValueError, match="'free' that is not a number"):
            PriceTable.from_price_list(offer)

    def test_no_lab_region(self):
        """A file for Regions the lab does not price is refused, naming what it had."""
        offer = json.loads(SAMPLE.read_text())
        for product in offer["products"].values():
            product["attributes"]["regionCode"] = "sa-east-1"
        with pytest.raises(ValueError, match="it has sa-east-1"):
            PriceTable.from_price_list(offer)


class TestStorageCost:
    def test_a_month_of_standard(self):
        """8 GiB for a month in us-east-1's standard tier is $0.40."""
        assert pricing.storage_cost(8, "us-east-1") == pytest.approx(0.40)

    def test_archive_tier_is_a_quarter(self):
        """100 GiB for a month in the archive tier is $1.25 (standard: $5.00)."""
        assert pricing.storage_cost(100, "us-east-1", tier="archive") == pytest.approx(1.25)
        assert pricing.storage_cost(100, "us-east-1", months=1) == pytest.approx(5.00)

    def test_sydney_is_dearer(self):
        """The same snapshot costs 10% more in ap-southeast-2: $0.44 for 8 GiB."""
        sydney = pricing.storage_cost(8, "ap-southeast-2")
        assert sydney == pytest.approx(0.44)
        assert sydney > pricing.storage_cost(8, "us-east-1")

    def test_archive_minimum_90_days(self):
        """Archiving 100 GiB for 30 days still bills 90 days: $3.75, plus $3.00 to retrieve."""
        assert pricing.archive_cost(100, "us-east-1", days=30) == pytest.approx(3.75)
        assert pricing.archive_cost(100, "us-east-1", days=120) == pytest.approx(5.00)
        both = pricing.archive_cost(100, "us-east-1", days=30, retrieve=True)
        assert both == pytest.approx(6.75)
        assert pricing.restore_cost(100, "us-east-1") == pytest.approx(3.00)

    def test_archive_minimum_charge_on_early_delete(self):
        """Deleting 100 GiB archived 30 days ago bills the other 60 days: $2.50."""
        archived = snap("snap-a", 100, tier="archive", archived_at=NOW)
        later = NOW + dt.timedelta(days=30)
        assert pricing.archive_minimum_charge(archived, later) == pytest.approx(2.50)
        assert pricing.archive_minimum_charge(archived, NOW + dt.timedelta(days=91)) == 0
        assert pricing.archive_minimum_charge(snap("snap-s", 100), later) == 0

    def test_instance_store_bundle(self):
        """An instance-store bundle is S3 Standard: 10 GiB is $0.23 a month in us-east-1."""
        assert pricing.bundle_monthly_cost(10, "us-east-1") == pytest.approx(0.23)

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"data_gib": -1}, "data_gib cannot be negative"),
            ({"data_gib": "8"}, "data_gib must be a number, not '8'"),
            ({"data_gib": None}, "data_gib must be a number, not None"),
            ({"data_gib": True}, "data_gib must be a number, not True"),
            ({"data_gib": math.nan}, "data_gib must be a finite number"),
            ({"months": -2}, "months cannot be negative"),
            ({"region": "mars-1"}, "no Region 'mars-1'.*ap-southeast-2"),
            ({"tier": "glacier"}, "'standard' or 'archive', not 'glacier'"),
        ],
    )
    def test_bad_input(self, kwargs, message):
        """Bad input is a ValueError that says what was wrong."""
        args = {"data_gib": 8, "region": "us-east-1"} | kwargs
        with pytest.raises(ValueError, match=message):
            pricing.storage_cost(args.pop("data_gib"), args.pop("region"), **args)


class TestEstate:
    def test_gib_by_image_region_and_owner(self, estate):
        """Data sizes add up per image, per Region and per owner, orphans included."""
        assert pricing.image_data_gib(estate.image("ami-old")) == 20
        assert pricing.data_gib_by_image(estate) == {"ami-web": 8, "ami-old": 20}
        assert pricing.data_gib_by_region(estate) == {"us-east-1": 38}
        assert pricing.data_gib_by_owner(estate) == {LEARNER: 38}

    def test_monthly_cost(self, estate):
        """$0.40 + $1.00 + $0.50 = $1.90 a month, split by image and Region."""
        assert pricing.estate_monthly_cost(estate) == pytest.approx(1.90)
        by_image = pricing.monthly_cost_by_image(estate)
        assert by_image == {"ami-web": pytest.approx(0.40), "ami-old": pytest.approx(1.00)}
        assert pricing.monthly_cost_by_region(estate) == {"us-east-1": pytest.approx(1.90)}

    def test_shared_snapshot_counts_once(self):
        """Two images on one snapshot: the bill counts the snapshot once."""
        shared = snap("snap-shared", 10)
        estate = Estate(
            (
                ImageCost("ami-a", "a", "us-east-1", LEARNER, (shared,)),
                ImageCost("ami-b", "b", "us-east-1", LEARNER, (shared,)),
            )
        )
        assert pricing.estate_monthly_cost(estate) == pytest.approx(0.50)

    def test_snapshots_share_their_images_region(self):
        """An image with a snapshot in another Region is refused."""
        with pytest.raises(ValueError, match="share a Region"):
            ImageCost("ami-a", "a", "us-east-1", LEARNER, (snap("snap-x", 1, "eu-west-1"),))

    def test_snapshot_fields_checked(self):
        """A snapshot with a negative size, a bad tier or no ID is refused."""
        with pytest.raises(ValueError, match="data_gib cannot be negative"):
            snap("snap-x", -5)
        with pytest.raises(ValueError, match="not 'cold'"):
            snap("snap-x", 5, tier="cold")
        with pytest.raises(ValueError, match="snapshot_id must be a non-empty string"):
            snap("", 5)


class TestCleanUp:
    def test_candidates(self, estate):
        """Unused images and orphaned snapshots are the clean-up candidates."""
        assert pricing.clean_up_candidates(estate) == ("ami-old", "snap-left")

    def test_deregister_alone_saves_nothing(self, estate):
        """Deregistering keeps the snapshots, orphaned and billed (R25)."""
        after = pricing.deregister(estate, ["ami-old"])
        assert [i.image_id for i in after.images] == ["ami-web"]
        assert {s.snapshot_id for s in after.orphaned} == {
            "snap-left",
            "snap-ami-old-0",
            "snap-ami-old-1",
        }
        assert pricing.estate_monthly_cost(after) == pytest.approx(1.90)
        assert pricing.clean_up_saving(estate, ["ami-old"], delete_snapshots=False) == 0

    def test_clean_up_deletes_the_snapshots(self, estate):
        """Deregister and delete the snapshots: $1.50 a month saved, $0.40 left."""
        after = pricing.clean_up(estate)
        assert pricing.estate_monthly_cost(after) == pytest.approx(0.40)
        assert pricing.clean_up_saving(estate) == pytest.approx(1.50)
        assert pricing.clean_up_saving(estate, ["snap-left"]) == pytest.approx(0.50)

    def test_cannot_delete_a_snapshot_an_image_uses(self, estate):
        """Deleting a registered image's snapshot is refused, as AWS refuses it."""
        with pytest.raises(ValueError, match="snap-ami-web-0 is used by ami-web"):
            pricing.delete_snapshots(estate, ["snap-ami-web-0"])
        with pytest.raises(ValueError, match="snap-ami-web-0 is used by ami-web"):
            pricing.clean_up(estate, ["snap-ami-web-0"])

    def test_unknown_ids(self, estate):
        """Unknown image or snapshot IDs are named in the error."""
        with pytest.raises(ValueError, match="no image 'ami-nope'"):
            pricing.deregister(estate, ["ami-nope"])
        with pytest.raises(ValueError, match="ids: .* no orphaned snapshot .snap-nope."):
            pricing.clean_up(estate, ["snap-nope"])


class TestCopy:
    def test_R16_copy_to_ireland_transfer_billed_to_the_source_owner(self):
        """A 10 GiB image copied to eu-west-1 by the partner: the owner pays $0.20 once, the
        partner $0.50 a month."""
        cost = pricing.copy_cost(image("ami-gold", 10), "eu-west-1", copier=PARTNER)
        assert cost.transfer_usd == pytest.approx(0.20)
        assert cost.monthly_usd == pytest.approx(0.50)
        assert (cost.payer, cost.transfer_payer) == (PARTNER, LEARNER)
        assert [(c.payer, c.per) for c in cost.charges] == [(LEARNER, "once"), (PARTNER, "month")]

    def test_R16_own_copy_owner_pays_both(self):
        """An owner copying its own image pays both the transfer and the copy's storage."""
        cost = pricing.copy_cost(image("ami-gold", 10), "eu-west-1")
        assert {c.payer for c in cost.charges} == {LEARNER}

    def test_copy_out_of_sydney_charges_sydney_transfer(self):
        """Transfer is charged at the source Region's rate: $0.98 for 10 GiB out of Sydney."""
        cost = pricing.copy_cost(image("ami-syd", 10, region="ap-southeast-2"), "us-east-1")
        assert cost.transfer_usd == pytest.approx(0.98)
        assert cost.monthly_usd == pytest.approx(0.50)
        assert cost.payer == LEARNER

    def test_same_region_copy_has_no_transfer(self):
        """A copy in the same Region adds its storage but no transfer."""
        cost = pricing.copy_cost(image("ami-gold", 10), "us-east-1")
        assert (cost.transfer_usd, cost.monthly_usd) == (0, pytest.approx(0.50))

    def test_R10_first_copies_are_full(self, estate):
        """A first copy to a Region adds the whole image's storage there (R10)."""
        after = pricing.with_copy(estate, "ami-web", "eu-west-1")
        after = pricing.with_copy(after, "ami-web", "ap-southeast-2")
        by_region = pricing.monthly_cost_by_region(after)
        assert by_region["eu-west-1"] == pytest.approx(0.40)
        assert by_region["ap-southeast-2"] == pytest.approx(0.44)
        assert pricing.estate_monthly_cost(after) == pytest.approx(1.90 + 0.40 + 0.44)

    def test_unknown_destination(self):
        """Copying to a Region the table does not price names the known ones."""
        with pytest.raises(ValueError, match="no Region 'eu-central-1'"):
            pricing.copy_cost(image("ami-gold", 10), "eu-central-1")


class TestWhoPays:
    def test_owner_pays_storage_launcher_pays_hours_and_software(self):
        """The owner pays storage; the launcher pays instance and software rate (R12, R23)."""
        market = next(i for i in catalog_images("us-east-1") if i["software_price_per_hour_usd"])
        gold = image("ami-gold", 8)
        lines = pricing.who_pays(
            gold,
            launcher=PARTNER,
            software_price_per_hour=market["software_price_per_hour_usd"],
        )
        assert lines[0] == Charge(LEARNER, "snapshot storage", pytest.approx(0.40), "month")
        assert pricing.bill_by_payer(lines, "month") == {LEARNER: pytest.approx(0.40)}
        assert pricing.bill_by_payer(lines, "hour") == {PARTNER: pytest.approx(0.0104 + 0.02)}

    def test_R16_source_owner_pays_the_transfer_copier_its_storage(self):
        """A cross-account copy: the source owner pays the transfer, the copier its copy's
        storage; each owner pays its own storage (R16)."""
        lines = pricing.who_pays(image("ami-gold", 10), copier=PARTNER, copy_to="us-west-2")
        assert pricing.bill_by_payer(lines, "month") == {
            LEARNER: pytest.approx(0.50),
            PARTNER: pytest.approx(0.50),
        }
        assert pricing.bill_by_payer(lines, "once") == {LEARNER: pytest.approx(0.20)}

    def test_storage_by_owner(self, estate):
        """Owners are billed for their own snapshots only."""
        theirs = ImageCost("ami-p", "p", "us-east-1", PARTNER, (snap("snap-p", 4, owner=PARTNER),))
        both = Estate((*estate.images, theirs), estate.orphaned)
        assert pricing.monthly_cost_by_owner(both) == {
            LEARNER: pytest.approx(1.90),
            PARTNER: pytest.approx(0.20),
        }
        assert {c.payer for c in pricing.storage_charges(both)} == {LEARNER, PARTNER}

    def test_instance_prices(self):
        """Linux and Windows hourly prices, and a clear error where there is none."""
        assert pricing.instance_hourly_price("us-east-1", "t3.micro") == 0.0104
        windows = pricing.instance_hourly_price("us-east-1", "t3.micro", windows=True)
        assert windows == pytest.approx(0.0196)
        with pytest.raises(ValueError, match="no Windows price for t4g.micro"):
            pricing.instance_hourly_price("us-east-1", "t4g.micro", windows=True)
        with pytest.raises(ValueError, match="no 'm5.large' in us-east-1; it has t3.micro"):
            pricing.instance_hourly_price("us-east-1", "m5.large")


class TestProjection:
    def test_as_is_every_month_the_same(self, estate):
        """Left alone, the estate costs $1.90 every month for a year (R24)."""
        assert pricing.project_monthly_costs(estate) == [pytest.approx(1.90)] * 12

    def test_a_century_at_most(self, estate):
        """A century of months is the longest projection; more is a clear error, not a hang."""
        assert len(pricing.project_monthly_costs(estate, 1200)) == 1200
        with pytest.raises(
            ValueError, match="months can be at most 1200 .a century of bills., not 10000000000"
        ):
            pricing.project_monthly_costs(estate, 10**10)

    def test_clean_up_after_three_months(self, estate):
        """Cleaning up after 3 months leaves $0.40 a month from month 4."""
        months = pricing.project_monthly_costs(estate, 6, clean_up_after=3)
        assert months == pytest.approx([1.90, 1.90, 1.90, 0.40, 0.40, 0.40])

    def test_archive_unused_now(self, estate):
        """Archiving the 30 unused GiB now: $0.40 + $0.375 a month."""
        months = pricing.project_monthly_costs(estate, 3, archive_after=0)
        assert months == pytest.approx([0.775] * 3)

    def test_archive_half(self, estate):
        """Archiving half of the unused data: $0.40 + 15 x $0.05 + 15 x $0.0125."""
        months = pricing.project_monthly_costs(estate, 2, archive_after=1, archive_share=0.5)
        assert months == pytest.approx([1.90, 0.40 + 0.75 + 0.1875])

    def test_archive_then_delete_bills_the_minimum(self, estate):
        """Archive now and delete after a month: the other 60 days are billed at deletion."""
        months = pricing.project_monthly_costs(estate, 3, archive_after=0, clean_up_after=1)
        assert months == pytest.approx([0.775, 0.40 + 30 * 0.0125 * 2, 0.40])

    def test_already_archived(self):
        """A snapshot archived 60 days before the estate was read bills 30 more days if deleted."""
        old = snap("snap-cold", 100, tier="archive", archived_at=NOW - dt.timedelta(days=60))
        estate = Estate(orphaned=(old,), taken_at=NOW)
        months = pricing.project_monthly_costs(estate, 2, clean_up_after=0)
        assert months == pytest.approx([1.25, 0])

    def test_chosen_removals_only(self, estate):
        """remove names exactly what is cleaned up."""
        months = pricing.project_monthly_costs(estate, 2, clean_up_after=0, remove=["snap-left"])
        assert months == pytest.approx([1.40, 1.40])

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"months": 1.5}, "months must be a whole number, not 1.5"),
            ({"months": -1}, "months cannot be negative"),
            ({"clean_up_after": -1}, "clean_up_after cannot be negative"),
            ({"archive_share": 1.5}, "between 0 and 1"),
            ({"remove": ["snap-left"]}, "say when with clean_up_after"),
            (
                {"clean_up_after": 0, "remove": ["ami-nope"]},
                "no image or orphaned snapshot ami-nope",
            ),
        ],
    )
    def test_bad_input(self, estate, kwargs, message):
        """Bad projection input is a ValueError that says what was wrong."""
        with pytest.raises(ValueError, match=message):
            pricing.project_monthly_costs(estate, **kwargs)


class TestFormatUsd:
    @pytest.mark.parametrize(
        ("amount", "kwargs", "text"),
        [
            (0.4, {}, "$0.40"),
            (1234.5, {}, "$1,234.50"),
            (-3.75, {}, "-$3.75"),
            (0.0104, {"per": "hour"}, "$0.0104/hour"),
            (0, {}, "$0.00"),
            (-0.001, {"digits": 2}, "$0.00"),
            (0.775, {}, "$0.775"),
            (0.0304, {"per": "hour"}, "$0.0304/hour"),
            (2.5, {"digits": 0}, "$2"),
            (1.90, {"per": "month"}, "$1.90/month"),
        ],
    )
    def test_formats(self, amount, kwargs, text):
        """Money shows as dollars and cents (more digits under a cent)."""
        assert pricing.format_usd(amount, **kwargs) == text

    def test_not_a_number(self):
        """Formatting something that is not a number is a ValueError."""
        with pytest.raises(ValueError, match="amount must be a number"):
            pricing.format_usd("0.40")  # type: ignore[arg-type]


sizes = st.floats(min_value=0, max_value=1e5, allow_nan=False)
regions = st.sampled_from(prices().region_names)


class TestProperties:
    @given(a=sizes, b=sizes, region=regions)
    def test_storage_adds_up_and_archive_is_cheaper(self, a, b, region):
        """Storage cost is additive in size, and archive never costs more than standard."""
        total = pricing.storage_cost(a + b, region)
        assert total == pytest.approx(
            pricing.storage_cost(a, region) + pricing.storage_cost(b, region)
        )
        assert pricing.storage_cost(a, region, tier="archive") <= pricing.storage_cost(a, region)

    @given(gib=sizes, days=st.floats(min_value=0, max_value=1000), region=regions)
    def test_archive_never_bills_less_than_90_days(self, gib, days, region):
        """Archiving for any number of days bills at least the 90-day minimum."""
        minimum = pricing.storage_cost(gib, region, tier="archive", months=3)
        assert pricing.archive_cost(gib, region, days=days) >= minimum * (1 - 1e-9)

    @given(
        gibs=st.lists(st.tuples(sizes, st.booleans(), regions), min_size=1, max_size=6),
        after=st.integers(min_value=0, max_value=12),
    )
    def test_clean_up_never_costs_more(self, gibs, after):
        """A clean-up never raises any month's bill; deregistering alone changes nothing."""
        images = tuple(
            ImageCost(
                f"ami-{n}", "x", region, LEARNER, (snap(f"snap-{n}", g, region),), in_use=used
            )
            for n, (g, used, region) in enumerate(gibs)
        )
        estate = Estate(images)
        as_is = pricing.project_monthly_costs(estate)
        cleaned = pricing.project_monthly_costs(estate, clean_up_after=after)
        assert all(c <= a + 1e-9 for c, a in zip(cleaned, as_is, strict=True))
        unused = [i.image_id for i in images if not i.in_use]
        assert pricing.estate_monthly_cost(pricing.deregister(estate, unused)) == pytest.approx(
            pricing.estate_monthly_cost(estate)
        )
        by_region = sum(pricing.monthly_cost_by_region(estate).values())
        assert by_region == pytest.approx(pricing.estate_monthly_cost(estate))


class TestEstateFromSandbox:
    def test_reads_images_orphans_and_use(self, sandbox):
        """Images, their snapshots, orphans left by deregistering, and who runs what."""
        ec2 = sandbox.client("ec2")
        base = catalog_image_id("al2023-x86_64", "us-east-1")
        builder = ec2.run_instances(ImageId=base, MinCount=1, MaxCount=1)["Instances"][0]
        web = ec2.create_image(InstanceId=builder["InstanceId"], Name="web-v1")["ImageId"]
        old = ec2.create_image(InstanceId=builder["InstanceId"], Name="web-v0")["ImageId"]
        ec2.get_waiter("image_available").wait(ImageIds=[web, old])
        ec2.modify_image_attribute(
            ImageId=web, LaunchPermission={"Add": [{"UserId": sandbox.account_id("partner")}]}
        )
        partner = sandbox.client("ec2", account="partner")
        partner.run_instances(ImageId=web, MinCount=1, MaxCount=1)
        old_snapshot = _snapshot_of(ec2, old)
        ec2.deregister_image(ImageId=old)
        estate = estate_from_sandbox(sandbox)

        assert [i.image_id for i in estate.images] == [web]
        assert estate.images[0].in_use and estate.images[0].used_by == (PARTNER,)
        assert [s.snapshot_id for s in estate.images[0].snapshots] == [_snapshot_of(ec2, web)]
        assert [s.snapshot_id for s in estate.orphaned] == [old_snapshot]
        assert abs(estate.taken_at - sandbox.now()) < dt.timedelta(seconds=5)
        assert pricing.clean_up_candidates(estate) == (old_snapshot,)

    def test_data_size_prices_the_snapshot(self, sandbox):
        """A snapshot is priced by the data size the sandbox recorded for it, not its volume."""
        ec2 = sandbox.client("ec2", "eu-west-1")
        snapshot_id = _snapshot(sandbox, ec2, "eu-west-1", volume_gib=8, data_gib=2.5)
        estate = estate_from_sandbox(sandbox, regions=["eu-west-1"])
        (found,) = estate.orphaned
        assert (found.snapshot_id, found.data_gib, found.sized_from) == (snapshot_id, 2.5, "data")
        assert pricing.estate_monthly_cost(estate) == pytest.approx(2.5 * 0.05)

    def test_volume_size_when_no_data_size(self, sandbox, monkeypatch):
        """Without a recorded data size, the volume's size prices the snapshot, and says so."""
        from moto.ec2.models.elastic_block_store import Snapshot

        ec2 = sandbox.client("ec2")
        _snapshot(sandbox, ec2, "us-east-1", volume_gib=8)
        # Undone inside the test: the sandbox's own patch of data_gib comes off when it stops.
        with monkeypatch.context() as patched:
            patched.setattr(Snapshot, "data_gib", property(lambda _: None), raising=False)
            (found,) = estate_from_sandbox(sandbox, regions=["us-east-1"]).orphaned
        assert (found.data_gib, found.sized_from) == (8, "volume")

    def test_archived_snapshot(self, sandbox):
        """An archived snapshot is read with its tier and archive time."""
        ec2 = sandbox.client("ec2")
        snapshot_id = _snapshot(sandbox, ec2, "us-east-1", volume_gib=8, data_gib=4)
        ec2.modify_snapshot_tier(SnapshotId=snapshot_id, StorageTier="archive")
        estate = estate_from_sandbox(sandbox, regions=["us-east-1"])
        (cold,) = estate.orphaned
        assert cold.tier == "archive" and cold.archived_at is not None
        assert pricing.estate_monthly_cost(estate) == pytest.approx(4 * 0.0125)

    def test_archive_date_survives_a_restore(self, sandbox):
        """A restore resets LastTieringStartTime; the estate keeps the day it was archived."""
        ec2 = sandbox.client("ec2")
        snapshot_id = _snapshot(sandbox, ec2, "us-east-1", volume_gib=8, data_gib=4)
        ec2.modify_snapshot_tier(SnapshotId=snapshot_id, StorageTier="archive")
        archived_on = sandbox.now()
        sandbox.advance_clock(days=30)
        ec2.restore_snapshot_tier(SnapshotId=snapshot_id, TemporaryRestoreDays=5)
        (status,) = ec2.describe_snapshot_tier_status()["SnapshotTierStatuses"]
        assert status["LastTieringStartTime"] - archived_on > dt.timedelta(days=29)
        (cold,) = estate_from_sandbox(sandbox, regions=["us-east-1"]).orphaned
        assert cold.tier == "archive"  # billed as archived until the restore completes
        assert abs(cold.archived_at - archived_on) < dt.timedelta(minutes=1)

    def test_reads_a_lab(self):
        """A Lab can be read as well as a Sandbox."""
        from labkit import Lab

        lab = Lab("sandbox", quiet=True)
        try:
            estate = estate_from_sandbox(lab, regions=["us-east-1"])
            assert estate.images == () and estate.taken_at is not None
        finally:
            lab.stop()

    def test_catalogue_images_are_not_the_learners(self, sandbox):
        """A fresh sandbox: the learner owns nothing, so the estate is empty and free."""
        estate = estate_from_sandbox(sandbox)
        assert estate.images == () and estate.orphaned == ()
        assert pricing.estate_monthly_cost(estate) == 0

    def test_several_accounts(self, sandbox):
        """Reading two accounts gives each its own snapshots and bill."""
        for account in ("learner", "partner"):
            ec2 = sandbox.client("ec2", account=account)
            _snapshot(sandbox, ec2, "us-east-1", volume_gib=20, data_gib=10, account=account)
        estate = estate_from_sandbox(sandbox, ["learner", "partner"], regions=["us-east-1"])
        assert pricing.monthly_cost_by_owner(estate) == {
            LEARNER: pytest.approx(0.50),
            PARTNER: pytest.approx(0.50),
        }


def _snapshot(
    sandbox, ec2, region: str, *, volume_gib: int, data_gib: float | None = None, account="learner"
) -> str:
    """A completed snapshot of a new volume; ``data_gib`` set as the provisioning helper would."""
    from moto.ec2.models import ec2_backends

    volume = ec2.create_volume(AvailabilityZone=f"{region}a", Size=volume_gib)["VolumeId"]
    snapshot_id = ec2.create_snapshot(VolumeId=volume)["SnapshotId"]
    ec2.get_waiter("snapshot_completed").wait(SnapshotIds=[snapshot_id])
    if data_gib is not None:
        owner = sandbox.account_id(account)
        ec2_backends[owner][region].snapshots[snapshot_id].data_gib = data_gib
    return snapshot_id


def _snapshot_of(ec2, image_id: str) -> str:
    (found,) = ec2.describe_images(ImageIds=[image_id])["Images"]
    return found["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]


def _instance(system: str, licence: str) -> dict[str, str]:
    return {
        "instanceType": "t3.micro",
        "operatingSystem": system,
        "licenseModel": licence,
        "tenancy": "Shared",
        "preInstalledSw": "NA",
        "capacitystatus": "Used",
        "regionCode": "eu-west-1",
    }


def _offer(*products: tuple) -> dict:
    """A small offer file: (sku, family, attributes, [(beginRange, usd, unit), …]) per product."""
    offer: dict = {
        "publicationDate": "2025-06-01T00:00:00Z",
        "products": {},
        "terms": {"OnDemand": {}},
    }
    for sku, family, attributes, dimensions in products:
        offer["products"][sku] = {"sku": sku, "productFamily": family, "attributes": attributes}
        offer["terms"]["OnDemand"][sku] = {
            f"{sku}.T": {
                "priceDimensions": {
                    f"{sku}.T.{n}": {
                        "beginRange": begin,
                        "unit": unit,
                        "pricePerUnit": {"USD": usd},
                    }
                    for n, (begin, usd, unit) in enumerate(dimensions)
                }
            }
        }
    return copy.deepcopy(offer)
