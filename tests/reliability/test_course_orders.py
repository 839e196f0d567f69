"""All the lessons in one kernel, last to first: no lesson depends on another having run, or on
not having run; and the learner edition, answers not yet given, says "not yet" in every check."""

from __future__ import annotations

import pytest
from course import CHECK_BROKE, LESSONS, NOTEBOOKS, check_results, code_cells, shown_text
from notebook_runner import run_cells

from labkit.checks import SKIPPED
from labkit.packer import find_packer
from labkit.tools.release import release


def _skipped_here(shown: str) -> bool:
    """Lesson 10's checks answer "skipped" (neither ✅ nor ❌) where Packer is missing."""
    return find_packer() is None and shown.startswith(f"{SKIPPED} packer-")


@pytest.fixture(autouse=True)
def _progress_kept_out_of_home(tmp_path, monkeypatch):
    monkeypatch.setenv("AMILAB_PROGRESS", str(tmp_path / "progress.json"))


def _reversed_in_one_kernel(folder):
    cells = [cell for path in reversed(LESSONS) for cell in code_cells(folder / path.name)]
    return run_cells(cells, cwd=folder, timeout=300)


@pytest.mark.skipif(len(LESSONS) < 2, reason="needs two lessons")
class TestReverseOrder:
    def test_instructor_edition_last_to_first(self):
        """Every lesson, 08 down to 00, in one kernel: every check passes."""
        results = check_results(_reversed_in_one_kernel(NOTEBOOKS))
        assert len(results) >= len(LESSONS)
        for source, shown in results:
            passed = "✅" in shown and "❌" not in shown
            assert passed or _skipped_here(shown), f"{source!r} showed {shown!r}"

    def test_learner_edition_last_to_first(self, tmp_path):
        """The learner edition, 08 down to 00, in one kernel: every check says ✅ or "not yet"
        (❌ with what it expected), never that it broke, and no cell shows a traceback."""
        release(NOTEBOOKS, tmp_path)
        notebook = _reversed_in_one_kernel(tmp_path)
        for cell in notebook.cells:
            assert "Traceback" not in shown_text(cell), cell.source
        results = check_results(notebook)
        assert any("❌" in shown for _, shown in results)
        for source, shown in results:
            marked = ("✅" in shown) != ("❌" in shown)
            assert marked or _skipped_here(shown), f"{source!r} showed {shown!r}"
            assert CHECK_BROKE not in shown, f"{source!r} broke: {shown!r}"
