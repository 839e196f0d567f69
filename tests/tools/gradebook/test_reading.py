"""gradebook/reading.py: finding files, naming learners, both forms, bad files skipped."""

from __future__ import annotations

import importlib
import json

import pytest

import labkit
from labkit.tools.gradebook import reading
from labkit.tools.gradebook.reading import find_progress_files, learner_name, read_gradebook

from .conftest import T0, T1, progress_data, write_json

progress_module = importlib.import_module("labkit.progress")  # labkit.progress is the function

WELCOME = {"welcome-find-image": "00-welcome"}
BOTH = {"welcome-find-image": "00-welcome", "welcome-launch": "00-welcome"}


def test_schema_and_version_match_labkit_progress():
    """The constants copied to avoid importing the sandbox equal labkit/progress.py's."""
    assert (reading.SCHEMA, reading.VERSION) == (progress_module.SCHEMA, progress_module.VERSION)


def test_reads_a_file_written_by_record_pass(tmp_path):
    """The writer's own file reads (with or without the newer course_version and hints)."""
    path = tmp_path / "home" / "dana" / ".amilab" / "progress.json"
    assert progress_module.record_pass("welcome-launch", path)
    book = read_gradebook([tmp_path / "home"])
    (record,) = book.learners
    assert record.learner == "dana"
    assert list(record.passed) == ["welcome-launch"]
    assert record.course_version in ("", labkit.__version__)
    assert record.hints in ({}, {"welcome-launch": 0})
    assert book.skipped == []


def test_reads_the_newer_fields(home, tmp_path):
    """course_version and hints are read when present."""
    home("alice", BOTH, hints={"welcome-launch": 2}, course_version="0.2.0")
    (record,) = read_gradebook([tmp_path / "home"]).learners
    assert record.course_version == "0.2.0"
    assert record.hints == {"welcome-launch": 2}


class TestFinding:
    def test_a_folder_of_homes(self, home, tmp_path):
        home("alice", WELCOME)
        home("bob", {})
        (tmp_path / "home" / "carol").mkdir()  # never started the course: not a learner here
        found = list(find_progress_files([tmp_path / "home"]))
        assert [learner_name(p) for p in found] == ["alice", "bob"]

    def test_a_home_that_started_the_course_but_passed_nothing(self, home, tmp_path):
        """~/.amilab without progress.json (made by the hub's start script): a row of zeros."""
        home("alice", WELCOME)
        (tmp_path / "home" / "carol" / ".amilab").mkdir(parents=True)
        book = read_gradebook([tmp_path / "home"])
        assert {r.learner: len(r.passed) for r in book.learners} == {"alice": 1, "carol": 0}
        assert book.skipped == []

    def test_one_home_and_one_file(self, home, tmp_path):
        alice = home("alice", WELCOME)
        bob = home("bob", WELCOME)
        found = list(find_progress_files([tmp_path / "home" / "alice", bob]))
        assert found == [alice, bob]

    def test_handed_in_files(self, tmp_path):
        write_json(tmp_path / "in" / "erin.json", progress_data(WELCOME))
        write_json(tmp_path / "in" / "frank" / "amilab-progress.json", progress_data(BOTH))
        book = read_gradebook([tmp_path / "in"])
        assert {r.learner: len(r.passed) for r in book.learners} == {"erin": 1, "frank": 2}

    def test_a_missing_path_is_skipped_not_fatal(self, home, tmp_path):
        home("alice", WELCOME)
        book = read_gradebook([tmp_path / "nowhere", tmp_path / "home"])
        assert [r.learner for r in book.learners] == ["alice"]
        assert "no such file or folder" in str(book.skipped[0])

    def test_the_same_file_twice_counts_once(self, home, tmp_path):
        path = home("alice", WELCOME)
        book = read_gradebook([path, path, tmp_path / "home"])
        assert len(book.learners) == 1 and book.learners[0].sources == [path]


def test_two_files_of_one_learner_merge(home, tmp_path):
    """A home file and a handed-in copy: union of passes, most hints, both versions noted."""
    home("alice", WELCOME, hints={"welcome-find-image": 1}, course_version="0.1.0")
    later = progress_data(
        {"welcome-launch": "00-welcome"}, hints={"welcome-find-image": 3}, course_version="0.2.0"
    )
    write_json(tmp_path / "in" / "alice.json", later)
    (record,) = read_gradebook([tmp_path / "home", tmp_path / "in"]).learners
    assert sorted(record.passed) == ["welcome-find-image", "welcome-launch"]
    assert record.hints == {"welcome-find-image": 3}
    assert record.course_version == "0.1.0 0.2.0"
    assert len(record.sources) == 2


def _entry(**changes):
    entry = {"lesson": "00-welcome", "first_passed": T0, "last_passed": T1, "passes": 1}
    entry.update(changes)
    return entry


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{not json", "is not valid JSON"),
        (json.dumps([1, 2]), "is not an AMI Lab progress file"),
        (json.dumps({"schema": "jupyter-notebook"}), "is not an AMI Lab progress file"),
        (json.dumps({**progress_data(WELCOME), "version": 2}), "format version 2"),
        (json.dumps({**progress_data({}), "exercises": []}), '"exercises" is not an object'),
        (
            json.dumps({**progress_data({}), "exercises": {"welcome-launch": _entry(passes=-4)}}),
            "passes must be a whole number",
        ),
        (
            json.dumps({**progress_data({}), "exercises": {"welcome-launch": _entry(passes=True)}}),
            "passes must be a whole number",
        ),
        (
            json.dumps(
                {**progress_data({}), "exercises": {"welcome-launch": _entry(last_passed="soon")}}
            ),
            "last_passed is not a time",
        ),
        (
            json.dumps(
                {
                    **progress_data({}),
                    "exercises": {"welcome-launch": _entry(first_passed=T1, last_passed=T0)},
                }
            ),
            "first passed after it was last passed",
        ),
        (
            json.dumps(
                {**progress_data({}), "exercises": {"welcome-launch": _entry(lesson="08-capstone")}}
            ),
            "filed under lesson '08-capstone'",
        ),
        (json.dumps({**progress_data(WELCOME), "hints": {"welcome-launch": "many"}}), "hints"),
        (json.dumps({**progress_data(WELCOME), "course_version": 3}), "course_version"),
        (json.dumps({**progress_data(WELCOME), "updated": "yesterday"}), '"updated" is not a time'),
    ],
    ids=[
        "not-json",
        "a-list",
        "foreign",
        "newer-format",
        "exercises-list",
        "negative-passes",
        "boolean-passes",
        "bad-time",
        "first-after-last",
        "wrong-lesson",
        "bad-hints",
        "bad-version",
        "bad-updated",
    ],  # fmt: skip
)
def test_a_bad_file_is_named_and_skipped(home, tmp_path, content, reason):
    """Each kind of bad file is skipped with its reason; the good file beside it is still read."""
    home("alice", WELCOME)
    bad = tmp_path / "home" / "mallory" / ".amilab" / "progress.json"
    bad.parent.mkdir(parents=True)
    bad.write_text(content, encoding="utf-8")
    book = read_gradebook([tmp_path / "home"])
    assert [r.learner for r in book.learners] == ["alice"]
    (skipped,) = book.skipped
    assert skipped.path == bad and reason in skipped.reason, skipped.reason


def test_binary_and_huge_files_are_skipped(tmp_path):
    (tmp_path / "a.json").write_bytes(b"\xff\xfe\x00garbage")
    (tmp_path / "b.json").write_text(" " * (reading.MAX_BYTES + 1))
    book = read_gradebook([tmp_path])
    assert book.learners == []
    assert [s.reason.split(" ")[0] for s in book.skipped] == ["is", "larger"]


def test_exercises_not_in_this_course_are_kept_apart(home, tmp_path):
    """A pass of an exercise this version lacks is not counted, but reported."""
    home("alice", {**WELCOME, "retired-exercise": "00-welcome"})
    book = read_gradebook([tmp_path / "home"])
    (record,) = book.learners
    assert [e.id for e in book.passed(record)] == ["welcome-find-image"]
    assert book.others(record) == ["retired-exercise"]


def test_furthest_is_the_last_passed_in_course_order(home, tmp_path):
    home("alice", {"welcome-find-image": "00-welcome", "why-user-data": "01-why-amis"})
    book = read_gradebook([tmp_path / "home"])
    assert book.furthest(book.learners[0]).id == "why-user-data"


def test_a_symlinked_file_is_skipped(home, tmp_path):
    """mallory's progress.json pointing at bob's is not read; bob's own file still is."""
    bob = home("bob", BOTH)
    link = tmp_path / "home" / "mallory" / ".amilab" / "progress.json"
    link.parent.mkdir(parents=True)
    link.symlink_to(bob)
    book = read_gradebook([tmp_path / "home"])
    assert [(r.learner, len(r.passed)) for r in book.learners] == [("bob", 2)]
    (skipped,) = book.skipped
    assert skipped.path == link and "symbolic link" in skipped.reason


def test_a_symlinked_home_or_amilab_folder_is_skipped(home, tmp_path):
    bob = home("bob", BOTH)
    (tmp_path / "home" / "eve").symlink_to(bob.parent.parent)
    (tmp_path / "home" / "trent").mkdir()
    (tmp_path / "home" / "trent" / ".amilab").symlink_to(bob.parent)
    book = read_gradebook([tmp_path / "home"])
    assert [r.learner for r in book.learners] == ["bob"]
    assert sorted(s.path.parts[-3] for s in book.skipped) == ["eve", "trent"]
