"""labkit.tools.release: the learner edition keeps what learners need, none of the solutions."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from labkit.tools.release import BANNER_ID, MANIFEST, STUB, ReleaseError, learner_notebook, release

ROOT = Path(__file__).resolve().parents[2]


def code(source: str, tags: tuple[str, ...] = (), **extra) -> dict:
    cell = {"cell_type": "code", "id": f"c{abs(hash(source)) % 10**8}", "metadata": {}}
    cell.update({"source": source, "outputs": [], "execution_count": None, **extra})
    if tags:
        cell["metadata"]["tags"] = list(tags)
    return cell


def markdown(source: str, tags: tuple[str, ...] = ()) -> dict:
    cell = {"cell_type": "markdown", "id": f"m{abs(hash(source)) % 10**8}", "metadata": {}}
    cell["source"] = source
    if tags:
        cell["metadata"]["tags"] = list(tags)
    return cell


def notebook(*cells: dict) -> dict:
    return {
        "cells": list(cells),
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


ANSWER = code(
    'my_image_id = ...  # your answer\n### BEGIN SOLUTION\nmy_image_id = "ami-1"\n### END SOLUTION',
    ("solution",),
)


def sources(nb: dict) -> list[str]:
    return [c["source"] for c in nb["cells"] if c["id"] != BANNER_ID]


class TestLearnerNotebook:
    def test_keeps_the_lines_outside_the_markers(self):
        """An answer cell keeps `my_image_id = ...` and loses the worked solution."""
        assert sources(learner_notebook(notebook(ANSWER))) == ["my_image_id = ...  # your answer"]

    def test_a_cell_that_is_all_solution_becomes_the_stub(self):
        """A solution cell with nothing outside its markers reads `# your code here` / `...`."""
        cell = code("### BEGIN SOLUTION\nec2.run_instances()\n### END SOLUTION", ("solution",))
        assert sources(learner_notebook(notebook(cell))) == [STUB]

    def test_a_tagged_cell_without_markers_is_all_solution(self):
        """nbgrader's rule: a `solution` cell without markers is replaced whole by the stub."""
        cell = code("ec2.run_instances()", ("solution",))
        assert sources(learner_notebook(notebook(cell))) == [STUB]

    def test_untagged_cells_lose_their_solutions_too(self):
        """Markers in a cell someone forgot to tag still keep the solution out."""
        cell = code("x = ...\n### BEGIN SOLUTION\nx = 1\n### END SOLUTION")
        assert sources(learner_notebook(notebook(cell))) == ["x = ..."]

    def test_markdown_solutions_are_removed(self):
        """A markdown cell tagged `solution` (a <details> block) is left out."""
        details = markdown("<details><summary>Solution</summary>x = 1</details>", ("solution",))
        result = learner_notebook(notebook(markdown("# Title"), details))
        assert sources(result) == ["# Title"]

    def test_checks_and_narrative_are_kept(self):
        """Check cells, narrative and other code are kept word for word."""
        cells = [markdown("## Section"), code("images = ec2.describe_images()"), ANSWER]
        cells.append(code('lab.check("welcome-find-image", image_id=my_image_id)'))
        result = sources(learner_notebook(notebook(*cells)))
        assert result[:2] == ["## Section", "images = ec2.describe_images()"]
        assert result[3] == 'lab.check("welcome-find-image", image_id=my_image_id)'

    def test_outputs_counts_and_solution_tag_are_cleared(self):
        """Outputs and execution counts go; the `solution` tag goes, other tags stay."""
        ran = code(
            "### BEGIN SOLUTION\nx = 1\n### END SOLUTION",
            ("solution", "keep-me"),
            outputs=[{"output_type": "stream", "name": "stdout", "text": "1\n"}],
        )
        ran["execution_count"] = 3
        ran["metadata"]["execution"] = {"iopub.status.busy": "2025-03-03"}
        (cell,) = [c for c in learner_notebook(notebook(ran))["cells"] if c["id"] != BANNER_ID]
        assert cell["outputs"] == [] and cell["execution_count"] is None
        assert cell["metadata"] == {"tags": ["keep-me"]}

    def test_a_banner_opens_the_notebook_once(self):
        """The first cell says it is the learner edition; releasing it again adds no second one."""
        once = learner_notebook(notebook(markdown("# Title")))
        twice = learner_notebook(once)
        assert once["cells"][0]["id"] == BANNER_ID
        assert "Learner edition" in once["cells"][0]["source"]
        assert twice == once

    def test_the_result_is_a_valid_notebook(self):
        """The learner edition validates against the nbformat 4 schema."""
        nbformat.validate(nbformat.from_dict(learner_notebook(notebook(ANSWER))))

    def test_the_instructor_notebook_is_left_alone(self):
        """Making the learner edition does not change the notebook it was given."""
        original = notebook(ANSWER)
        before = json.dumps(original, sort_keys=True)
        learner_notebook(original)
        assert json.dumps(original, sort_keys=True) == before

    @pytest.mark.parametrize(
        "source, message",
        [
            ("### BEGIN SOLUTION\nx = 1", "the solution opened on line 1 is never closed"),
            ("x = 1\n### END SOLUTION", "line 2 closes a solution that was never opened"),
            (
                "### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION",
                "line 2 opens a solution inside the one opened on line 1; "
                "close it first with '### END SOLUTION'",
            ),
        ],
        ids=["no-end", "no-begin", "nested"],
    )
    def test_unbalanced_markers_are_refused(self, source, message):
        """Markers that do not pair up stop the release, naming the notebook, cell and line."""
        cell = code(source, ("solution",))
        with pytest.raises(ReleaseError) as error:
            learner_notebook(notebook(markdown("# T"), cell), "01-x.ipynb")
        assert str(error.value) == f"01-x.ipynb, cell 2 (id {cell['id']}): {message}"


@pytest.fixture
def course(tmp_path) -> Path:
    """A small instructor edition: two lessons, a figure, and tool leftovers."""
    src = tmp_path / "notebooks"
    (src / "figures").mkdir(parents=True)
    (src / "00-a.ipynb").write_text(json.dumps(notebook(markdown("# A"), ANSWER)))
    (src / "01-b.ipynb").write_text(json.dumps(notebook(markdown("# B"))))
    (src / "figures" / "01-plot.png").write_bytes(b"\x89PNG fake")
    (src / ".ipynb_checkpoints").mkdir()
    (src / ".ipynb_checkpoints" / "00-a-checkpoint.ipynb").write_text("{}")
    (src / "__pycache__").mkdir()
    (src / "__pycache__" / "x.pyc").write_bytes(b"")
    return src


class TestRelease:
    def test_writes_every_notebook_and_the_files_they_need(self, course, tmp_path):
        """Every lesson and figure arrives in DEST; checkpoints and caches do not."""
        dest = tmp_path / "learner"
        report = release(course, dest)
        files = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file())
        assert files == [MANIFEST, "00-a.ipynb", "01-b.ipynb", "figures/01-plot.png"]
        assert report.notebooks == ["00-a.ipynb", "01-b.ipynb"]
        assert (dest / "figures" / "01-plot.png").read_bytes() == b"\x89PNG fake"
        assert "### BEGIN SOLUTION" not in (dest / "00-a.ipynb").read_text()

    def test_is_idempotent(self, course, tmp_path):
        """A second release writes nothing and leaves every byte as it was."""
        dest = tmp_path / "learner"
        release(course, dest)
        before = {p: p.read_bytes() for p in dest.rglob("*") if p.is_file()}
        report = release(course, dest)
        assert report.written == [] and report.kept == []
        assert {p: p.read_bytes() for p in dest.rglob("*") if p.is_file()} == before

    def test_keeps_a_notebook_the_learner_changed(self, course, tmp_path):
        """A learner's edited notebook is kept, and named in the report, when the course changes."""
        dest = tmp_path / "learner"
        release(course, dest)
        (dest / "00-a.ipynb").write_text("my work")
        (course / "00-a.ipynb").write_text(json.dumps(notebook(markdown("# A, revised"))))
        report = release(course, dest)
        assert report.kept == ["00-a.ipynb"]
        assert (dest / "00-a.ipynb").read_text() == "my work"
        assert any("kept" in line and "--force" in line for line in report.lines())

    def test_force_replaces_a_changed_notebook(self, course, tmp_path):
        """With force, the learner edition replaces a changed notebook."""
        dest = tmp_path / "learner"
        release(course, dest)
        (dest / "00-a.ipynb").write_text("my work")
        assert release(course, dest, force=True).written == ["00-a.ipynb"]
        assert "my_image_id = ..." in (dest / "00-a.ipynb").read_text()

    def test_updates_a_notebook_nobody_changed(self, course, tmp_path):
        """A notebook exactly as the last release wrote it follows the instructor edition."""
        dest = tmp_path / "learner"
        release(course, dest)
        (course / "01-b.ipynb").write_text(json.dumps(notebook(markdown("# B, revised"))))
        assert release(course, dest).written == ["01-b.ipynb"]
        assert "# B, revised" in (dest / "01-b.ipynb").read_text()

    def test_a_file_it_did_not_write_is_kept(self, course, tmp_path):
        """Without a record of writing it, a differing file in DEST counts as the learner's."""
        dest = tmp_path / "learner"
        dest.mkdir()
        (dest / "01-b.ipynb").write_text("someone's notebook")
        assert release(course, dest).kept == ["01-b.ipynb"]

    def test_refuses_a_missing_source(self, tmp_path):
        """SRC must exist."""
        with pytest.raises(ReleaseError, match=r"instructor edition .*nope does not exist"):
            release(tmp_path / "nope", tmp_path / "learner")

    @pytest.mark.parametrize("inside", [".", "learner", "deeper/learner"])
    def test_refuses_a_destination_inside_the_source(self, course, inside):
        """DEST may not be SRC or inside it (it would release its own output)."""
        with pytest.raises(ReleaseError, match="would be inside the instructor edition"):
            release(course, course / inside)
        assert not (course / "learner").exists()

    def test_refuses_a_source_without_notebooks(self, tmp_path):
        """A folder with no notebooks is a mistake, not an empty course."""
        (tmp_path / "empty").mkdir()
        with pytest.raises(ReleaseError, match="holds no notebooks"):
            release(tmp_path / "empty", tmp_path / "learner")

    def test_refuses_a_destination_that_is_a_file(self, course, tmp_path):
        """DEST must be a folder."""
        (tmp_path / "file").write_text("")
        with pytest.raises(ReleaseError, match="is a file, not a folder"):
            release(course, tmp_path / "file")

    def test_writes_nothing_when_a_notebook_is_broken(self, course, tmp_path):
        """Unbalanced markers or invalid JSON in any lesson stop the release before any write."""
        (course / "02-c.ipynb").write_text(json.dumps(notebook(code("### BEGIN SOLUTION"))))
        with pytest.raises(ReleaseError, match="02-c.ipynb, cell 1"):
            release(course, tmp_path / "learner")
        (course / "02-c.ipynb").write_text("{not json")
        with pytest.raises(ReleaseError, match="02-c.ipynb is not a notebook"):
            release(course, tmp_path / "learner")
        assert not (tmp_path / "learner").exists()


class TestTheCourse:
    def test_the_learner_edition_of_the_lessons_has_no_solutions(self, tmp_path):
        """Every lesson releases; no marker, no solution-tagged cell, valid notebooks."""
        report = release(ROOT / "notebooks", tmp_path)
        assert report.notebooks
        for name in report.notebooks:
            text = (tmp_path / name).read_text(encoding="utf-8")
            assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text
            nb = nbformat.reads(text, as_version=4)
            nbformat.validate(nb)
            assert all("solution" not in c.metadata.get("tags", []) for c in nb.cells)
            assert sum("lab.check(" in c.source for c in nb.cells) >= 1, f"{name} lost its checks"
