"""Helpers for the reliability tests: the lessons, their check cells, and a network guard that runs
inside the kernel."""

from __future__ import annotations

from pathlib import Path

import nbformat

# What a check says when an exception escaped it (the reliability tests import it from here).
from labkit.checks import CHECK_BROKE as CHECK_BROKE

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
LESSONS = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))


def code_cells(path: Path) -> list[nbformat.NotebookNode]:
    """A notebook's code cells, in order."""
    notebook = nbformat.read(path, as_version=4)
    return [c for c in notebook.cells if c.cell_type == "code"]


def shown_text(cell: nbformat.NotebookNode) -> str:
    """Everything an executed cell showed, as text (streams, results, displays, errors)."""
    shown = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            shown.append(output.text)
        elif output.output_type in ("execute_result", "display_data"):
            shown.append(output.data.get("text/plain", ""))
        elif output.output_type == "error":
            shown.append("\n".join(output.traceback))
    return "".join(shown)


def check_results(notebook: nbformat.NotebookNode) -> list[tuple[str, str]]:
    """(source, shown text) of every executed cell that calls ``lab.check(``."""
    return [
        (cell.source, shown_text(cell))
        for cell in notebook.cells
        if cell.cell_type == "code" and "lab.check(" in cell.source
    ]
