"""The progress file's format, version 1: what a valid file holds, and how two files merge.

Pure data: nothing here touches the disk. See :mod:`labkit.progress` for the format itself.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any

__all__ = ["SCHEMA", "VERSION", "NotProgress", "empty", "merge", "now", "validated"]

SCHEMA = "amilab-progress"
VERSION = 1


class NotProgress(ValueError):
    """Content that is not AMI Lab progress this version can read; ``reason`` says which case.

    ``reason`` is ``"corrupt"`` (not JSON), ``"foreign"`` (JSON of another kind), ``"newer"``
    (a later format version) or ``"malformed"`` (the right schema with a broken part).
    """

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def empty() -> dict[str, Any]:
    """A progress document with nothing passed yet."""
    return {
        "schema": SCHEMA,
        "version": VERSION,
        "course_version": None,
        "updated": None,
        "exercises": {},
        "hints": {},
    }


def now() -> str:
    """The computer's time (UTC, whole seconds) as ISO 8601 text."""
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()


def validated(data: Any, where: str) -> dict[str, Any]:
    """The progress in ``data``, checked against the schema and normalised.

    Files without ``course_version`` or ``hints`` (written before they existed) are valid; a hint
    count that is not a whole number of at least 1 is dropped rather than failing the file.

    Raises:
        NotProgress: naming ``where`` and what is wrong.
    """
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise NotProgress(
            f'{where} is not an AMI Lab progress file (no "schema": "{SCHEMA}")', "foreign"
        )
    version = data.get("version")
    if version != VERSION:
        newer = isinstance(version, int) and not isinstance(version, bool) and version > VERSION
        raise NotProgress(
            f"{where} is progress format version {version!r}; this AMI Lab reads version "
            f"{VERSION}" + (" (update AMI Lab to read it)" if newer else ""),
            "newer" if newer else "malformed",
        )
    entries = data.get("exercises")
    if not isinstance(entries, dict):
        raise NotProgress(f'{where}: "exercises" must be an object', "malformed")
    clean: dict[str, dict[str, Any]] = {}
    for exercise_id, entry in entries.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("last_passed"), str):
            raise NotProgress(
                f'{where}: the entry for {exercise_id!r} has no "last_passed" time', "malformed"
            )
        passes = entry.get("passes", 1)
        clean[str(exercise_id)] = {
            "lesson": str(entry.get("lesson", "")),
            "first_passed": str(entry.get("first_passed", entry["last_passed"])),
            "last_passed": entry["last_passed"],
            "passes": passes if _whole(passes) and passes > 0 else 1,
        }
    hints = data.get("hints")
    hints = hints if isinstance(hints, dict) else {}
    course_version = data.get("course_version")
    return {
        **empty(),
        "course_version": course_version if isinstance(course_version, str) else None,
        "updated": data.get("updated"),
        "exercises": clean,
        "hints": {str(k): v for k, v in hints.items() if _whole(v) and v > 0},
    }


def merge(into: dict[str, Any], incoming: Mapping[str, Any]) -> None:
    """Add ``incoming``'s passes and hint counts to ``into``.

    Per exercise: the earliest first pass, the latest last pass, the most passes, the most hints.
    Merging the same document twice changes nothing, so loading a file twice is harmless.
    """
    mine = into["exercises"]
    for exercise_id, entry in incoming.get("exercises", {}).items():
        if exercise_id not in mine:
            mine[exercise_id] = dict(entry)
            continue
        old = mine[exercise_id]
        old["first_passed"] = min(old["first_passed"], entry["first_passed"])
        old["last_passed"] = max(old["last_passed"], entry["last_passed"])
        old["passes"] = max(old["passes"], entry["passes"])
        old["lesson"] = old["lesson"] or entry["lesson"]
    hints = into.setdefault("hints", {})
    for exercise_id, shown in incoming.get("hints", {}).items():
        hints[exercise_id] = max(hints.get(exercise_id, 0), shown)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
