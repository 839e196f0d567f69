"""Lesson charts draw on the Axes they are given and return it; without one, on a Figure of
their own (no pyplot), which a notebook shows once as a PNG under its "Chart: …" paragraph."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from matplotlib.figure import Figure
from notebook_runner import run_cells

from labkit import plots
from labkit.boot_model import compare


def new_axes():
    """A bare Figure and its Axes (a Figure without pyplot needs no closing)."""
    figure = Figure()
    return figure, figure.subplots()


SAMPLE = Path(__file__).resolve().parent / "data" / "price-list-sample.json"


class TestTimeToReady:
    def test_draws_one_line_per_way(self):
        """Two labelled step lines, each ending at the fleet size."""
        fig, ax = new_axes()
        returned = plots.time_to_ready(compare(5, 3), ax=ax)
        assert returned is ax
        lines = ax.get_lines()
        assert len(lines) == 2
        assert [line.get_ydata()[-1] for line in lines] == [5, 5]
        labels = [text.get_text() for text in ax.get_legend().get_texts()]
        assert labels[0].startswith("user data: all 5 ready at")

    def test_makes_axes_when_none_given(self):
        """Without ax, it makes a new figure's Axes."""
        ax = plots.time_to_ready({"baked image": [70.0, 76.0]})
        assert ax.get_xlabel() == "minutes since the group started scaling out"


class TestMonthlyCost:
    def test_one_line_per_plan_with_units_and_date(self):
        """A line per plan over 12 months; axes in months and USD a month, with the date."""
        from labkit import pricing

        table = pricing.prices()
        fig, ax = new_axes()
        returned = plots.monthly_cost({"as is": [1.9] * 12, "clean up": [1.9] * 3 + [0.4] * 9}, ax)
        assert returned is ax
        assert [len(line.get_xdata()) for line in ax.get_lines()] == [12, 12]
        assert ax.get_xlabel() == "month from now"
        assert ax.get_ylabel() == f"USD per month (list prices as of {table.as_of})"
        labels = [text.get_text() for text in ax.get_legend().get_texts()]
        assert labels == ["as is: $22.80 over 12 months", "clean up: $9.30 over 12 months"]

    def test_refreshed_table_dates_the_axis(self):
        """A refreshed price table's date labels the axis."""
        from labkit.pricing import PriceTable

        table = PriceTable.from_price_list(SAMPLE)
        ax = plots.monthly_cost({"as is": [1.0, 1.0]}, table=table)
        assert ax.get_ylabel().endswith("as of 2025-02-20)")

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

    def test_cost_by_image_dearest_first_in_use_marked(self):
        """Images dearest first; the one in use is named so and hatched."""
        fig, ax = new_axes()
        plots.cost_by_image({"ami-web": 0.4, "ami-old": 1.0}, ax, in_use=["ami-web"])
        names = [t.get_text() for t in ax.get_xticklabels()]
        assert names == ["ami-old", "ami-web (in use)"]
        assert [p.get_hatch() for p in ax.patches] == [None, "//"]

    def test_no_costs(self):
        """An empty mapping is a ValueError."""
        with pytest.raises(ValueError, match="no costs"):
            plots.cost_by_region({})


class TestTextAlternative:
    """Every chart says what it shows in words, with the numbers behind it (WCAG 1.1.1)."""

    def test_time_to_ready(self):
        ax = plots.time_to_ready({"user data": [60.0, 120.0], "baked image": [30.0, 36.0]})
        text = plots.text_alternative(ax)
        assert "user data: all 2 ready at 2.0 min" in text
        assert "baked image: all 2 ready at 0.6 min" in text

    def test_monthly_cost(self):
        ax = plots.monthly_cost({"as is": [1.0, 2.0, 3.0], "clean up": [1.0, 0.5, 0.5]})
        text = plots.text_alternative(ax)
        assert text.startswith("Monthly snapshot storage of the image estate, USD per month")
        assert "as is: $1.00 in month 1, $3.00 in month 3, $6.00 in all" in text
        assert "clean up: $1.00 in month 1, $0.50 in month 3, $2.00 in all" in text

    def test_bars_name_each_amount_and_stop_after_twelve(self):
        ax = plots.cost_by_region({"us-east-1": 4.0, "eu-west-1": 2.5})
        assert "us-east-1 $4.00; eu-west-1 $2.50." in plots.text_alternative(ax)
        many = {f"ami-{n:02d}": float(n) for n in range(1, 16)}
        ax = plots.cost_by_image(many, in_use=["ami-15"])
        text = plots.text_alternative(ax)
        assert text.count("$") == 12 and text.endswith("; and 3 more.")
        assert "ami-15 (in use) $15.00" in text  # dearest first, and its use in words

    def test_html_says_chart(self):
        ax = plots.cost_by_region({"us-east-1": 4.0})
        shown = plots.ChartText(plots.text_alternative(ax))._repr_html_()
        assert shown.startswith('<p class="amilab-chart-text"><b>Chart:</b> Monthly')

    def test_axes_without_a_chart(self):
        fig, ax = new_axes()
        with pytest.raises(ValueError, match="no labkit.plots chart"):
            plots.text_alternative(ax)
        with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
            plots.text_alternative("not an axes")


class TestPictureCroppedAsSavefigDoes:
    """ChartPicture.png finds the tight box itself (one layout pass less): the bytes must be
    those of matplotlib's own ``savefig(bbox_inches="tight")``, for every kind of chart."""

    @pytest.mark.parametrize(
        "draw",
        [
            lambda: plots.time_to_ready(compare(count=5, packages=3)),
            lambda: plots.monthly_cost({"as is": [3.0, 3.5, 4.0], "clean up": [3.0, 1.0, 1.0]}),
            lambda: plots.cost_by_region({"us-east-1": 4.2, "eu-west-1": 1.1}),
            lambda: plots.cost_by_image({"web\nus-east-1": 2.0, "analytics\nus-east-1": 5.5}),
        ],
        ids=["time_to_ready", "monthly_cost", "cost_by_region", "cost_by_image"],
    )
    def test_same_bytes_as_savefig_tight(self, draw):
        import io

        ours = plots.ChartPicture(draw().figure).png()
        buffer = io.BytesIO()
        draw().figure.savefig(buffer, format="png", bbox_inches="tight", facecolor="white")
        assert ours == buffer.getvalue()


class TestWithoutPyplot:
    """Charts draw on a Figure of their own: labkit never imports matplotlib.pyplot."""

    def test_drawing_every_chart_imports_no_pyplot(self):
        """In a fresh interpreter, every chart (and the cost explorer's picture) draws, and
        pyplot is never imported."""
        code = (
            "import json, sys\n"
            "from labkit import plots\n"
            "from labkit.boot_model import compare\n"
            "plots.time_to_ready(compare(5, 3))\n"
            "plots.monthly_cost({'as is': [1.0, 2.0]})\n"
            "plots.cost_by_region({'us-east-1': 1.0})\n"
            "ax = plots.cost_by_image({'ami-1': 1.0}, in_use=['ami-1'])\n"
            "png = plots.chart_outputs(ax.figure)[-1].png()\n"
            "from labkit.widgets import CostExplorer\n"
            "CostExplorer().plot_png\n"
            "print(json.dumps(['matplotlib.pyplot' in sys.modules, png[:4].hex()]))\n"
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout.splitlines()[-1]) == [False, b"\x89PNG".hex()]

    def test_no_labkit_module_imports_pyplot(self):
        """Not one module of labkit imports matplotlib.pyplot (or pylab), even lazily."""
        import ast

        import labkit

        found = []
        for path in Path(labkit.__file__).parent.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
                found += [f"{path.name}: {n}" for n in names if n.endswith(("pyplot", "pylab"))]
        assert found == []

    def test_importing_plots_loads_no_matplotlib(self):
        """matplotlib loads when a chart is first drawn, not when labkit.plots is imported."""
        code = "import sys\nfrom labkit import plots\nprint('matplotlib' in sys.modules)"
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert done.stdout.strip() == "False", done.stderr

    def test_outputs_are_the_paragraph_then_the_picture(self):
        """A figure shows its chart's "Chart: …" paragraph, then one PNG whose plain text is the
        same words."""
        ax = plots.cost_by_region({"us-east-1": 4.0})
        text, picture = plots.chart_outputs(ax.figure)
        assert text == plots.text_alternative(ax)
        bundle = picture._repr_mimebundle_()
        assert bundle["image/png"].startswith(b"\x89PNG")
        assert bundle["text/plain"] == f"Chart: {text}"


CELLS = [
    "import sys\nfrom matplotlib.figure import Figure\nfrom labkit import boot_model, plots",
    "ax = plots.time_to_ready(boot_model.compare(5, 3))\nax.set_title('changed in the cell')",
    "plots.cost_by_region({'us-east-1': 4.0});",
    "plots.cost_by_region({'us-east-1': 4.0}, Figure().subplots());",  # the caller's to show
    "print('matplotlib.pyplot' in sys.modules)",
]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """The outputs of CELLS, run in a fresh kernel."""
    cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    executed = run_cells(cells, tmp_path_factory.mktemp("plots"))
    return [cell.outputs for cell in executed.cells]


class TestInANotebook:
    def test_a_chart_shows_once_under_its_paragraph(self, outputs):
        """Each chart a cell draws shows once, after the cell: its paragraph, then its PNG; the
        Axes a cell leaves as its value shows as nothing more."""
        for drawn in (outputs[1], outputs[2]):
            kinds = [sorted(o.get("data", {})) for o in drawn]
            assert kinds[-2:] == [["text/html", "text/plain"], ["image/png", "text/plain"]]
            assert sum("image/png" in o.get("data", {}) for o in drawn) == 1
            assert 'class="amilab-chart-text"' in drawn[-2]["data"]["text/html"]

    def test_a_figure_of_the_callers_own_is_not_shown(self, outputs):
        assert outputs[3] == []

    def test_the_kernel_never_imported_pyplot(self, outputs):
        assert outputs[4][0]["text"].strip() == "False"
