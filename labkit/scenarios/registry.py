"""The register of lessons' starting states: ``@scenario`` adds one, ``get_scenario`` finds it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["Scenario", "scenario", "get_scenario", "scenarios"]


@dataclass(frozen=True)
class Scenario:
    """A lesson's starting state: a builder that returns the names of what it made."""

    lesson: str
    summary: str
    build: Callable[[Any], dict[str, str]]


_SCENARIOS: dict[str, Scenario] = {}


def scenario(lesson: str, summary: str) -> Callable[[Callable[[Any], dict[str, str]]], Any]:
    """Register a function ``build(sandbox) -> {name: id}`` as a lesson's starting state."""

    def register(build: Callable[[Any], dict[str, str]]) -> Callable[[Any], dict[str, str]]:
        _SCENARIOS[lesson] = Scenario(lesson, summary, build)
        return build

    return register


def scenarios() -> dict[str, Scenario]:
    """All lessons' scenarios, by lesson."""
    return dict(_SCENARIOS)


def get_scenario(lesson: str) -> Scenario:
    """A lesson's scenario.

    Raises:
        ValueError: naming the known lessons, for an unknown one.
    """
    if lesson not in _SCENARIOS:
        known = ", ".join(sorted(_SCENARIOS))
        raise ValueError(f"There is no lesson {lesson!r} in the lab. Lessons: {known}")
    return _SCENARIOS[lesson]
