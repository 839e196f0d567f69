"""The progress file on disk: read it, repair it, and change it one writer at a time.

Every change is a read-modify-write under :func:`labkit.progress._lock.locked`, and the file is
replaced atomically (written beside it, then renamed), so two kernels recording at once never
lose a pass, a crash never leaves half a file, and ``True`` means the pass is on disk.

A file AMI Lab cannot read (not JSON, another program's JSON, a newer format, a folder named
``*.json``) is renamed ``<name>.damaged-<UTC time>`` — never deleted — and a fresh file started,
with one warning that says where the old one is. A symlink keeps pointing where it did: the write
goes to its target. A read-only file is left alone: the learner is told once, checks still answer.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import _valid
from ._lock import locked
from .schema import NotProgress, empty, now, validated

__all__ = [
    "ENV_VAR",
    "ProgressWarning",
    "progress_path",
    "read_progress",
    "record_hint",
    "record_pass",
    "update_progress",
]

ENV_VAR = "AMILAB_PROGRESS"

#: The "could not save" warning is given once per session; a check must not nag at every pass.
_warned = False


class ProgressWarning(UserWarning):
    """Something happened to the progress file; the check itself still answered."""


class ReadOnlyProgress(OSError):
    """The progress file is read-only: AMI Lab leaves it as it is."""


def progress_path() -> Path:
    """Where progress is kept: ``$AMILAB_PROGRESS``, else ``~/.amilab/progress.json``."""
    configured = os.environ.get(ENV_VAR, "").strip()
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".amilab" / "progress.json"


def course_version() -> str:
    """The version of AMI Lab writing the file (``labkit.__version__``)."""
    from .. import __version__

    return __version__


# -- reading -----------------------------------------------------------------------------------


def _target(path: Path) -> Path:
    """The file that is read and written: a symlink's final target, else the path itself."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _read_only(path: Path) -> bool:
    """A regular file nobody may write (mode bits, so it holds for root too), or we may not."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return path.is_file() and (not mode & 0o222 or not os.access(path, os.W_OK))


def _read(path: Path) -> dict[str, Any]:
    """The progress in ``path``; empty if there is no file yet.

    Raises:
        NotProgress: for content AMI Lab cannot read (``reason`` says which kind), or a folder.
        OSError: for a file that exists but cannot be read.
    """
    if path.is_dir():
        raise NotProgress(f"{path} is a folder, not a file", "directory")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return empty()
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise NotProgress(f"{path} is not valid JSON ({error})", "corrupt") from None
    return validated(data, str(path))


def _set_aside(path: Path, problem: NotProgress) -> Path:
    """Rename a file (or ``*.json`` folder) AMI Lab cannot read, and say so once, in words.

    Raises:
        OSError: if it cannot be renamed (it is then left exactly as it was), or if it is a
            folder whose name does not end in ``.json`` (likely not meant as a progress file).
    """
    if problem.reason == "directory" and path.suffix != ".json":
        raise OSError(
            f"{path} is a folder; set {ENV_VAR} to a file path such as {path / 'progress.json'}"
        )
    stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    number = 1
    while aside.exists() or aside.is_symlink():
        number += 1
        aside = path.with_name(f"{path.name}.damaged-{stamp}-{number}")
    try:
        os.rename(path, aside)
    except OSError as error:
        raise OSError(f"{problem} — and it could not be moved aside ({error})") from None
    warnings.warn(_damaged_advice(path, aside, problem), ProgressWarning, stacklevel=4)
    return aside


def _damaged_advice(path: Path, aside: Path, problem: NotProgress) -> str:
    kept = f"AMI Lab kept it, untouched, as {aside} and started a fresh progress file."
    if problem.reason == "newer":
        return (
            f"Your progress file {path} was written by a newer AMI Lab. {kept} "
            f"To bring those passes back, update AMI Lab, then run "
            f'labkit.load_progress("{aside}").'
        )
    if problem.reason == "foreign":
        return (
            f"{path} is not an AMI Lab progress file. {kept} If that file is yours, move it back "
            f"and set {ENV_VAR} to another path for AMI Lab's progress."
        )
    if problem.reason == "directory":
        return (
            f"{path} was a folder, not a progress file. AMI Lab renamed the folder, contents "
            f"untouched, to {aside} and started a fresh progress file in its place."
        )
    return (
        f"Your progress file {path} was damaged ({problem}). {kept} "
        "Passes from now on are saved as usual."
    )


def read_progress(path: Any = None) -> tuple[Path, dict[str, Any]]:
    """The progress file's path and content, for showing; never raises for the file's state.

    A damaged file is set aside as when saving (and said so once); a file that cannot be read
    shows as no passes, with a :class:`ProgressWarning` saying why.

    Raises:
        TypeError, ValueError: for a ``path`` that cannot name a file.
    """
    where = progress_path() if path is None else _valid.file_path("path", path)
    target = _target(where)
    try:
        if not target.parent.is_dir():
            return where, empty()
        with locked(target):
            try:
                return where, _read(target)
            except NotProgress as problem:
                if not _read_only(target):
                    _set_aside(target, problem)
                    return where, empty()
                message = (
                    f"AMI Lab cannot read your progress ({problem}). The file is read-only, so "
                    "AMI Lab leaves it as it is; make it writable to let AMI Lab keep it aside "
                    "and start a fresh one."
                )
    except OSError as error:
        message = f"AMI Lab cannot read your progress file {where} ({error})."
    warnings.warn(message, ProgressWarning, stacklevel=3)
    return where, empty()


# -- changing ----------------------------------------------------------------------------------


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


def update_progress(change: Callable[[dict[str, Any]], None], path: Any = None) -> Path:
    """Apply ``change`` to the progress document and save it, as one locked step.

    A damaged file is set aside first (see the module's docstring).

    Returns:
        The path the caller named (a symlink stays a symlink; its target was written).

    Raises:
        ReadOnlyProgress: for a read-only file (left as it is).
        OSError: if the file cannot be written, or a damaged one cannot be moved aside.
    """
    where = progress_path() if path is None else _valid.file_path("path", path)
    target = _target(where)
    target.parent.mkdir(parents=True, exist_ok=True)
    with locked(target):
        if _read_only(target):
            raise ReadOnlyProgress(f"{where} is read-only")
        try:
            data = _read(target)
        except NotProgress as problem:
            _set_aside(target, problem)
            data = empty()
        change(data)
        data["updated"] = now()
        data["course_version"] = course_version()
        _write(target, data)
    return where


def _quietly(change: Callable[[dict[str, Any]], None], path: Any) -> bool:
    """``update_progress`` that never raises: False, and one warning per session, on failure."""
    global _warned
    try:
        update_progress(change, path)
        return True
    except Exception as error:  # a check must answer whatever happens to the progress file
        if not _warned:
            _warned = True
            warnings.warn(_save_advice(path, error), ProgressWarning, stacklevel=4)
        return False


def _save_advice(path: Any, error: Exception) -> str:
    where = path if path is not None else progress_path()
    if isinstance(error, ReadOnlyProgress):
        return (
            f"Your progress file {where} is read-only, so AMI Lab leaves it as it is and does "
            "not save passes in it. Checks still work. To save them, make the file writable "
            f"(chmod u+w {where}) or set {ENV_VAR} to another file."
        )
    return (
        f"AMI Lab could not save your progress to {where} ({type(error).__name__}: {error}). "
        f"Checks still work; set {ENV_VAR} to a file you can write to keep track of them."
    )


def record_pass(exercise_id: str, path: Any = None) -> bool:
    """Remember that an exercise's check passed; never raises for the file's state.

    Returns:
        True if the pass is saved on disk; False (after warning once per session) if not.

    Raises:
        TypeError, ValueError: for an ``exercise_id`` that is not text, or a ``path`` that
            cannot name a file (mistakes in the call, not in the file).
    """
    from ..checks import get_exercise

    _arguments(exercise_id, path)
    try:
        lesson = get_exercise(exercise_id).lesson
    except (KeyError, TypeError, ValueError):
        lesson = ""

    def add_pass(data: dict[str, Any]) -> None:
        stamp = now()
        entry = data["exercises"].setdefault(
            str(exercise_id),
            {"lesson": lesson, "first_passed": stamp, "last_passed": stamp, "passes": 0},
        )
        entry["last_passed"] = stamp
        entry["passes"] += 1
        entry["lesson"] = entry["lesson"] or lesson

    return _quietly(add_pass, path)


def record_hint(exercise_id: str, path: Any = None) -> bool:
    """Count one more hint (or solution) shown for an exercise; never raises for the file.

    Returns:
        True if the count is saved; False (after warning once per session) if not.

    Raises:
        TypeError, ValueError: as :func:`record_pass`.
    """
    _arguments(exercise_id, path)

    def add_hint(data: dict[str, Any]) -> None:
        hints = data.setdefault("hints", {})
        hints[str(exercise_id)] = hints.get(str(exercise_id), 0) + 1

    return _quietly(add_hint, path)


def _arguments(exercise_id: Any, path: Any) -> None:
    _valid.require_text("exercise_id", exercise_id)
    if len(exercise_id) > 200:
        raise ValueError(f"exercise_id is an exercise's ID, not {_valid.shown(exercise_id)}")
    if path is not None:
        _valid.file_path("path", path)
