"""The whole course, sealed: every lesson runs with real-looking AWS settings in the environment and
a guard inside its kernel that refuses, and records, any connection or lookup beyond loopback."""

from __future__ import annotations

import nbformat
import pytest
from course import LESSONS, NOTEBOOKS, code_cells, guard_cells
from nbclient.exceptions import CellExecutionError
from notebook_runner import run_cells


@pytest.fixture
def sealed_kernel_env(real_looking_aws, no_network, tmp_path, monkeypatch):
    """A kernel's environment: a real-looking profile and keys, progress kept out of $HOME."""
    monkeypatch.setenv("AMILAB_PROGRESS", str(tmp_path / "progress.json"))
    return real_looking_aws


class TestGuard:
    def test_the_guard_catches_a_lookup_and_a_connection(self, sealed_kernel_env):
        """The in-kernel guard refuses and records what a leaking library would do."""
        first, last = guard_cells()
        leak = nbformat.v4.new_code_cell(
            "import socket\n"
            "for attempt in (lambda: socket.getaddrinfo('ec2.us-east-1.amazonaws.com', 443),\n"
            "                lambda: socket.create_connection(('192.0.2.1', 443), timeout=0.1)):\n"
            "    try:\n"
            "        attempt()\n"
            "    except OSError:\n"
            "        pass  # a library that swallows the refusal is still caught below\n"
            "assert len(_amilab_network_attempts) == 2, _amilab_network_attempts"
        )
        loopback = nbformat.v4.new_code_cell(
            "socket.getaddrinfo('localhost', 80); socket.getaddrinfo('127.0.0.1', 80)\n"
            "assert len(_amilab_network_attempts) == 2, _amilab_network_attempts"
        )
        with pytest.raises(CellExecutionError, match="reached outside this machine"):
            run_cells([first, leak, loopback, last], cwd=NOTEBOOKS)

    def test_the_guard_sees_the_learners_aws_files_read(self, sealed_kernel_env):
        """Reading the real-looking credentials file counts as a leak too."""
        first, last = guard_cells()
        read = nbformat.v4.new_code_cell(
            "import os\nopen(os.environ['AWS_SHARED_CREDENTIALS_FILE']).read()"
        )
        with pytest.raises(CellExecutionError, match="the learner's own AWS settings"):
            run_cells([first, read, last], cwd=NOTEBOOKS)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_runs_sealed(path, sealed_kernel_env):
    """Run All with AWS_PROFILE and keys set: no connection, no lookup, no read of ~/.aws files."""
    first, last = guard_cells()
    run_cells([first, *code_cells(path), last], cwd=path.parent)
