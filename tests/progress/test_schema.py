"""labkit.progress.schema: version 1 with course_version and hints; old files still valid."""

from __future__ import annotations

import json

import pytest

import labkit
from labkit import Lab, load_progress, progress
from labkit.progress import SCHEMA, VERSION, record_hint, record_pass
from labkit.progress.schema import NotProgress, merge, validated

from .conftest import saved

OLD_FILE = {
    "schema": SCHEMA,
    "version": VERSION,
    "updated": "2025-03-03T09:41:07+00:00",
    "exercises": {
        "welcome-launch": {
            "lesson": "00-welcome",
            "first_passed": "2025-03-03T09:12:55+00:00",
            "last_passed": "2025-03-03T09:41:07+00:00",
            "passes": 2,
        }
    },
}


class TestNewFields:
    def test_every_write_stamps_the_writers_version(self, progress_file):
        """course_version is labkit.__version__ of whoever wrote last."""
        record_pass("welcome-launch")
        assert saved(progress_file)["course_version"] == labkit.__version__

    def test_hints_are_counted_per_exercise(self, progress_file):
        """record_hint adds one per hint shown, per exercise, beside the passes."""
        assert record_hint("welcome-launch") and record_hint("welcome-launch")
        assert record_hint("sharing-launch-permission")
        record_pass("welcome-launch")
        data = saved(progress_file)
        assert data["hints"] == {"welcome-launch": 2, "sharing-launch-permission": 1}
        assert data["exercises"]["welcome-launch"]["passes"] == 1
        assert progress().hints == data["hints"]

    def test_an_old_file_without_them_is_valid_and_kept(self, progress_file):
        """A file written before course_version and hints existed reads, and gains them."""
        progress_file.parent.mkdir(parents=True)
        progress_file.write_text(json.dumps(OLD_FILE))
        assert progress().done == OLD_FILE["exercises"] and progress().hints == {}
        record_hint("welcome-launch")
        data = saved(progress_file)
        assert data["exercises"]["welcome-launch"]["passes"] == 2
        assert data["hints"] == {"welcome-launch": 1}
        assert data["version"] == 1 and data["course_version"] == labkit.__version__

    def test_bad_hint_counts_are_dropped_not_fatal(self):
        """A hint count that is not a whole number >= 1 is ignored; the rest of the file reads."""
        data = validated({**OLD_FILE, "hints": {"a": 2, "b": "x", "c": True, "d": 0}}, "f")
        assert data["hints"] == {"a": 2} and data["exercises"]

    def test_merging_keeps_the_most_hints(self):
        """load_progress's merge: the larger hint count of the two."""
        mine = validated({**OLD_FILE, "hints": {"a": 2, "b": 1}}, "mine")
        merge(mine, {"exercises": {}, "hints": {"a": 1, "b": 4, "c": 1}})
        assert mine["hints"] == {"a": 2, "b": 4, "c": 1}

    def test_load_progress_merges_hints(self, progress_file):
        """Hints in a downloaded file come back with its passes."""
        record_hint("welcome-launch")
        merged = load_progress({**OLD_FILE, "hints": {"welcome-launch": 3}})
        assert merged.hints == {"welcome-launch": 3}
        assert merged.data["course_version"] == labkit.__version__
        assert saved(progress_file)["hints"] == {"welcome-launch": 3}

    @pytest.mark.parametrize(
        "document, reason",
        [
            ([], "foreign"),
            ({"schema": "other"}, "foreign"),
            ({"schema": SCHEMA, "version": 2}, "newer"),
            ({"schema": SCHEMA, "version": "1"}, "malformed"),
            ({"schema": SCHEMA, "version": 1, "exercises": []}, "malformed"),
        ],
    )
    def test_what_is_not_progress_says_which_case(self, document, reason):
        """NotProgress carries the case, so the advice can fit it."""
        with pytest.raises(NotProgress) as caught:
            validated(document, "f")
        assert caught.value.reason == reason


class TestLabHintRecords:
    def test_each_hint_shown_is_recorded(self, progress_file):
        """lab.hint counts every hint and the solution; an unknown exercise records nothing."""
        lab = Lab("00-welcome", quiet=True)
        try:
            for _ in range(3):
                lab.hint("welcome-find-image")
            lab.hint("no-such-exercise")
        finally:
            lab.stop()
        assert saved(progress_file)["hints"] == {"welcome-find-image": 3}
