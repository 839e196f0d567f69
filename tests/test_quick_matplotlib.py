"""The quick import of matplotlib's Figure (a speed hack) against matplotlib's own import: the same
pictures, byte for byte, and matplotlib left as it was found."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from labkit.quick_matplotlib import SHORT_PROPERTIES

DRAW_EVERY_CHART = """
import hashlib, json
{first_import}
from labkit import plots
from labkit.boot_model import compare
from matplotlib.lines import Line2D

axes = [
    plots.time_to_ready(compare(20, 3)),
    plots.monthly_cost({{"as is": [1.0, 2.0, 3.0], "clean up": [1.0, 0.5, 0.5]}}),
    plots.cost_by_region({{"us-east-1": 4.0, "eu-west-1": 2.5}}),
    plots.cost_by_image({{"web\\nus": 1.0, "old\\neu": 2.0}}, in_use=["web\\nus"]),
]
pictures = [plots.chart_outputs(ax.figure)[-1].png() for ax in axes]
print(json.dumps({{
    "pictures": [hashlib.sha256(p).hexdigest() for p in pictures],
    "short": SHORT in (Line2D.set.__doc__ or ""),
}}))
"""


def draw_every_chart(first_import: str) -> dict:
    code = "SHORT = " + repr(SHORT_PROPERTIES) + "\n"
    code += DRAW_EVERY_CHART.format(first_import=first_import)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


class TestTwin:
    def test_every_chart_is_the_same_picture(self):
        """Drawn after the quick import and after matplotlib's own, every chart's PNG is the
        same bytes; only the quick one left the short docstrings (it really ran)."""
        quick = draw_every_chart("from labkit.quick_matplotlib import figure_class; figure_class()")
        plain = draw_every_chart("import matplotlib.figure")
        assert quick["pictures"] == plain["pictures"]
        assert quick["short"] is True and plain["short"] is False

    def test_matplotlib_is_left_as_found(self):
        """kwdoc is matplotlib's own again, lists the properties, and no short answer stays in
        its cache of ``%(Line2D:kwdoc)s`` answers (docstrings written during the import keep it)."""
        code = (
            "import json\n"
            "import matplotlib.artist as artist\n"
            "original = artist.kwdoc\n"
            "from labkit.quick_matplotlib import figure_class\n"
            "Figure = figure_class()\n"
            "from matplotlib import _docstring\n"
            "from matplotlib.lines import Line2D\n"
            "import matplotlib.figure\n"
            "print(json.dumps([artist.kwdoc is original, 'linewidth' in artist.kwdoc(Line2D),\n"
            "    Figure is matplotlib.figure.Figure,\n"
            f"    [k for k, v in _docstring.interpd.params.items() if v == {SHORT_PROPERTIES!r}]]))"
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout.splitlines()[-1]) == [True, True, True, []]

    @pytest.mark.parametrize("name", ["kwdoc"])
    def test_its_target_is_where_it_was(self, name):
        """matplotlib still writes the property lists with artist.kwdoc (else the hack is a
        plain import, and this says so at the upgrade)."""
        import matplotlib.artist

        assert callable(getattr(matplotlib.artist, name, None))

    def test_a_moved_target_is_a_plain_import(self):
        """Where the seam finds no kwdoc to replace, the Figure is imported as matplotlib does."""
        code = (
            "from labkit import patches\n"
            "def moved(self, owner, name, new):\n"
            "    raise patches.PatchTargetError(name)\n"
            "patches.Patches.replace = moved\n"
            "from labkit.quick_matplotlib import figure_class\n"
            "Figure = figure_class()\n"
            "import matplotlib.figure\n"
            "from matplotlib.lines import Line2D\n"
            "print(Figure is matplotlib.figure.Figure, 'labkit' in Line2D.set.__doc__)"
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert done.stdout.strip() == "True False", done.stderr


class TestTextSizesOf:
    """A chart's picture measures each label once: on the renderer that found its crop box."""

    def test_the_cropped_picture_measures_no_text_again(self, monkeypatch):
        from matplotlib.backends.backend_agg import RendererAgg

        from labkit import plots

        measured: list[int] = []
        measure = RendererAgg.get_text_width_height_descent

        def counting(self, *args, **kwargs):
            measured.append(id(self))
            return measure(self, *args, **kwargs)

        monkeypatch.setattr(RendererAgg, "get_text_width_height_descent", counting)
        ax = plots.monthly_cost({"as is": [3.0, 3.5, 4.0], "clean up": [3.0, 1.0, 1.0]})
        plots.ChartPicture(ax.figure).png()

        assert measured and len(set(measured)) == 1  # one renderer measured everything

    def test_matplotlib_is_as_it_was_after_the_block(self):
        from matplotlib import text
        from matplotlib.backends.backend_agg import RendererAgg

        from labkit.quick_matplotlib import text_sizes_of

        before = text._get_text_metrics_function
        with text_sizes_of(RendererAgg(10, 10, 100)):
            assert text._get_text_metrics_function is not before
        assert text._get_text_metrics_function is before
