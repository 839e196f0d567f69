"""Every registered check has a test showing it fail on a wrong state, and one showing it pass.

A test counts for a check when its own body calls ``fails("check-id", ...)`` or
``passes("check-id", ...)`` (``check_helpers``; the ID as a string, or a module constant holding
one). ``fails`` asserts the check answered ❌, so once the tests pass, each check is known to refuse
at least one wrong state. Run this file to list the tests of every check:

    .venv/bin/python tests/checks/test_honest_checks.py
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from labkit.checks import exercises

HERE = Path(__file__).resolve().parent
VERDICTS = ("fails", "passes")


def _constants(tree: ast.Module) -> dict[str, str]:
    """A test module's top-level string constants (``REMOVE = "storage-…"``)."""
    found = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            found[node.targets[0].id] = node.value.value
    return found


def _tests(tree: ast.Module) -> list[tuple[str, ast.FunctionDef]]:
    """Every test function of a module, top-level or in a class, with its pytest name."""
    found = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
            found.append((node.name, node))
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            found += [
                (f"{node.name}::{item.name}", item)
                for item in node.body
                if isinstance(item, ast.FunctionDef) and item.name.startswith("test")
            ]
    return found


def verdict_tests(folder: Path = HERE) -> dict[str, dict[str, list[str]]]:
    """For ``fails`` and ``passes``: the tests that call it, by the check ID they name.

    Returns:
        ``{"fails": {"check-id": ["test_x.py::TestY::test_z", ...]}, "passes": {...}}``.
    """
    found: dict[str, dict[str, list[str]]] = {verdict: defaultdict(list) for verdict in VERDICTS}
    for path in sorted(folder.glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = _constants(tree)
        for name, function in _tests(tree):
            for call in ast.walk(function):
                if not (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Name)
                    and call.func.id in VERDICTS
                    and call.args
                ):
                    continue
                first = call.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    exercise_id = first.value
                elif isinstance(first, ast.Name) and first.id in constants:
                    exercise_id = constants[first.id]
                else:
                    continue
                test = f"{path.name}::{name}"
                if test not in found[call.func.id][exercise_id]:
                    found[call.func.id][exercise_id].append(test)
    return found


FOUND = verdict_tests()


@pytest.mark.parametrize("item", exercises(), ids=lambda e: e.id)
class TestEveryCheck:
    def test_fails_on_a_wrong_state(self, item):
        """Some test runs the check on a wrong state and asserts ❌ (``fails``)."""
        assert FOUND["fails"].get(item.id), f"no test calls fails({item.id!r}, ...)"

    def test_passes_on_a_right_state(self, item):
        """Some test runs the check on the reference state and asserts ✅ (``passes``)."""
        assert FOUND["passes"].get(item.id), f"no test calls passes({item.id!r}, ...)"


def test_every_check_id_the_tests_name_is_registered():
    """A test naming an unknown check would prove nothing: each ID named is registered."""
    known = {item.id for item in exercises()}
    named = set(FOUND["fails"]) | set(FOUND["passes"])
    assert named - known == set()


def main() -> int:
    """Print every check with its failing-state and passing-state tests; 1 if any lacks one."""
    missing = 0
    for item in exercises():
        failing, passing = FOUND["fails"].get(item.id, []), FOUND["passes"].get(item.id, [])
        mark = "ok " if failing and passing else "!! "
        missing += not (failing and passing)
        print(
            f"{mark}{item.lesson:26} {item.id:38} {len(failing):2} failing, {len(passing)} passing"
        )
        for test in failing:
            print(f"       ❌ {test}")
    print(f"{len(exercises())} checks; {missing} without a failing and a passing test")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
