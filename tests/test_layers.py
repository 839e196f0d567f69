"""The layers of docs/architecture.md, as import-linter contracts (pyproject.toml), hold.

``make lint`` runs ``lint-imports`` too; here a broken contract fails ``make test`` with
import-linter's own report (which import, which line). The second test shows the contracts bite:
a copy of labkit with one rule module importing the sandbox breaks the layers.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = ("-c", "from importlinter.cli import lint_imports_command as c; c()")


def lint_imports(where: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` with ``where``'s pyproject.toml, on the labkit found first from there."""
    environment = {**os.environ, "PYTHONPATH": str(where), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, *LINT_IMPORTS, "--no-cache", "--no-logo", *extra],
        cwd=where,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_the_import_contracts_are_kept():
    run = lint_imports(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def test_a_rule_importing_the_sandbox_breaks_the_layers(tmp_path):
    shutil.copytree(ROOT / "labkit", tmp_path / "labkit", ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    rule = tmp_path / "labkit" / "fidelity" / "images.py"
    rule.write_text(rule.read_text() + "\nfrom ..sandbox.clock import LAB_EPOCH  # noqa\n")
    run = lint_imports(tmp_path, "--contract", "layers")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "labkit.fidelity is not allowed to import labkit.sandbox" in run.stdout
    assert "labkit.fidelity.images -> labkit.sandbox.clock" in run.stdout
