"""Run notebooks in a kernel of this very interpreter (never a stored or user kernelspec), and read
what their check cells answered."""

from __future__ import annotations

import html
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpec
from nbclient import NotebookClient

#: The exercise ID a check cell names: ``lab.check("exercise-id", ...)``.
_CHECK_CALL = re.compile(r"""\blab\.check\(\s*(["'])(?P<id>[^"']+)\1""")
PASSED, NOT_YET = "✅", "❌"


def current_env_kernel() -> KernelManager:
    """A kernel manager that starts ipykernel with ``sys.executable``."""
    manager = KernelManager()
    manager._kernel_spec = KernelSpec(
        argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        display_name="AMI Lab tests",
        language="python",
    )
    return manager


def run_cells(cells: list, cwd: Path, timeout: int = 120) -> nbformat.NotebookNode:
    """Execute the given cells, in order, in one fresh kernel; return the executed notebook."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.from_dict(dict(c)) for c in cells]
    client = NotebookClient(
        notebook, km=current_env_kernel(), timeout=timeout, resources={"metadata": {"path": cwd}}
    )
    client.execute()
    return notebook


@dataclass(frozen=True)
class CheckAnswer:
    """What one executed ``lab.check(...)`` cell showed."""

    exercise: str  # the ID the cell's source names
    mark: str | None  # ✅ or ❌ when the cell's result is that exercise's CheckResult, else None
    message: str  # the result's text (CheckResult's repr), or everything the cell showed

    def __str__(self) -> str:
        return f"lab.check({self.exercise!r}) showed {self.message!r}"


def check_answers(cells: list) -> list[CheckAnswer]:
    """The answer of every executed cell that calls ``lab.check(...)``, in order.

    A cell's answer has a mark only if its result reads as ``CheckResult`` shows itself, in text
    (``✅ exercise-id: …``) and in HTML (``✅ <b>exercise-id</b>: …``), for the exercise the
    cell names; a traceback, a print or another exercise's result has none.
    """
    answers = []
    for cell in cells:
        named = _CHECK_CALL.search(cell.source) if cell.cell_type == "code" else None
        if named is None:
            continue
        exercise = named["id"]
        results = [o for o in cell.outputs if o.output_type == "execute_result"]
        text = results[-1].data.get("text/plain", "") if results else ""
        page = results[-1].data.get("text/html", "") if results else ""
        mark = None
        for candidate in (PASSED, NOT_YET):
            shows_text = text.startswith(f"{candidate} {exercise}: ")
            shows_html = f"{candidate} <b>{html.escape(exercise)}</b>: " in page
            if shows_text and shows_html:
                mark = candidate
        answers.append(CheckAnswer(exercise, mark, text or _everything_shown(cell)))
    return answers


def _everything_shown(cell: nbformat.NotebookNode) -> str:
    shown = []
    for output in cell.outputs:
        if output.output_type == "stream":
            shown.append(output.text)
        elif output.output_type in ("execute_result", "display_data"):
            shown.append(output.data.get("text/plain", ""))
        elif output.output_type == "error":
            shown.append(f"{output.ename}: {output.evalue}")
    return "".join(shown)
