"""The gradebook as CSV: one row a learner, one column an exercise, then the totals.

Made to import into a learning-management system's gradebook: the first column identifies the
learner (the hub user name, or the handed-in file's name), each exercise column holds 1 (passed) or
0, and ``passed`` / ``out_of`` / ``percent`` are plain numbers. The text columns after them
(``course_version``, ``stopped_after``, ``last_active``) are for the instructor; an LMS import can
leave them out. A cell that would start with ``=``, ``+``, ``-`` or ``@`` is prefixed with ``'`` so
that no spreadsheet runs it as a formula.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .reading import Gradebook, LearnerRecord

__all__ = ["csv_header", "csv_rows", "csv_text", "write_csv"]

TOTALS = ["passed", "out_of", "percent", "hints_used"]
NOTES = ["course_version", "stopped_after", "last_active"]


def _safe(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_header(book: Gradebook) -> list[str]:
    """``learner``, each exercise's ID in course order, the totals, then the notes."""
    return ["learner", *(e.id for e in book.exercises), *TOTALS, *NOTES]


def _row(book: Gradebook, record: LearnerRecord) -> list[str | int | float]:
    marks = [1 if e.id in record.passed else 0 for e in book.exercises]
    out_of = len(book.exercises)
    furthest = book.furthest(record)
    return [
        _safe(record.learner),
        *marks,
        sum(marks),
        out_of,
        round(100 * sum(marks) / out_of, 1) if out_of else 0.0,
        book.hints_used(record),
        _safe(record.course_version),
        furthest.id if furthest else "",
        record.updated or "",
    ]


def csv_rows(book: Gradebook) -> list[list[str | int | float]]:
    """The header, then one row per learner (in name order)."""
    return [csv_header(book), *(_row(book, r) for r in book.learners)]


def csv_text(book: Gradebook) -> str:
    """The CSV file's content."""
    stream = io.StringIO()
    csv.writer(stream, lineterminator="\n").writerows(csv_rows(book))
    return stream.getvalue()


def write_csv(book: Gradebook, path: str | Path) -> Path:
    """Write the CSV gradebook to ``path`` (UTF-8); return the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(csv_text(book), encoding="utf-8", newline="")
    return target
