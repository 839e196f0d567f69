"""Argument checks and a small sum that the pricing modules share; plain values in and out."""

from __future__ import annotations

import datetime as _dt
import math
import numbers
from collections.abc import Callable, Iterable
from typing import Any


def number(name: str, value: Any) -> float:
    """A finite real number, as a float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number, not {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, not {value}")
    return value


def amount(name: str, value: Any) -> float:
    """A number that cannot be negative (a size, a duration, a price)."""
    value = number(name, value)
    if value < 0:
        raise ValueError(f"{name} cannot be negative (it is {value:g})")
    return value


def count(name: str, value: Any) -> int:
    """A whole number that cannot be negative (months, digits)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be a whole number of months, not {value!r}")
    if value < 0:
        raise ValueError(f"{name} cannot be negative (it is {value})")
    return int(value)


def text(name: str, value: Any) -> str:
    """A non-empty string, returned as it is."""
    require_text(name, value)
    return value


def require_text(name: str, value: Any) -> None:
    """Raise unless ``value`` is a non-empty string."""
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty string, not {value!r}")


def utc(name: str, value: Any) -> _dt.datetime | None:
    """None, or the datetime in UTC (a naive one is taken to be UTC already)."""
    if value is None:
        return None
    if not isinstance(value, _dt.datetime):
        raise ValueError(f"{name} must be a datetime, not {value!r}")
    if value.tzinfo is None:
        return value.replace(tzinfo=_dt.timezone.utc)
    return value.astimezone(_dt.timezone.utc)


def sum_by(
    items: Iterable[Any], key: Callable[[Any], str], value: Callable[[Any], float]
) -> dict[str, float]:
    """Totals of ``value(item)`` per ``key(item)``, in the order the keys first appear."""
    totals: dict[str, float] = {}
    for item in items:
        totals[key(item)] = totals.get(key(item), 0.0) + value(item)
    return totals
