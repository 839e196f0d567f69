"""What the lesson-wide tests read from a lesson: its exercises (solution cell, check cell), and
the cells above each, as the learner edition shows them."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from labkit.tools.release import BANNER_ID, BEGIN, END, SOLUTION_TAG, learner_notebook

ROOT = Path(__file__).resolve().parents[2]
#: Every lesson that exists, 00 to 10 and beyond: the tests guard lessons written later too.
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
_CHECK_CALL = re.compile(r"""\blab\.check\(\s*(["'])(?P<id>[^"']+)\1""")


def lesson_id(path: Path) -> str:
    return path.stem


def number(path: Path) -> str:
    return path.stem[:2]


@dataclass(frozen=True)
class Exercise:
    """One exercise of a lesson: its worked solution and what the learner sees above it."""

    lesson: str
    index: int  # the solution cell's index in the notebook
    solution: str  # the lines between BEGIN and END SOLUTION
    above: list[dict]  # every cell above the solution cell, as the learner edition shows it


def solution_lines(source: str) -> str:
    """The lines between ``### BEGIN SOLUTION`` and ``### END SOLUTION``."""
    inside, kept = False, []
    for line in source.splitlines():
        if line.strip() == BEGIN:
            inside = True
        elif line.strip() == END:
            inside = False
        elif inside:
            kept.append(line)
    return "\n".join(kept)


def _source(cell: dict) -> str:
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)


def exercises(path: Path) -> list[Exercise]:
    """Every solution cell of the lesson, with the learner edition's cells above it."""
    notebook = json.loads(path.read_text())
    learner = learner_notebook(notebook, path.name)["cells"]
    found = []
    for index, cell in enumerate(notebook["cells"]):
        tags = cell.get("metadata", {}).get("tags", [])
        if cell["cell_type"] != "code" or SOLUTION_TAG not in tags:
            continue
        above = _learner_cells_above(notebook["cells"][:index], learner)
        found.append(Exercise(path.stem, index, solution_lines(_source(cell)), above))
    return found


def _learner_cells_above(instructor_above: list[dict], learner: list[dict]) -> list[dict]:
    """The learner edition's version of the given instructor cells (solutions taken out).

    The release adds one banner cell first and leaves out markdown cells tagged ``solution``.
    """
    kept = [
        c
        for c in instructor_above
        if not (
            c["cell_type"] == "markdown" and SOLUTION_TAG in c.get("metadata", {}).get("tags", [])
        )
    ]
    banner = 1 if learner and learner[0].get("id") == BANNER_ID else 0
    return [dict(c, source=_source(c)) for c in learner[banner : banner + len(kept)]]


def check_cells(path: Path) -> list[str]:
    """The source of every ``lab.check(...)`` cell of the lesson, in order."""
    cells = nbformat.read(path, as_version=4).cells
    return [c.source for c in cells if c.cell_type == "code" and _CHECK_CALL.search(c.source)]


def check_id(source: str) -> str:
    match = _CHECK_CALL.search(source)
    assert match, source
    return match["id"]


def lesson_cases(pending: Mapping[str, str], skip: tuple[str, ...] = ()) -> list:
    """Every lesson as a pytest parameter; one named in ``pending`` is a strict xfail, its reason
    what is still missing (strict: once it passes, the test says to take it off the list)."""
    cases = []
    for path in LESSONS:
        if number(path) in skip:
            continue
        marks = []
        if number(path) in pending:
            marks.append(pytest.mark.xfail(reason=pending[number(path)], strict=True))
        cases.append(pytest.param(path, marks=marks, id=path.stem))
    return cases
