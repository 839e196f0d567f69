"""labkit.progress.store: concurrent writers keep every pass; damaged, symlinked and read-only
files are handled without losing anything and without raising."""

from __future__ import annotations

import json
import multiprocessing
import os
import stat
import sys
import warnings

import pytest

from labkit import progress
from labkit.progress import SCHEMA, VERSION, ProgressWarning, load_progress, record_pass

from .conftest import saved, store
from .kernels import check_repeatedly

WORKERS = 4
PASSES = 40


def _record_many(path: str, worker: int, start, results) -> None:
    """One process: wait for the others, then record PASSES first passes and PASSES repeats."""
    os.environ["AMILAB_PROGRESS"] = path
    start.wait()
    ok = 0
    for number in range(PASSES):
        ok += record_pass(f"worker{worker}-pass{number}")
        ok += record_pass("shared-exercise")
    results.put((worker, ok))


def _context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


class TestConcurrentWriters:
    def test_processes_recording_at_once_lose_no_pass(self, progress_file):
        """N processes × M passes each, started together: every pass is in the file, and every
        record_pass that said True is counted."""
        progress_file.parent.mkdir(parents=True)
        context = _context()
        start, results = context.Event(), context.Queue()
        workers = [
            context.Process(target=_record_many, args=(str(progress_file), n, start, results))
            for n in range(WORKERS)
        ]
        for process in workers:
            process.start()
        start.set()
        reported = dict(results.get(timeout=300) for _ in workers)
        for process in workers:
            process.join(timeout=300)
            assert process.exitcode == 0
        data = saved(progress_file)["exercises"]
        assert reported == {n: 2 * PASSES for n in range(WORKERS)}
        firsts = {f"worker{n}-pass{m}" for n in range(WORKERS) for m in range(PASSES)}
        assert firsts <= set(data)
        assert data["shared-exercise"]["passes"] == WORKERS * PASSES
        assert sorted(os.listdir(progress_file.parent)) == ["progress.json"]  # no temporary left

    def test_two_kernels_checking_at_once_keep_every_pass(self, progress_file):
        """Two processes, each with its own Lab, pass the same check 30 times each: 60 passes."""
        progress_file.parent.mkdir(parents=True)
        context = multiprocessing.get_context("spawn")  # a fresh interpreter, as a kernel is
        start, results = context.Barrier(2), context.Queue()
        kernels = [
            context.Process(target=check_repeatedly, args=(str(progress_file), 30, start, results))
            for _ in range(2)
        ]
        for process in kernels:
            process.start()
        passed = [results.get(timeout=600) for _ in kernels]
        for process in kernels:
            process.join(timeout=600)
            assert process.exitcode == 0
        assert passed == [30, 30]
        assert saved(progress_file)["exercises"]["welcome-find-image"]["passes"] == 60

    def test_threads_recording_at_once_lose_no_pass(self, progress_file):
        """Threads of one kernel (a widget callback and a cell) also take turns."""
        import threading

        def record(n: int) -> None:
            for _ in range(25):
                assert record_pass("shared-exercise")

        threads = [threading.Thread(target=record, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert saved(progress_file)["exercises"]["shared-exercise"]["passes"] == 100


def _write(path, content) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")


DAMAGED = {
    "corrupt": ("{half a fi", "damaged"),
    "not-utf8": (b"\xff\xfe{".decode("latin-1"), "damaged"),
    "foreign-schema": (json.dumps({"schema": "somebody-else", "data": [1]}), "not an AMI Lab"),
    "plain-list": ("[]", "not an AMI Lab"),
    "newer-version": (
        json.dumps({"schema": SCHEMA, "version": VERSION + 1, "exercises": {}}),
        "newer AMI Lab.*update AMI Lab.*load_progress",
    ),
    "bad-exercises": (
        json.dumps({"schema": SCHEMA, "version": VERSION, "exercises": []}),
        "damaged",
    ),
}


def _damaged_copies(path):
    return sorted(p for p in path.parent.iterdir() if p.name.startswith(f"{path.name}.damaged-"))


class TestDamagedFiles:
    @pytest.mark.parametrize("case", DAMAGED, ids=list(DAMAGED))
    def test_a_pass_sets_the_damaged_file_aside_and_is_saved(self, progress_file, case):
        """The damaged file is renamed (its bytes kept), one warning says where, and the pass
        goes into a fresh file; the next pass is silent."""
        content, advice = DAMAGED[case]
        _write(progress_file, content)
        before = progress_file.read_bytes()
        with pytest.warns(ProgressWarning, match=advice) as caught:
            assert record_pass("welcome-launch") is True
        (aside,) = _damaged_copies(progress_file)
        assert aside.read_bytes() == before
        assert str(aside) in str(caught[0].message)
        assert "set AMILAB_PROGRESS to a file you can write" not in str(caught[0].message)
        assert set(saved(progress_file)["exercises"]) == {"welcome-launch"}
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert record_pass("welcome-launch") is True
        assert saved(progress_file)["exercises"]["welcome-launch"]["passes"] == 2

    @pytest.mark.parametrize("case", DAMAGED, ids=list(DAMAGED))
    def test_the_course_map_never_raises(self, progress_file, case):
        """labkit.progress() on a damaged file: the map with no passes, the file kept aside."""
        content, advice = DAMAGED[case]
        _write(progress_file, content)
        with pytest.warns(ProgressWarning, match=advice):
            shown = progress()
        assert shown.done == {} and len(_damaged_copies(progress_file)) == 1

    def test_a_newer_file_set_aside_loads_back(self, progress_file):
        """The advice for a newer file works: load_progress of the kept copy (once readable)."""
        newer = {"schema": SCHEMA, "version": VERSION + 1, "exercises": {}}
        _write(progress_file, json.dumps(newer))
        with pytest.warns(ProgressWarning):
            record_pass("welcome-launch")
        (aside,) = _damaged_copies(progress_file)
        with pytest.raises(ValueError, match="update AMI Lab"):
            load_progress(aside)  # this version cannot; the message says what to do

    def test_a_folder_named_like_the_file_is_set_aside(self, progress_file):
        """progress.json is a folder: renamed with its contents, a fresh file in its place."""
        progress_file.mkdir(parents=True)
        (progress_file / "inside.txt").write_text("keep me")
        with pytest.warns(ProgressWarning, match="was a folder"):
            assert progress().done == {}
        (aside,) = _damaged_copies(progress_file)
        assert (aside / "inside.txt").read_text() == "keep me"
        assert record_pass("welcome-launch") is True
        assert progress_file.is_file()

    def test_a_folder_not_named_json_is_left_alone(self, tmp_path, monkeypatch):
        """AMILAB_PROGRESS naming a plain folder: nothing renamed; one warning with the fix."""
        monkeypatch.setenv("AMILAB_PROGRESS", str(tmp_path))
        monkeypatch.setattr(store, "_warned", False)
        (tmp_path / "mine.txt").write_text("x")
        with pytest.warns(ProgressWarning, match="set AMILAB_PROGRESS to a file path"):
            assert record_pass("welcome-launch") is False
        assert sorted(os.listdir(tmp_path)) == ["mine.txt"]
        with pytest.warns(ProgressWarning):
            assert progress().done == {}


class TestSymlinkAndReadOnly:
    @pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
    def test_a_symlinked_file_keeps_its_target(self, progress_file, tmp_path):
        """Passes are written through the link: the link stays, its target holds the passes."""
        target = tmp_path / "synced" / "real-progress.json"
        target.parent.mkdir()
        progress_file.parent.mkdir(parents=True)
        progress_file.symlink_to(target)
        assert record_pass("welcome-launch") is True
        assert record_pass("welcome-find-image") is True
        assert progress_file.is_symlink() and progress_file.resolve() == target
        assert set(saved(target)["exercises"]) == {"welcome-launch", "welcome-find-image"}
        assert sorted(os.listdir(target.parent)) == ["real-progress.json"]

    def test_a_read_only_file_is_left_alone_and_the_learner_told(self, progress_file):
        """A read-only file is not replaced: record_pass is False, one warning says read-only
        and how to fix it, and the map still shows what the file holds."""
        record_pass("welcome-launch")
        before = progress_file.read_bytes()
        progress_file.chmod(stat.S_IRUSR | stat.S_IRGRP)
        try:
            with pytest.warns(ProgressWarning, match="read-only.*chmod u\\+w"):
                assert record_pass("welcome-find-image") is False
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                assert record_pass("welcome-find-image") is False
            assert progress_file.read_bytes() == before
            assert set(progress().done) == {"welcome-launch"}
        finally:
            progress_file.chmod(stat.S_IRUSR | stat.S_IWUSR)

    def test_a_read_only_damaged_file_is_not_moved(self, progress_file):
        """Read-only and damaged: not renamed, the map warns and shows no passes."""
        _write(progress_file, "{oops")
        progress_file.chmod(stat.S_IRUSR)
        try:
            with pytest.warns(ProgressWarning, match="read-only"):
                assert progress().done == {}
            assert _damaged_copies(progress_file) == []
            assert progress_file.read_text() == "{oops"
        finally:
            progress_file.chmod(stat.S_IRUSR | stat.S_IWUSR)


class TestPathArgument:
    @pytest.mark.parametrize(
        "path, error",
        [
            (123, TypeError),
            (None.__class__, TypeError),
            (b"/tmp/p.json", TypeError),
            (True, TypeError),
            ("", ValueError),
            ("p\0.json", ValueError),
            ("x" * 200_000, ValueError),
        ],
        ids=["int", "class", "bytes", "bool", "empty", "nul", "huge"],
    )
    def test_a_path_that_cannot_name_a_file_names_the_parameter(self, path, error):
        """labkit.progress(path) with a wrong path: a TypeError/ValueError naming ``path``."""
        with pytest.raises(error, match="path"):
            progress(path)
