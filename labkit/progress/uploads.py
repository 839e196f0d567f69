"""Bringing saved progress back: merge a downloaded progress file into this computer's one."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

from .. import _valid
from .course_map import Progress
from .schema import merge, validated
from .store import update_progress

__all__ = ["load_progress"]


def load_progress(source: Any, path: str | os.PathLike[str] | None = None) -> Progress:
    """Merge saved progress (a downloaded file) into this computer's progress file.

    Args:
        source: a path to a progress file, its JSON text or bytes, an already parsed dict, or the
            value of an ``ipywidgets.FileUpload``.
        path: the progress file to merge into; ``progress_path()`` when omitted.

    Returns:
        The merged :class:`Progress`.

    Raises:
        ValueError: if ``source`` is not AMI Lab progress (or ``path`` cannot name a file).
        OSError: if the progress file cannot be written (a read-only one is left as it is).
    """
    if path is not None:
        _valid.file_path("path", path)
    incoming = validated(_parse(source), _describe(source))
    saved: list[dict[str, Any]] = []

    def add(data: dict[str, Any]) -> None:
        merge(data, incoming)
        saved.append(data)  # the same dict is stamped and written after this returns

    where = update_progress(add, path)
    return Progress(where, saved[0])


def _parse(source: Any) -> Any:
    if isinstance(source, (tuple, list)) and source and isinstance(source[0], Mapping):
        content = source[0].get("content")  # ipywidgets.FileUpload(...).value
        if not isinstance(content, (bytes, bytearray, memoryview)):
            raise ValueError("source: the upload has no file content")
        source = bytes(content)
    if isinstance(source, Mapping):
        return dict(source)
    if isinstance(source, (bytes, bytearray, memoryview)):
        try:
            source = bytes(source).decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError("source: the progress bytes are not UTF-8 text") from None
    if isinstance(source, str) and source.lstrip().startswith("{"):
        try:
            return json.loads(source)
        except json.JSONDecodeError as error:
            raise ValueError(f"source: the progress text is not valid JSON ({error})") from None
    if isinstance(source, (str, os.PathLike)):
        file = _valid.file_path("source", source)
        try:
            if not file.is_file():
                raise ValueError(f"source: there is no progress file {_short(source)}")
            return json.loads(file.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise ValueError(f"source: {file} is not valid JSON ({error})") from None
        except (OSError, UnicodeError) as error:
            raise ValueError(f"source: cannot read {_short(source)} ({error})") from None
    raise ValueError(
        f"source: cannot read progress from a {type(source).__name__}; source is a path, JSON "
        "text or bytes, a dict, or a FileUpload's value"
    )


def _short(value: Any) -> str:
    text = str(value)
    return repr(text if len(text) <= 80 else text[:77] + "...")


def _describe(source: Any) -> str:
    if isinstance(source, (str, os.PathLike)) and not str(source).lstrip().startswith("{"):
        return f"source {_short(source)}"
    return "source (the progress you loaded)"
