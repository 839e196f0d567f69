"""Exercise checks: each reads the sandbox and answers ✅ Passed, or ❌ Not yet with what it
expected and found."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "CHECK_BROKE",
    "SKIPPED",
    "CheckResult",
    "Exercise",
    "exercise",
    "exercises",
    "get_exercise",
    "run_check",
    "skip",
]

#: The mark of a check that could not judge here (not ✅, not ❌); its text also says "skipped".
SKIPPED = "⏭️"

#: How a check's answer begins when an exception escaped it (a bug in the check, not the learner's).
CHECK_BROKE = "the check could not read the sandbox"


@dataclass(frozen=True)
class CheckResult:
    """The answer of one check: passed or not, and a message a beginner can act on."""

    exercise: str
    passed: bool
    message: str
    hint: str | None = None
    #: Neither passed nor failed: the check cannot judge here (lesson 10 without Packer).
    skipped: bool = False

    def __bool__(self) -> bool:
        return self.passed

    @property
    def verdict(self) -> str:
        """The result in words, so it never rests on a mark or a colour: Passed or Not yet."""
        return "Passed" if self.passed else "Not yet"

    def __str__(self) -> str:
        if self.skipped:
            return f"{SKIPPED} {self.exercise}: skipped, {self.message}"
        mark = "✅" if self.passed else "❌"
        text = f"{mark} {self.exercise}: {self.verdict} — {self.message}"
        if self.hint and not self.passed:
            text += f"\n   Try: {self.hint}"
        return text

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        if self.skipped:
            return (
                "<div role='status' style='border-left:4px solid #8c959f;padding:4px 10px'>"
                f"{SKIPPED} <b>{html.escape(str(self.exercise))}</b>: skipped, "
                f"{html.escape(str(self.message))}</div>"
            )
        # The text keeps the theme's colour (AA in JupyterLab's light and dark themes); the
        # verdict is a word; the border's colour only repeats it (3:1 on white and on black).
        colour, mark = ("#2da44e", "✅") if self.passed else ("#d4760a", "❌")
        hint = ""
        if self.hint and not self.passed:
            tip = html.escape(str(self.hint))
            hint = f"<br><span style='margin-left:1.6em'><b>Try:</b> {tip}</span>"
        return (
            f"<div role='status' style='border-left:4px solid {colour};padding:4px 10px'>"
            f"{mark} <b>{html.escape(str(self.exercise))}</b>: <b>{self.verdict}</b> — "
            f"{html.escape(str(self.message))}{hint}</div>"
        )


class Verdict(Exception):
    """Raised inside a check to stop early with a failure (``fail(...)``)."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class Skip(Exception):
    """Raised inside a check that cannot judge here (``skip(...)``): neither ✅ nor ❌."""


CheckFunction = Callable[..., str]


@dataclass(frozen=True)
class Exercise:
    """One exercise: its check, the hints revealed one by one, and the solution."""

    id: str
    lesson: str
    title: str
    check: CheckFunction
    hints: tuple[str, ...] = ()
    solution: str = ""
    answers: tuple[str, ...] = field(default=())


_EXERCISES: dict[str, Exercise] = {}


def exercise(
    id: str,
    *,
    lesson: str,
    title: str,
    hints: tuple[str, ...] = (),
    solution: str = "",
    answers: tuple[str, ...] = (),
) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check function as the check of an exercise.

    The function takes the sandbox and the learner's answers as keywords; it returns the success
    message, or calls :func:`fail` with what was expected and what was found.
    """

    def register(check: CheckFunction) -> CheckFunction:
        _EXERCISES[id] = Exercise(id, lesson, title, check, hints, solution, answers)
        return check

    return register


def fail(message: str, hint: str | None = None) -> None:
    """Stop the check: not done yet. ``message`` says what was expected and what was found."""
    raise Verdict(message, hint)


def skip(message: str) -> None:
    """Stop the check without a verdict: ``message`` says what is missing here (e.g. Packer)."""
    raise Skip(message)


def exercises(lesson: str | None = None) -> list[Exercise]:
    """Every registered exercise, or one lesson's, in registration order."""
    _load_all()
    return [e for e in _EXERCISES.values() if lesson is None or e.lesson == lesson]


def get_exercise(exercise_id: str) -> Exercise:
    """One exercise by ID.

    Raises:
        KeyError: naming the known exercises, for an unknown ID.
    """
    _load_all()
    if not isinstance(exercise_id, str) or exercise_id not in _EXERCISES:
        known = ", ".join(sorted(_EXERCISES))
        raise KeyError(f"There is no exercise {exercise_id!r}. Known exercises: {known}")
    return _EXERCISES[exercise_id]


def run_check(exercise_id: str, sandbox: Any, **answers: Any) -> CheckResult:
    """Run an exercise's check against the sandbox and the learner's answers; never raises."""
    try:
        item = get_exercise(exercise_id)
    except KeyError as error:
        return CheckResult(exercise_id, False, str(error.args[0]))
    unexpected = sorted(set(answers) - set(item.answers))
    if unexpected:
        expected = ", ".join(item.answers) or "no answers (it reads the sandbox)"
        return CheckResult(
            exercise_id,
            False,
            f"this check does not take {', '.join(unexpected)}; it takes {expected}",
        )
    for name in item.answers:
        answers.setdefault(name, ...)
    try:
        message = item.check(sandbox, **answers)
    except Verdict as verdict:
        return CheckResult(exercise_id, False, verdict.message, verdict.hint)
    except Skip as skipped:
        return CheckResult(exercise_id, False, str(skipped), skipped=True)
    except Exception as error:  # a check must answer, whatever state the learner left
        return CheckResult(
            exercise_id,
            False,
            f"{CHECK_BROKE} ({type(error).__name__}: {error})",
            "run the lesson's setup cell again, then redo the exercise",
        )
    return CheckResult(exercise_id, True, message)


_LOADED: list[bool] = []


def _load_all() -> None:
    """Import every lesson's check module (each module here) so its exercises register; once:
    listing the package's folder again cost every check about 0.3 ms."""
    if _LOADED:
        return
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        if not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")
    _LOADED.append(True)
