"""``make bench``: how fast and how lean the course is, against its targets.

Prints a table, records it in docs/performance.md (with the machine it ran on) and exits 1 when a
target is missed:

* the whole course (each lesson on a fresh kernel, Run All), less the listed exceptions below,
  within 2.0x the floor times the number of lessons (the whole is reported too); the floor is a
  notebook that only imports boto3 and moto, run the same way;
* in each lesson: the first cell within 600 ms, every later cell within 100 ms, and the first
  chart (a cell showing a picture) within 300 ms (medians over the runs);
* the listed exceptions to the 100 ms: cells that run the AWS CLI or Packer on purpose, each
  lesson's slowest on a row of its own, held to a budget made from the program's floor measured in
  each round of the same run (benchmarks/programs.py says which cells and why);
* a lesson's kernel peaks under 250 MB of resident memory (Binder gives a learner 1-2 GB);
* ``import labkit`` within 50 ms in a fresh process (nothing heavy until used).

The sandbox's own timings (start, stop, first client and call) are printed for reference.

Usage: python benchmarks/bench.py [--repeat N] [--record FILE | --no-record] [LESSON ...]
"""

from __future__ import annotations

import argparse
import compileall
import datetime as _dt
import statistics
import sys
from collections.abc import Callable
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
from programs import AWS_CLI, PACKER, Budget, cell_program, cli_floor, packer_floor  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
RECORD = ROOT / "docs" / "performance.md"

MAX_COURSE_RATIO = 2.0
MAX_FIRST_CELL_SECONDS = 0.600
MAX_LATER_CELL_SECONDS = 0.100
MAX_FIRST_CHART_SECONDS = 0.300
MAX_PEAK_MB = 250.0
MAX_IMPORT_SECONDS = 0.050

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
    notebooks: dict[str, nbformat.NotebookNode],
    repeat: int,
    floors: dict[str, Callable[[], float | None]] | None = None,
    order: list[str] | None = None,
) -> tuple[dict[str, list[NotebookRun]], dict[str, float | None]]:
    """Run every notebook ``repeat`` times, one round after another, so that a busy spell on the
    machine slows the floor and the lessons alike rather than one of them; measure each program's
    floor once a round too, for the same reason. ``order`` is one round's order (a name may come
    more than once); every notebook once, in turn, when omitted. Returns the runs, and each
    floor's median (None where the program is not installed)."""
    runs: dict[str, list[NotebookRun]] = {name: [] for name in notebooks}
    measured: dict[str, list[float | None]] = {name: [] for name in floors or {}}
    for _ in range(repeat):
        for name in order or list(notebooks):
            runs[name].append(run_notebook(notebooks[name], NOTEBOOKS))
        for name, floor in (floors or {}).items():
            measured[name].append(floor())
    medians = {
        name: None if None in values else statistics.median(values)  # type: ignore[type-var]
        for name, values in measured.items()
    }
    return runs, medians


def round_order(lessons: list[str]) -> list[str]:
    """One round: the floor notebook first, halfway and last, the lessons in between.

    The floor divides every ratio, and one run of it (mostly a kernel's start) varies by 10 %
    from run to run: three a round, at three places in it, make a steadier yardstick (the median
    of nine) measured where the lessons are.
    """
    half = (len(lessons) + 1) // 2
    return [FLOOR, *lessons[:half], FLOOR, *lessons[half:], FLOOR]


def cell_medians(runs: list[NotebookRun]) -> dict[int, tuple[float, str]]:
    """Each code cell's median seconds over the runs, with its first line."""
    by_cell: dict[int, list[float]] = {}
    firsts: dict[int, str] = {}
    for run in runs:
        for seconds, index, first in run.cells:
            by_cell.setdefault(index, []).append(seconds)
            firsts[index] = first
    return {i: (statistics.median(t), firsts[i]) for i, t in sorted(by_cell.items())}


def _slowest_cells(medians: dict[int, tuple[float, str]], top: int = 3) -> str:
    """The later cells (after the first) that cost the most, by their median over the runs."""
    ranked = sorted(((s, i, f) for i, (s, f) in medians.items() if i > 0), reverse=True)
    return "; ".join(f"cell {i} {s * 1000:.0f} ms ({f[:40]})" for s, i, f in ranked[:top])


def first_chart(runs: list[NotebookRun]) -> int | None:
    """The index of the first code cell that shows a chart, as most runs saw it."""
    firsts = [run.charts[0] for run in runs if run.charts]
    return statistics.mode(firsts) if firsts else None


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


#: What each program's floor is (benchmarks/programs.py).
FLOOR_NAMES = {
    AWS_CLI: "!aws ec2 describe-images --generate-cli-skeleton, fresh",
    PACKER: "the lab's smallest packer build",
}


def program_cells(notebook: nbformat.NotebookNode) -> dict[int, Budget]:
    """The code cells (by index among code cells) that run the AWS CLI or Packer on purpose."""
    code = [c for c in notebook.cells if c.cell_type == "code"]
    found = {i: cell_program(c.source) for i, c in enumerate(code)}
    return {i: budget for i, budget in found.items() if budget is not None and i > 0}


def program_floors(
    notebooks: dict[str, nbformat.NotebookNode],
) -> dict[str, Callable[[], float | None]]:
    """How to measure each program's floor once, for the programs the notebooks' cells run."""
    wanted = {b.program for nb in notebooks.values() for b in program_cells(nb).values()}
    measures = {AWS_CLI: lambda: cli_floor(repeat=3), PACKER: lambda: packer_floor(repeat=1)}
    return {program: measures[program] for program in sorted(wanted)}


def program_rows(
    name: str,
    medians: dict[int, tuple[float, str]],
    programs: dict[int, Budget],
    floors: dict[str, float | None],
) -> list[Row]:
    """For each program a lesson runs, its cell furthest over (or nearest) its budget."""
    rows = []
    for program in sorted({b.program for b in programs.values()}):
        cells = {i: b for i, b in programs.items() if b.program == program and i in medians}
        floor = floors.get(program)
        if floor is None:
            worst = max(cells, key=lambda i: medians[i][0])
            rows.append(
                Row(
                    f"{name}: slowest {program} cell (cell {worst})",
                    _ms(medians[worst][0]),
                    f"{program} not installed: no floor",
                )
            )
            continue
        budgets = {i: b.seconds(floor, MAX_LATER_CELL_SECONDS) for i, b in cells.items()}
        worst = max(cells, key=lambda i: medians[i][0] / budgets[i])
        runs = cells[worst].runs * cells[worst].floors_each
        rows.append(
            Row(
                f"{name}: slowest {program} cell (cell {worst}) vs its budget",
                _ms(medians[worst][0]),
                f"<= {_ms(budgets[worst])} ({runs:g} x floor + {_ms(MAX_LATER_CELL_SECONDS)})",
                medians[worst][0] <= budgets[worst],
            )
        )
    return rows


def measure(paths: list[Path], repeat: int) -> list[Row]:
    """Run every measurement, printing each row as it is found; return all rows."""
    rows: list[Row] = []

    def add(row: Row) -> None:
        rows.append(row)
        print(f"{row.mark or '  '} {row.name:<44} {row.value:>22}  {row.target}", flush=True)

    notebooks = {FLOOR: floor_notebook()}
    notebooks.update({p.stem: nbformat.read(p, as_version=4) for p in paths})
    order = round_order([p.stem for p in paths])
    runs, floors = run_interleaved(notebooks, repeat, program_floors(notebooks), order)
    seconds = {name: statistics.median(r.seconds for r in rs) for name, rs in runs.items()}
    peaks = {
        name: max((r.peak_rss_mb for r in rs if r.peak_rss_mb is not None), default=None)
        for name, rs in runs.items()
    }
    floor = seconds[FLOOR]
    add(Row("floor notebook (import boto3, moto)", f"{floor:.2f} s", "1.00x"))
    add(Row("floor kernel peak RSS", _mb(peaks[FLOOR])))
    for program, about in FLOOR_NAMES.items():
        if program in floors:
            shown = "not installed" if floors[program] is None else _ms(floors[program])
            add(Row(f"{program} floor ({about})", shown))
    for path in paths:
        name = path.stem
        add(Row(f"{name}: time", f"{seconds[name]:.2f} s = {seconds[name] / floor:.2f}x floor"))
        medians = cell_medians(runs[name])
        first = medians[min(medians)][0]
        add(
            Row(
                f"{name}: first cell",
                _ms(first),
                f"<= {_ms(MAX_FIRST_CELL_SECONDS)}",
                first <= MAX_FIRST_CELL_SECONDS,
            )
        )
        chart = first_chart(runs[name])
        programs = program_cells(notebooks[name])
        # Every later cell but the first chart and the listed exceptions (their own rows below).
        apart = {min(medians), chart, *programs}
        ordinary = {i: m for i, m in medians.items() if i not in apart}
        later = max((s for s, _ in ordinary.values()), default=0.0)
        add(
            Row(
                f"{name}: slowest later cell",
                _ms(later),
                f"<= {_ms(MAX_LATER_CELL_SECONDS)}",
                later <= MAX_LATER_CELL_SECONDS,
            )
        )
        if later > MAX_LATER_CELL_SECONDS:
            slowest = _slowest_cells(ordinary)
            NOTES.append(f"{name}: {slowest}")
            print(f"     slowest: {slowest}")
        for row in program_rows(name, medians, programs, floors):
            add(row)
        if chart is not None:
            drawn = medians[chart][0]
            add(
                Row(
                    f"{name}: first chart (cell {chart})",
                    _ms(drawn),
                    f"<= {_ms(MAX_FIRST_CHART_SECONDS)}",
                    drawn <= MAX_FIRST_CHART_SECONDS,
                )
            )
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
            )
        )
        # The listed exceptions answer to their own budgets (rows above), not to the floor's.
        spent = sum(
            cell_medians(runs[p.stem]).get(i, (0.0, ""))[0]
            for p in paths
            for i in program_cells(notebooks[p.stem])
        )
        rest = total - spent
        add(
            Row(
                f"whole course less its AWS CLI and Packer cells ({spent:.1f} s)",
                f"{rest:.1f} s = {rest / floor_total:.2f}x",
                f"<= {MAX_COURSE_RATIO:.1f}x floor x {len(paths)} lessons "
                f"= {MAX_COURSE_RATIO * floor_total:.1f} s",
                rest <= MAX_COURSE_RATIO * floor_total,
            )
        )
    bare = import_seconds("import boto3, moto")
    labkit = import_seconds("import labkit")
    add(Row("import boto3, moto (fresh process)", f"{bare * 1000:.0f} ms"))
    add(
        Row(
            "import labkit (fresh process)",
            _ms(labkit),
            f"< {_ms(MAX_IMPORT_SECONDS)}",
            labkit < MAX_IMPORT_SECONDS,
        )
    )

    sandbox = sandbox_timings()
    add(
        Row(
            "Sandbox start, warm (median of 25)",
            f"{sandbox['start'] * 1000:.1f} ms (CPU {sandbox['start_cpu'] * 1000:.1f} ms)",
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
        f"Measured {now} by `make bench` (each lesson: median of {repeat} runs; the floor: of "
        f"{repeat * round_order([]).count(FLOOR)}).",
        "",
        "| Machine | |",
        "|---|---|",
        *(f"| {key} | {value} |" for key, value in about.items()),
        "",
        "| Measurement | Result | Target | |",
        "|---|---:|---|---|",
        *(f"| {r.name} | {r.value} | {r.target} | {r.mark} |" for r in rows),
        *(["", "Slowest later cells (median) of the lessons over 100 ms:", ""] if NOTES else []),
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
