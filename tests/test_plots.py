"""Lesson charts draw on the Axes they are given and return it."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from labkit import plots  # noqa: E402
from labkit.boot_model import compare  # noqa: E402

SAMPLE = Path(__file__).resolve().parent / "data" / "price-list-sample.json"


class TestTimeToReady:
    def test_draws_one_line_per_way(self):
        """Two labelled step lines, each ending at the fleet size."""
        fig, ax = plt.subplots()
        returned = plots.time_to_ready(compare(5, 3), ax=ax)
        assert returned is ax
        lines = ax.get_lines()
        assert len(lines) == 2
        assert [line.get_ydata()[-1] for line in lines] == [5, 5]
        labels = [text.get_text() for text in ax.get_legend().get_texts()]
        assert labels[0].startswith("user data: all 5 ready at")
        plt.close(fig)

    def test_makes_axes_when_none_given(self):
        """Without ax, it makes a new figure's Axes."""
        ax = plots.time_to_ready({"baked image": [70.0, 76.0]})
        assert ax.get_xlabel() == "minutes since the group started scaling out"
        plt.close(ax.figure)


class TestMonthlyCost:
    def test_one_line_per_plan_with_units_and_date(self):
        """A line per plan over 12 months; axes in months and USD a month, with the date."""
        from labkit import pricing

        table = pricing.prices()
        fig, ax = plt.subplots()
        returned = plots.monthly_cost({"as is": [1.9] * 12, "clean up": [1.9] * 3 + [0.4] * 9}, ax)
        assert returned is ax
        assert [len(line.get_xdata()) for line in ax.get_lines()] == [12, 12]
        assert ax.get_xlabel() == "month from now"
        assert ax.get_ylabel() == f"USD per month (list prices as of {table.as_of})"
        labels = [text.get_text() for text in ax.get_legend().get_texts()]
        assert labels == ["as is: $22.80 over 12 months", "clean up: $9.30 over 12 months"]
        plt.close(fig)

    def test_refreshed_table_dates_the_axis(self):
        """A refreshed price table's date labels the axis."""
        from labkit.pricing import PriceTable

        table = PriceTable.from_price_list(SAMPLE)
        ax = plots.monthly_cost({"as is": [1.0, 1.0]}, table=table)
        assert ax.get_ylabel().endswith("as of 2025-02-20)")
        plt.close(ax.figure)

    def test_bad_data(self):
        """Nothing to plot, or a cost that is not a non-negative number, is a ValueError."""
        with pytest.raises(ValueError, match="at least one plan"):
            plots.monthly_cost({})
        with pytest.raises(ValueError, match="not 'cheap'"):
            plots.monthly_cost({"as is": [1.0, "cheap"]})
        with pytest.raises(ValueError, match="cannot be negative"):
            plots.monthly_cost({"as is": [-1.0]})


class TestCostBars:
    def test_cost_by_region(self):
        """One bar per Region, labelled in dollars, on a USD-per-month axis."""
        ax = plots.cost_by_region({"us-east-1": 1.9, "ap-southeast-2": 0.44})
        assert [p.get_height() for p in ax.patches] == [1.9, 0.44]
        assert ax.get_xlabel() == "Region"
        assert ax.get_ylabel().startswith("USD per month (list prices as of ")
        assert [t.get_text() for t in ax.texts] == ["$1.90", "$0.44"]
        plt.close(ax.figure)

    def test_cost_by_image_dearest_first_in_use_marked(self):
        """Images dearest first; the one in use is named so and hatched."""
        fig, ax = plt.subplots()
        plots.cost_by_image({"ami-web": 0.4, "ami-old": 1.0}, ax, in_use=["ami-web"])
        names = [t.get_text() for t in ax.get_xticklabels()]
        assert names == ["ami-old", "ami-web (in use)"]
        assert [p.get_hatch() for p in ax.patches] == [None, "//"]
        plt.close(fig)

    def test_no_costs(self):
        """An empty mapping is a ValueError."""
        with pytest.raises(ValueError, match="no costs"):
            plots.cost_by_region({})
