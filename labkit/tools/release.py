"""The learner edition: every lesson with its solutions taken out, its checks and hints kept.

Lessons are written once, as the instructor edition (``notebooks/``). A solution is marked the
nbgrader way, in a code cell tagged ``solution``::

    my_image_id = ...  # your answer
    ### BEGIN SOLUTION
    my_image_id = "ami-0abc..."
    ### END SOLUTION

The learner edition keeps the lines outside the markers (``my_image_id = ...``); a cell that was
all solution becomes ``# your code here`` / ``...``. Markdown cells tagged ``solution`` (a
``<details>`` block with the worked answer) are left out. Outputs and execution counts are cleared.

A release never destroys a learner's work: ``DEST/.amilab-release.json`` records what it wrote,
and a file in DEST that has changed since (the learner ran or edited it) is kept, not replaced,
unless ``force`` is given. Releasing twice writes the same bytes, so the second run changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["ReleaseError", "ReleaseReport", "learner_notebook", "release"]

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
SOLUTION_TAG = "solution"
STUB = "# your code here\n..."
MANIFEST = ".amilab-release.json"
BANNER_ID = "learner-edition"
BANNER = (
    "> **Learner edition.** The exercise cells are yours to fill in: they start as `...`.\n"
    '> Run each check cell to see ✅ or ❌, and `lab.hint("exercise-id")` when you are stuck.\n'
    "> Your changes to this notebook are kept when the course is updated; "
    "delete the notebook to get a fresh copy."
)
# Never copied: editor and tool leftovers, whichever folder they are in.
_SKIPPED_NAMES = {"__pycache__", ".ipynb_checkpoints"}


class ReleaseError(Exception):
    """The learner edition cannot be written (the message says why and what to do)."""


@dataclass
class ReleaseReport:
    """What a release did to each file of DEST (paths relative to DEST)."""

    dest: Path
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)

    @property
    def notebooks(self) -> list[str]:
        """Every notebook of the edition, whatever happened to it."""
        return sorted(p for p in self.written + self.unchanged + self.kept if p.endswith(".ipynb"))

    def lines(self) -> list[str]:
        """A line per file that changed or was kept, then a summary line."""
        out = [f"wrote {self.dest / p}" for p in self.written]
        out += [
            f"kept {self.dest / p}: it has changes of its own (delete it, or release with "
            "--force, to replace it)"
            for p in self.kept
        ]
        count = len(self.notebooks)
        out.append(
            f"Learner edition of {count} lesson{'s' * (count != 1)} in {self.dest}: "
            f"{len(self.written)} written, {len(self.unchanged)} unchanged, {len(self.kept)} kept."
        )
        return out


def learner_notebook(notebook: dict[str, Any], name: str = "notebook") -> dict[str, Any]:
    """The learner edition of one notebook (a new dict; the argument is left as it was).

    Args:
        notebook: the notebook as parsed JSON (nbformat 4).
        name: how error messages name the notebook.

    Raises:
        ReleaseError: for a cell whose solution markers do not pair up.
    """
    cells = []
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        cell = json.loads(json.dumps(cell))  # a deep copy of plain JSON
        tags = list(cell.get("metadata", {}).get("tags", []))
        tagged = SOLUTION_TAG in tags
        if tagged and cell["cell_type"] == "markdown":
            continue
        source = _source_text(cell)
        where = f"{name}, cell {number}" + (f" (id {cell['id']})" if "id" in cell else "")
        kept, had_markers = _outside_markers(source, where)
        if cell["cell_type"] == "code":
            if tagged and not had_markers:
                kept = ""  # nbgrader's rule: a tagged cell without markers is all solution
            if (tagged or had_markers) and not kept.strip():
                kept = STUB
            cell["outputs"] = []
            cell["execution_count"] = None
        cell["source"] = kept
        _clean_metadata(cell)
        cells.append(cell)
    if not (cells and cells[0].get("id") == BANNER_ID):
        cells.insert(
            0, {"cell_type": "markdown", "id": BANNER_ID, "metadata": {}, "source": BANNER}
        )
    result = {key: value for key, value in notebook.items() if key != "cells"}
    result["cells"] = cells
    return json.loads(json.dumps(result))


def release(
    src: str | os.PathLike[str], dest: str | os.PathLike[str], *, force: bool = False
) -> ReleaseReport:
    """Write the learner edition of every notebook in ``src`` to ``dest``, with the other files.

    Args:
        src: the instructor edition, a folder of notebooks (and figures, data…).
        dest: where the learner edition goes; made if missing. It must not be inside ``src``.
        force: replace files in ``dest`` even when they have changes of their own.

    Returns:
        A :class:`ReleaseReport`.

    Raises:
        ReleaseError: for a missing ``src``, a ``dest`` inside it, a notebook that is not valid
            JSON or whose solution markers do not pair up. Nothing is written then.
    """
    source, target = Path(src), Path(dest)
    if not source.is_dir():
        what = "is not a folder" if source.exists() else "does not exist"
        raise ReleaseError(f"the instructor edition {source} {what}")
    source_real, target_real = source.resolve(), target.resolve()
    if target_real == source_real or source_real in target_real.parents:
        raise ReleaseError(
            f"the learner edition {target} would be inside the instructor edition {source}; "
            "choose a folder outside it (such as learner/)"
        )
    if target.exists() and not target.is_dir():
        raise ReleaseError(f"{target} is a file, not a folder")
    files = dict(_edition_files(source))  # every notebook is converted before anything is written
    if not any(path.endswith(".ipynb") for path in files):
        raise ReleaseError(f"{source} holds no notebooks (*.ipynb)")

    target.mkdir(parents=True, exist_ok=True)
    manifest = _read_manifest(target)
    report = ReleaseReport(target)
    for relpath, content in sorted(files.items()):
        path = target / relpath
        digest = _digest(content)
        current = path.read_bytes() if path.is_file() else None
        if current == content:
            report.unchanged.append(relpath)
        elif current is None or force or manifest.get(relpath) == _digest(current):
            _write_atomically(path, content)
            report.written.append(relpath)
        else:
            report.kept.append(relpath)
            continue
        manifest[relpath] = digest
    _write_atomically(
        target / MANIFEST,
        (json.dumps({"version": 1, "files": manifest}, indent=1, sort_keys=True) + "\n").encode(),
    )
    return report


# -- cells -------------------------------------------------------------------------------------


def _source_text(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _outside_markers(source: str, where: str) -> tuple[str, bool]:
    """The lines outside BEGIN/END SOLUTION, and whether there were markers at all."""
    kept: list[str] = []
    begun_at: int | None = None
    seen = False
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        marker = line.strip()
        if marker == BEGIN:
            if begun_at is not None:
                raise ReleaseError(
                    f"{where}: line {number} opens a solution inside the one opened on line "
                    f"{begun_at}; close it first with '{END}'"
                )
            begun_at, seen = number, True
        elif marker == END:
            if begun_at is None:
                raise ReleaseError(
                    f"{where}: line {number} closes a solution that was never opened"
                )
            begun_at = None
        elif begun_at is None:
            kept.append(line)
    if begun_at is not None:
        raise ReleaseError(f"{where}: the solution opened on line {begun_at} is never closed")
    return "".join(kept).rstrip(), seen


def _clean_metadata(cell: dict[str, Any]) -> None:
    metadata = cell.setdefault("metadata", {})
    metadata.pop("execution", None)  # nbclient's timings
    tags = [tag for tag in metadata.pop("tags", []) if tag != SOLUTION_TAG]
    if tags:
        metadata["tags"] = tags


# -- files -------------------------------------------------------------------------------------


def _edition_files(source: Path) -> Iterator[tuple[str, bytes]]:
    """(relative path, content) of every file of the learner edition."""
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if any(part.startswith(".") or part in _SKIPPED_NAMES for part in relative.parts):
            continue
        if not path.is_file():
            continue
        if path.suffix == ".ipynb":
            yield relative.as_posix(), _notebook_bytes(path, relative.as_posix())
        else:
            yield relative.as_posix(), path.read_bytes()


def _notebook_bytes(path: Path, name: str) -> bytes:
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ReleaseError(f"{name} is not a notebook (not valid JSON: {error})") from None
    if not isinstance(notebook, dict) or notebook.get("nbformat") != 4:
        raise ReleaseError(f"{name} is not an nbformat 4 notebook")
    return _dumps(learner_notebook(notebook, name))


def _dumps(notebook: dict[str, Any]) -> bytes:
    """JSON the way Jupyter saves notebooks, so that saving in JupyterLab changes little."""
    for cell in notebook["cells"]:
        text = cell["source"]
        cell["source"] = text.splitlines(keepends=True) if text else []
    return (json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _read_manifest(target: Path) -> dict[str, str]:
    try:
        data = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
        files = data["files"]
        return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}  # no manifest: every existing file that differs counts as the learner's


def _write_atomically(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.chmod(temporary, 0o644)  # mkstemp makes files only their owner can read
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
