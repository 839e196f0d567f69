"""What a lesson's setup cell loads ahead of its later cells: ipywidgets (in the setup cell, where
it has room), matplotlib and ipywidgets (in a background thread, in a notebook only), and the
endpoint's moto application when a cell that runs a program starts (only ``!aws`` and Packer need
it; it is made in a thread while the program starts).

Loading earlier changes no result: the widgets are the same classes (tests/widgets) and a chart
drawn after the background import is the same picture, byte for byte (below). These tests keep the
lists true to the notebooks and show each load happens only where it is listed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import nbformat
import pytest

from labkit.lab import _RUNS_A_PROGRAM, READIED_LATER, WIDGETS_READIED, import_in_background

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
IN_BACKGROUND = "amilab-imports"

PROBE = """
import json, sys, threading
{setup}
started = [t for t in threading.enumerate() if t.name == {name!r}]
for thread in started:
    thread.join()
print(json.dumps({{"ipywidgets": "ipywidgets" in sys.modules,
                  "matplotlib": "matplotlib.figure" in sys.modules,
                  "endpoint": "moto.moto_server.werkzeug_app" in sys.modules,
                  "thread": bool(started)}}))
"""
SETUP = "from labkit import Lab\nlab = Lab({lesson!r}, quiet=True)"
#: The setup cell run as a notebook runs it: in IPython, whose post_run_cell event then fires.
IN_A_NOTEBOOK = (
    "from IPython.core.interactiveshell import InteractiveShell\n"
    "InteractiveShell.instance().run_cell({cell!r}).raise_error()"
)


def lessons_whose_code_has(*words: str) -> set[str]:
    found = set()
    for path in NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"):
        notebook = nbformat.read(path, as_version=4)
        code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
        if any(word in code for word in words):
            found.add(path.stem)
    return found


def loaded_by_lab(lesson: str, in_a_notebook: bool) -> dict[str, bool]:
    """What a fresh interpreter holds after Lab(lesson), its background thread finished."""
    setup = SETUP.format(lesson=lesson)
    if in_a_notebook:
        setup = IN_A_NOTEBOOK.format(cell=setup)
    probe = PROBE.format(setup=setup, name=IN_BACKGROUND)
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def later(step: str) -> set[str]:
    return {lesson for lesson, steps in READIED_LATER.items() if step in steps}


class TestListsMatchTheNotebooks:
    def test_lessons_that_draw_load_matplotlib(self):
        """Every lesson that draws a chart (labkit.plots or the CostExplorer) loads matplotlib."""
        drawing = lessons_whose_code_has("plots.", "CostExplorer")
        assert drawing, "no notebook draws: the notebooks moved?"
        assert later("matplotlib") == drawing

    def test_lessons_that_show_a_widget_load_ipywidgets_once(self):
        """Every lesson that shows a widget loads ipywidgets, in its setup cell or in the
        background, not both."""
        showing = lessons_whose_code_has("labkit.widgets")
        assert showing, "no notebook uses labkit.widgets: the notebooks moved?"
        assert WIDGETS_READIED | later("ipywidgets") == showing
        assert WIDGETS_READIED.isdisjoint(later("ipywidgets"))

    def test_only_known_steps(self):
        assert {s for steps in READIED_LATER.values() for s in steps} <= {
            "matplotlib",
            "ipywidgets",
        }


class TestWhatLabLoads:
    def test_setup_cell_loads_ipywidgets_where_listed(self):
        """Lab('04-sharing') imports ipywidgets, in a notebook or not; no thread outside one."""
        assert loaded_by_lab("04-sharing", in_a_notebook=False) == {
            "ipywidgets": True,
            "matplotlib": False,
            "endpoint": False,
            "thread": False,
        }

    def test_nothing_for_a_lesson_without_widgets_or_charts(self):
        assert loaded_by_lab("00-welcome", in_a_notebook=True) == {
            "ipywidgets": False,
            "matplotlib": False,
            "endpoint": False,
            "thread": False,
        }

    def test_background_in_a_notebook(self):
        """In a notebook, Lab("07-...") loads matplotlib and ipywidgets in a thread."""
        assert loaded_by_lab("07-storage-and-pricing", in_a_notebook=True) == {
            "ipywidgets": True,
            "matplotlib": True,
            "endpoint": False,
            "thread": True,
        }

    def test_no_background_outside_a_notebook(self):
        """A script or a test (no IPython) starts no thread and imports no matplotlib; the
        endpoint makes moto's application at its first request."""
        assert loaded_by_lab("07-storage-and-pricing", in_a_notebook=False) == {
            "ipywidgets": False,
            "matplotlib": False,
            "endpoint": False,
            "thread": False,
        }


PROGRAM_CELL = """
import json, sys, threading
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
shell.run_cell("from labkit import Lab\\nlab = Lab('00-welcome', quiet=True)").raise_error()
shell.run_cell({cell!r}).raise_error()
for thread in [t for t in threading.enumerate() if t.name == "amilab-imports"]:
    thread.join()
print(json.dumps("moto.moto_server.werkzeug_app" in sys.modules))
"""


def endpoint_made_after(cell: str) -> bool:
    """In a fresh IPython, after a setup cell and then ``cell``: is moto's server app made?"""
    code = PROGRAM_CELL.format(cell=cell)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


class TestEndpointReadiedForPrograms:
    """The endpoint's moto application is made when a cell that runs a program starts, in a
    thread beside the program, and not before (it imports Flask: ~30 ms of a setup cell)."""

    @pytest.mark.parametrize(
        "cell",
        [
            "!aws ec2 describe-images",
            "%aws ec2 describe-images",
            "%%aws\nec2 describe-images",
            "x = 1\n  !aws --version",
            "run = packer.build(lab, template)",
        ],
    )
    def test_cells_that_run_a_program(self, cell):
        assert _RUNS_A_PROGRAM.search(cell)

    @pytest.mark.parametrize(
        "cell",
        [
            "ec2.describe_images()",
            "# the AWS CLI: aws ec2 describe-images",
            "laws = 1",
            "print('!aws')",
        ],
    )
    def test_cells_that_do_not(self, cell):
        assert not _RUNS_A_PROGRAM.search(cell)

    def test_not_made_by_other_cells(self):
        assert (
            endpoint_made_after("images = lab.client('ec2').describe_images(Owners=['self'])")
            is False
        )

    def test_made_when_a_program_cell_starts(self):
        assert endpoint_made_after("!aws --version > /dev/null") is True


CHART = """
import hashlib, sys, threading
from labkit.lab import import_in_background
from labkit.quick_matplotlib import ready_to_draw
if {background}:
    import_in_background([ready_to_draw]).join()
from labkit import plots
ax = plots.monthly_cost({{"as is": [3.0, 3.5, 4.0], "clean up": [3.0, 1.0, 1.0]}})
print(hashlib.sha256(plots.ChartPicture(ax.figure).png()).hexdigest())
"""


def chart_digest(background: bool) -> str:
    code = CHART.format(background=background)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


class TestBackgroundImport:
    def test_same_picture_after_a_background_import(self):
        """The twin: a chart after matplotlib was readied in the background is the same PNG."""
        assert chart_digest(background=True) == chart_digest(background=False)

    def test_a_failing_step_is_left_for_its_cell(self):
        """A step that raises stops nothing: the next one runs, and no error escapes the thread."""
        ran: list[str] = []
        escaped: list[object] = []
        saved = threading.excepthook
        threading.excepthook = escaped.append
        try:
            import_in_background([lambda: 1 / 0, lambda: ran.append("next")]).join()
        finally:
            threading.excepthook = saved
        assert ran == ["next"] and escaped == []

    def test_figure_class_waits_for_a_running_import(self):
        """Two threads asking for the Figure at once both get matplotlib's Figure."""
        code = (
            "import threading\n"
            "from labkit.quick_matplotlib import figure_class\n"
            "got = []\n"
            "threads = [threading.Thread(target=lambda: got.append(figure_class())) "
            "for _ in range(2)]\n"
            "[t.start() for t in threads]; [t.join() for t in threads]\n"
            "from matplotlib.figure import Figure\n"
            "print(len(got) == 2 and all(g is Figure for g in got))"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert out.stdout.strip().splitlines()[-1] == "True", out.stderr
