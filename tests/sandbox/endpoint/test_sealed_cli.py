"""`!aws` in a whole lesson, sealed: no connection and no name lookup leaves loopback, in the
kernel or in any program it starts, with real-looking AWS settings and a profile on the machine.

The kernel's own guard (tests/reliability/course.py) sees only the kernel. Here every Python
process started with the test's PYTHONPATH (the kernel, and each `aws` a `!aws` cell runs) loads
a ``sitecustomize`` that installs the same kind of audit hook and writes what it sees to a log.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from notebook_runner import run_cells

NOTEBOOKS = Path(__file__).resolve().parents[3] / "notebooks"

SITECUSTOMIZE = r"""
import os
import sys

_log = os.environ.get("AMILAB_NET_LOG")
_watched = os.environ.get("AMILAB_WATCHED", "").split(os.pathsep)
_watched = {os.path.realpath(p) for p in _watched if p}


def _note(line):
    with open(_log, "a", encoding="utf-8") as out:
        out.write(f"{os.getpid()} {line}\n")


def _loopback(host):
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    text = str(host)
    return text in ("localhost", "::1", "") or text.startswith("127.")


def _hook(event, args):
    if event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
        address = args[1]
        if isinstance(address, tuple) and address and not _loopback(address[0]):
            _note(f"LEAK {event} {address!r}")
            raise ConnectionRefusedError(f"not loopback: {address!r}")
    elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex"):
        if args and args[0] is not None and not _loopback(args[0]):
            _note(f"LEAK {event} {args[0]!r}")
            raise ConnectionRefusedError(f"not loopback: {args[0]!r}")
    elif event == "open" and _watched and isinstance(args[0], (str, bytes)):
        if os.path.realpath(os.fsdecode(args[0])) in _watched:
            _note(f"LEAK read {os.fsdecode(args[0])}")


if _log:
    _note("START " + " ".join(os.path.basename(a) for a in sys.orig_argv[:3]))
    sys.addaudithook(_hook)
"""


@pytest.fixture
def guarded_everywhere(real_looking_aws, tmp_path, monkeypatch) -> Path:
    """Real-looking AWS settings, and the guard in every Python process the kernel starts."""
    folder = tmp_path / "guard"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(SITECUSTOMIZE)
    log = tmp_path / "network.log"
    log.touch()
    monkeypatch.setenv("PYTHONPATH", str(folder))
    monkeypatch.setenv("AMILAB_NET_LOG", str(log))
    watched = [real_looking_aws["AWS_SHARED_CREDENTIALS_FILE"], real_looking_aws["AWS_CONFIG_FILE"]]
    monkeypatch.setenv("AMILAB_WATCHED", ":".join(watched))
    monkeypatch.setenv("AMILAB_PROGRESS", str(tmp_path / "progress.json"))
    return log


def test_the_guard_sees_a_leak_from_a_subprocess(guarded_everywhere):
    """The guard is real: a subprocess that looks a name up is caught and logged."""
    cells = [
        nbformat.v4.new_code_cell(
            "!python -c \"import socket; socket.getaddrinfo('ec2.us-east-1.amazonaws.com', 443)\""
        )
    ]
    run_cells(cells, cwd=NOTEBOOKS)
    log = guarded_everywhere.read_text()
    assert "LEAK socket.getaddrinfo 'ec2.us-east-1.amazonaws.com'" in log


@pytest.mark.parametrize("lesson", ["00-welcome", "02-create-an-ami"])
def test_a_lesson_with_aws_cli_cells_stays_on_this_machine(guarded_everywhere, lesson):
    """Run All, with !aws and %aws cells: nothing leaves loopback, no real settings are read."""
    path = NOTEBOOKS / f"{lesson}.ipynb"
    cells = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    assert any("aws" in c.source.splitlines()[0] for c in cells if c.source)
    run_cells(cells, cwd=NOTEBOOKS)
    log = guarded_everywhere.read_text().splitlines()
    assert [line for line in log if " LEAK " in line] == []
    started = [line for line in log if " START " in line]
    assert any("ipykernel_launcher" in line for line in started), log
    if lesson == "00-welcome":  # its !aws cell started the aws program, guarded too
        assert any(line.split(" START ")[1].split()[1:2] == ["aws"] for line in started), log
