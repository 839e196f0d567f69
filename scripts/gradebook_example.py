"""Write docs/gradebook-example/: a made-up class's progress files, and `labkit gradebook` on them.

    python scripts/gradebook_example.py          # rewrite the example
    python scripts/gradebook_example.py --check  # exit 1 if the committed outputs are out of date

The class: twelve learners one day into the course, most of them in lessons 00-03, some with the
newer progress fields (course_version, hints) and some without; plus a file that is not progress
and one that was edited by hand. The outputs (gradebook.csv, gradebook.html, chart.svg) are what
`labkit gradebook handed-in --csv ... --html ...` writes; docs/gradebook.md shows them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from labkit.tools import cli
from labkit.tools.gradebook import chart_svg, course_exercises, read_gradebook

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "gradebook-example"
HANDED_IN = EXAMPLE / "handed-in"

# learner -> how many exercises (in course order) they passed, hints shown, course version
CLASS = {
    "amara": (12, 3, "0.1.0"),
    "ben": (5, 0, None),
    "chen": (7, 6, "0.1.0"),
    "dita": (2, 1, None),
    "emeka": (9, 2, "0.1.0"),
    "farah": (7, 0, "0.1.0"),
    "gus": (5, 4, None),
    "hana": (3, 2, "0.1.0"),
    "ivan": (7, 1, "0.1.0"),
    "jo": (0, 2, "0.1.0"),
    "kofi": (5, 0, None),
    "lena": (10, 5, "0.1.0"),
}


def progress_file(done: int, hints: int, version: str | None, learner_index: int) -> dict:
    passed = course_exercises()[:done]
    entries = {}
    for n, exercise in enumerate(passed):
        minute = 9 * 60 + 5 * n + learner_index
        at = f"2026-12-01T{minute // 60:02d}:{minute % 60:02d}:00+00:00"
        entries[exercise.id] = {
            "lesson": exercise.lesson,
            "first_passed": at,
            "last_passed": at,
            "passes": 1 + (n + learner_index) % 2,
        }
    last = max((e["last_passed"] for e in entries.values()), default="2026-12-01T09:00:00+00:00")
    data = {"schema": "amilab-progress", "version": 1, "updated": last, "exercises": entries}
    if version:
        data["course_version"] = version
        first_open = course_exercises()[min(done, len(course_exercises()) - 1)].id
        data["hints"] = {first_open: hints} if hints else {}
    return data


def write_inputs() -> None:
    HANDED_IN.mkdir(parents=True, exist_ok=True)
    for index, (name, (done, hints, version)) in enumerate(CLASS.items()):
        data = progress_file(done, hints, version, index)
        (HANDED_IN / f"{name}.json").write_text(json.dumps(data, indent=2) + "\n")
    # Not progress: a notebook handed in by mistake.
    (HANDED_IN / "mallory.json").write_text('{"cells": [], "nbformat": 4, "nbformat_minor": 5}\n')
    # Edited by hand: a pass count of 99 is fine, but a first pass after the last is not.
    tampered = progress_file(3, 0, None, 0)
    tampered["exercises"]["welcome-launch"]["first_passed"] = "2026-12-02T09:00:00+00:00"
    (HANDED_IN / "nadia.json").write_text(json.dumps(tampered, indent=2) + "\n")


def outputs(folder: Path) -> dict[str, str]:
    """Run `labkit gradebook` on the handed-in files into ``folder``; the files it wrote."""
    cli.main(
        [
            "gradebook",
            str(HANDED_IN.relative_to(ROOT)),
            "--csv",
            str(folder / "gradebook.csv"),
            "--html",
            str(folder / "gradebook.html"),
        ]
    )
    (folder / "chart.svg").write_text(chart_svg(read_gradebook([HANDED_IN.relative_to(ROOT)])))
    return {p.name: p.read_text() for p in folder.iterdir() if p.is_file()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the example is stale")
    args = parser.parse_args(argv)
    import os
    import tempfile

    os.chdir(ROOT)  # paths in the outputs are relative to the repository
    if args.check:
        with tempfile.TemporaryDirectory() as scratch:
            fresh = outputs(Path(scratch))
        stale = [n for n, text in fresh.items() if (EXAMPLE / n).read_text() != text]
        if stale:
            print(f"out of date: {', '.join(stale)} (run python scripts/gradebook_example.py)")
            return 1
        return 0
    write_inputs()
    outputs(EXAMPLE)
    return 0


if __name__ == "__main__":
    sys.exit(main())
