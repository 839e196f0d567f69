"""Progress files as labkit/progress.py writes them (old form) and with the newer fields."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

T0 = "2026-12-01T09:00:00+00:00"
T1 = "2026-12-01T09:30:00+00:00"


def progress_data(passed, *, hints=None, course_version=None, updated=T1) -> dict:
    """A progress file's content; ``passed`` maps exercise IDs to their lesson."""
    data = {
        "schema": "amilab-progress",
        "version": 1,
        "updated": updated,
        "exercises": {
            exercise_id: {
                "lesson": lesson,
                "first_passed": T0,
                "last_passed": T1,
                "passes": 1,
            }
            for exercise_id, lesson in passed.items()
        },
    }
    if hints is not None:
        data["hints"] = hints
    if course_version is not None:
        data["course_version"] = course_version
    return data


def write_json(path: Path, data) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def home(tmp_path):
    """``home("alice", passed, **fields)`` writes alice's ~/.amilab/progress.json under tmp_path."""

    def make(name: str, passed: dict, **fields) -> Path:
        target = tmp_path / "home" / name / ".amilab" / "progress.json"
        return write_json(target, progress_data(passed, **fields))

    return make
