"""Every way each check can say ❌, read from the source of ``labkit/checks/``: messages, hints.

Used by scripts/instructor_guide.py, which lists them in each lesson's block of the guide. A
message is read where the check calls ``fail(message, hint)`` or builds ``Item(label, False,
message, hint)`` (the capstone's pipeline items), and where a helper it calls does (from its own
module, or from a sibling it imports with ``from ._x import``), one level deep; UPPER_CASE
constants are filled in, and what the learner did shows as ‹its name›.
"""

from __future__ import annotations

import ast
import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHECKS = ROOT / "labkit" / "checks"

__all__ = ["CHECKS", "Failure", "failures"]


@dataclass(frozen=True)
class Failure:
    """One way a check says ❌: its message, and the hint it gives with it (if any)."""

    message: str
    hint: str | None


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
