"""gradebook/csv_file.py: one row a learner, one column an exercise, totals, no formulas."""

from __future__ import annotations

import csv
import io

from labkit.tools.gradebook import course_exercises, csv_text, read_gradebook, write_csv

BOTH = {"welcome-find-image": "00-welcome", "welcome-launch": "00-welcome"}


def rows(book):
    return list(csv.DictReader(io.StringIO(csv_text(book))))


def test_one_row_a_learner_one_column_an_exercise(home, tmp_path):
    home("alice", BOTH, hints={"welcome-launch": 2}, course_version="0.1.0")
    home("bob", {"welcome-find-image": "00-welcome"})
    book = read_gradebook([tmp_path / "home"])
    header = csv_text(book).splitlines()[0].split(",")
    ids = [e.id for e in course_exercises()]
    assert header[0] == "learner" and header[1 : 1 + len(ids)] == ids
    alice, bob = rows(book)
    assert (alice["learner"], alice["welcome-find-image"], alice["welcome-launch"]) == (
        "alice", "1", "1",
    )  # fmt: skip
    assert (bob["welcome-find-image"], bob["welcome-launch"], bob["why-user-data"]) == (
        "1", "0", "0",
    )  # fmt: skip
    assert (alice["passed"], alice["out_of"], alice["hints_used"]) == ("2", str(len(ids)), "2")
    assert float(bob["percent"]) == round(100 / len(ids), 1)
    assert alice["course_version"] == "0.1.0" and bob["course_version"] == ""
    assert alice["stopped_after"] == "welcome-launch"


def test_a_learner_with_nothing_passed_has_zeros(home, tmp_path):
    home("carol", {})
    (carol,) = rows(read_gradebook([tmp_path / "home"]))
    assert carol["passed"] == "0" and carol["stopped_after"] == ""


def test_names_that_look_like_formulas_are_defused(tmp_path):
    from .conftest import progress_data, write_json

    write_json(tmp_path / "=HYPERLINK(1).json", progress_data(BOTH))
    (row,) = rows(read_gradebook([tmp_path]))
    assert row["learner"] == "'=HYPERLINK(1)"


def test_write_csv_writes_a_file(home, tmp_path):
    home("alice", BOTH)
    path = write_csv(read_gradebook([tmp_path / "home"]), tmp_path / "out" / "grades.csv")
    assert path.read_text(encoding="utf-8").startswith("learner,welcome-find-image,")
