"""``make hub-load``: simulated learners on one JupyterHub, to size a class's machine.

Starts a real hub on loopback (benchmarks/hub_session.py: the same hub as tests/test_hub.py, each
server started by deploy/bin/amilab-start), gives it LEARNERS users, and for each class size in
--levels runs that many learners at once for --seconds: each works through lessons 00 and 01 (the
instructor edition, so checks pass) cell by cell through a kernel, pausing --think seconds (±50 %)
between cells. It measures every cell's latency (request to reply, through the proxy) and samples
the memory of each learner's processes (single-user server and kernel, resident and unique), and
writes docs/sizing.md's measured block with the machine it ran on.

Simulated learners think for seconds where people think for tens of seconds, so one simulated
learner loads the machine like several real ones; the record says by how much (--real-think).
Bounded: a fixed number of learners, cells and seconds; everything on 127.0.0.1.

Usage: python benchmarks/hub_load.py [--levels 1,3,6] [--seconds 60] [--think 2] [--no-record]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

import hub_session  # noqa: E402 - benchmarks/ is a folder of scripts, not a package
from hub_session import Hub, Kernel, code_cells  # noqa: E402
from measure import environment_versions, machine  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RECORD = ROOT / "docs" / "sizing.md"
LESSONS = ["00-welcome.ipynb", "01-why-amis.ipynb"]
BEGIN = "<!-- hub-load:begin (written by `make hub-load`; edit outside these markers) -->"
END = "<!-- hub-load:end -->"
TARGET_P95 = 1.0  # seconds
MACHINE_GIB = 24  # the machine the issue asks about: 2 cores, 24 GB
MACHINE_CORES = 2
RESERVED_GIB = 2.0  # the operating system, the hub and the proxy, with room to spare
UTILISATION = 0.5  # plan the cores to be busy at most half the time (room for bursts)
BURST_SECONDS = 30  # when a whole class starts a lesson at once, everyone's Lab(...) within this


@dataclass
class Level:
    learners: int
    setup: list[float] = field(default_factory=list)  # each lesson's first cell (Lab(...))
    cells: list[float] = field(default_factory=list)  # every other cell
    errors: list[str] = field(default_factory=list)
    rss: dict[str, float] = field(default_factory=dict)  # learner -> peak MiB
    uss: dict[str, float] = field(default_factory=dict)
    cpu_seconds: float = 0.0  # used by the hub's whole process tree during the level
    wall_seconds: float = 0.0

    @property
    def cpu_per_cell(self) -> float:
        """CPU seconds per cell run, all cells (a lesson's first included), hub and proxy too."""
        count = len(self.cells) + len(self.setup)
        return self.cpu_seconds / count if count else math.nan

    def p(self, q: float, values: list[float] | None = None) -> float:
        data = sorted(self.cells if values is None else values)
        if not data:
            return math.nan
        return data[min(len(data) - 1, math.ceil(q * len(data)) - 1)]


def lesson_cells() -> list[list[str]]:
    return [
        [source for _, source, _ in code_cells(json.loads((ROOT / "notebooks" / n).read_text()))]
        for n in LESSONS
    ]


def learner_memory(hub: Hub) -> dict[str, tuple[float, float]]:
    """Each learner's server and kernels: (resident MiB, unique MiB)."""
    found: dict[str, list[float]] = {}
    root = psutil.Process(hub.process.pid)
    for process in root.children(recursive=True):
        try:
            if "jupyterhub.singleuser" not in " ".join(process.cmdline()):
                continue
            user = process.environ().get("JUPYTERHUB_USER", "?")
            rss = uss = 0.0
            for member in [process, *process.children(recursive=True)]:
                info = member.memory_full_info()
                rss += info.rss / 2**20
                uss += info.uss / 2**20
            found[user] = [rss, uss]
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return {user: (rss, uss) for user, (rss, uss) in found.items()}


def hub_memory(hub: Hub) -> float:
    """The hub, its proxy and the culler (everything but learners' servers), resident MiB."""
    root = psutil.Process(hub.process.pid)
    total = root.memory_info().rss
    for process in root.children(recursive=True):
        try:
            command = " ".join(process.cmdline())
            if "jupyterhub.singleuser" in command or any(
                "jupyterhub.singleuser" in " ".join(p.cmdline()) for p in process.parents()
            ):
                continue
            total += process.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return total / 2**20


def tree_cpu_seconds(hub: Hub) -> float:
    """CPU time used so far by the hub and everything it started (proxy, servers, kernels).

    Each live process's own time plus that of the children it has reaped, so kernels that were
    shut down still count (through their server) and nothing is counted twice.
    """
    total = 0.0
    root = psutil.Process(hub.process.pid)
    for process in [root, *root.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        total += times.user + times.system + times.children_user + times.children_system
    return total


def work(hub: Hub, user: str, lessons: list[list[str]], level: Level, until: float, think: float,
         seed: int, lock: threading.Lock) -> None:  # fmt: skip
    """One learner: lesson after lesson, cell by cell, thinking between cells, until time is up."""
    rng = random.Random(seed)
    index = seed % len(lessons)
    while time.monotonic() < until:
        kernel = Kernel(hub, user)
        try:
            for number, source in enumerate(lessons[index]):
                if time.monotonic() >= until:
                    break
                result = kernel.execute(source)
                with lock:
                    (level.setup if number == 0 else level.cells).append(result["seconds"])
                    if result["status"] != "ok":
                        level.errors.append(f"{user}: {result['error']}")
                time.sleep(rng.uniform(0.5 * think, 1.5 * think))
        finally:
            kernel.close()
        index = (index + 1) % len(lessons)


def run_level(hub: Hub, users: list[str], seconds: float, think: float) -> Level:
    level = Level(len(users))
    cpu_before, wall_before = tree_cpu_seconds(hub), time.monotonic()
    lessons = lesson_cells()
    lock = threading.Lock()
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=work, args=(hub, user, lessons, level, until, think, n, lock), daemon=True
        )
        for n, user in enumerate(users)
    ]
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads):
        for user, (rss, uss) in learner_memory(hub).items():
            if user in users:
                level.rss[user] = max(level.rss.get(user, 0.0), rss)
                level.uss[user] = max(level.uss.get(user, 0.0), uss)
        time.sleep(1.0)
    for thread in threads:
        thread.join()
    level.cpu_seconds = tree_cpu_seconds(hub) - cpu_before
    level.wall_seconds = time.monotonic() - wall_before
    return level


def compression(level_p50: float, think: float, real_think: float) -> float:
    """How many real learners one simulated learner stands for (by the rate of cells it runs)."""
    return (real_think + level_p50) / (think + level_p50)


def summarise(levels: list[Level], think: float, real_think: float, hub_mib: float) -> dict:
    good = [lv for lv in levels if lv.p(0.95) < TARGET_P95 and not lv.errors]
    best = max(good, key=lambda lv: lv.learners) if good else None
    rss = [v for lv in levels for v in lv.rss.values()]
    uss = [v for lv in levels for v in lv.uss.values()]
    per_learner_rss = max(rss) if rss else math.nan
    per_learner_uss = statistics.median(uss) if uss else math.nan
    factor = compression(best.p(0.5), think, real_think) if best else math.nan
    measured_bound = best.learners * factor if best else 0
    memory_bound = (MACHINE_GIB - RESERVED_GIB) * 1024 / per_learner_rss if rss else 0
    # From the CPU a cell costs: a person runs a cell every real_think seconds; keep the cores
    # busy at most UTILISATION of the time, so a cell seldom waits behind others.
    cpu_per_cell = statistics.median(lv.cpu_per_cell for lv in levels)
    per_core = UTILISATION * (real_think + levels[0].p(0.5)) / cpu_per_cell
    return {
        "setup_seconds": levels[0].p(0.5, levels[0].setup),
        "best": best,
        "factor": factor,
        "measured_learners": measured_bound,
        "cpu_per_cell": cpu_per_cell,
        "cpu_learners_per_core": per_core,
        "memory_learners": memory_bound,
        "largest_class": int(min(per_core * MACHINE_CORES, memory_bound)),
        "per_learner_rss": per_learner_rss,
        "per_learner_uss": per_learner_uss,
        "hub_mib": hub_mib,
    }


def sizing_rows(summary: dict) -> list[tuple[int, int, int]]:
    """(learners, cores, GiB) for classes of common sizes, from the measurement."""
    rows = []
    per_core = max(summary["cpu_learners_per_core"], 1)
    per_learner_gib = summary["per_learner_rss"] / 1024
    setup = summary["setup_seconds"]
    for learners in (10, 30, 50, 100, 200, 300):
        steady = math.ceil(learners / per_core)
        burst = math.ceil(learners * setup / BURST_SECONDS) if setup == setup else 0  # not NaN
        cores = max(2, steady, burst)
        gib = math.ceil(RESERVED_GIB + 1.25 * learners * per_learner_gib)
        rows.append((learners, cores, gib))
    return rows


def render(levels: list[Level], summary: dict, args: argparse.Namespace) -> str:
    about = args.machine
    lines = [
        BEGIN,
        f"Measured {dt.date.today().isoformat()} by `make hub-load` "
        f"(`--levels {args.levels} --seconds {args.seconds:g} --think {args.think:g}`).",
        "",
        "| Machine | |",
        "|---|---|",
        *(f"| {key} | {value} |" for key, value in about.items()),
        f"| JupyterHub | {_version('jupyterhub')} |",
        "",
        "| Simulated learners | Cells | p50 cell | p95 cell | p95 first cell (`Lab(...)`) | "
        "CPU per cell | Peak memory per learner (resident / unique) | Errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for lv in levels:
        rss = max(lv.rss.values()) if lv.rss else math.nan
        uss = statistics.median(lv.uss.values()) if lv.uss else math.nan
        lines.append(
            f"| {lv.learners} | {len(lv.cells)} | {lv.p(0.5):.3f} s | {lv.p(0.95):.3f} s | "
            f"{lv.p(0.95, lv.setup):.2f} s | {lv.cpu_per_cell:.3f} s | "
            f"{rss:.0f} / {uss:.0f} MiB | {len(lv.errors)} |"
        )
    best = summary["best"]
    lines += [
        "",
        f"Load average after the run: {_load()}.",
        "",
        f"- Hub, proxy and idle culler together: {summary['hub_mib']:.0f} MiB resident.",
        f"- **Memory per active learner** (server + one lesson's kernel): at most "
        f"{summary['per_learner_rss']:.0f} MiB resident, median {summary['per_learner_uss']:.0f} "
        "MiB unique (what one more learner adds; shared libraries counted once).",
        f"- **Cell latency**: p50 and p95 per level above; cells other than a lesson's first. "
        f"Simulated learners think {args.think:g} s between cells where a person in class takes "
        f"about {args.real_think:g} s, so one stands for about "
        f"{summary['factor']:.0f} people in the rate of cells it runs."
        if best
        else f"- **Cell latency**: p95 was over {TARGET_P95:g} s at every level measured.",
    ]
    if best:
        lines.append(
            f"- Measured directly: p95 under {TARGET_P95:g} s up to {best.learners} simulated "
            f"learners, so at least {summary['measured_learners']:.0f} people on this machine "
            "as it was (shared: see the load average)."
        )
    lines += [
        f"- From the CPU a cell costs ({summary['cpu_per_cell']:.3f} s, hub and proxy included): "
        f"with each person running a cell every {args.real_think:g} s and the cores busy at most "
        f"{UTILISATION:.0%} of the time, {summary['cpu_learners_per_core']:.0f} learners per core.",
        f"- **Largest class on one 2-core / 24 GB machine with p95 < 1 s: about "
        f"{summary['largest_class']} learners** (CPU: {summary['cpu_learners_per_core'] * 2:.0f}; "
        f"memory: {summary['memory_learners']:.0f}, at the peak per learner with 2 GB kept for the "
        "system and the hub).",
        f"- A lesson's first cell (`Lab(...)`, starting the sandbox) takes "
        f"{summary['setup_seconds']:.1f} s with nobody else on the hub. When a whole class runs it "
        "at the "
        f"same moment it queues: {summary['largest_class']} learners on 2 cores wait up to "
        f"{summary['largest_class'] * summary['setup_seconds'] / MACHINE_CORES:.0f} s. The table "
        f"below gives enough cores for everyone's first cell within {BURST_SECONDS} s, and "
        "memory for one lesson's kernel each plus a quarter.",
        "",
        "| Learners | Cores | Memory |",
        "|---|---|---|",
        *(f"| {n} | {c} | {g} GB |" for n, c, g in sizing_rows(summary)),
        END,
    ]
    return "\n".join(lines)


def _load() -> str:
    import os

    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def _version(package: str) -> str:
    from importlib.metadata import version

    try:
        return version(package)
    except Exception:  # noqa: BLE001
        return "not installed"


def record(path: Path, generated: str) -> None:
    """Replace the measured block of docs/sizing.md, keeping everything written around it."""
    if path.exists() and BEGIN in (text := path.read_text()) and END in text:
        head, rest = text.split(BEGIN, 1)
        path.write_text(head + generated + rest.split(END, 1)[1])
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"# Sizing a hub for a class\n\n{generated}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--levels", default="1,3,6", help="class sizes to run, e.g. 1,4,8")
    parser.add_argument("--seconds", type=float, default=60, help="how long each level runs")
    parser.add_argument("--think", type=float, default=2.0, help="mean pause between cells (s)")
    parser.add_argument(
        "--real-think", type=float, default=30.0, help="a person's pause between cells (s)"
    )
    parser.add_argument("--record", type=Path, default=RECORD, help="the Markdown record")
    parser.add_argument("--no-record", action="store_true", help="print only")
    args = parser.parse_args(argv)
    sizes = sorted({int(n) for n in args.levels.split(",")})
    if not sizes or sizes[0] < 1 or sizes[-1] > 40:
        parser.error("--levels: class sizes from 1 to 40")
    if hub_session.proxy_command() is None:
        print("hub-load: configurable-http-proxy is not installed (npm install -g ...)")
        return 2

    args.machine = {**machine(), **environment_versions()}  # before the run: its load average
    folder = Path(tempfile.mkdtemp(prefix="amilab-hub-load-"))
    hub = Hub.start(folder / "hub", hub_session.course_repository(folder / "course"))
    try:
        users = [f"learner{n:02d}" for n in range(1, sizes[-1] + 1)]
        started = time.monotonic()
        for user in users:
            hub.add_user(user)
            hub.request_server(user)
        for user in users:
            hub.start_server(user, timeout=300)
        print(f"{len(users)} servers ready in {time.monotonic() - started:.0f} s")
        levels = []
        for size in sizes:
            level = run_level(hub, users[:size], args.seconds, args.think)
            print(
                f"{size:>3} learners: {len(level.cells)} cells, p50 {level.p(0.5):.3f} s, "
                f"p95 {level.p(0.95):.3f} s, errors {len(level.errors)}"
            )
            for error in level.errors[:3]:
                print("   ", error)
            levels.append(level)
        summary = summarise(levels, args.think, args.real_think, hub_memory(hub))
    finally:
        hub.stop()
        shutil.rmtree(folder, ignore_errors=True)
    generated = render(levels, summary, args)
    print(generated)
    if not args.no_record:
        record(args.record, generated)
        print(f"\nRecorded in {args.record}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
