"""The course map: every lesson's exercises and which you have passed (text, HTML, a download)."""

from __future__ import annotations

import base64
import html
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import _valid
from ..checks import Exercise, exercises
from .store import _write, read_progress

__all__ = ["DOWNLOAD_NAME", "Progress", "ProgressDownload", "progress"]

DOWNLOAD_NAME = "amilab-progress.json"


@dataclass(frozen=True)
class Progress:
    """The course map: every lesson's exercises, and which of them you have done."""

    path: Path
    data: dict[str, Any]

    @property
    def done(self) -> dict[str, dict[str, Any]]:
        """The passed exercises, by ID, with their lesson, first and last pass and count."""
        return dict(self.data["exercises"])

    @property
    def hints(self) -> dict[str, int]:
        """How many hints (or solutions) were shown, by exercise ID."""
        return dict(self.data.get("hints", {}))

    def lessons(self) -> dict[str, list[Exercise]]:
        """Every lesson with exercises, in course order, and its exercises in lesson order."""
        by_lesson: dict[str, list[Exercise]] = {}
        for item in exercises():
            by_lesson.setdefault(item.lesson, []).append(item)
        return dict(sorted(by_lesson.items()))

    def counts(self) -> tuple[int, int]:
        """(exercises done, exercises in the course), counting only this course's exercises."""
        known = [e.id for items in self.lessons().values() for e in items]
        return sum(1 for e in known if e in self.data["exercises"]), len(known)

    def to_json(self) -> str:
        """The progress file's content, as JSON text."""
        return json.dumps(self.data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    def download(self, filename: str = DOWNLOAD_NAME) -> ProgressDownload:
        """Save a copy in the current folder and offer it as a download link (for Binder).

        Load it back in a later session with ``labkit.load_progress("amilab-progress.json")``
        after uploading it with JupyterLab's file browser.
        """
        saved: Path | None = _valid.file_path("filename", filename)
        try:
            _write(saved.resolve(), self.data)
        except OSError:
            saved = None  # the link still works: it carries the data itself
        return ProgressDownload(Path(filename).name, self.to_json(), saved)

    def _rows(self) -> list[tuple[str, Exercise, dict[str, Any] | None]]:
        return [
            (lesson, item, self.data["exercises"].get(item.id))
            for lesson, items in self.lessons().items()
            for item in items
        ]

    def _others(self) -> list[str]:
        known = {item.id for items in self.lessons().values() for item in items}
        return sorted(set(self.data["exercises"]) - known)

    def __str__(self) -> str:
        done, total = self.counts()
        lines = [f"AMI Lab progress: {done} of {total} exercises done ({self.path})"]
        current = None
        for lesson, item, entry in self._rows():
            if lesson != current:
                current = lesson
                lines.append(f"\n{lesson}")
            mark = f"✅ {entry['last_passed'][:10]}" if entry else "⬜ not yet "
            lines.append(f"  {mark}  {item.id}: {item.title}")
        if self._others():
            lines.append(f"\nAlso passed (not in this version of the course): {self._extra()}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _extra(self) -> str:
        return ", ".join(self._others())

    def _repr_html_(self) -> str:
        done, total = self.counts()
        rows = []
        for lesson, items in self.lessons().items():
            for index, item in enumerate(items):
                entry = self.data["exercises"].get(item.id)
                lesson_cell = (
                    f"<td rowspan='{len(items)}' style='vertical-align:top'>"
                    f"<b>{html.escape(lesson)}</b></td>"
                    if index == 0
                    else ""
                )
                state = (
                    f"✅ {html.escape(entry['last_passed'][:10])}"
                    if entry
                    else "<span style='color:#888'>⬜ not yet</span>"
                )
                rows.append(
                    f"<tr>{lesson_cell}<td>{html.escape(item.title)}<br>"
                    f"<code>{html.escape(item.id)}</code></td><td>{state}</td></tr>"
                )
        others = (
            f"<p>Also passed (not in this version of the course): {html.escape(self._extra())}</p>"
            if self._others()
            else ""
        )
        return (
            f"<p><b>AMI Lab progress: {done} of {total} exercises done</b> "
            f"<small>({html.escape(str(self.path))})</small></p>"
            "<table><thead><tr><th>Lesson</th><th>Exercise</th><th>Done</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>{others}"
        )


@dataclass(frozen=True)
class ProgressDownload:
    """A download link for a progress file (and where a copy was saved, if it could be)."""

    filename: str
    text: str
    saved: Path | None

    def data_uri(self) -> str:
        """The file as a ``data:`` URI, which a browser downloads without any server."""
        encoded = base64.b64encode(self.text.encode("utf-8")).decode("ascii")
        return f"data:application/json;base64,{encoded}"

    def __str__(self) -> str:
        if self.saved is None:
            return f"Could not save {self.filename} here; display this in JupyterLab for a link."
        return (
            f"Saved your progress as {self.saved}. Download it from JupyterLab's file browser "
            "(right-click, Download); next time, upload it and run "
            f'labkit.load_progress("{self.filename}").'
        )

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        name = html.escape(self.filename)
        saved = (
            f" A copy is saved as <code>{html.escape(str(self.saved))}</code>."
            if self.saved
            else ""
        )
        return (
            f"<a download='{name}' href='{self.data_uri()}'>⬇️ Download {name}</a>{saved}<br>"
            f"<small>Next time, upload it with the file browser and run "
            f'<code>labkit.load_progress("{name}")</code>.</small>'
        )


def progress(path: str | os.PathLike[str] | None = None) -> Progress:
    """The course map: every lesson's exercises, and which you have passed.

    A progress file AMI Lab cannot read shows as no passes, with a ``ProgressWarning`` that
    says why; this never raises for the file's content.

    Raises:
        TypeError, ValueError: for a ``path`` that cannot name a file (naming the parameter).
    """
    where, data = read_progress(path)
    return Progress(where, data)
