"""A lesson's setup cell imports what its widgets share, for the lessons the list names.

Importing earlier changes no result (the widgets are the same classes, tests/widgets); these tests
keep the list true to the notebooks and show the import happens only where it is listed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from labkit.lab import WIDGETS_READIED

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
#: Lessons that show a widget but whose setup cell has no room for ipywidgets (see WIDGETS_READIED).
SETUP_CELL_FULL = {"07-storage-and-pricing"}

PROBE = """
import json, sys
from labkit import Lab
Lab({lesson!r}, quiet=True).stop()
print(json.dumps("ipywidgets" in sys.modules))
"""


def lessons_showing_widgets() -> set[str]:
    """The lessons whose code cells use labkit.widgets."""
    found = set()
    for path in NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"):
        notebook = nbformat.read(path, as_version=4)
        if any(
            "labkit.widgets" in cell.source for cell in notebook.cells if cell.cell_type == "code"
        ):
            found.add(path.stem)
    return found


def ipywidgets_imported_by_lab(lesson: str) -> bool:
    probe = PROBE.format(lesson=lesson)
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


class TestWidgetsReadied:
    def test_list_matches_the_notebooks(self):
        """Every lesson that shows a widget is listed, or named as having no room; nothing else."""
        showing = lessons_showing_widgets()
        assert showing, "no notebook uses labkit.widgets: the notebooks moved?"
        assert WIDGETS_READIED == showing - SETUP_CELL_FULL
        assert SETUP_CELL_FULL <= showing

    @pytest.mark.parametrize("lesson, expected", [("04-sharing", True), ("00-welcome", False)])
    def test_only_listed_lessons_import_ipywidgets(self, lesson, expected):
        """Lab('04-sharing') imports ipywidgets; Lab('00-welcome') does not."""
        assert ipywidgets_imported_by_lab(lesson) is expected
