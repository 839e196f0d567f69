"""Where lesson 10's Packer comes from: CI and Binder install it (labkit doctor reports it
elsewhere; tests/doctor/test_programs.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _listed(path: Path) -> list[str]:
    lines = (line.partition("#")[0].strip() for line in path.read_text().splitlines())
    return [line for line in lines if line]


class TestInstalled:
    def test_binder_installs_packer(self):
        """binder/apt.txt (repo2docker's apt-get list) names packer."""
        assert "packer" in _listed(ROOT / "binder" / "apt.txt")

    def test_repo2docker_reads_it(self):
        """repo2docker's Dockerfile (no Docker engine needed) installs packer."""
        program = Path(sys.executable).with_name("jupyter-repo2docker")
        if not program.exists():
            pytest.skip("needs jupyter-repo2docker (the test extras)")
        dockerfile = subprocess.run(
            [str(program), "--no-build", str(ROOT)],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout
        assert "--no-install-recommends packer" in dockerfile

    def test_ci_installs_packer_and_strace(self):
        """.ci/run installs packer (lesson 10) and strace (its safety test) with apt-get."""
        script = (ROOT / ".ci" / "run").read_text()
        assert "apt-get install -y --no-install-recommends packer strace" in script
