"""What an image estate costs over time: sliders, a live plot, and the total, from labkit.pricing.

The estate is made up from the sliders (so many images of so many GiB, kept in so many Regions,
some share archived); "Use my images" starts the sliders from an account's images in the sandbox.

>>> from labkit.widgets import CostExplorer
>>> CostExplorer(lab)                      # doctest: +SKIP
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import traitlets

from .. import pricing
from ..accounts import ACCOUNTS, REGIONS
from ._base import LabWidget, region_label, reports_errors

__all__ = ["CostExplorer", "Projection", "project"]

_OWNER = ACCOUNTS["learner"]

#: Each slider's range: its label, lowest and highest value. Set from code, a value outside it
#: is refused with a message, as a slider could not reach it either.
LIMITS: dict[str, tuple[str, float, float]] = {
    "images": ("Number of images", 1, 200),
    "size_gib": ("GiB per image", 1, 200),
    "regions": ("Regions", 1, len(REGIONS)),
    "months": ("Months", 1, 36),
    "archived_share": ("Archived share", 0, 1),
}


@dataclass(frozen=True)
class Projection:
    """What the sliders' estate costs, month by month (USD)."""

    monthly: tuple[float, ...]
    #: The same estate with nothing archived, to compare.
    all_standard: tuple[float, ...]
    #: The one-off transfer of copying the images from the first Region to the others.
    transfer: float
    regions: tuple[str, ...]
    data_gib: float

    @property
    def storage(self) -> float:
        return sum(self.monthly)

    @property
    def total(self) -> float:
        """Storage over every month plus the one-off copy transfer."""
        return self.storage + self.transfer

    @property
    def saving(self) -> float:
        """What archiving saves over the period, compared with keeping everything standard."""
        return sum(self.all_standard) - self.storage


def estate_for(images: int, size_gib: float, regions: int) -> pricing.Estate:
    """``images`` images of ``size_gib`` GiB each, in each of the first ``regions`` lab Regions.

    Each Region's images are priced as one block of data: the bill is linear in GiB, so the total
    is the same as pricing them one by one, and the sliders stay quick.
    """
    gib = float(images) * float(size_gib)
    blocks = []
    for region in REGIONS[: max(1, int(regions))]:
        snapshot = pricing.SnapshotCharge(f"snap-{region}", region, _OWNER, gib)
        blocks.append(
            pricing.ImageCost(f"{images} images", f"{images} images", region, _OWNER, (snapshot,))
        )
    return pricing.Estate(tuple(blocks))


def project(
    images: int, size_gib: float, regions: int, months: int, archived_share: float
) -> Projection:
    """The monthly bills of the sliders' estate, with and without archiving (pure).

    Raises:
        ValueError: for a negative count or size, no months, or a share outside 0 to 1.
    """
    if images < 0 or size_gib < 0:
        raise ValueError("The number of images and their size cannot be negative")
    if not 1 <= regions <= len(REGIONS):
        raise ValueError(f"The lab prices 1 to {len(REGIONS)} Regions, not {regions}")
    estate = estate_for(images, size_gib, regions)
    standard = pricing.project_monthly_costs(estate, months)
    if archived_share > 0:
        monthly = pricing.project_monthly_costs(
            estate, months, archive_after=0, archive_share=archived_share
        )
    else:
        monthly = standard
    first = estate.images[0]
    transfer = sum(pricing.copy_cost(first, r).transfer_usd for r in REGIONS[1:regions])
    return Projection(
        tuple(monthly),
        tuple(standard),
        transfer,
        tuple(REGIONS[:regions]),
        float(images) * float(size_gib),
    )


def draw(projection: Projection, ax: Any) -> Any:
    """Plot the monthly bills with ``labkit.plots.monthly_cost`` (archiving vs all standard)."""
    from ..plots import monthly_cost

    plans = {"as set": list(projection.monthly)}
    if projection.monthly != projection.all_standard:
        plans["nothing archived"] = list(projection.all_standard)
    return monthly_cost(plans, ax=ax)


class CostExplorer(LabWidget):
    """Sliders for an image estate, a live plot of its monthly bill, and the total.

    Args:
        lab: a labkit ``Lab`` or ``Sandbox`` for "Use my images" (optional: the sliders alone
            need no sandbox).
        account: whose images "Use my images" reads.
    """

    images = traitlets.Int(10, help="How many images.")
    size_gib = traitlets.Int(8, help="GiB of snapshot data behind each image.")
    regions = traitlets.Int(1, help="In how many lab Regions each image is kept (full copies).")
    months = traitlets.Int(12, help="How many months to add up.")
    archived_share = traitlets.Float(
        0.0, help="The share (0 to 1) of snapshot data moved to the archive tier now."
    )
    total_usd = traitlets.Float(0.0, help="The total over the months, USD (read only).")

    needs_lab = False

    def __init__(self, lab: Any = None, account: str = "learner") -> None:
        super().__init__(lab, account)
        # Each move redraws the plot (about 0.1 s): update on release, not on every pixel.
        # One style and one layout for the five sliders (each is a widget of its own otherwise).
        style = widgets.SliderStyle(description_width="150px")
        wide = widgets.Layout(width="520px")
        common: dict[str, Any] = {"style": style, "layout": wide, "continuous_update": False}

        def slider(trait: str, kind: Any = widgets.IntSlider, **extra: Any) -> Any:
            label, low, high = LIMITS[trait]
            return kind(min=low, max=high, description=label, **common, **extra)

        self.images_slider = slider("images")
        self.size_slider = slider("size_gib")
        self.regions_slider = slider("regions")
        self.months_slider = slider("months")
        self.archived_slider = slider(
            "archived_share", widgets.FloatSlider, step=0.05, readout_format=".0%"
        )
        for control, trait in (
            (self.images_slider, "images"),
            (self.size_slider, "size_gib"),
            (self.regions_slider, "regions"),
            (self.months_slider, "months"),
            (self.archived_slider, "archived_share"),
        ):
            control.value = getattr(self, trait)
            widgets.link((control, "value"), (self, trait))
        self.mine_button = widgets.Button(
            description="Use my images",
            icon="download",
            tooltip="Start the sliders from your account's images in the sandbox",
            disabled=self.sandbox is None,
        )
        self.mine_button.on_click(lambda _: self.use_my_images())
        self.total = widgets.HTML()
        self.total.add_class("amilab-total")
        self.breakdown = widgets.HTML()
        #: The plot as an <img> with its text alternative as alt (ipywidgets' Image has no alt).
        self.plot = widgets.HTML(layout=widgets.Layout(width="640px"))
        self.plot_png = b""
        self.plot.add_class("amilab-plot")
        self.children = [
            self.css(),
            widgets.HTML('<span class="amilab-title">AMI storage cost explorer</span>'),
            self.images_slider,
            self.size_slider,
            self.regions_slider,
            self.months_slider,
            self.archived_slider,
            self.mine_button,
            self.total,
            self.breakdown,
            self.plot,
            self.message,
            self.output,
        ]
        self._batch = False
        self.observe(self._on_change, ["images", "size_gib", "regions", "months", "archived_share"])
        self.update()

    @traitlets.validate(*LIMITS)
    def _within_limits(self, proposal: dict[str, Any]) -> Any:
        """Bad input changes nothing: a value no slider could reach is refused, with a message."""
        name, value = proposal["trait"].name, proposal["value"]
        label, low, high = LIMITS[name]
        if not low <= value <= high:  # NaN fails both comparisons
            self.say(f"{label} is {low:g} to {high:g}, not {value}; it stays as it was.", "error")
            return getattr(self, name)
        return value

    def _on_change(self, _change: dict[str, Any]) -> None:
        if not self._batch:
            self.update()

    @reports_errors
    def update(self) -> None:
        """Price the sliders' estate and redraw the total and the plot."""
        projection = project(
            self.images, self.size_gib, self.regions, self.months, self.archived_share
        )
        self.projection = projection
        self.total_usd = projection.total
        usd = pricing.format_usd
        self.total.value = (
            f'<span class="amilab-title">Total over {self.months} months: '
            f"{usd(projection.total)}</span>"
        )
        where = ", ".join(region_label(r) for r in projection.regions)
        lines = [
            f"{self.images} images × {self.size_gib} GiB = {projection.data_gib:g} GiB "
            f"in each of {len(projection.regions)} Region(s): {where}.",
            f"Storage {usd(projection.storage)}; first month {usd(projection.monthly[0])}.",
        ]
        if projection.transfer:
            lines.append(
                f"Copying to the other Regions: {usd(projection.transfer)} once (inter-Region "
                "transfer at the source Region's rate, billed to the source image's owner; "
                "these are first copies, which are full)."
            )
        if self.archived_share:
            lines.append(
                f"Archiving {self.archived_share:.0%} saves {usd(projection.saving)} over the "
                "period; archived data is billed for at least 90 days, and restoring it costs "
                "a fee per GiB and takes hours."
            )
        lines.append(pricing.prices().caption)
        self.breakdown.value = "<br>".join(html.escape(line) for line in lines)
        self.plot_png, words = self._png(projection)
        source = "data:image/png;base64," + base64.b64encode(self.plot_png).decode("ascii")
        self.plot.value = f'<img src="{source}" alt="{html.escape(words)}" style="max-width:100%">'
        self.clear_message()

    def _png(self, projection: Projection) -> tuple[bytes, str]:
        """The plot as PNG bytes, and its text alternative."""
        # A Figure without pyplot: nothing is displayed twice and nothing stays open.
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        from ..plots import text_alternative
        from ..quick_matplotlib import figure_class

        figure = figure_class()(figsize=(7, 3.5), dpi=90)
        # Agg from the start: the layout pass and the PNG share one renderer and its text sizes
        # (the same bytes as savefig's own switch to Agg: tests/widgets/test_cost_explorer.py).
        FigureCanvasAgg(figure)
        ax = draw(projection, figure.subplots())
        figure.tight_layout()
        # tight_layout leaves a placeholder layout engine, and savefig draws a figure with any
        # engine once more before the picture, to lay it out (a quarter of an update). The layout
        # is done: without the engine, the same picture from one draw.
        figure.set_layout_engine(None)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue(), text_alternative(ax)

    @reports_errors
    def use_my_images(self) -> None:
        """Set the sliders from the account's own images in the sandbox (its estate)."""
        from ..sandbox.estate import estate_from_sandbox

        if self.sandbox is None:
            self.say("This explorer was made without a lab: give it one to read your images.")
            return
        estate = estate_from_sandbox(self.sandbox, self.account)
        if not estate.images:
            self.say(f"{self.account} owns no images yet; the sliders are unchanged.", "error")
            return
        by_region = pricing.data_gib_by_region(estate)
        regions = max(1, len({i.region for i in estate.images}))
        per_region = max(1, round(len(estate.images) / regions))
        size = max(1, round(sum(by_region.values()) / len(estate.images)))
        archived = sum(s.data_gib for s in estate.snapshots() if s.tier == "archive")
        share = archived / sum(by_region.values()) if sum(by_region.values()) else 0.0
        self._batch = True  # four slider moves, one redraw
        try:
            self.images = min(per_region, self.images_slider.max)
            self.size_gib = min(size, self.size_slider.max)
            self.regions = min(regions, len(REGIONS))
            self.archived_share = round(share * 20) / 20
        finally:
            self._batch = False
        self.update()
        self.say(
            f"{self.account} owns {len(estate.images)} image(s) in {regions} Region(s), "
            f"{sum(by_region.values()):g} GiB of snapshot data: "
            f"{pricing.format_usd(pricing.estate_monthly_cost(estate), per='month')} today.",
            "ok",
        )
