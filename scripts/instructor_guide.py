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
import ast
import importlib
import json
import math
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "instructor-guide.md"
NOTEBOOKS = ROOT / "notebooks"
CHECKS = ROOT / "labkit" / "checks"

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
class Failure:
    """One way a check says ❌: its message, and the hint it gives with it (if any)."""

    message: str
    hint: str | None


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


# -- reading the checks ------------------------------------------------------------------------


def _constant(node: ast.expr, constants: dict[str, object]) -> str | None:
    """The value of an expression made only of the module's UPPER_CASE constants, if it is one."""
    names = [n.id for n in ast.walk(node) if isinstance(n, ast.Name)]
    if not names or any(isinstance(n, ast.Call) for n in ast.walk(node)):
        return None
    if not all(name.isupper() and name in constants for name in names):
        return None
    try:
        code = compile(ast.Expression(node), "<guide>", "eval")
        value = eval(code, {"__builtins__": {}}, constants)  # our own source, constants only
    except Exception:
        return None
    return value if isinstance(value, str) else None


def _placeholder(node: ast.expr, constants: dict[str, object]) -> str:
    """A constant's value; a learner's value as ‹its name›; anything more involved as ‹…›."""
    value = _constant(node, constants)
    if value is not None:
        return value
    if isinstance(node, (ast.Name, ast.Attribute, ast.Subscript)):
        return f"‹{ast.unparse(node)}›"
    return "‹…›"


def _render(node: ast.expr | None, constants: dict[str, object]) -> str | None:
    """A message expression as text; what the learner did shows as ‹name›."""
    if node is None:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    known = _constant(node, constants)
    if known is not None:
        return known
    if isinstance(node, ast.JoinedStr):
        parts = []
        for part in node.values:
            if isinstance(part, ast.Constant):
                parts.append(str(part.value))
            elif isinstance(part, ast.FormattedValue):
                parts.append(_placeholder(part.value, constants))
        return "".join(parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _render(node.left, constants), _render(node.right, constants)
        return None if left is None or right is None else left + right
    return _placeholder(node, constants)


#: Names a check can lean on: a function, or a constant made of functions (the capstone's steps,
#: ``BAKE_V1 = _of(V1, baked, encrypted)``), with the functions it stands for and their constants.
Helpers = dict[str, tuple[list[ast.FunctionDef], dict[str, object]]]


def _failure(node: ast.Call, constants: dict[str, object]) -> Failure | None:
    """The failure a call reports: ``fail(message, hint)``, or ``Item(label, False, message,
    hint)`` (the capstone's pipeline items, ``labkit/checks/_pipeline.py``)."""
    if not isinstance(node.func, ast.Name):
        return None
    args = list(node.args)
    if node.func.id == "fail" and args:
        message, hint = args[0], args[1] if len(args) > 1 else None
    elif (
        node.func.id == "Item"
        and len(args) >= 3
        and isinstance(args[1], ast.Constant)
        and args[1].value is False
    ):
        message, hint = args[2], args[3] if len(args) > 3 else None
    else:
        return None
    for keyword in node.keywords:
        if keyword.arg == "hint":
            hint = keyword.value
    text = _render(message, constants) or ""
    if not re.sub(r"‹[^›]*›", "", text).strip():
        return None  # a message made only of variables (a relay of another check's) says nothing
    return Failure(text, _render(hint, constants))


def _fail_calls(
    function: ast.AST, constants: dict[str, object], helpers: Helpers | None = None
) -> Iterator[Failure]:
    """The failures ``function`` reports, in source order; a helper it calls (or passes on)
    contributes its own failures where it is named (one level deep)."""
    nodes = [n for n in ast.walk(function) if isinstance(n, (ast.Call, ast.Name))]
    for node in sorted(nodes, key=lambda n: (n.lineno, n.col_offset)):
        if isinstance(node, ast.Call):
            failure = _failure(node, constants)
            if failure is not None:
                yield failure
        elif helpers and isinstance(node.ctx, ast.Load) and node.id in helpers:
            functions, helper_constants = helpers[node.id]
            for helper in functions:
                yield from _fail_calls(helper, helper_constants)


def _module(stem: str) -> tuple[ast.Module, dict[str, object]]:
    """A check module's syntax tree and its UPPER_CASE constants (by value)."""
    tree = ast.parse((CHECKS / f"{stem}.py").read_text(encoding="utf-8"))
    namespace = vars(importlib.import_module(f"labkit.checks.{stem}"))
    return tree, {name: value for name, value in namespace.items() if name.isupper()}


def _defined(tree: ast.Module) -> dict[str, list[ast.FunctionDef]]:
    """A module's functions, and its UPPER_CASE constants made of them, in the order they name
    them."""
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    defined = {name: [function] for name, function in functions.items()}
    for node in tree.body:
        target = node.targets[0] if isinstance(node, ast.Assign) else None
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            target = node.target
        if not isinstance(target, ast.Name) or not target.id.isupper():
            continue
        names = sorted(
            (n for n in ast.walk(node.value) if isinstance(n, ast.Name)),  # type: ignore[union-attr]
            key=lambda n: (n.lineno, n.col_offset),
        )
        named = [functions[n.id] for n in names if n.id in functions]
        if named:
            defined[target.id] = named
    return defined


def _helpers(tree: ast.Module, constants: dict[str, object]) -> Helpers:
    """The module's functions (and constants made of them), and those it imports from sibling
    modules (``from ._x import``)."""
    found: Helpers = {name: (fns, constants) for name, fns in _defined(tree).items()}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            other, other_constants = _module(node.module)
            defined = _defined(other)
            for alias in node.names:
                if alias.name in defined:
                    found[alias.asname or alias.name] = (defined[alias.name], other_constants)
    return found


def failures(checks: Path = CHECKS) -> dict[str, list[Failure]]:
    """Every failure message of every check, by exercise ID, read from the source of the checks.

    Messages come in source order; a helper function the check calls (from its own module or a
    sibling it imports) adds its own messages where it is called.
    """
    found: dict[str, list[Failure]] = {}
    for module in sorted(checks.glob("*.py")):
        if module.name.startswith("_"):
            continue
        tree, constants = _module(module.stem)
        helpers = _helpers(tree, constants)
        for function in (n for n in tree.body if isinstance(n, ast.FunctionDef)):
            exercise_id = _exercise_id(function)
            if exercise_id is None:
                continue
            others = {name: h for name, h in helpers.items() if name != function.name}
            seen: list[Failure] = []
            for failure in _fail_calls(function, constants, others):
                if failure not in seen:
                    seen.append(failure)
            found[exercise_id] = seen
    return found


def _exercise_id(function: ast.FunctionDef) -> str | None:
    for decorator in function.decorator_list:
        if (
            isinstance(decorator, ast.Call)
            and isinstance(decorator.func, ast.Name)
            and decorator.func.id == "exercise"
            and decorator.args
            and isinstance(decorator.args[0], ast.Constant)
        ):
            return str(decorator.args[0].value)
    return None


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
