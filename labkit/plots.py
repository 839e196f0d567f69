"""The lessons' charts: each is ``fn(data, ax=None) -> Axes`` and draws on ``ax`` (or a new one).

Nothing here saves to disk; in a notebook the figure shows inline under the cell.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["time_to_ready"]


def _axes(ax: Any) -> Any:
    """The Axes to draw on: the one given, or a new figure's."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=(7, 3.5))
    return new


def time_to_ready(data: Mapping[str, Sequence[float]], ax: Any = None) -> Any:
    """Instances ready over time, one step line per way of setting them up.

    Args:
        data: for each label (``"user data"``, ``"baked image"``), the seconds at which each
            instance became ready, as :func:`labkit.boot_model.compare` returns them.
        ax: a matplotlib Axes to draw on; a new figure's when omitted.

    Returns:
        The Axes drawn on.
    """
    from matplotlib.ticker import MaxNLocator

    ax = _axes(ax)
    for label, seconds in data.items():
        minutes = sorted(s / 60 for s in seconds)
        if not minutes:
            continue
        xs = [0.0, *minutes]
        ys = list(range(len(minutes) + 1))
        done = minutes[-1]
        ax.step(xs, ys, where="post", label=f"{label}: all {len(minutes)} ready at {done:.1f} min")
    ax.set_xlabel("minutes since the group started scaling out")
    ax.set_ylabel("instances ready")
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left")
    ax.set_title("Time to ready: installing at boot vs a baked image")
    return ax
