"""Issue 18's "Done when": every lesson's objectives map to an exercise in docs/curriculum.md.

Each lesson's objectives cell (the bulleted list under "**Objectives.**" at the top) is read, then
the lesson's subsection of the curriculum's "Objectives, lesson by lesson" section: a heading
``### NN · Title`` and a table ``| Objective | Exercise · check |``. Every objective has exactly
one row, in the notebook's words; no row names an objective the lesson does not list; every row
names at least one check of the lesson (registered for it, and run by a ``lab.check(...)`` cell of
the notebook), and the exercise numbers it gives are those of the checks it names.

Lessons another helper brings in line in parallel are strict xfails naming why; the lead removes
each entry once its branch is merged."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from lesson_cells import LESSONS, ROOT, check_cells, check_id, lesson_cases, lesson_id, number

from labkit.checks import exercises

CURRICULUM = ROOT / "docs" / "curriculum.md"
SECTION = "## Objectives, lesson by lesson"
HEADER = ["Objective", "Exercise · check"]
#: How every lesson states its objectives, in its first cells.
OBJECTIVES = "**Objectives.** By the end of this lesson you can:"

#: Lessons whose subsection another helper is moving into the section (wave 3); the lead removes
#: each once its branch is merged (the xfail is strict, so a pass says so).
NOT_YET_IN_LINE: dict[str, str] = {}
#: Lessons whose rows another helper rewrites in parallel, with the words that drift today.
WORDING_DRIFTS: dict[str, str] = {
    **NOT_YET_IN_LINE,
}

_BACKTICKED = re.compile(r"`([^`]+)`")
_EXERCISE_HEADING = re.compile(r"^###\s+Exercise\s+(\d+\.\d+)\b", re.M)
_HEADING = re.compile(r"^#{1,3}\s", re.M)


# -- The notebook's side ------------------------------------------------------------------------


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text())["cells"]


def _source(cell: dict) -> str:
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)


def objectives(path: Path) -> list[str]:
    """The bullets under the lesson's "**Objectives.**" line (in its first three cells)."""
    for cell in _cells(path)[:3]:
        lines = _source(cell).splitlines()
        if cell["cell_type"] != "markdown" or OBJECTIVES not in lines:
            continue
        found: list[str] = []
        for line in lines[lines.index(OBJECTIVES) + 1 :]:
            if line.startswith("- "):
                found.append(line[2:])
            elif line.startswith("  ") and line.strip() and found:  # a bullet wrapped onto two
                found[-1] += " " + line.strip()
            else:
                break
        return found
    return []


def normalise(text: str) -> str:
    """An objective's words without markdown: no emphasis, no code marks, one space between
    words, no capital at the start, no ";" or "." at the end."""
    text = re.sub(r"\*+|`", "", text)
    text = " ".join(text.split()).rstrip(";.").strip()
    return text[:1].lower() + text[1:]


def exercise_numbers(path: Path) -> dict[str, str | None]:
    """Each check the notebook runs, and the number of the ``### Exercise N.M`` it belongs to
    (None for a check under another heading, such as 08's whole pipeline)."""
    numbers: dict[str, str | None] = {}
    current: str | None = None
    runs = set(check_cells(path))
    for cell in _cells(path):
        text = _source(cell)
        if cell["cell_type"] == "markdown":
            for heading in _HEADING.finditer(text):
                line = text[heading.start() :].splitlines()[0]
                match = _EXERCISE_HEADING.match(line)
                current = match[1] if match else None
        elif text in runs:
            numbers[check_id(text)] = current
    return numbers


# -- The curriculum's side ----------------------------------------------------------------------


@dataclass(frozen=True)
class Subsection:
    heading: str
    header: list[str]  # the table's header cells ([] without a table)
    rows: list[list[str]]


def _cells_of(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def subsections() -> dict[str, list[Subsection]]:
    """The "Objectives, lesson by lesson" section's ``### NN · Title`` subsections, by number."""
    text = CURRICULUM.read_text()
    assert SECTION in text, f"docs/curriculum.md has no section {SECTION!r}"
    section = text[text.index(SECTION) :].split("\n## ", 1)[0]
    found: dict[str, list[Subsection]] = {}
    for part in section.split("\n### ")[1:]:
        heading, *lines = part.splitlines()
        table = [line for line in lines if line.startswith("|")]
        header = _cells_of(table[0]) if table else []
        rows = [_cells_of(line) for line in table[2:]]
        found.setdefault(heading[:2], []).append(Subsection(f"### {heading}", header, rows))
    return found


def _subsection(path: Path) -> Subsection:
    found = subsections().get(number(path), [])
    assert len(found) == 1, (
        f"docs/curriculum.md's {SECTION!r} has {len(found)} subsections '### {number(path)} · …' "
        f"for {path.name}; it needs exactly one"
    )
    subsection = found[0]
    assert subsection.header == HEADER, (
        f"{subsection.heading}: its table's header is {subsection.header}, not {HEADER}"
    )
    return subsection


# -- The tests ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", lesson_cases({}))
def test_the_lesson_lists_its_objectives(path):
    """Every lesson opens with "**Objectives.** By the end of this lesson you can:" and bullets."""
    found = objectives(path)
    assert found, f"{path.name}: no line {OBJECTIVES!r} followed by bullets in its first cells"
    assert len(set(map(normalise, found))) == len(found), f"{path.name} repeats an objective"
    ends = [";"] * (len(found) - 1) + ["."]  # one sentence: "you can: - a; - b; - c."
    odd = [o for o, end in zip(found, ends, strict=True) if not o.endswith(end) or o[:1].isupper()]
    assert not odd, (
        f"{path.name}: these objectives do not read as one list (lower case first, ';' after "
        f"each, '.' after the last): {odd}"
    )


def test_the_section_has_one_subsection_per_lesson_in_order():
    """No subsection for a lesson that does not exist, none twice, and in lesson order."""
    lessons = [number(path) for path in LESSONS]
    found = subsections()
    strangers = sorted(set(found) - set(lessons))
    assert not strangers, f"{SECTION!r} has subsections for no lesson in notebooks/: {strangers}"
    twice = sorted(n for n, parts in found.items() if len(parts) > 1)
    assert not twice, f"{SECTION!r} has lessons with more than one subsection: {twice}"
    assert list(found) == sorted(found), f"{SECTION!r} lists lessons out of order: {list(found)}"


@pytest.mark.parametrize("path", lesson_cases(WORDING_DRIFTS))
def test_each_objective_has_one_row_in_its_words(path):
    subsection = _subsection(path)
    listed = {normalise(objective): objective for objective in objectives(path)}
    rows = [normalise(row[0]) for row in subsection.rows]
    problems = [
        f"objective {objective.rstrip(';.')!r} has {rows.count(words)} rows (it needs exactly "
        "one whose first cell is its words)"
        for words, objective in listed.items()
        if rows.count(words) != 1
    ]
    problems += [
        f"row {row[0]!r} names no objective of {path.name} (the notebook's words differ, or the "
        "lesson does not list it)"
        for row in subsection.rows
        if normalise(row[0]) not in listed
    ]
    assert not problems, f"{subsection.heading}:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", lesson_cases(NOT_YET_IN_LINE))
def test_each_row_names_checks_the_lesson_runs(path):
    subsection = _subsection(path)
    registered = {item.id for item in exercises(lesson_id(path))}
    everywhere = {item.id: item.lesson for item in exercises()}
    numbers = exercise_numbers(path)
    major = str(int(number(path)))
    problems = []
    for row in subsection.rows:
        where = f"row {row[0]!r}"
        if len(row) != len(HEADER):
            problems.append(f"{where} has {len(row)} cells, not {len(HEADER)}")
            continue
        quoted = _BACKTICKED.findall(row[1])
        named = [name for name in quoted if name in everywhere]
        if not named:
            others = f" (none of {', '.join(quoted)} is a check)" if quoted else ""
            problems.append(
                f"{where} names no check in backticks{others}; the lesson's checks are "
                + ", ".join(sorted(registered))
            )
        for name in named:
            if name not in registered:
                problems.append(f"{where} names `{name}`, a check of {everywhere[name]}")
            elif name not in numbers:
                problems.append(f"{where} names `{name}`, which no lab.check cell of it runs")
        written = set(re.findall(rf"(?<![\d.]){major}\.\d+(?![\d.])", row[1]))
        meant = {numbers[name] for name in named if numbers.get(name)}
        problems += [
            f"{where} says exercise {n} but names no check of it"
            + (f" (its check is `{c}`)" if (c := _check_of(numbers, n)) else "")
            for n in sorted(written - meant)
        ]
        problems += [
            f"{where} names `{name}` without its exercise number {numbers[name]}"
            for name in named
            if numbers.get(name) and numbers[name] not in written
        ]
    assert not problems, f"{subsection.heading} ({path.name}):\n" + "\n".join(problems)


def _check_of(numbers: dict[str, str | None], exercise: str) -> str | None:
    return next((name for name, n in numbers.items() if n == exercise), None)
