"""Reading a class's progress files: find them, check them, and name each learner.

A progress file is what ``labkit/progress.py`` writes (``~/.amilab/progress.json`` on a hub, or the
``amilab-progress.json`` a learner downloads and hands in). Newer files also carry
``"course_version"`` (the labkit version that wrote them) and ``"hints"`` (hints shown, by
exercise); older ones lack both, and are read all the same.

A file that is not JSON, not AMI Lab progress, of a format version this labkit does not know, or
whose entries are inconsistent (a pass count that is not a positive whole number, a time that is
not a time, a first pass after the last, an exercise filed under another lesson than the course's)
is *skipped*: it is named with the reason, and the other files are read. Nothing here raises for a
bad file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .course import CourseExercise, course_exercises

__all__ = ["Gradebook", "LearnerRecord", "Skipped", "find_progress_files", "read_gradebook"]

SCHEMA = "amilab-progress"  # labkit/progress.py's SCHEMA and VERSION (read, not imported:
VERSION = 1  # importing labkit.progress would import the checks, and with them moto)
MAX_BYTES = 1_000_000  # a real file is a few kilobytes; anything this big is not one
HOME_FILE = Path(".amilab") / "progress.json"
HANDED_IN_NAMES = {"amilab-progress", "progress"}


@dataclass(frozen=True)
class Skipped:
    """A file the gradebook did not use, and why."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return f"skipped {self.path}: {self.reason}"


@dataclass
class LearnerRecord:
    """One learner's progress, from one file or several merged."""

    learner: str
    sources: list[Path]
    passed: dict[str, dict[str, Any]]
    hints: dict[str, int] = field(default_factory=dict)
    course_versions: list[str] = field(default_factory=list)
    updated: str | None = None

    @property
    def course_version(self) -> str:
        """The labkit version(s) the learner's files came from; "" for files older than that."""
        return " ".join(self.course_versions)

    def merge(self, other: LearnerRecord) -> None:
        """Add another file of the same learner: earliest first pass, latest last, most of each."""
        self.sources += other.sources
        for exercise_id, entry in other.passed.items():
            mine = self.passed.setdefault(exercise_id, dict(entry))
            mine["first_passed"] = min(mine["first_passed"], entry["first_passed"])
            mine["last_passed"] = max(mine["last_passed"], entry["last_passed"])
            mine["passes"] = max(mine["passes"], entry["passes"])
        for exercise_id, shown in other.hints.items():
            self.hints[exercise_id] = max(self.hints.get(exercise_id, 0), shown)
        for version in other.course_versions:
            if version not in self.course_versions:
                self.course_versions.append(version)
        self.updated = max(filter(None, [self.updated, other.updated]), default=None)


@dataclass
class Gradebook:
    """A class's progress: the course's exercises, each learner's record, and the files skipped."""

    exercises: tuple[CourseExercise, ...]
    learners: list[LearnerRecord]
    skipped: list[Skipped]

    def passed(self, record: LearnerRecord) -> list[CourseExercise]:
        """The course exercises ``record`` passed, in course order."""
        return [e for e in self.exercises if e.id in record.passed]

    def others(self, record: LearnerRecord) -> list[str]:
        """Exercises ``record`` passed that this version of the course does not have."""
        known = {e.id for e in self.exercises}
        return sorted(set(record.passed) - known)

    def furthest(self, record: LearnerRecord) -> CourseExercise | None:
        """The last exercise in course order that ``record`` passed: where the learner stopped."""
        done = self.passed(record)
        return done[-1] if done else None

    def hints_used(self, record: LearnerRecord) -> int:
        """Hints shown to the learner, on this course's exercises."""
        known = {e.id for e in self.exercises}
        return sum(n for exercise_id, n in record.hints.items() if exercise_id in known)


# -- finding the files --------------------------------------------------------------------------


def find_progress_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path | Skipped]:
    """The progress files under ``paths``, or a :class:`Skipped` for a path that has none.

    A file is taken as it is. A folder is a learner's home (``.amilab/progress.json``), a folder of
    homes (``*/.amilab/progress.json``, as on a hub's ``/home``), or a folder of handed-in files
    (``*.json``, and ``*/amilab-progress.json``). In a folder of homes, a home with an ``.amilab``
    folder but no progress file yet (the hub's start script makes the folder) is a learner who has
    passed nothing: its ``progress.json`` path is yielded all the same, and reads as empty.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            yield path
        elif (path / HOME_FILE).is_file():
            yield path / HOME_FILE
        elif path.is_dir():
            found = sorted(
                {
                    *(
                        folder / HOME_FILE.name
                        for folder in path.glob(f"*/{HOME_FILE.parent}")
                        if folder.is_dir()
                    ),
                    *path.glob("*.json"),
                    *path.glob("*/amilab-progress.json"),
                }
            )
            if found:
                yield from found
            else:
                yield Skipped(path, "no progress files in this folder")
        else:
            yield Skipped(path, "no such file or folder")


def learner_name(path: Path) -> str:
    """Whose file this is: the home folder's name, the folder's for a handed-in default name, or
    else the file's own name (``alice.json`` is alice's)."""
    if path.name == HOME_FILE.name and path.parent.name == HOME_FILE.parent.name:
        return path.parent.parent.resolve().name or str(path)
    if path.stem in HANDED_IN_NAMES:
        return path.resolve().parent.name or path.stem
    return path.stem


# -- checking one file ---------------------------------------------------------------------------


class _Bad(Exception):
    """The reason a file is skipped."""


def _time(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise _Bad(f"{what} is not a time")
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise _Bad(f"{what} is not a time ({value!r})") from None
    if parsed.tzinfo is None:
        raise _Bad(f"{what} has no time zone ({value!r})")
    return value


def _entry(exercise_id: Any, entry: Any, lessons: dict[str, str]) -> dict[str, Any]:
    if not isinstance(exercise_id, str) or not exercise_id:
        raise _Bad(f"an exercise ID is not text ({exercise_id!r})")
    if not isinstance(entry, dict):
        raise _Bad(f"the entry for {exercise_id!r} is not an object")
    last = _time(entry.get("last_passed"), f"{exercise_id}'s last_passed")
    first = _time(entry.get("first_passed", last), f"{exercise_id}'s first_passed")
    if dt.datetime.fromisoformat(first) > dt.datetime.fromisoformat(last):
        raise _Bad(f"{exercise_id} was first passed after it was last passed")
    passes = entry.get("passes", 1)
    if not isinstance(passes, int) or isinstance(passes, bool) or passes < 1:
        raise _Bad(f"{exercise_id}'s passes must be a whole number from 1 ({passes!r})")
    lesson = entry.get("lesson", "")
    expected = lessons.get(exercise_id)
    if not isinstance(lesson, str) or (expected and lesson and lesson != expected):
        raise _Bad(f"{exercise_id} is filed under lesson {lesson!r}, not {expected!r}")
    return {
        "lesson": lesson or expected or "",
        "first_passed": first,
        "last_passed": last,
        "passes": passes,
    }


def _hints(value: Any) -> dict[str, int]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _Bad('"hints" is not an object')
    clean = {}
    for exercise_id, shown in value.items():
        if not isinstance(shown, int) or isinstance(shown, bool) or shown < 0:
            raise _Bad(f"the hints shown for {exercise_id!r} are not a whole number ({shown!r})")
        clean[str(exercise_id)] = shown
    return clean


def read_record(path: Path, lessons: dict[str, str]) -> LearnerRecord | Skipped:
    """One file as a learner's record, or the reason it is skipped."""
    # A learner could point their file, their .amilab or their home at another learner's, and
    # take that learner's grades: only a learner's own file is read.
    own = [path, path.parent] + ([path.parent.parent] if path.parent.name == ".amilab" else [])
    if any(part.is_symlink() for part in own):
        return Skipped(
            path, "is reached through a symbolic link: only a learner's own file is read"
        )
    if not path.exists() and path.name == HOME_FILE.name and path.parent.name == ".amilab":
        return LearnerRecord(learner=learner_name(path), sources=[path], passed={})
    try:
        if path.stat().st_size > MAX_BYTES:
            return Skipped(path, f"larger than {MAX_BYTES:,} bytes: not a progress file")
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        return Skipped(path, f"cannot be read ({error.strerror or error})")
    except UnicodeDecodeError:
        return Skipped(path, "is not text (UTF-8)")
    except json.JSONDecodeError as error:
        return Skipped(path, f"is not valid JSON ({error.msg}, line {error.lineno})")
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        return Skipped(path, f'is not an AMI Lab progress file (no "schema": "{SCHEMA}")')
    if data.get("version") != VERSION:
        return Skipped(path, f"is progress format version {data.get('version')!r}, not {VERSION}")
    try:
        entries = data.get("exercises")
        if not isinstance(entries, dict):
            raise _Bad('"exercises" is not an object')
        passed = {str(k): _entry(k, v, lessons) for k, v in entries.items()}
        version = data.get("course_version")
        if version is not None and not isinstance(version, str):
            raise _Bad('"course_version" is not text')
        updated = data.get("updated")
        if updated is not None:
            _time(updated, '"updated"')
        hints = _hints(data.get("hints"))
    except _Bad as bad:
        return Skipped(path, f"looks altered or damaged: {bad}")
    return LearnerRecord(
        learner=learner_name(path),
        sources=[path],
        passed=passed,
        hints=hints,
        course_versions=[version] if version else [],
        updated=updated,
    )


def read_gradebook(paths: Iterable[str | os.PathLike[str]]) -> Gradebook:
    """Every learner's progress under ``paths`` (files or folders), with the files skipped.

    Two files of the same learner (a home file and a handed-in copy, say) are merged.
    """
    exercises = course_exercises()
    lessons = {e.id: e.lesson for e in exercises}
    learners: dict[str, LearnerRecord] = {}
    skipped: list[Skipped] = []
    seen: set[Path] = set()
    for found in find_progress_files(paths):
        if isinstance(found, Skipped):
            skipped.append(found)
            continue
        if found.absolute() in seen:
            continue
        seen.add(found.absolute())
        record = read_record(found, lessons)
        if isinstance(record, Skipped):
            skipped.append(record)
        elif record.learner in learners:
            learners[record.learner].merge(record)
        else:
            learners[record.learner] = record
    return Gradebook(exercises, sorted(learners.values(), key=lambda r: r.learner), skipped)
