"""``make bench``: how fast and how lean the course is, against its targets.

Prints a table, records it in docs/performance.md (with the machine it ran on) and exits 1 when a
target is missed:

* every lesson runs (fresh kernel + Run All) within 2x the floor: a notebook that only imports
  boto3 and moto, run the same way;
* a sandbox starts within 50 ms (a warm process: the median of many starts after the first);
* a lesson's kernel peaks under 300 MB of resident memory (Binder gives a learner 1-2 GB).

Usage: python benchmarks/bench.py [--repeat N] [--record FILE | --no-record] [LESSON ...]
"""

from __future__ import annotations

import argparse
import compileall
import datetime as _dt
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import (  # noqa: E402 - benchmarks/ is a folder of scripts, not a package
    NotebookRun,
    environment_versions,
    floor_notebook,
    import_seconds,
    machine,
    run_notebook,
    sandbox_timings,
)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
RECORD = ROOT / "docs" / "performance.md"

MAX_RATIO = 2.0
MAX_START_SECONDS = 0.050
MAX_PEAK_MB = 300.0

FLOOR = "floor"
#: For each lesson over its target, its slowest cells (printed, and recorded under the table).
NOTES: list[str] = []
BEGIN = "<!-- bench:begin (written by `make bench`; edit outside these markers) -->"
END = "<!-- bench:end -->"


@dataclass(frozen=True)
class Row:
    """One line of the results: a figure, the target it is held to, and whether it met it."""

    name: str
    value: str
    target: str = ""
    met: bool | None = None

    @property
    def mark(self) -> str:
        return {True: "✅", False: "❌", None: ""}[self.met]


def lessons(names: list[str]) -> list[Path]:
    """The lesson notebooks to measure: all of them, or those whose stem starts with a name."""
    found = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
    if names:
        found = [p for p in found if any(p.stem.startswith(n) for n in names)]
    return found


def _mb(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f} MB"


def run_interleaved(
    notebooks: dict[str, nbformat.NotebookNode], repeat: int
) -> dict[str, list[NotebookRun]]:
    """Run every notebook ``repeat`` times, one round after another, so that a busy spell on the
    machine slows the floor and the lessons alike rather than one of them."""
    runs: dict[str, list[NotebookRun]] = {name: [] for name in notebooks}
    for _ in range(repeat):
        for name, notebook in notebooks.items():
            runs[name].append(run_notebook(notebook, NOTEBOOKS))
    return runs


def _slowest_cells(runs: list[NotebookRun], top: int = 3) -> str:
    """The cells that cost the most, by their median over the runs."""
    by_cell: dict[int, list[float]] = {}
    firsts: dict[int, str] = {}
    for run in runs:
        for seconds, index, first in run.cells:
            by_cell.setdefault(index, []).append(seconds)
            firsts[index] = first
    ranked = sorted(((statistics.median(t), i) for i, t in by_cell.items()), reverse=True)
    return "; ".join(f"cell {i} {s * 1000:.0f} ms ({firsts[i][:40]})" for s, i in ranked[:top])


def measure(paths: list[Path], repeat: int) -> list[Row]:
    """Run every measurement, printing each row as it is found; return all rows."""
    rows: list[Row] = []

    def add(row: Row) -> None:
        rows.append(row)
        print(f"{row.mark or '  '} {row.name:<44} {row.value:>22}  {row.target}", flush=True)

    notebooks = {FLOOR: floor_notebook()}
    notebooks.update({p.stem: nbformat.read(p, as_version=4) for p in paths})
    runs = run_interleaved(notebooks, repeat)
    seconds = {name: statistics.median(r.seconds for r in rs) for name, rs in runs.items()}
    peaks = {
        name: max((r.peak_rss_mb for r in rs if r.peak_rss_mb is not None), default=None)
        for name, rs in runs.items()
    }
    floor = seconds[FLOOR]
    add(Row("floor notebook (import boto3, moto)", f"{floor:.2f} s", "1.00x"))
    add(Row("floor kernel peak RSS", _mb(peaks[FLOOR])))
    for path in paths:
        name = path.stem
        ratio = seconds[name] / floor
        add(
            Row(
                f"{name}: time",
                f"{seconds[name]:.2f} s = {ratio:.2f}x floor",
                f"<= {MAX_RATIO:.1f}x",
                ratio <= MAX_RATIO,
            )
        )
        if ratio > MAX_RATIO:
            slowest = _slowest_cells(runs[name])
            NOTES.append(f"{name}: {slowest}")
            print(f"     slowest: {slowest}")
        peak = peaks[name]
        add(
            Row(
                f"{name}: kernel peak RSS",
                _mb(peak),
                f"< {MAX_PEAK_MB:.0f} MB",
                None if peak is None else peak < MAX_PEAK_MB,
            )
        )
    if paths:
        total = sum(seconds[p.stem] for p in paths)
        floor_total = floor * len(paths)
        add(
            Row(
                f"whole course ({len(paths)} lessons, fresh kernel each)",
                f"{total:.1f} s = {total / floor_total:.2f}x",
                f"floor x {len(paths)} = {floor_total:.1f} s",
            )
        )
    bare = import_seconds("import boto3, moto")
    labkit = import_seconds("import labkit")
    add(Row("import boto3, moto (fresh process)", f"{bare * 1000:.0f} ms"))
    add(Row("import labkit (fresh process)", f"{labkit * 1000:.0f} ms = {labkit / bare:.1f}x"))

    sandbox = sandbox_timings()
    add(
        Row(
            "Sandbox start, warm (median of 25)",
            f"{sandbox['start'] * 1000:.1f} ms (CPU {sandbox['start_cpu'] * 1000:.1f} ms)",
            f"<= {MAX_START_SECONDS * 1000:.0f} ms",
            sandbox["start"] <= MAX_START_SECONDS,
        )
    )
    add(Row("Sandbox start, warm (slowest of 25)", f"{sandbox['start_max'] * 1000:.1f} ms"))
    add(Row("Sandbox stop, warm (median of 25)", f"{sandbox['stop'] * 1000:.1f} ms"))
    add(Row("Sandbox start, first in a process", f"{sandbox['first_start'] * 1000:.0f} ms"))
    add(Row("first client (ec2) in a process", f"{sandbox['first_client'] * 1000:.0f} ms"))
    add(Row("first EC2 call in a process", f"{sandbox['first_call'] * 1000:.0f} ms"))
    add(Row("another client (ec2, eu-west-1)", f"{sandbox['second_client'] * 1000:.0f} ms"))
    return rows


def markdown(rows: list[Row], repeat: int, about: dict[str, str]) -> str:
    """The generated part of docs/performance.md: the machine, the versions, the table."""
    now = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        BEGIN,
        f"Measured {now} by `make bench` (lessons and floor: median of {repeat} runs each).",
        "",
        "| Machine | |",
        "|---|---|",
        *(f"| {key} | {value} |" for key, value in about.items()),
        "",
        "| Measurement | Result | Target | |",
        "|---|---:|---|---|",
        *(f"| {r.name} | {r.value} | {r.target} | {r.mark} |" for r in rows),
        *(["", "Slowest cells (median) of the lessons over their target:", ""] if NOTES else []),
        *(f"* {note}" for note in NOTES),
        END,
    ]
    return "\n".join(lines)


def record(path: Path, generated: str) -> None:
    """Replace the generated block of the record, keeping everything written around it."""
    if path.exists() and BEGIN in (text := path.read_text()) and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        path.write_text(head + generated + tail)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"# Performance\n\n{generated}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("lessons", nargs="*", help="measure only lessons starting with these")
    parser.add_argument("--repeat", type=int, default=3, help="runs per notebook (median)")
    parser.add_argument("--record", type=Path, default=RECORD, help="the Markdown record")
    parser.add_argument("--no-record", action="store_true", help="print only")
    args = parser.parse_args(argv)

    paths = lessons(args.lessons)
    about = {**machine(), **environment_versions()}
    # Measure what a learner's kernels get: labkit's bytecode cached, as Python caches it on the
    # first import (an editable install does not compile it, and PYTHONDONTWRITEBYTECODE, set on
    # some machines, would make every kernel compile labkit again: 30 ms).
    compileall.compile_dir(ROOT / "labkit", quiet=1)
    print(f"Measuring {len(paths)} lessons, {args.repeat} runs each, on fresh kernels\n")
    rows = measure(paths, args.repeat)
    missed = [r for r in rows if r.met is False]
    if not args.no_record:
        record(args.record, markdown(rows, args.repeat, about))
        print(f"\nRecorded in {args.record}")
    if missed:
        print(f"\n❌ {len(missed)} target(s) missed: " + "; ".join(r.name for r in missed))
        return 1
    print("\n✅ every target met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
