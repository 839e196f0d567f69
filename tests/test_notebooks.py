"""Every lesson runs top to bottom twice in a row in one kernel, and is stored clean."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from notebook_runner import run_cells

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]-*.ipynb"))


def _code_cells(path: Path) -> list[dict]:
    return [c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
class TestLesson:
    def test_stored_without_outputs(self, path):
        """Lessons are committed with no outputs and no execution counts."""
        for cell in _code_cells(path):
            assert cell["outputs"] == [] and cell["execution_count"] is None

    def test_runs_twice_in_one_kernel(self, path):
        """Run All, then Run All again in the same kernel, with no error."""
        notebook = nbformat.read(path, as_version=4)
        code = [c for c in notebook.cells if c.cell_type == "code"]
        run_cells(code * 2, cwd=path.parent)

    def test_has_the_lesson_shape(self, path):
        """Objectives, at least one checked exercise, key points and navigation."""
        text = path.read_text()
        assert "**Objectives" in text
        assert "### Exercise" in text and "lab.check(" in text
        assert "## Key points" in text
        assert "solution" in text
