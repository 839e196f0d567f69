"""Progress: every passed check is remembered in a small JSON file, and shown as the course map.

The file is ``~/.amilab/progress.json``, or the path in the ``AMILAB_PROGRESS`` environment
variable. It holds::

    {
      "schema": "amilab-progress",
      "version": 1,
      "updated": "2025-03-03T09:41:07+00:00",
      "exercises": {
        "welcome-find-image": {
          "lesson": "00-welcome",
          "first_passed": "2025-03-03T09:12:55+00:00",
          "last_passed": "2025-03-03T09:41:07+00:00",
          "passes": 2
        }
      }
    }

Times are the computer's clock (UTC), not the sandbox's. The file is replaced atomically (written
beside it, then renamed), so a crash never leaves half a file. A check never fails because the file
cannot be written: it warns once and carries on.
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import json
import os
import tempfile
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .checks import Exercise, exercises, get_exercise

__all__ = [
    "ENV_VAR",
    "Progress",
    "ProgressDownload",
    "ProgressWarning",
    "load_progress",
    "progress",
    "progress_path",
    "record_pass",
]

ENV_VAR = "AMILAB_PROGRESS"
SCHEMA = "amilab-progress"
VERSION = 1
DOWNLOAD_NAME = "amilab-progress.json"

_warned = False


class ProgressWarning(UserWarning):
    """Progress could not be saved; the check itself still answered."""


def progress_path() -> Path:
    """Where progress is kept: ``$AMILAB_PROGRESS``, else ``~/.amilab/progress.json``."""
    configured = os.environ.get(ENV_VAR, "").strip()
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".amilab" / "progress.json"


# -- the file ----------------------------------------------------------------------------------


def _empty() -> dict[str, Any]:
    return {"schema": SCHEMA, "version": VERSION, "updated": None, "exercises": {}}


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()


def _validated(data: Any, where: str) -> dict[str, Any]:
    """The progress in ``data``, checked against the schema.

    Raises:
        ValueError: naming ``where`` and what is wrong.
    """
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise ValueError(f'{where} is not an AMI Lab progress file (no "schema": "{SCHEMA}")')
    version = data.get("version")
    if version != VERSION:
        newer = isinstance(version, int) and version > VERSION
        raise ValueError(
            f"{where} is progress format version {version!r}; this AMI Lab reads version "
            f"{VERSION}" + (" (update AMI Lab to read it)" if newer else "")
        )
    entries = data.get("exercises")
    if not isinstance(entries, dict):
        raise ValueError(f'{where}: "exercises" must be an object')
    clean: dict[str, dict[str, Any]] = {}
    for exercise_id, entry in entries.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("last_passed"), str):
            raise ValueError(f'{where}: the entry for {exercise_id!r} has no "last_passed" time')
        passes = entry.get("passes", 1)
        clean[str(exercise_id)] = {
            "lesson": str(entry.get("lesson", "")),
            "first_passed": str(entry.get("first_passed", entry["last_passed"])),
            "last_passed": entry["last_passed"],
            "passes": passes if isinstance(passes, int) and passes > 0 else 1,
        }
    return {**_empty(), "updated": data.get("updated"), "exercises": clean}


def _read(path: Path) -> dict[str, Any]:
    """The progress in ``path``; empty if there is no file yet.

    Raises:
        ValueError: for a file that is not valid progress JSON.
        OSError: for a file that exists but cannot be read.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return _empty()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"{path} is not valid JSON ({error})") from None
    return _validated(data, str(path))


def _write(path: Path, data: dict[str, Any]) -> None:
    """Replace ``path`` with ``data`` atomically (a temporary file beside it, then a rename).

    No ``fsync``: the rename already means a reader, or a kernel that dies mid-write, sees the old
    file or the new one, never half of one. Only a power cut at that moment could lose the latest
    pass, and syncing cost 3 ms of every passing check (a tenth of it).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream, indent=2, sort_keys=True, ensure_ascii=False)
            stream.write("\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _merge(into: dict[str, Any], entries: Mapping[str, Mapping[str, Any]]) -> None:
    """Add ``entries`` to ``into``'s exercises: earliest first pass, latest last pass, most passes.

    Merging the same entries twice changes nothing, so loading a file twice is harmless.
    """
    mine = into["exercises"]
    for exercise_id, entry in entries.items():
        if exercise_id not in mine:
            mine[exercise_id] = dict(entry)
            continue
        old = mine[exercise_id]
        old["first_passed"] = min(old["first_passed"], entry["first_passed"])
        old["last_passed"] = max(old["last_passed"], entry["last_passed"])
        old["passes"] = max(old["passes"], entry["passes"])
        old["lesson"] = old["lesson"] or entry["lesson"]


def record_pass(exercise_id: str, path: Path | None = None) -> bool:
    """Remember that an exercise's check passed; never raises.

    Returns:
        True if the pass was saved; False (after warning once per session) if it could not be.
    """
    global _warned
    path = path or progress_path()
    try:
        lesson = get_exercise(exercise_id).lesson
    except KeyError:
        lesson = ""
    try:
        data = _read(path)
        now = _now()
        entry = data["exercises"].get(exercise_id)
        if entry is None:
            entry = {"lesson": lesson, "first_passed": now, "last_passed": now, "passes": 0}
            data["exercises"][exercise_id] = entry
        entry["last_passed"] = now
        entry["passes"] += 1
        entry["lesson"] = entry["lesson"] or lesson
        data["updated"] = now
        _write(path, data)
        return True
    except Exception as error:  # a check must answer whatever happens to the progress file
        if not _warned:
            _warned = True
            warnings.warn(
                f"AMI Lab could not save your progress to {path} ({type(error).__name__}: "
                f"{error}). Checks still work; set {ENV_VAR} to a file you can write to keep "
                "track of them.",
                ProgressWarning,
                stacklevel=3,
            )
        return False


# -- the course map ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """The course map: every lesson's exercises, and which of them you have done."""

    path: Path
    data: dict[str, Any]

    @property
    def done(self) -> dict[str, dict[str, Any]]:
        """The passed exercises, by ID, with their lesson, first and last pass and count."""
        return dict(self.data["exercises"])

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
        saved: Path | None = Path(filename)
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

    Raises:
        ValueError: if the progress file is not one AMI Lab can read (the message says why).
    """
    where = Path(path) if path is not None else progress_path()
    return Progress(where, _read(where))


def load_progress(source: Any, path: str | os.PathLike[str] | None = None) -> Progress:
    """Merge saved progress (a downloaded file) into this computer's progress file.

    Args:
        source: a path to a progress file, its JSON text or bytes, an already parsed dict, or the
            value of an ``ipywidgets.FileUpload``.
        path: the progress file to merge into; ``progress_path()`` when omitted.

    Returns:
        The merged :class:`Progress`.

    Raises:
        ValueError: if ``source`` is not AMI Lab progress.
        OSError: if the progress file cannot be written.
    """
    incoming = _validated(_parse(source), _describe(source))
    where = Path(path) if path is not None else progress_path()
    data = _read(where)
    _merge(data, incoming["exercises"])
    data["updated"] = _now()
    _write(where, data)
    return Progress(where, data)


def _parse(source: Any) -> Any:
    if isinstance(source, (tuple, list)) and source and isinstance(source[0], Mapping):
        source = bytes(source[0]["content"])  # ipywidgets.FileUpload(...).value
    if isinstance(source, Mapping):
        return dict(source)
    if isinstance(source, (bytes, bytearray, memoryview)):
        source = bytes(source).decode("utf-8")
    if isinstance(source, str) and source.lstrip().startswith("{"):
        try:
            return json.loads(source)
        except json.JSONDecodeError as error:
            raise ValueError(f"the progress text is not valid JSON ({error})") from None
    if isinstance(source, (str, os.PathLike)):
        file = Path(source).expanduser()
        if not file.is_file():
            raise ValueError(f"there is no progress file {file}")
        try:
            return json.loads(file.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise ValueError(f"{file} is not valid JSON ({error})") from None
    raise ValueError(f"cannot read progress from a {type(source).__name__}")


def _describe(source: Any) -> str:
    if isinstance(source, (str, os.PathLike)) and not str(source).lstrip().startswith("{"):
        return str(source)
    return "the progress you loaded"
