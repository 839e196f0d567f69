"""The lessons' charts: each is ``fn(data, ax=None) -> Axes`` and draws on ``ax`` (or a new one).

Nothing here saves to disk, and nothing uses pyplot: a chart without ``ax`` draws on a new
:class:`matplotlib.figure.Figure` of its own, which a notebook shows once, as a PNG, under the cell
(when the cell has run, so changes made to the returned Axes in the same cell show too). An Axes
you give is yours to show (a widget puts its Figure in a picture of its own).

Every chart has a text alternative (WCAG 1.1.1): one or two sentences with the numbers behind it.
:func:`text_alternative` returns it for an Axes drawn here, and in a notebook each chart shows it
as a short paragraph above the figure ("Chart: …"), so a screen reader, and the website, say it.

matplotlib is imported when a chart is first drawn, never by ``import labkit``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from . import _valid

__all__ = [
    "cost_by_image",
    "cost_by_region",
    "monthly_cost",
    "text_alternative",
    "time_to_ready",
]

#: How many bars or lines a text alternative names before it says "and N more".
_NAMED = 12
#: The size (inches) of the figure a chart makes when no Axes is given.
_SIZE = (7.0, 3.5)
#: Figures made here that the notebook shows when the running cell ends.
_PENDING: list[Any] = []
#: The IPython shell whose ``post_execute`` event shows them (registered once).
_HOOKED: list[Any] = []


class ChartText(str):
    """A chart's text alternative, shown in a notebook as a short paragraph."""

    def __repr__(self) -> str:
        return f"Chart: {self}"

    def _repr_html_(self) -> str:
        import html

        return f'<p class="amilab-chart-text"><b>Chart:</b> {html.escape(str(self))}</p>'


class ChartPicture:
    """A Figure as a notebook shows it: a PNG, with its text alternative as the plain-text form."""

    def __init__(self, figure: Any) -> None:
        self.figure = figure

    def png(self) -> bytes:
        """The figure as PNG bytes, cropped to what is drawn (as Jupyter's inline figures are).

        The same bytes as ``savefig(bbox_inches="tight")`` (tests/test_plots.py), without the
        layout pass matplotlib draws first to find that box: the box is asked of the figure
        (about 10 ms less a chart), and the picture, drawn on a renderer of the cropped size,
        reuses the text sizes measured for the box (``quick_matplotlib.text_sizes_of``: about
        20 ms less).
        """
        import io

        import matplotlib
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        from .quick_matplotlib import text_sizes_of

        renderer = FigureCanvasAgg(self.figure).get_renderer()
        pad = matplotlib.rcParams["savefig.pad_inches"]
        with text_sizes_of(renderer):
            box = self.figure.get_tightbbox(renderer).padded(pad)
            buffer = io.BytesIO()
            self.figure.savefig(buffer, format="png", bbox_inches=box, facecolor="white")
        return buffer.getvalue()

    def __repr__(self) -> str:
        words = [str(t) for ax in self.figure.axes if (t := getattr(ax, "_amilab_text", None))]
        return "Chart: " + " ".join(words) if words else "Chart"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {"image/png": self.png(), "text/plain": repr(self)}


def chart_outputs(figure: Any) -> list[Any]:
    """What a notebook shows for a figure drawn here: each chart's "Chart: …" paragraph, then the
    picture."""
    texts = [ax._amilab_text for ax in figure.axes if getattr(ax, "_amilab_text", None)]
    return [*texts, ChartPicture(figure)]


def text_alternative(ax: Any) -> str:
    """What a chart drawn by this module shows, in words and numbers.

    Raises:
        ValueError: for an Axes no chart of this module was drawn on.
    """
    _check_axes(ax)
    text = getattr(ax, "_amilab_text", None)
    if text is None:
        raise ValueError("ax: no labkit.plots chart was drawn on this Axes")
    return str(text)


def _kernel_shell() -> Any:
    """The IPython shell of a Jupyter kernel, or None (a script, a test, a terminal IPython)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        return None
    shell = get_ipython()
    return shell if shell is not None and "IPKernelApp" in shell.config else None


def _describe(ax: Any, text: str) -> None:
    """Keep the chart's text alternative on its Axes; in a notebook, show the chart."""
    ax._amilab_text = ChartText(text)
    shell = _kernel_shell()
    if shell is None:
        return
    if getattr(ax.figure, "_amilab_shows", False):
        if ax.figure not in _PENDING:
            _PENDING.append(ax.figure)
        _show_after_cells(shell)
    elif getattr(ax.figure.canvas, "manager", None) is not None:
        # A pyplot figure (the learner's own): pyplot shows the picture, this its paragraph.
        from IPython.display import display

        display(ax._amilab_text)


def _show_after_cells(shell: Any) -> None:
    if shell not in _HOOKED:
        shell.events.register("post_execute", _show_pending)
        _HOOKED.append(shell)


def _show_pending() -> None:
    """Show the figures drawn here since the last cell ended, once each (IPython's
    ``post_execute`` event calls it)."""
    from IPython.display import display

    figures = list(_PENDING)
    _PENDING.clear()
    for figure in figures:
        for output in chart_outputs(figure):
            display(output)


def _listed(items: list[str]) -> str:
    shown = items[:_NAMED]
    more = len(items) - len(shown)
    return "; ".join(shown) + (f"; and {more} more" if more else "")


def _axes(ax: Any, size: tuple[float, float] = _SIZE) -> Any:
    """The Axes to draw on: the one given, or that of a new Figure this module shows."""
    if ax is not None:
        _check_axes(ax)
        return ax
    from .quick_matplotlib import figure_class

    figure = figure_class()(figsize=size)
    figure._amilab_shows = True
    return figure.subplots()


def time_to_ready(data: Mapping[str, Sequence[float]], ax: Any = None) -> Any:
    """Instances ready over time, one step line per way of setting them up.

    Args:
        data: for each label (``"user data"``, ``"baked image"``), the seconds at which each
            instance became ready, as :func:`labkit.boot_model.compare` returns them.
        ax: a matplotlib Axes to draw on; a new figure's when omitted.

    Returns:
        The Axes drawn on.
    """
    series = {
        label: _numbers("data", label, seconds) for label, seconds in _mapping("data", data).items()
    }
    _check_axes(ax)
    ax = _axes(ax)  # first: a new figure imports matplotlib the quick way (quick_matplotlib)
    from matplotlib.ticker import MaxNLocator

    most = 0
    said = []
    for label, seconds in series.items():
        minutes = sorted(s / 60 for s in seconds)
        if not minutes:
            continue
        xs = [0.0, *minutes]
        ys = list(range(len(minutes) + 1))
        done = minutes[-1]
        ax.step(xs, ys, where="post", label=f"{label}: all {len(minutes)} ready at {done:.1f} min")
        said.append(f"{label}: all {len(minutes)} ready at {done:.1f} min")
        most = max(most, len(minutes))
    ax.set_xlabel("minutes since the group started scaling out")
    ax.set_ylabel("instances ready")
    ax.set_xlim(left=0)
    # Headroom above the fleet's size keeps the legend clear of the lines.
    ax.set_ylim(0, most * 1.4 + 1)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left")
    ax.set_title("Time to ready: installing at boot vs a baked image")
    _describe(ax, "Instances ready over time (minutes). " + _listed(said) + ".")
    return ax


# -- cost plots (lesson 07): USD from labkit.pricing, labelled with the price table's date -------


def monthly_cost(
    projections: Mapping[str, Sequence[float]], ax: Any = None, *, table: Any = None
) -> Any:
    """An estate's monthly storage bill over the coming months, one line per plan.

    Args:
        projections: for each plan (``"as is"``, ``"clean up after 3 months"``…), the monthly
            totals in USD, as :func:`labkit.pricing.project_monthly_costs` returns them.
        ax: a matplotlib Axes to draw on; a new figure's when omitted.
        table: the :class:`labkit.pricing.PriceTable` used (its date labels the axis); the
            packaged table when omitted.

    Returns:
        The Axes drawn on.

    Raises:
        ValueError: if there is nothing to plot or a total is not a non-negative number.
    """
    from .pricing import format_usd

    series = {
        label: _numbers("projections", label, values)
        for label, values in _mapping("projections", projections).items()
    }
    if not any(series.values()):
        raise ValueError("monthly_cost needs at least one plan with monthly totals to plot")
    _check_axes(ax)
    _check_table(table)
    ax = _axes(ax)
    said = []
    for label, values in series.items():
        months = range(1, len(values) + 1)
        total = format_usd(sum(values))
        ax.plot(months, values, marker="o", label=f"{label}: {total} over {len(values)} months")
        if values:
            said.append(
                f"{label}: {format_usd(values[0])} in month 1, {format_usd(values[-1])} in month "
                f"{len(values)}, {total} in all"
            )
    longest = max(len(v) for v in series.values())
    highest = max((max(v) for v in series.values() if v), default=0.0)
    ax.set_xlabel("month from now")
    ax.set_ylabel(_usd_label("USD per month", table))
    ax.set_xlim(0.5, longest + 0.5)
    # Headroom for the legend, a row per plan, so it does not hide the dearest months.
    ax.set_ylim(0, highest * (1.2 + 0.15 * len(series)) or 1)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper right", fontsize="small")
    ax.set_title("Monthly snapshot storage of the image estate")
    _describe(
        ax,
        f"Monthly snapshot storage of the image estate, {_usd_label('USD per month', table)}. "
        + _listed(said)
        + ".",
    )
    return ax


def cost_by_region(costs: Mapping[str, float], ax: Any = None, *, table: Any = None) -> Any:
    """The monthly storage bill per Region, as bars labelled with their amounts.

    Args:
        costs: USD per month by Region, as :func:`labkit.pricing.monthly_cost_by_region` returns.
        ax: a matplotlib Axes to draw on; a new figure's when omitted.
        table: the price table used (its date labels the axis); the packaged one when omitted.

    Returns:
        The Axes drawn on.
    """
    return _bars(
        _costs(costs), ax, table, xlabel="Region", title="Monthly snapshot storage by Region"
    )


def cost_by_image(
    costs: Mapping[str, float],
    ax: Any = None,
    *,
    in_use: Iterable[str] = (),
    table: Any = None,
) -> Any:
    """Each image's monthly storage bill, dearest first; images in use are hatched and marked.

    Args:
        costs: USD per month by image (ID or name), as
            :func:`labkit.pricing.monthly_cost_by_image` returns.
        ax: a matplotlib Axes to draw on; a new figure's when omitted.
        in_use: the keys of ``costs`` that running instances were launched from.
        table: the price table used (its date labels the axis); the packaged one when omitted.

    Returns:
        The Axes drawn on.
    """
    costs = _costs(costs)
    used = set(_valid.strings("in_use", in_use))
    ranked = dict(sorted(costs.items(), key=lambda item: -item[1]))
    labels = {k: (f"{k} (in use)" if k in used else k) for k in ranked}
    ax = _bars(
        {labels[k]: v for k, v in ranked.items()},
        ax,
        table,
        xlabel="image",
        title="Monthly snapshot storage per image",
        hatched={labels[k] for k in used if k in labels},
        size=(10.0, 4.0),  # room for an image's name and Region under each bar
    )
    ax.tick_params(axis="x", labelrotation=30)
    return ax


def _bars(
    costs: Mapping[str, float],
    ax: Any,
    table: Any,
    *,
    xlabel: str,
    title: str,
    hatched: set[str] | None = None,
    size: tuple[float, float] = _SIZE,
) -> Any:
    from .pricing import format_usd

    if not costs:
        raise ValueError("costs: there are no costs to plot")
    _check_axes(ax)
    _check_table(table)
    names = [str(k) for k in costs]
    values = list(costs.values())
    ax = _axes(ax, size)
    bars = ax.bar(names, values, color="tab:blue", edgecolor="black")
    for name, bar in zip(names, bars, strict=True):
        if hatched and name in hatched:
            bar.set_hatch("//")
            bar.set_facecolor("tab:gray")
    ax.bar_label(bars, labels=[format_usd(v) for v in values], padding=2)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(_usd_label("USD per month", table))
    ax.set_ylim(0, max(values) * 1.2 or 1)
    ax.grid(True, axis="y", alpha=0.3)
    ax.set_title(title)
    said = [f"{name} {format_usd(value)}" for name, value in zip(names, values, strict=True)]
    _describe(ax, f"{title}, {_usd_label('USD per month', table)}: " + _listed(said) + ".")
    return ax


def _mapping(name: str, value: Any) -> Mapping[Any, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a dict of label to values, not {_valid.shown(value)}")
    return value


def _costs(costs: Any) -> dict[str, float]:
    """USD per key, each a finite non-negative number."""
    return {k: _numbers("costs", k, [v])[0] for k, v in _mapping("costs", costs).items()}


def _numbers(name: str, label: Any, values: Any) -> list[float]:
    """Finite, non-negative numbers (USD, seconds) of one label of parameter ``name``."""
    where = f"{name}[{_valid.shown(label)}]"
    if isinstance(values, (str, bytes, bytearray, Mapping)) or not isinstance(values, Iterable):
        raise TypeError(f"{where} must be a list of numbers, not {_valid.shown(values)}")
    checked = []
    for value in values:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"{where} must hold numbers, not {_valid.shown(value)}")
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise ValueError(f"{where} must hold finite numbers, not {_valid.shown(value)}")
        if number < 0:
            raise ValueError(f"{where}: a cost cannot be negative ({value})")
        checked.append(number)
    return checked


def _check_axes(ax: Any) -> None:
    if ax is not None and not (hasattr(ax, "bar") and hasattr(ax, "plot")):
        raise TypeError(f"ax must be a matplotlib Axes or None, not {_valid.shown(ax)}")


def _check_table(table: Any) -> None:
    from .pricing import PriceTable

    if table is not None and not isinstance(table, PriceTable):
        raise TypeError(
            f"table must be a labkit.pricing.PriceTable or None, not {_valid.shown(table)}"
        )


def _usd_label(text: str, table: Any) -> str:
    """An axis label with its unit and the price table's date: ``USD per month (… 2025-03)``."""
    from .pricing import prices

    table = table if table is not None else prices()
    return f"{text} (list prices as of {table.as_of})"
