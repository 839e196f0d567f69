"""Helpers for the reliability tests: the lessons, their check cells, and a network guard that runs
inside the kernel."""

from __future__ import annotations

from pathlib import Path

import nbformat

# What a check says when an exception escaped it (the reliability tests import it from here).
from labkit.checks import CHECK_BROKE as CHECK_BROKE

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
LESSONS = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))


def code_cells(path: Path) -> list[nbformat.NotebookNode]:
    """A notebook's code cells, in order."""
    notebook = nbformat.read(path, as_version=4)
    return [c for c in notebook.cells if c.cell_type == "code"]


def shown_text(cell: nbformat.NotebookNode) -> str:
    """Everything an executed cell showed, as text (streams, results, displays, errors)."""
    shown = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            shown.append(output.text)
        elif output.output_type in ("execute_result", "display_data"):
            shown.append(output.data.get("text/plain", ""))
        elif output.output_type == "error":
            shown.append("\n".join(output.traceback))
    return "".join(shown)


def check_results(notebook: nbformat.NotebookNode) -> list[tuple[str, str]]:
    """(source, shown text) of every executed cell that calls ``lab.check(``."""
    return [
        (cell.source, shown_text(cell))
        for cell in notebook.cells
        if cell.cell_type == "code" and "lab.check(" in cell.source
    ]


# Runs first in the kernel. An audit hook sees every socket operation Python makes, whichever
# library makes it (botocore, urllib3, requests…); ZMQ's kernel traffic is C, and loopback anyway.
# Attempts are recorded as well as refused, because a library may swallow the refusal and retry.
GUARD_SOURCE = r"""
def _amilab_guard():
    import os
    import sys

    attempts = []
    watched_files = {
        os.path.realpath(os.environ[name])
        for name in ("AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE")
        if os.environ.get(name)
    }

    def loopback(host):
        if isinstance(host, bytes):
            host = host.decode(errors="replace")
        text = str(host)
        return text in ("localhost", "::1", "") or text.startswith("127.")

    def refuse(what):
        attempts.append(what)
        raise ConnectionRefusedError(f"AMI Lab reliability test: {what} is not loopback")

    def hook(event, args):
        if event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
            address = args[1]
            if isinstance(address, tuple) and address and not loopback(address[0]):
                refuse(f"{event} {address!r}")
        elif event in (
            "socket.getaddrinfo",
            "socket.gethostbyname",
            "socket.gethostbyname_ex",
            "socket.gethostbyaddr",
        ):
            if args and args[0] is not None and not loopback(args[0]):
                refuse(f"{event} {args[0]!r}")
        elif event == "open" and isinstance(args[0], (str, bytes)) and watched_files:
            path = os.fsdecode(args[0])
            if os.path.realpath(path) in watched_files:
                attempts.append(f"read {path} (the learner's own AWS settings)")

    sys.addaudithook(hook)
    return attempts


_amilab_network_attempts = _amilab_guard()
del _amilab_guard
"""

GUARD_ASSERT_SOURCE = """
assert _amilab_network_attempts == [], (
    f"the lesson reached outside this machine: {_amilab_network_attempts}"
)
"""


def guard_cells() -> tuple[nbformat.NotebookNode, nbformat.NotebookNode]:
    """The first cell (installs the guard) and the last (asserts nothing was attempted)."""
    return (
        nbformat.v4.new_code_cell(GUARD_SOURCE),
        nbformat.v4.new_code_cell(GUARD_ASSERT_SOURCE),
    )
