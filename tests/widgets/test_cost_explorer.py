"""CostExplorer: sliders for an image estate, its monthly bill from labkit.pricing, and a plot."""

from __future__ import annotations

import re

import pytest

from labkit import pricing
from labkit.widgets import CostExplorer
from labkit.widgets.cost_explorer import project

PNG = b"\x89PNG"


class TestSliders:
    def test_starts_with_ten_small_images(self):
        """10 images of 8 GiB for 12 months in us-east-1: 80 GiB x $0.05 x 12 = $48.00."""
        explorer = CostExplorer()
        assert explorer.total_usd == pytest.approx(48.0)
        assert "Total over 12 months: $48.00" in explorer.total.value
        assert explorer.plot_png.startswith(PNG)

    def test_plot_has_a_text_alternative(self):
        """The plot is an <img> whose alt says what it shows, with the numbers behind it."""
        explorer = CostExplorer()
        assert '<img src="data:image/png;base64,' in explorer.plot.value
        alt = re.search(r'alt="([^"]+)"', explorer.plot.value)[1]
        assert "Monthly snapshot storage" in alt and "$4.00 in month 1" in alt
        assert "$48.00 in all" in alt

    def test_moving_a_slider_changes_total_and_plot(self):
        """More images cost proportionally more, and the plot is redrawn."""
        explorer = CostExplorer()
        before = explorer.plot_png
        explorer.images_slider.value = 20
        assert explorer.total_usd == pytest.approx(96.0)
        assert "$96.00" in explorer.total.value
        assert explorer.plot_png != before

    def test_months_and_size(self):
        """The total is GiB x price x months."""
        explorer = CostExplorer()
        explorer.size_slider.value = 30
        explorer.months_slider.value = 24
        assert explorer.total_usd == pytest.approx(10 * 30 * 0.05 * 24)

    def test_regions_add_full_copies_and_a_transfer(self):
        """Each extra Region bills the full data again, plus a one-off transfer out of us-east-1."""
        explorer = CostExplorer()
        explorer.regions_slider.value = 2
        table = pricing.prices()
        west = table.region("us-west-2").snapshot_standard_gb_month
        transfer = 80 * table.region("us-east-1").inter_region_transfer_gb
        assert explorer.total_usd == pytest.approx(48.0 + 80 * west * 12 + transfer)
        assert "us-west-2 (Oregon)" in explorer.breakdown.value
        assert "once (inter-Region transfer" in explorer.breakdown.value

    def test_archiving_saves(self):
        """Archiving half the data bills that half at the archive rate, and says what it saves."""
        explorer = CostExplorer()
        explorer.archived_slider.value = 0.5
        rates = pricing.prices().region("us-east-1")
        monthly = 40 * rates.snapshot_standard_gb_month + 40 * rates.snapshot_archive_gb_month
        assert explorer.total_usd == pytest.approx(monthly * 12)
        assert "Archiving 50% saves $18.00" in explorer.breakdown.value
        assert "at least 90 days" in explorer.breakdown.value

    def test_prices_are_dated(self):
        """The breakdown says which price table it used and where to find today's prices."""
        assert pricing.prices().caption in CostExplorer().breakdown.value.replace("&#x27;", "'")


class TestProject:
    def test_matches_project_monthly_costs(self):
        """The projection is labkit.pricing's, month by month."""
        projection = project(3, 10, 1, 6, 0.0)
        assert projection.monthly == (1.5,) * 6
        assert projection.total == pytest.approx(9.0)

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            ((-1, 8, 1, 12, 0.0), "cannot be negative"),
            ((1, 8, 5, 12, 0.0), "1 to 4 Regions"),
            ((1, 8, 1, 12, 1.5), "archive_share is a share between 0 and 1"),
        ],
    )
    def test_bad_input(self, args, message):
        """Impossible estates are refused with a clear message."""
        with pytest.raises(ValueError, match=message):
            project(*args)

    @pytest.mark.parametrize(
        ("name", "value", "message"),
        [
            ("regions", 9, "Regions is 1 to 4, not 9"),
            ("months", 0, "Months is 1 to 36, not 0"),
            ("months", 10**30, "Months is 1 to 36, not 1000000000000000000000000000000"),
            ("archived_share", -5.0, "Archived share is 0 to 1, not -5.0"),
            ("archived_share", float("nan"), "Archived share is 0 to 1, not nan"),
            ("images", 0, "Number of images is 1 to 200, not 0"),
        ],
    )
    def test_bad_trait_value_is_a_message(self, name, value, message):
        """A value no slider reaches, set in code, is refused with a message; nothing changes."""
        explorer = CostExplorer()
        before = getattr(explorer, name)
        setattr(explorer, name, value)
        assert getattr(explorer, name) == before
        assert getattr(explorer, f"{name.split('_')[0]}_slider").value == before
        assert explorer.message_kind == "error"
        assert explorer.message_text == f"{message}; it stays as it was."
        assert explorer.total_usd == pytest.approx(48.0)
        assert explorer.output.outputs == ()


class TestMyImages:
    def test_use_my_images(self, lab):
        """Use my images starts the sliders from the learner's estate: one image in one Region."""
        explorer = CostExplorer(lab)
        explorer.images_slider.value = 50
        explorer.mine_button.click()
        assert explorer.message_kind == "ok"
        assert (explorer.images, explorer.regions) == (1, 1)
        assert "learner owns 1 image(s) in 1 Region(s)" in explorer.message_text

    def test_no_lab_no_button(self):
        """Without a lab the sliders work and Use my images is disabled."""
        explorer = CostExplorer()
        assert explorer.mine_button.disabled
        explorer.use_my_images()
        assert "made without a lab" in explorer.message_text

    def test_no_images_changes_nothing(self):
        """An account with no images leaves the sliders alone and says so."""
        from labkit import Lab

        lab = Lab("00-welcome", quiet=True)
        try:
            explorer = CostExplorer(lab)
            explorer.mine_button.click()
            assert explorer.message_text == "learner owns no images yet; the sliders are unchanged."
            assert explorer.images == 10
        finally:
            lab.stop()


def test_the_plot_is_the_picture_savefig_makes_on_its_own():
    """The explorer draws on an Agg canvas from the start (one renderer for the layout pass and
    the PNG); the bytes are those of a Figure that savefig switches to Agg itself."""
    import io

    from matplotlib.figure import Figure

    from labkit.widgets.cost_explorer import draw

    explorer = CostExplorer()
    figure = Figure(figsize=(7, 3.5), dpi=90)
    draw(explorer.projection, figure.subplots())
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    assert explorer.plot_png == buffer.getvalue()
