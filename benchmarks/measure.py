"""Measurements for ``make bench``: notebooks on fresh kernels, imports, sandbox start and stop.

Every measurement runs in a process of its own (a fresh kernel or a fresh interpreter), so one
measurement's imports and caches never flatter the next.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpec
from nbclient import NotebookClient

__all__ = [
    "NotebookRun",
    "floor_notebook",
    "import_seconds",
    "run_notebook",
    "sandbox_timings",
]

#: The floor: a notebook that only imports what every lesson needs anyway.
FLOOR_SOURCE = "import boto3\nimport moto"


@dataclass(frozen=True)
class NotebookRun:
    """One notebook on one fresh kernel: seconds from kernel start to the last cell's reply."""

    seconds: float
    peak_rss_mb: float | None
    #: (seconds, index among code cells, first line) for every code cell
    cells: tuple[tuple[float, int, str], ...] = ()
    #: indices (among code cells) of the cells that showed a chart (an image), in order
    charts: tuple[int, ...] = ()

    def cell_seconds(self, index: int) -> float:
        """How long one code cell took."""
        return next(seconds for seconds, i, _ in self.cells if i == index)


#: What a chart is, in a cell's outputs: a picture (``labkit.plots`` shows PNG or SVG figures).
CHART_TYPES = ("image/png", "image/svg+xml")


def shows_a_chart(cell: nbformat.NotebookNode) -> bool:
    """True if an executed cell's outputs hold a picture."""
    return any(
        kind in output.get("data", {}) for output in cell.get("outputs", []) for kind in CHART_TYPES
    )


def floor_notebook() -> nbformat.NotebookNode:
    """The floor notebook: one code cell importing boto3 and moto."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(FLOOR_SOURCE)]
    return notebook


def _kernel() -> KernelManager:
    """A kernel of this interpreter, as tests/notebook_runner.py starts one."""
    manager = KernelManager()
    manager._kernel_spec = KernelSpec(
        argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        display_name="AMI Lab benchmark",
        language="python",
    )
    return manager


def peak_rss_mb(pid: int) -> float | None:
    """A process's peak resident memory in MB (Linux's VmHWM), or None where /proc is absent."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def run_notebook(notebook: nbformat.NotebookNode, cwd: Path, timeout: int = 300) -> NotebookRun:
    """Execute a notebook's code cells on a fresh kernel; time it and read the kernel's peak RSS.

    The clock runs from before the kernel starts until the last cell has answered (kernel start
    plus Run All, what a learner waits for); the kernel's shutdown is not counted, but it is
    waited for: the next measurement never shares the machine with this kernel.
    """
    notebook = nbformat.from_dict(notebook)
    notebook.cells = [c for c in notebook.cells if c.cell_type == "code"]
    last = len(notebook.cells) - 1
    manager = _kernel()
    started: dict[int, float] = {}
    cells: list[tuple[float, int, str]] = []
    charts: list[int] = []
    seen: dict[str, float | None] = {}

    def on_cell_start(cell: nbformat.NotebookNode, cell_index: int) -> None:
        started[cell_index] = time.perf_counter()

    def on_cell_executed(cell: nbformat.NotebookNode, cell_index: int, **_: object) -> None:
        now = time.perf_counter()
        first = (cell.source.strip().splitlines() or [""])[0]
        cells.append((now - started[cell_index], cell_index, first))
        if shows_a_chart(cell):
            charts.append(cell_index)
        if cell_index == last:
            seen["end"] = now
            seen["rss"] = peak_rss_mb(manager.provisioner.pid)

    client = NotebookClient(
        notebook,
        km=manager,
        timeout=timeout,
        resources={"metadata": {"path": str(cwd)}},
        on_cell_start=on_cell_start,
        on_cell_executed=on_cell_executed,
    )
    start = time.perf_counter()
    try:
        client.execute()
    finally:
        # nbclient leaves a kernel it did not start running (its manager came from us): without
        # this, every measured kernel stayed alive until the benchmark ended, 36 of them in one
        # run, and a kernel still busy after its last cell shared the cores with the next one.
        _shut_down(manager)
    return NotebookRun(seen["end"] - start, seen["rss"], tuple(cells), tuple(charts))


def _shut_down(manager: KernelManager) -> None:
    """Stop a kernel as a learner's JupyterLab does (a shutdown request; a kill if it will not
    go) and wait until its process has gone, so the next measurement starts on a quiet machine."""
    if manager.has_kernel:
        manager.shutdown_kernel(now=False)


def _python(code: str) -> str:
    """Run code in a fresh interpreter of this Python; return its stdout."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=300
    )
    if done.returncode != 0:
        raise RuntimeError(f"benchmark subprocess failed:\n{done.stderr}")
    return done.stdout


def import_seconds(statement: str, repeat: int = 7) -> float:
    """The median time a fresh interpreter takes to run one import statement."""
    code = (
        f"import time\nstart = time.perf_counter()\n{statement}\nprint(time.perf_counter() - start)"
    )
    return statistics.median(float(_python(code)) for _ in range(repeat))


_SANDBOX_TIMINGS = """
import json, statistics, time
from labkit import Sandbox

def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start

sandbox = Sandbox()
first_start = timed(sandbox.start)
first_client = timed(lambda: sandbox.client("ec2"))
first_call = timed(lambda: sandbox.client("ec2").describe_images(Owners=["amazon"]))
second_client = timed(lambda: sandbox.client("ec2", region="eu-west-1"))
first_stop = timed(sandbox.stop)
starts, stops, cpu = [], [], []
for _ in range({repeat}):
    before = time.process_time()
    starts.append(timed(sandbox.start))
    cpu.append(time.process_time() - before)
    stops.append(timed(sandbox.stop))
print(json.dumps({{
    "first_start": first_start,
    "first_client": first_client,
    "first_call": first_call,
    "second_client": second_client,
    "first_stop": first_stop,
    "start": statistics.median(starts),
    "start_max": max(starts),
    "start_cpu": statistics.median(cpu),
    "stop": statistics.median(stops),
}}))
"""


def sandbox_timings(processes: int = 3, repeat: int = 25) -> dict[str, float]:
    """Sandbox start and stop in seconds: the first in a fresh process, then warm medians.

    Runs ``processes`` fresh interpreters and takes the median of each figure across them.
    """
    runs = [json.loads(_python(_SANDBOX_TIMINGS.format(repeat=repeat))) for _ in range(processes)]
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def environment_versions() -> dict[str, str]:
    """Versions of what the figures depend on."""
    from importlib.metadata import version

    found = {"Python": sys.version.split()[0]}
    for package in ("moto", "boto3", "botocore", "ipykernel"):
        try:
            found[package] = version(package)
        except Exception:  # noqa: BLE001 - a missing package is reported, not fatal
            found[package] = "not installed"
    return found


def machine() -> dict[str, str]:
    """The machine the figures were measured on: CPU, cores, memory, OS."""
    cpu = "unknown CPU"
    memory = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
                break
    except OSError:
        import platform

        cpu = platform.processor() or cpu
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    uname = os.uname()
    # Other work on the machine slows every figure; the ratios to the floor suffer least.
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    return {
        "CPU": cpu,
        "Cores": str(cores),
        "Memory": memory,
        "OS": f"{uname.sysname} {uname.release} ({uname.machine})",
        "Load average (1, 5, 15 min) before the run": load,
    }
