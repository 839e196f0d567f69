"""Every lesson runs top to bottom three times in one kernel, as learners and instructors run it:
the learner edition (every check answers ❌ "not yet", never a traceback), then with the solutions
twice in a row (every check answers ✅ both times). Each lesson is stored clean.

Both editions in one kernel cover what CI promises: the instructor edition passes every check, and
the learner edition, exactly as ``labkit release`` writes it, runs to the end.

The kernel is sealed (``notebook_runner.sealed_kernel``): AWS keys and a profile are set in its
environment and in credentials files, and a guard in the kernel fails the run on any lookup or
connection beyond loopback, and on any read of those files."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from notebook_runner import NOT_YET, PASSED, SKIPPED, check_answers, run_sealed

from labkit.checks import CHECK_BROKE
from labkit.packer import find_packer
from labkit.tools.release import learner_notebook

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]-*.ipynb"))


def _marks(path: Path, mark: str) -> tuple[str, ...]:
    """The marks a lesson's checks may show where ``mark`` is expected: lesson 10's also
    "skipped" where Packer is missing (its checks cannot judge a build that could not run)."""
    if path.stem == "10-packer" and find_packer() is None:
        return (mark, SKIPPED)
    return (mark,)


def _code_cells(path: Path) -> list[dict]:
    return [c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]


def _learner_code_cells(path: Path) -> list[nbformat.NotebookNode]:
    """The code cells of the lesson's learner edition, as ``labkit release`` writes it."""
    edition = nbformat.from_dict(learner_notebook(json.loads(path.read_text()), path.name))
    return [c for c in edition.cells if c.cell_type == "code"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
class TestLesson:
    def test_stored_without_outputs(self, path):
        """Lessons are committed with no outputs and no execution counts."""
        for cell in _code_cells(path):
            assert cell["outputs"] == [] and cell["execution_count"] is None

    def test_runs_learner_then_solved_twice_in_one_kernel(self, path, tmp_path, monkeypatch):
        """Run All of the learner edition, then Run All with the solutions twice, in one sealed
        kernel: no error, nothing leaves the machine; every check answers ❌ (not a traceback),
        then ✅, then ✅ again."""
        monkeypatch.setenv("AMILAB_PROGRESS", str(tmp_path / "progress.json"))  # not ~/.amilab
        learner = _learner_code_cells(path)
        instructor = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
        cells = learner + instructor + instructor
        executed = run_sealed(cells, cwd=path.parent, folder=tmp_path / "sealed").cells
        first, second = len(learner), len(learner) + len(instructor)
        not_yet = check_answers(executed[:first])
        solved = check_answers(executed[first:second])
        solved_again = check_answers(executed[second:])

        assert solved, f"{path.name} has no lab.check(...) cell"
        exercises = [a.exercise for a in solved]
        assert [a.exercise for a in not_yet] == exercises == [a.exercise for a in solved_again]
        for answer in not_yet:
            assert answer.mark in _marks(path, NOT_YET) and CHECK_BROKE not in answer.message, (
                f"learner edition of {path.name}, answers not given yet: {answer}"
            )
        for run, answers in (("first", solved), ("second", solved_again)):
            for answer in answers:
                assert answer.mark in _marks(path, PASSED), (
                    f"{path.name} with its solutions, {run} run: {answer}"
                )

    def test_has_the_lesson_shape(self, path):
        """Objectives, at least one checked exercise, key points and navigation."""
        text = path.read_text()
        assert "**Objectives" in text
        assert "### Exercise" in text and "lab.check(" in text
        assert "## Key points" in text
        assert "solution" in text


def _executed_check_cell(source: str, *outputs: dict) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = [nbformat.from_dict(o) for o in outputs]
    return cell


def _result(text: str, page: str) -> dict:
    return {
        "output_type": "execute_result",
        "execution_count": 1,
        "metadata": {},
        "data": {"text/plain": text, "text/html": page},
    }


class TestCheckAnswers:
    def test_a_check_result_gives_its_mark(self):
        """A cell whose result is the named exercise's CheckResult answers that result's mark."""
        from labkit.checks import CheckResult

        shown = CheckResult("demo-exercise", False, "not yet", "try this")
        cell = _executed_check_cell(
            'lab.check("demo-exercise", image_id=my_image_id)',
            _result(repr(shown), shown._repr_html_()),
        )
        [answer] = check_answers([cell])
        assert (answer.exercise, answer.mark) == ("demo-exercise", NOT_YET)
        assert answer.message == "❌ demo-exercise: Not yet — not yet\n   Try: try this"

    def test_another_exercise_or_a_traceback_gives_no_mark(self):
        """Another exercise's result, a printed mark or an error is not the cell's answer."""
        other = _executed_check_cell(
            'lab.check("demo-exercise")',
            _result("✅ other: Passed — done", "✅ <b>other</b>: <b>Passed</b> — done"),
        )
        # The mark without its word (the format before verdicts were words) is not an answer.
        unworded = _executed_check_cell(
            'lab.check("demo-exercise")',
            _result("✅ demo-exercise: done", "✅ <b>demo-exercise</b>: done"),
        )
        printed = _executed_check_cell(
            "lab.check('demo-exercise'); print('✅ demo-exercise: done')",
            {"output_type": "stream", "name": "stdout", "text": "✅ demo-exercise: done\n"},
        )
        raised = _executed_check_cell(
            'lab.check("demo-exercise")',
            {"output_type": "error", "ename": "NameError", "evalue": "oops", "traceback": []},
        )
        answers = check_answers(
            [other, unworded, printed, raised, nbformat.v4.new_markdown_cell("x")]
        )
        assert [a.mark for a in answers] == [None, None, None, None]
        assert answers[3].message == "NameError: oops"


class TestPackerHidden:
    def test_lesson_10s_learner_edition_runs_to_the_end_without_packer(self, tmp_path, monkeypatch):
        """With Packer hidden (``AMILAB_PACKER=``, as on a machine without it), the learner
        edition of lesson 10 runs to the end: each exercise's check answers "skipped" (no ❌, no
        traceback), and each cell that builds says how to install Packer."""
        from labkit.packer import INSTALL_HELP

        monkeypatch.setenv("AMILAB_PACKER", "")
        monkeypatch.setenv("AMILAB_PROGRESS", str(tmp_path / "progress.json"))
        path = next(p for p in NOTEBOOKS if p.stem == "10-packer")
        learner = _learner_code_cells(path)
        executed = run_sealed(learner, cwd=path.parent, folder=tmp_path / "sealed").cells
        answers = check_answers(executed)
        assert answers and all(a.mark == SKIPPED for a in answers), answers
        builds = [c for c in executed if "packer.build(lab, " in c.source and "..." not in c.source]
        assert builds, "the learner edition has no cell that runs a build"
        for cell in builds:
            shown = "".join(
                o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in cell.outputs
            )
            assert INSTALL_HELP.splitlines()[0] in shown, (cell.source, shown)
        first_packer_cell = next(c for c in executed if "packer.find_packer()" in c.source)
        assert "apt-get install packer" in "".join(
            o.get("text", "") for o in first_packer_cell.outputs
        )
