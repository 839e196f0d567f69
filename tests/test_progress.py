"""labkit.progress: passes are remembered in a versioned JSON file, shown as the course map."""

from __future__ import annotations

import base64
import importlib
import json
import os
import stat
import sys

import pytest

import labkit
from labkit import Lab
from labkit.checks import exercises
from labkit.checks.welcome import _expected_image
from labkit.progress import (
    ENV_VAR,
    SCHEMA,
    VERSION,
    Progress,
    ProgressWarning,
    load_progress,
    progress,
    progress_path,
    record_pass,
)

# `labkit.progress` is the function; the module is reached through sys.modules.
progress_module = importlib.import_module("labkit.progress")
store_module = importlib.import_module("labkit.progress.store")


@pytest.fixture
def progress_file(tmp_path, monkeypatch):
    """AMILAB_PROGRESS points at a fresh file; the warn-once flag is reset."""
    path = tmp_path / "home" / "progress.json"
    monkeypatch.setenv(ENV_VAR, str(path))
    monkeypatch.setattr(store_module, "_warned", False)
    return path


def saved(path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def entry(lesson="00-welcome", first="2025-03-03T09:00:00+00:00", last=None, passes=1) -> dict:
    return {"lesson": lesson, "first_passed": first, "last_passed": last or first, "passes": passes}


def document(**entries) -> dict:
    return {"schema": SCHEMA, "version": VERSION, "updated": None, "exercises": entries}


class TestProgressPath:
    def test_defaults_to_the_home_folder(self, monkeypatch, tmp_path):
        """Without the variable, progress lives in ~/.amilab/progress.json."""
        monkeypatch.delenv(ENV_VAR, raising=False)
        monkeypatch.setenv("HOME", str(tmp_path))
        assert progress_path() == tmp_path / ".amilab" / "progress.json"

    def test_the_environment_variable_wins(self, progress_file):
        """AMILAB_PROGRESS names the file."""
        assert progress_path() == progress_file


class TestRecordPass:
    def test_first_pass_creates_a_versioned_file(self, progress_file):
        """The first pass makes the folder and a file with schema, version and the exercise."""
        assert record_pass("welcome-launch") is True
        data = saved(progress_file)
        assert data["schema"] == SCHEMA and data["version"] == VERSION
        item = data["exercises"]["welcome-launch"]
        assert item["lesson"] == "00-welcome" and item["passes"] == 1
        assert item["first_passed"] == item["last_passed"] == data["updated"]

    def test_later_passes_count_and_keep_the_first_time(self, progress_file):
        """Passing again counts the pass and keeps the time of the first."""
        progress_file.parent.mkdir(parents=True)
        first = "2020-01-01T00:00:00+00:00"
        progress_file.write_text(json.dumps(document(**{"welcome-launch": entry(first=first)})))
        record_pass("welcome-launch")
        item = saved(progress_file)["exercises"]["welcome-launch"]
        assert item["passes"] == 2 and item["first_passed"] == first
        assert item["last_passed"] > first

    def test_leaves_no_temporary_files(self, progress_file):
        """The file is replaced by a rename: nothing else is left in its folder."""
        record_pass("welcome-launch")
        record_pass("welcome-find-image")
        assert os.listdir(progress_file.parent) == ["progress.json"]

    @pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root can write")
    def test_an_unwritable_folder_warns_once(self, progress_file):
        """A read-only folder: False, one ProgressWarning naming the file, then silence."""
        progress_file.parent.mkdir(parents=True)
        progress_file.parent.chmod(stat.S_IRUSR | stat.S_IXUSR)
        try:
            with pytest.warns(ProgressWarning, match="could not save your progress"):
                assert record_pass("welcome-launch") is False
            with warnings_as_errors():
                assert record_pass("welcome-launch") is False
        finally:
            progress_file.parent.chmod(stat.S_IRWXU)

    def test_a_path_that_cannot_be_a_folder_warns_once(self, tmp_path, monkeypatch):
        """A parent that is a file: False, one warning naming the file, then silence."""
        blocker = tmp_path / "blocker"
        blocker.write_text("")
        monkeypatch.setenv(ENV_VAR, str(blocker / "progress.json"))
        monkeypatch.setattr(store_module, "_warned", False)
        with pytest.warns(ProgressWarning, match=r"blocker.progress\.json"):
            assert record_pass("welcome-launch") is False
        with warnings_as_errors():
            assert record_pass("welcome-launch") is False

    def test_a_failed_write_is_never_reported_saved(self, progress_file, monkeypatch):
        """If the rename that saves the file fails, record_pass says False (and warns)."""

        def refuse(*args):
            raise OSError("disk full")

        monkeypatch.setattr(store_module.os, "replace", refuse)
        with pytest.warns(ProgressWarning, match="disk full"):
            assert record_pass("welcome-launch") is False
        assert not progress_file.exists()


class warnings_as_errors:
    """Inside the block, any warning fails the test."""

    def __enter__(self):
        import warnings

        self._catcher = warnings.catch_warnings()
        self._catcher.__enter__()
        warnings.simplefilter("error")

    def __exit__(self, *exc):
        self._catcher.__exit__(*exc)


class TestLabCheckRecords:
    def test_a_passed_check_is_recorded(self, progress_file):
        """Lab.check records a pass in the progress file."""
        lab = Lab("00-welcome", quiet=True)
        try:
            assert lab.check("welcome-find-image", image_id=_expected_image())
        finally:
            lab.stop()
        assert set(saved(progress_file)["exercises"]) == {"welcome-find-image"}

    def test_a_failed_check_is_not(self, progress_file):
        """A ❌ leaves no trace."""
        lab = Lab("00-welcome", quiet=True)
        try:
            assert not lab.check("welcome-find-image", image_id=...)
        finally:
            lab.stop()
        assert not progress_file.exists()

    def test_an_unwritable_file_never_breaks_a_check(self, tmp_path, monkeypatch):
        """With nowhere to save, the check still answers ✅ (and warns)."""
        (tmp_path / "blocker").write_text("")
        monkeypatch.setenv(ENV_VAR, str(tmp_path / "blocker" / "progress.json"))
        monkeypatch.setattr(store_module, "_warned", False)
        lab = Lab("00-welcome", quiet=True)
        try:
            with pytest.warns(ProgressWarning):
                result = lab.check("welcome-find-image", image_id=_expected_image())
        finally:
            lab.stop()
        assert result.passed


class TestCourseMap:
    def test_lists_every_exercise_by_lesson(self, progress_file):
        """The map holds every registered exercise, grouped by lesson, in course order."""
        shown = progress()
        listed = [item.id for items in shown.lessons().values() for item in items]
        assert sorted(listed) == sorted(e.id for e in exercises())
        assert list(shown.lessons()) == sorted(shown.lessons())

    def test_text_marks_done_and_not_yet(self, progress_file):
        """The text map counts, and marks done ✅ with the date, the rest ⬜ not yet."""
        record_pass("welcome-launch")
        text = str(progress())
        total = len(exercises())
        assert text.startswith(f"AMI Lab progress: 1 of {total} exercises done")
        launch = next(line for line in text.splitlines() if "welcome-launch" in line)
        find = next(line for line in text.splitlines() if "welcome-find-image" in line)
        assert "✅" in launch and "⬜ not yet" in find

    def test_html_is_a_table_with_a_row_per_exercise(self, progress_file):
        """In Jupyter the map is an HTML table, one row per exercise, escaped."""
        record_pass("welcome-launch")
        page = progress()._repr_html_()
        assert page.count("<tr>") == len(exercises()) + 1
        assert "<code>welcome-launch</code></td><td>✅" in page

    def test_passes_from_elsewhere_are_kept_and_mentioned(self, progress_file):
        """An exercise this version of the course lacks is kept and named, not counted."""
        progress_file.parent.mkdir(parents=True)
        progress_file.write_text(json.dumps(document(**{"old-exercise": entry(lesson="99")})))
        shown = progress()
        assert shown.counts()[0] == 0
        assert "old-exercise" in str(shown) and "old-exercise" in shown._repr_html_()

    def test_is_exported_from_labkit(self):
        """labkit.progress and labkit.load_progress are the public names."""
        assert labkit.progress is progress and labkit.load_progress is load_progress
        assert {"progress", "load_progress"} <= set(labkit.__all__)


class TestDownloadAndLoad:
    def test_download_saves_a_copy_and_links_the_data(self, progress_file, tmp_path, monkeypatch):
        """download() saves the file in the current folder and links it as a data: URI."""
        record_pass("welcome-launch")
        monkeypatch.chdir(tmp_path)
        link = progress().download()
        assert saved(tmp_path / "amilab-progress.json") == saved(progress_file)
        page = link._repr_html_()
        assert "download='amilab-progress.json'" in page
        encoded = page.split("base64,", 1)[1].split("'", 1)[0]
        assert json.loads(base64.b64decode(encoded)) == saved(progress_file)
        assert 'load_progress("amilab-progress.json")' in str(link)

    def test_download_still_links_when_the_folder_is_read_only(self, progress_file, tmp_path):
        """Where no copy can be saved, the link alone still carries the data."""
        record_pass("welcome-launch")
        (tmp_path / "blocker").write_text("")
        link = progress().download(str(tmp_path / "blocker" / "p.json"))
        assert link.saved is None and "data:application/json;base64," in link._repr_html_()

    @pytest.mark.parametrize("form", ["path", "text", "bytes", "dict", "upload"])
    def test_load_merges_any_form_of_a_downloaded_file(self, progress_file, tmp_path, form):
        """A path, JSON text, bytes, a dict or a FileUpload value all load and merge."""
        record_pass("welcome-launch")
        other = document(**{"welcome-find-image": entry()})
        text = json.dumps(other)
        (tmp_path / "down.json").write_text(text)
        source = {
            "path": str(tmp_path / "down.json"),
            "text": text,
            "bytes": text.encode(),
            "dict": other,
            "upload": ({"name": "down.json", "content": memoryview(text.encode())},),
        }[form]
        merged = load_progress(source)
        assert isinstance(merged, Progress)
        assert set(saved(progress_file)["exercises"]) == {"welcome-launch", "welcome-find-image"}

    def test_loading_twice_changes_nothing(self, progress_file):
        """Merging keeps the earliest first pass, the latest last pass and the most passes."""
        late = "2025-04-01T00:00:00+00:00"
        mine = document(**{"welcome-launch": entry(last=late, passes=3)})
        theirs = document(**{"welcome-launch": entry(first="2025-02-01T00:00:00+00:00", passes=2)})
        load_progress(mine)
        once = load_progress(theirs).done
        twice = load_progress(theirs).done
        assert once == twice
        assert once["welcome-launch"] == entry(
            first="2025-02-01T00:00:00+00:00", last=late, passes=3
        )

    @pytest.mark.parametrize(
        "source, message",
        [
            ("/no/such/progress.json", "there is no progress file"),
            ('{"schema": "other"}', "is not an AMI Lab progress file"),
            ("{not json", "not valid JSON"),
            (42, "cannot read progress from a int"),
        ],
        ids=["missing", "other-schema", "bad-json", "wrong-type"],
    )
    def test_load_refuses_what_is_not_progress(self, progress_file, source, message):
        """Bad input raises ValueError saying why, and the local file is untouched."""
        with pytest.raises(ValueError, match=message):
            load_progress(source)
        assert not progress_file.exists()
