"""Both editions run: the instructor edition passes every check, the learner edition runs through.

The instructor edition is `notebooks/` itself; the learner edition is released into a temporary
folder, exactly as `labkit release` makes it for `make lab` and Binder.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from notebook_runner import run_cells

from labkit.release import release

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
LESSONS = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))


def check_results(notebook: nbformat.NotebookNode) -> list[tuple[str, str]]:
    """(source, shown text) of every executed cell that calls ``lab.check(``."""
    results = []
    for cell in notebook.cells:
        if cell.cell_type != "code" or "lab.check(" not in cell.source:
            continue
        shown = []
        for output in cell.outputs:
            if output.output_type == "stream":
                shown.append(output.text)
            elif output.output_type in ("execute_result", "display_data"):
                shown.append(output.data.get("text/plain", ""))
        results.append((cell.source, "".join(shown)))
    return results


def execute(path: Path) -> nbformat.NotebookNode:
    notebook = nbformat.read(path, as_version=4)
    return run_cells([c for c in notebook.cells if c.cell_type == "code"], cwd=path.parent)


@pytest.fixture(scope="module")
def learner_edition(tmp_path_factory) -> Path:
    """The learner edition of notebooks/, released into a temporary folder."""
    dest = tmp_path_factory.mktemp("learner")
    release(NOTEBOOKS, dest)
    return dest


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
class TestInstructorEdition:
    def test_every_check_passes(self, path):
        """With the solutions in place, every check cell shows ✅ and none shows ❌."""
        results = check_results(execute(path))
        assert results, f"{path.name} has no check cells"
        for source, shown in results:
            assert "✅" in shown and "❌" not in shown, f"{source!r} showed {shown!r}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
class TestLearnerEdition:
    def test_runs_to_the_end_with_answers_not_yet_given(self, path, learner_edition):
        """The learner edition runs without error; every check answers, at least one ❌."""
        results = check_results(execute(learner_edition / path.name))
        assert results, f"{path.name} has no check cells"
        for source, shown in results:
            assert "✅" in shown or "❌" in shown, f"{source!r} showed no verdict: {shown!r}"
        assert any("❌" in shown for _, shown in results), (
            f"every check of the learner edition of {path.name} passed without an answer"
        )
