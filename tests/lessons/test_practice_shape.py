"""The shape issue 18 asks of every lesson ("Practice in every lesson"): short markdown cells, at
least two "predict, then run" prompts, and the AWS CLI beside the key calls (issue 17).

Lessons another helper brings in line in parallel are marked with a strict xfail naming the
lesson and why; the lead removes each once its branch is merged."""

from __future__ import annotations

import json
import re

import pytest
from lesson_cells import lesson_cases

#: "markdown cells ≤ ~120 words": 120, and a little room for a link or a code span.
MOST_WORDS = 130
#: "**Predict.**", "**Predict, then run.**", "**Predict** in one line…": the learner guesses first.
PREDICT = re.compile(r"\*\*Predict\b")
CLI = "**The same with the AWS CLI.**"
_NAVIGATION = re.compile(r"^---\n\*\*(Previous|Next):.*", re.M | re.S)

NOT_YET_SHORT: dict[str, str] = {}
NOT_YET_PREDICTING: dict[str, str] = {}


def _markdown(path) -> list[str]:
    cells = json.loads(path.read_text())["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]


@pytest.mark.parametrize("path", lesson_cases(NOT_YET_SHORT))
def test_markdown_cells_are_short(path):
    """One idea per cell: no markdown cell (key points included) over ~120 words."""
    long = []
    for text in _markdown(path):
        words = len(_NAVIGATION.sub("", text).split())
        if words > MOST_WORDS:
            long.append(f"{words} words: {text[:50]!r}")
    assert not long, f"{path.name} has long markdown cells: {long}"


@pytest.mark.parametrize("path", lesson_cases(NOT_YET_PREDICTING, skip=("00",)))
def test_at_least_two_predictions(path):
    """Before surprising results, the learner predicts in one line, then runs (lessons 01 on)."""
    count = sum(len(PREDICT.findall(text)) for text in _markdown(path))
    assert count >= 2, f"{path.name} asks for {count} predictions, fewer than two"


NO_CLI_YET: dict[str, str] = {}


@pytest.mark.parametrize("path", lesson_cases(NO_CLI_YET))
def test_the_cli_beside_key_calls(path):
    """At least one "The same with the AWS CLI." cell, followed by a %aws or !aws cell."""
    cells = json.loads(path.read_text())["cells"]
    found = [
        i
        for i, cell in enumerate(cells[:-1])
        if cell["cell_type"] == "markdown"
        and "".join(cell["source"]).startswith(CLI)
        and re.search(r"^\s*[%!]+aws\b", "".join(cells[i + 1]["source"]), re.M)
    ]
    assert found, f"{path.name} shows no AWS CLI command beside its key calls"
