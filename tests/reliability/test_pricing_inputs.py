"""The pricing functions, given any sizes, months, days, Regions and tiers: a finite amount of USD
that is not negative, or a ValueError naming the input; never a Python error from inside."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from odd import anything, examples, near, numbers, plain_numbers, regions

from labkit import REGIONS, pricing

TIERS = ("standard", "archive")
INSTANCE_TYPES = ("t3.micro", "t3.large", "m7g.large", "c7i.xlarge")
sizes = st.one_of(plain_numbers, numbers)
tiers = st.one_of(near(TIERS), anything)


def usd_or_value_error(compute):
    """Run ``compute()``; the answer is finite, non-negative USD, or the error is a ValueError
    or TypeError that says something (which parameter: test_public_api_inputs.py checks)."""
    try:
        answer = compute()
    except (ValueError, TypeError) as error:
        assert str(error).strip()
        return None
    amounts = answer if isinstance(answer, list) else [answer]
    for amount in amounts:
        amount = getattr(amount, "usd", amount)  # a Charge carries its USD in .usd
        if isinstance(amount, float):
            assert math.isfinite(amount) and amount >= 0, answer
    return answer


class TestStorage:
    @examples(50)
    @given(data_gib=sizes, region=regions, months=sizes, tier=tiers)
    def test_storage_cost(self, data_gib, region, months, tier):
        """storage_cost(GiB, Region, months=, tier=)."""
        usd_or_value_error(lambda: pricing.storage_cost(data_gib, region, months=months, tier=tier))

    @examples(50)
    @given(data_gib=sizes, region=regions, days=sizes, retrieve=st.one_of(st.booleans(), anything))
    def test_archive_and_restore(self, data_gib, region, days, retrieve):
        """archive_cost(GiB, Region, days=, retrieve=) and restore_cost(GiB, Region)."""
        usd_or_value_error(
            lambda: pricing.archive_cost(data_gib, region, days=days, retrieve=retrieve)
        )
        usd_or_value_error(lambda: pricing.restore_cost(data_gib, region))

    @examples(50)
    @given(
        data_gib=sizes,
        region=st.one_of(st.sampled_from(REGIONS), regions),
        tier=tiers,
        owner=st.one_of(st.just("111111111111"), anything),
        archived_days_ago=st.one_of(st.none(), st.integers(-400, 400)),
        # Bounded: months=10**9 allocates gigabytes (see test_months_beyond_any_plan).
        months=st.one_of(st.integers(-5, 600), st.floats(), st.fractions(), anything),
        archive_after=st.one_of(st.none(), st.integers(-2, 40), anything),
        archive_share=st.one_of(st.floats(0, 1), numbers),
    )
    def test_projection(
        self, data_gib, region, tier, owner, archived_days_ago, months, archive_after, archive_share
    ):
        """An estate of one image, projected month by month with an archive plan."""
        now = dt.datetime(2025, 3, 3, tzinfo=dt.timezone.utc)
        archived = None if archived_days_ago is None else now - dt.timedelta(archived_days_ago)

        def project():
            snapshot = pricing.SnapshotCharge("snap-1", region, owner, data_gib, tier, archived)
            image = pricing.ImageCost("ami-1", "web", region, owner, (snapshot,))
            estate = pricing.Estate((image,), taken_at=now)
            return pricing.project_monthly_costs(
                estate, months, archive_after=archive_after, archive_share=archive_share
            )

        usd_or_value_error(project)


class TestInstancesAndMoney:
    @examples(50)
    @given(
        region=regions,
        instance_type=st.one_of(near(INSTANCE_TYPES), anything),
        software=sizes,
        windows=st.one_of(st.booleans(), anything),
    )
    def test_launch_charges(self, region, instance_type, software, windows):
        """launch_charges(Region, type, launcher, windows=, software_price_per_hour=)."""
        usd_or_value_error(
            lambda: pricing.launch_charges(
                region,
                instance_type,
                "111111111111",
                windows=windows,
                software_price_per_hour=software,
            )
        )

    @examples(50)
    @given(
        amount=numbers,
        per=st.one_of(st.none(), near(["month", "hour"]), anything),
        digits=st.one_of(st.none(), st.integers(-3, 12), anything),
    )
    def test_format_usd(self, amount, per, digits):
        """format_usd(amount, per=, digits=): text with a dollar sign, or a ValueError."""
        try:
            text = pricing.format_usd(amount, per=per, digits=digits)
        except ValueError as error:
            assert str(error).strip()
            return
        assert isinstance(text, str) and "$" in text


def test_months_beyond_any_plan():
    """A projection over more months than a list can hold is a ValueError, not OverflowError."""
    estate = pricing.Estate(())
    with pytest.raises(ValueError):
        pricing.project_monthly_costs(estate, 2**64)


@pytest.mark.parametrize("region", REGIONS)
def test_every_lab_region_has_prices(region):
    """The plain case works everywhere: a month of 10 GiB in each lab Region costs something."""
    assert pricing.storage_cost(10, region) > 0
