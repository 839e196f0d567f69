"""Progress: every passed check (and every hint shown) is remembered in a small JSON file.

The file is ``~/.amilab/progress.json``, or the path in the ``AMILAB_PROGRESS`` environment
variable. Format version 1 (``labkit gradebook`` reads it) holds::

    {
      "schema": "amilab-progress",          # always this: marks an AMI Lab progress file
      "version": 1,                          # the format version (a newer one is set aside)
      "course_version": "0.1.0",             # labkit.__version__ of the last writer
      "updated": "2025-03-03T09:41:07+00:00",
      "exercises": {                         # one entry per exercise passed at least once
        "welcome-find-image": {
          "lesson": "00-welcome",
          "first_passed": "2025-03-03T09:12:55+00:00",
          "last_passed": "2025-03-03T09:41:07+00:00",
          "passes": 2                        # checks passed, a whole number >= 1
        }
      },
      "hints": {"welcome-find-image": 3}     # hints (or the solution) shown, per exercise
    }

``course_version`` and ``hints`` were added later, within version 1: files without them are
valid (no hints shown, writer unknown); readers must ignore fields they do not know. Times are the
computer's clock (UTC, ISO 8601, whole seconds), not the sandbox's.

Saving never loses a pass: each change is read-modify-write under a lock, and the file is
replaced atomically. A damaged file is renamed ``progress.json.damaged-<time>`` (never deleted)
and a fresh one started; a symlink's target is written; a read-only file is left alone. A check
never fails because the file cannot be written: it warns once and carries on.

Modules: ``schema`` (the format, pure data), ``store`` (the file: lock, repair, write),
``course_map`` (what ``labkit.progress()`` shows), ``uploads`` (``load_progress``).
"""

from __future__ import annotations

from .course_map import DOWNLOAD_NAME, Progress, ProgressDownload, progress
from .schema import SCHEMA, VERSION
from .store import (
    ENV_VAR,
    ProgressWarning,
    progress_path,
    read_progress,
    record_hint,
    record_pass,
)
from .uploads import load_progress

__all__ = [
    "DOWNLOAD_NAME",
    "ENV_VAR",
    "SCHEMA",
    "VERSION",
    "Progress",
    "ProgressDownload",
    "ProgressWarning",
    "load_progress",
    "progress",
    "progress_path",
    "read_progress",
    "record_hint",
    "record_pass",
]
