"""Write the per-lesson blocks of docs/instructor-guide.md from the lessons and their checks.

Each lesson's block (between ``<!-- BEGIN GENERATED lesson NN-topic -->`` and its END line) is
made from the notebook (title, minutes, objectives, exercise numbers) and from
``labkit/checks/`` (each exercise's title, hints, and the failure messages its check can give), so
the guide cannot drift from the course. Everything outside the blocks is written by hand and kept.

    python scripts/instructor_guide.py           # rewrite the blocks
    python scripts/instructor_guide.py --check   # exit 1 if the guide is out of date (CI)
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # check_messages.py, however it is run
from check_messages import failures  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "instructor-guide.md"
NOTEBOOKS = ROOT / "notebooks"

# The course plan (issues 4-6): lessons not written yet still get a section, marked as such.
PLANNED = {
    "00-welcome": "Welcome to AMI Lab",
    "01-why-amis": "Why AMIs?",
    "02-create-an-ami": "Create an AMI",
    "03-copy-across-regions": "Copy across Regions",
    "04-sharing": "Share across accounts",
    "05-encryption": "Encryption and keys",
    "06-marketplace-and-trust": "Marketplace and trust",
    "07-storage-and-pricing": "Storage, pricing and clean-up",
    "08-capstone": "Capstone: a golden-image pipeline",
}
LESSONS_END = "<!-- END LESSONS -->"
BEGIN = "<!-- BEGIN GENERATED {part}: scripts/instructor_guide.py writes this block -->"
END = "<!-- END GENERATED {part} -->"


@dataclass(frozen=True)
class Lesson:
    """What the guide needs to know of one lesson's notebook."""

    name: str
    title: str
    minutes: int | None
    objectives: tuple[str, ...]
    numbers: dict[str, str]  # exercise ID -> "0.1"


# -- reading the notebooks ---------------------------------------------------------------------


def read_lesson(path: Path) -> Lesson:
    """Title, minutes, objectives and exercise numbers of a lesson notebook."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    texts = [("".join(c["source"]), c["cell_type"]) for c in cells]
    intro = next((text for text, kind in texts if kind == "markdown"), "")
    title_match = re.search(r"^# (.+)$", intro, re.M)
    minutes_match = re.search(r"About (\d+) minutes", intro)
    objectives: list[str] = []
    if "**Objectives" in intro:
        after = intro.split("**Objectives", 1)[1].splitlines()[1:]
        for line in after:
            if not line.startswith("- "):
                break
            objectives.append(line[2:].strip())
    numbers: dict[str, str] = {}
    current = None
    for text, kind in texts:
        heading = re.search(r"^### Exercise (\d+\.\d+)", text, re.M)
        if kind == "markdown" and heading:
            current = heading.group(1)
        elif kind == "markdown" and re.search(r"^## ", text, re.M):
            current = None  # a new section: checks after it belong to no exercise
        for exercise_id in re.findall(r"lab\.check\(\s*[\"']([\w-]+)[\"']", text):
            if kind == "code" and current and exercise_id not in numbers:
                numbers[exercise_id] = current
    title = title_match.group(1).strip() if title_match else path.stem
    minutes = int(minutes_match.group(1)) if minutes_match else None
    return Lesson(path.stem, title, minutes, tuple(objectives), numbers)


# -- writing the blocks ------------------------------------------------------------------------


def lesson_names() -> list[str]:
    """Every lesson the guide covers: the planned ones and any notebook, in course order."""
    written = {p.stem for p in NOTEBOOKS.glob("[0-9][0-9]-*.ipynb")}
    return sorted(set(PLANNED) | written)


def class_minutes(minutes: int) -> int:
    """Minutes to plan in class for a lesson the notebook says takes ``minutes`` on one's own.

    Half as long again (a room of thirty goes at the pace of its slower half, and asks), rounded
    up to five minutes, plus five for the instructor's own introduction.
    """
    return 5 * math.ceil(minutes * 1.5 / 5) + 5


def block(name: str) -> str:
    """The generated text of one lesson's block (without its BEGIN/END lines)."""
    from labkit.checks import exercises

    path = NOTEBOOKS / f"{name}.ipynb"
    number = name.split("-", 1)[0]
    items = exercises(name)
    if path.exists():
        lesson = read_lesson(path)
        lines = [f"### {lesson.title}", ""]
        if lesson.minutes:
            timing = (
                f"the notebook says about {lesson.minutes} minutes; plan "
                f"{class_minutes(lesson.minutes)} in class"
            )
        else:
            timing = "the notebook gives no time"
        lines.append(
            f'`notebooks/{name}.ipynb` · `Lab("{name}")` · {timing} · '
            f"{len(items)} checked exercise{'s' * (len(items) != 1)}."
        )
        if lesson.objectives:
            lines += ["", "**Objectives.** Learners can:"]
            lines += [f"- {objective}" for objective in lesson.objectives]
    else:
        lesson = Lesson(name, PLANNED.get(name, name), None, (), {})
        lines = [
            f"### {number} · {lesson.title}",
            "",
            f"Lesson {number}: to be written with the lesson (`notebooks/{name}.ipynb` does not "
            "exist yet); run `python scripts/instructor_guide.py` when it lands.",
        ]
    if not items:
        return "\n".join(lines)
    stuck = failures()
    lines += ["", "| Exercise | Check | What learners do | Hints |", "|---|---|---|---|"]
    for item in items:
        lines.append(
            f"| {lesson.numbers.get(item.id, '—')} | `{item.id}` | {_cell(item.title)} "
            f"| {len(item.hints)} |"
        )
    lines += [
        "",
        "**Where learners get stuck.** What each check answers when it fails (‹…› stands for "
        "what the learner did), with the hint it gives; then the hints `lab.hint(...)` reveals, "
        "in order, before the solution.",
    ]
    for item in items:
        lines += ["", f"`{item.id}` — {item.title}"]
        said = stuck.get(item.id, [])
        if said:
            lines.append("")
        for failure in said:
            hint = f" — *try:* {failure.hint}" if failure.hint else ""
            lines.append(f"- ❌ {failure.message}{hint}")
        if item.hints:
            lines.append("")
        lines += [f"{i}. {hint}" for i, hint in enumerate(item.hints, start=1)]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def overview() -> str:
    """A table of every lesson: its time on one's own and in class, and its exercises."""
    from labkit.checks import exercises

    lines = [
        "| Lesson | Self-paced | In class | Checked exercises |",
        "|---|---|---|---|",
    ]
    for name in lesson_names():
        path = NOTEBOOKS / f"{name}.ipynb"
        count = len(exercises(name))
        if path.exists():
            lesson = read_lesson(path)
            alone = f"{lesson.minutes} min" if lesson.minutes else "—"
            together = f"{class_minutes(lesson.minutes)} min" if lesson.minutes else "—"
            lines.append(f"| {lesson.title} | {alone} | {together} | {count} |")
        else:
            number = name.split("-", 1)[0]
            title = PLANNED.get(name, name)
            lines.append(f"| {number} · {title} (to be written) | — | — | {count} |")
    return "\n".join(lines)


def _replace(text: str, part: str, content: str) -> str | None:
    """``text`` with the block ``part`` holding ``content``; None if there is no such block."""
    begin, end = BEGIN.format(part=part), END.format(part=part)
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
    if not pattern.search(text):
        return None
    return pattern.sub(lambda _: f"{begin}\n{content}\n{end}", text, count=1)


def update(text: str) -> str:
    """The guide with every generated block rewritten, and blocks added for new lessons."""
    text = _replace(text, "overview", overview()) or text
    for name in lesson_names():
        part = f"lesson {name}"
        replaced = _replace(text, part, block(name))
        if replaced is not None:
            text = replaced
        elif LESSONS_END in text:
            begin, end = BEGIN.format(part=part), END.format(part=part)
            text = text.replace(LESSONS_END, f"{begin}\n{block(name)}\n{end}\n\n{LESSONS_END}")
        else:
            raise SystemExit(f"{GUIDE} has no {LESSONS_END!r} line to add lesson {name} before")
    return text


def main(argv: list[str] | None = None) -> int:
    """Rewrite the guide's generated blocks, or with --check, report whether they are current."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the guide is stale")
    args = parser.parse_args(argv)
    current = GUIDE.read_text(encoding="utf-8")
    fresh = update(current)
    if args.check:
        if fresh != current:
            print(
                f"{GUIDE} is out of date: run python scripts/instructor_guide.py", file=sys.stderr
            )
            return 1
        return 0
    if fresh != current:
        GUIDE.write_text(fresh, encoding="utf-8")
        print(f"updated {GUIDE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
