"""Run notebooks in a kernel of this very interpreter (never a stored or user kernelspec)."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpec
from nbclient import NotebookClient


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
