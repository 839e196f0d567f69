"""Lesson charts draw on the Axes they are given and return it."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from labkit import plots  # noqa: E402
from labkit.boot_model import compare  # noqa: E402


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
