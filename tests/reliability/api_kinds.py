"""Kinds of parameter values for the public API table (public_api.py): which values each takes."""

from __future__ import annotations

import datetime as dt
import math
import numbers
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from labkit import ACCOUNTS, REGIONS, Lab, pricing
from labkit.progress import SCHEMA, VERSION
from labkit.scenarios import scenarios

PRICED = pricing.prices().region_names

# -- kinds ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """What a parameter takes: ``ok(value, context)`` says whether a value is of this kind."""

    what: str
    ok: Callable[[Any, Any], bool]


def _real(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def amount(most: float) -> Kind:
    return Kind(f"a number 0..{most:g}", lambda v, _: _real(v) and 0 <= v <= most)


def whole(most: int) -> Kind:
    def ok(value: Any, _: Any) -> bool:
        integral = isinstance(value, numbers.Integral) and not isinstance(value, bool)
        return integral and 0 <= value <= most

    return Kind(f"a whole number 0..{most}", ok)


def choice(*options: Any) -> Kind:
    def ok(value: Any, _: Any) -> bool:
        return any(type(value) is type(o) and value == o for o in options)

    return Kind(f"one of {options}", ok)


def optional(kind: Kind) -> Kind:
    return Kind(f"None or {kind.what}", lambda v, c: v is None or kind.ok(v, c))


def instance_of(*classes: type) -> Kind:
    return Kind(f"a {classes}", lambda v, _: isinstance(v, classes))


def list_of(cls: type) -> Kind:
    def ok(value: Any, _: Any) -> bool:
        if isinstance(value, (str, bytes, bytearray, dict)) or not isinstance(value, Iterable):
            return False
        return all(isinstance(item, cls) for item in value)

    return Kind(f"a list of {cls.__name__}", ok)


def ids_ok(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value)
    if isinstance(value, (bytes, bytearray, dict)) or not isinstance(value, Iterable):
        return False
    return all(isinstance(item, str) and item for item in value)


def _path_ok(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, (str, os.PathLike)):
        return False
    text = os.fspath(value)
    if not isinstance(text, str) or not text.strip() or "\0" in text:
        return False
    try:
        encoded = os.fsencode(text)
    except UnicodeError:
        return False
    return len(encoded) <= 4096 and all(len(part) <= 255 for part in encoded.split(b"/"))


FLAG = Kind("True or False", lambda v, _: isinstance(v, bool))
NUMBER = Kind("a finite number", lambda v, _: _real(v))
TEXT = Kind("a non-empty string", lambda v, _: isinstance(v, str) and bool(v))
STRING = Kind("a string", lambda v, _: isinstance(v, str))
ACCOUNT_ID = Kind(
    "a 12-digit account ID", lambda v, _: isinstance(v, str) and bool(re.fullmatch(r"[0-9]{12}", v))
)
PRICED_REGION = choice(*PRICED)
LAB_REGION = choice(*REGIONS)
IDS = Kind("an ID or a list of IDs", lambda v, _: ids_ok(v))
PATH = Kind("a file path", lambda v, _: _path_ok(v))
DATETIME = instance_of(dt.datetime)
TABLE = optional(instance_of(pricing.PriceTable))
ESTATE = instance_of(pricing.Estate)
IMAGE = instance_of(pricing.ImageCost)
SNAPSHOT = instance_of(pricing.SnapshotCharge)
LAB = instance_of(Lab)
ACCOUNT_NAME = choice(*ACCOUNTS)
EXERCISE_ID = Kind("an exercise ID", lambda v, _: isinstance(v, str) and 0 < len(v) <= 200)
PROGRESS = Kind(
    "AMI Lab progress",
    lambda v, _: isinstance(v, dict) and v.get("schema") == SCHEMA and v.get("version") == VERSION,
)
#: An image the widget's account can open: its ID from the lesson ("" or None: not chosen).
VISIBLE_IMAGE = Kind("'' or a visible image ID", lambda v, c: v in ("", None, c.web_image))
LESSON = choice(*sorted(scenarios()))


# -- how to call ----------------------------------------------------------------------------------


@dataclass
class Spec:
    """How to call one public callable: its kinds, a good value for each, and how to call it.

    ``call(context, arguments)`` makes the call (by default ``target(context)(**arguments)``);
    ``answer(value, context, arguments)`` asserts what a successful call returned; with
    ``refused_only`` only values of the wrong kind are tried (a right one has side effects,
    such as starting a new lab).
    """

    target: Callable[[Any], Callable[..., Any]]
    kinds: dict[str, Kind]
    good: dict[str, Any] = field(default_factory=dict)
    call: Callable[[Any, dict[str, Any]], Any] | None = None
    answer: Callable[[Any, Any, dict[str, Any]], None] | None = None
    refused_only: bool = False
    slow: bool = False

    def arguments(self, context: Any) -> dict[str, Any]:
        return {
            name: value(context) if callable(value) and not isinstance(value, type) else value
            for name, value in self.good.items()
        }

    def invoke(self, context: Any, arguments: dict[str, Any]) -> Any:
        if self.call is not None:
            return self.call(context, arguments)
        return self.target(context)(**arguments)


def usd(answer: Any, _context: Any, _arguments: dict[str, Any]) -> None:
    """A bill: finite, non-negative USD (a float, a list of them, Charges or a dict of them)."""
    if isinstance(answer, dict):
        values = list(answer.values())
    elif isinstance(answer, (list, tuple)):
        values = list(answer)
    else:
        values = [answer]
    for value in values:
        value = getattr(value, "usd", value)
        if isinstance(value, float):
            assert math.isfinite(value) and value >= 0, answer


def _series_ok(value: Any, _context: Any, single: bool) -> bool:
    if not isinstance(value, dict):
        return False
    for numbers_ in value.values():
        items = [numbers_] if single else numbers_
        if not single and (
            isinstance(numbers_, (str, bytes, bytearray, dict))
            or not isinstance(numbers_, Iterable)
        ):
            return False
        for item in items:
            if not (_real(item) and item >= 0):
                return False
    return True


#: Label -> list of non-negative numbers (a chart's lines) or label -> one number (its bars).
SERIES = Kind("a dict of label to lists of numbers >= 0", lambda v, c: _series_ok(v, c, False))
COSTS = Kind("a dict of label to a number >= 0", lambda v, c: _series_ok(v, c, True))
AXES = optional(Kind("a matplotlib Axes", lambda v, _: type(v).__name__ == "Axes"))
