"""The whole course, sealed. tests/test_notebooks.py runs every lesson (learner edition, then
solved twice), and nbval runs each once (conftest.py), in a sealed kernel: real-looking AWS keys
and a profile in its environment and in credentials files, and a guard inside it that refuses and
records any lookup or connection beyond loopback and any read of those files
(``notebook_runner.sealed_kernel``). These tests show that the guard catches what it must, so that
a lesson's clean run means something, and that issue 14's first case holds in a real kernel."""

from __future__ import annotations

import shutil
import subprocess
import sys

import nbformat
import pytest
from course import NOTEBOOKS, ROOT
from notebook_runner import MACHINE_AWS_SETTINGS, kernel_leaks, run_cells, run_sealed, sealed_kernel


def _cell(source: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(source)


class TestKernelGuard:
    def test_catches_a_lookup_and_a_connection_even_if_swallowed(self, tmp_path):
        """A library that swallows the refusal is still caught: the run fails, naming both."""
        leak = _cell(
            "import socket\n"
            "for attempt in (lambda: socket.getaddrinfo('example.org', 443),\n"
            "                lambda: socket.create_connection(('192.0.2.1', 443), timeout=0.1)):\n"
            "    try:\n"
            "        attempt()\n"
            "    except OSError:\n"
            "        pass"
        )
        with pytest.raises(AssertionError, match="reached outside this machine") as failed:
            run_sealed([leak], cwd=NOTEBOOKS, folder=tmp_path)
        assert "example.org" in str(failed.value) and "192.0.2.1" in str(failed.value)

    def test_a_kernel_without_the_guard_is_not_vouched_for(self, tmp_path):
        """If the guard did not install (a broken startup file), the run fails, not passes."""
        environment = sealed_kernel(tmp_path)
        (
            tmp_path / "ipython" / "profile_default" / "startup" / "00-amilab-kernel-guard.py"
        ).write_text("")
        run_cells([_cell("1 + 1")], cwd=NOTEBOOKS, env=environment)
        with pytest.raises(AssertionError, match="no kernel guard was installed"):
            kernel_leaks(tmp_path)

    def test_leaves_loopback_open(self, tmp_path):
        """Loopback lookups and connections are allowed and not recorded."""
        loopback = _cell(
            "import socket\n"
            "server = socket.create_server(('127.0.0.1', 0))\n"
            "socket.create_connection(server.getsockname(), timeout=1).close()\n"
            "socket.getaddrinfo('localhost', 80)"
        )
        run_sealed([loopback], cwd=NOTEBOOKS, folder=tmp_path)

    def test_sees_the_machines_aws_files_read(self, tmp_path):
        """Reading the real-looking credentials file counts as a leak too."""
        read = _cell("import os\nopen(os.environ['AWS_SHARED_CREDENTIALS_FILE']).read()")
        with pytest.raises(AssertionError, match="the machine's own AWS settings"):
            run_sealed([read], cwd=NOTEBOOKS, folder=tmp_path)

    def test_the_kernel_has_the_machines_settings(self, tmp_path):
        """The kernel sees the keys, the profile and the files (so the lessons run against them)."""
        check = _cell(
            "import os\n"
            f"assert {{k: os.environ[k] for k in {sorted(MACHINE_AWS_SETTINGS)!r}}} == "
            f"{MACHINE_AWS_SETTINGS!r}\n"
            "assert os.path.getsize(os.environ['AWS_SHARED_CREDENTIALS_FILE']) > 0\n"
            "assert os.path.getsize(os.environ['AWS_CONFIG_FILE']) > 0"
        )
        run_sealed([check], cwd=NOTEBOOKS, folder=tmp_path)

    def test_a_failing_cell_still_reports_the_leaks(self, tmp_path):
        """When a cell fails after a leak, the leak is what the run reports."""
        cells = [
            _cell(
                "import socket\n"
                "try:\n"
                "    socket.getaddrinfo('example.org', 443)\n"
                "except OSError:\n"
                "    pass"
            ),
            _cell("1 / 0"),
        ]
        with pytest.raises(AssertionError, match="example.org"):
            run_sealed(cells, cwd=NOTEBOOKS, folder=tmp_path)


def test_a_client_made_above_the_setup_cell_never_reaches_aws(tmp_path):
    """Issue 14, case 1, in a kernel: a client made before ``import labkit`` (a cell run above the
    setup cell) is refused inside the lab; a client made in the lab answers; nothing leaks."""
    cells = [
        _cell("import boto3\nearly = boto3.client('ec2', region_name='us-east-1')"),
        # Making it read the machine's AWS files, before any lab: from here on, no more reads.
        _cell("import os\nopen(os.environ['AMILAB_KERNEL_GUARD_LOG'], 'w').close()"),
        _cell("from labkit import Lab, SandboxError\nlab = Lab(quiet=True)"),
        _cell(
            "try:\n"
            "    early.describe_images(Owners=['self'])\n"
            "    raise AssertionError('the early client was answered')\n"
            "except SandboxError as refused:\n"
            "    assert 'did not issue' in str(refused), refused"
        ),
        _cell("boto3.client('ec2').describe_images(Owners=['self'])\nlab.stop()"),
    ]
    run_sealed(cells, cwd=NOTEBOOKS, folder=tmp_path)


def test_nbval_runs_notebooks_sealed(tmp_path):
    """nbval's kernels start sealed too (conftest.py): the machine's settings are there, and a
    cell during which anything tried to leave fails, naming it; the cells around it pass."""
    (tmp_path / "tests").mkdir()
    shutil.copy(ROOT / "conftest.py", tmp_path)
    shutil.copy(ROOT / "tests" / "notebook_runner.py", tmp_path / "tests")
    (tmp_path / "pytest.ini").write_text("[pytest]\naddopts = --nbval-lax --nbval-current-env\n")
    cells = [
        _cell("import os\nassert os.environ['AWS_PROFILE'] == 'production-admin'"),
        _cell(
            "import socket\n"
            "try:\n"
            "    socket.getaddrinfo('example.org', 443)\n"
            "except OSError:\n"
            "    pass"
        ),
        _cell("1 + 1"),
    ]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), tmp_path / "leaky.ipynb")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "leaky.ipynb"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "1 failed, 2 passed" in done.stdout, done.stdout + done.stderr
    assert "reached outside this machine" in done.stdout and "example.org" in done.stdout
