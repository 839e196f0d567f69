"""docs/instructor-guide.md covers every lesson and exercise; its generated parts are current."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from script_loading import load_script

from labkit.checks import exercises

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "instructor-guide.md"
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))


guide_script = load_script("scripts/instructor_guide.py", "instructor_guide")


@pytest.fixture(scope="module")
def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


class TestTheGuide:
    @pytest.mark.parametrize("exercise", exercises(), ids=lambda e: e.id)
    def test_mentions_every_registered_exercise(self, guide, exercise):
        """Each exercise's check ID appears in the guide."""
        assert f"`{exercise.id}`" in guide, (
            f"run python scripts/instructor_guide.py ({exercise.id})"
        )

    @pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
    def test_has_a_section_for_every_lesson(self, guide, path):
        """Each lesson notebook has its generated section."""
        end = guide_script.END.format(part=f"lesson {path.stem}")
        assert end in guide, "run python scripts/instructor_guide.py"
        section = guide.split(end, 1)[0].rsplit("<!-- BEGIN GENERATED", 1)[1]
        assert f"`notebooks/{path.name}`" in section

    def test_generated_parts_are_current(self, guide):
        """Regenerating changes nothing (otherwise: python scripts/instructor_guide.py)."""
        assert guide_script.update(guide) == guide

    def test_has_no_todo(self, guide):
        """The guide is finished prose: lessons not written yet say so plainly."""
        assert "TODO" not in guide and "FIXME" not in guide

    def test_its_links_to_other_docs_exist(self, guide):
        """Relative links point at files that exist."""
        for target in re.findall(r"\]\(([\w./-]+\.md)\)", guide):
            assert (GUIDE.parent / target).is_file(), target

    def test_check_mode_agrees(self):
        """`scripts/instructor_guide.py --check` exits 0 on the committed guide."""
        assert guide_script.main(["--check"]) == 0


class TestGenerator:
    def test_reads_a_lesson(self):
        """Title, minutes, objectives and exercise numbers come from the notebook."""
        lesson = guide_script.read_lesson(ROOT / "notebooks" / "00-welcome.ipynb")
        assert lesson.title == "00 · Welcome to AMI Lab"
        assert lesson.minutes == 15
        assert lesson.objectives[1] == "name the lab's three accounts and four Regions;"
        assert lesson.numbers == {"welcome-find-image": "0.1", "welcome-launch": "0.2"}

    def test_a_check_in_a_later_section_has_no_exercise_number(self, tmp_path):
        """A check after a new ## section (a final, whole-lesson check) belongs to no exercise."""
        cells = [
            {"cell_type": "markdown", "source": "# 99 · X\n\n*About 5 minutes.*"},
            {"cell_type": "markdown", "source": "### Exercise 9.1: One"},
            {"cell_type": "code", "source": 'lab.check("x-one")'},
            {"cell_type": "markdown", "source": "## The whole thing"},
            {"cell_type": "code", "source": 'lab.check("x-all")'},
        ]
        path = tmp_path / "99-x.ipynb"
        path.write_text(json.dumps({"cells": cells}))
        assert guide_script.read_lesson(path).numbers == {"x-one": "9.1"}

    def test_class_minutes(self):
        """Half as long again, rounded up to five, plus five."""
        assert [guide_script.class_minutes(m) for m in (10, 15, 35, 40)] == [20, 30, 60, 65]

    def test_a_new_lesson_gets_a_section_before_the_end_marker(self, monkeypatch):
        """A lesson without a block is added before END LESSONS; an unwritten one says so."""
        monkeypatch.setitem(guide_script.PLANNED, "09-extra", "An extra lesson")
        text = guide_script.update("## Lessons\n\n<!-- END LESSONS -->\n")
        begin = guide_script.BEGIN.format(part="lesson 09-extra")
        assert text.index(begin) < text.index("<!-- END LESSONS -->")
        assert "Lesson 09: to be written with the lesson" in text
        assert guide_script.update(text) == text

    def test_a_guide_without_the_end_marker_is_refused(self):
        """Without a place for new lessons the generator stops with a message."""
        with pytest.raises(SystemExit, match="END LESSONS"):
            guide_script.update("no markers")

    def test_lesson_json_is_what_the_generator_expects(self):
        """Every lesson opens with a markdown title cell, as docs/authoring.md asks."""
        for path in LESSONS:
            first = json.loads(path.read_text(encoding="utf-8"))["cells"][0]
            assert first["cell_type"] == "markdown" and "".join(first["source"]).startswith("# ")
