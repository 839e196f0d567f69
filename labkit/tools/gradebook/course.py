"""The course's exercises, read from ``labkit/checks/`` without importing it.

``labkit.checks.exercises()`` imports every check module, and the check modules import the
sandbox (moto, boto3). An instructor's gradebook needs only each exercise's ID, lesson and title,
so this module reads them from the ``@exercise(...)`` decorators' source: string literals, module
constants (``LESSON = "00-welcome"``), constants imported from a sibling module, f-strings and ``+``
over those. ``tests/tools/gradebook/test_course.py`` checks that the answer equals ``exercises()``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = ["CourseExercise", "course_exercises"]

CHECKS = Path(__file__).resolve().parents[2] / "checks"


@dataclass(frozen=True)
class CourseExercise:
    """One exercise as the gradebook needs it: its ID, lesson and title."""

    id: str
    lesson: str
    title: str


class _Unknown(Exception):
    """A value the decorator's source does not determine statically."""


def _module_trees(folder: Path) -> dict[str, ast.Module]:
    return {
        path.stem: ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for path in sorted(folder.glob("*.py"))
    }


def _evaluate(node: ast.AST, names: dict[str, object]) -> object:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        if node.id in names:
            return names[node.id]
        raise _Unknown(node.id)
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.FormattedValue):
                if value.format_spec is not None or value.conversion != -1:
                    raise _Unknown("formatted value")
                parts.append(str(_evaluate(value.value, names)))
            else:
                parts.append(str(_evaluate(value, names)))
        return "".join(parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _evaluate(node.left, names) + _evaluate(node.right, names)  # type: ignore[operator]
    raise _Unknown(type(node).__name__)


def _constants(tree: ast.Module, names: dict[str, object]) -> dict[str, object]:
    """The module's top-level ``NAME = <static value>`` assignments, added to ``names``."""
    found = dict(names)
    for statement in tree.body:
        targets: list[ast.expr] = []
        if isinstance(statement, ast.Assign):
            targets, value = statement.targets, statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            targets, value = [statement.target], statement.value
        for target in targets:
            if isinstance(target, ast.Name):
                try:
                    found[target.id] = _evaluate(value, found)
                except (_Unknown, TypeError):
                    pass
    return found


def _imported(tree: ast.Module, constants: dict[str, dict[str, object]]) -> dict[str, object]:
    """Constants this module imports from a sibling (``from ._pipeline import KEY_ALIAS``)."""
    names: dict[str, object] = {}
    for statement in tree.body:
        if isinstance(statement, ast.ImportFrom) and statement.level == 1 and statement.module:
            source = constants.get(statement.module, {})
            for alias in statement.names:
                if alias.name in source:
                    names[alias.asname or alias.name] = source[alias.name]
    return names


def _all_constants(trees: dict[str, ast.Module]) -> dict[str, dict[str, object]]:
    """Each module's constants, with those it imports from siblings (which may themselves be
    imported: ``_pipeline`` passes on ``KEY_ALIAS`` from ``_pipeline_reading``)."""
    done: dict[str, dict[str, object]] = {}

    def resolve(name: str, seen: frozenset[str]) -> dict[str, object]:
        if name not in done:
            tree = trees[name]
            for statement in tree.body:
                if (
                    isinstance(statement, ast.ImportFrom)
                    and statement.level == 1
                    and statement.module in trees
                    and statement.module not in seen
                ):
                    resolve(statement.module, seen | {name})
            done[name] = _constants(tree, _imported(tree, done))
        return done[name]

    for name in trees:
        resolve(name, frozenset())
    return done


def _is_exercise_decorator(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "exercise"
        and bool(node.args)
    )


def read_exercises(folder: Path = CHECKS) -> list[CourseExercise]:
    """Every ``@exercise`` in ``folder``'s check modules, in course order (lesson, then source).

    Raises:
        ValueError: naming the module and line of a decorator whose ID or lesson is not static.
    """
    trees = _module_trees(folder)
    known = _all_constants(trees)
    found: list[tuple[str, str, int, CourseExercise]] = []
    for name, tree in trees.items():
        if name.startswith("_"):
            continue
        names = known[name]
        for node in ast.walk(tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for decorator in filter(_is_exercise_decorator, node.decorator_list):
                keywords = {k.arg: k.value for k in decorator.keywords if k.arg}
                try:
                    exercise_id = _evaluate(decorator.args[0], names)
                    lesson = _evaluate(keywords["lesson"], names)
                except (_Unknown, KeyError, TypeError) as error:
                    raise ValueError(
                        f"labkit/checks/{name}.py line {decorator.lineno}: the exercise's ID and "
                        f"lesson must be written out or module constants ({error})"
                    ) from None
                try:
                    title = _evaluate(keywords["title"], names) if "title" in keywords else ""
                except (_Unknown, TypeError):
                    title = str(exercise_id)
                found.append(
                    (
                        str(lesson),
                        name,
                        decorator.lineno,
                        CourseExercise(exercise_id, lesson, title),
                    )
                )
    # Lessons sort by their number; inside one, registration order: modules by name (as
    # labkit.checks imports them), then source order.
    found.sort(key=lambda item: item[:3])
    return [item[3] for item in found]


@cache
def course_exercises() -> tuple[CourseExercise, ...]:
    """This labkit's exercises, in course order (cached: the source does not change)."""
    return tuple(read_exercises())
