"""Checks at the public boundary: each returns the clean value or raises a ValueError that names
the parameter and says what it accepts. Plain values in and out; no moto, no boto3.

Every public function of labkit validates its arguments here first, so a learner's typo reads as
``months must be a whole number of months, not 'six'``, never as a traceback from inside.
"""

from __future__ import annotations

import datetime as _dt
import math
import numbers
import os
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

#: The longest text shown back in a message (a 200,000-character paste is cut, not echoed).
_SHOWN = 60
_ACCOUNT_ID = re.compile(r"[0-9]{12}")


def shown(value: Any) -> str:
    """``repr(value)``, cut short so a huge input does not flood the message."""
    text = repr(value)
    return text if len(text) <= _SHOWN else f"{text[: _SHOWN - 5]}...{text[-2:]}"


def number(name: str, value: Any) -> float:
    """A finite real number, as a float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number, not {shown(value)}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, not {value}")
    return value


#: The largest sizes and durations the pricing functions take: far beyond any real estate (an
#: exbibyte, a century), small enough that every bill stays a finite float.
MOST_GIB = 1e9
MOST_MONTHS = 1200
MOST_DAYS = 36500
MOST_USD_PER_HOUR = 1e6


def amount(name: str, value: Any, most: float | None = None) -> float:
    """A number that cannot be negative (a size, a duration, a price), and at most ``most``."""
    value = number(name, value)
    if value < 0:
        raise ValueError(f"{name} cannot be negative (it is {value:g})")
    if most is not None and value > most:
        raise ValueError(f"{name} can be at most {most:,g}, not {value:g}")
    return value


def count(name: str, value: Any, most: int | None = None) -> int:
    """A whole number that cannot be negative (months, digits), and at most ``most``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be a whole number, not {shown(value)}")
    if value < 0:
        raise ValueError(f"{name} cannot be negative (it is {value})")
    if most is not None and value > most:
        raise ValueError(f"{name} can be at most {most:,}, not {shown(value)}")
    return int(value)


def text(name: str, value: Any) -> str:
    """A non-empty string, returned as it is."""
    require_text(name, value)
    return value


def require_text(name: str, value: Any) -> None:
    """Raise unless ``value`` is a non-empty string."""
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty string, not {shown(value)}")


def utc(name: str, value: Any) -> _dt.datetime | None:
    """None, or the datetime in UTC (a naive one is taken to be UTC already)."""
    if value is None:
        return None
    if not isinstance(value, _dt.datetime):
        raise ValueError(f"{name} must be a datetime, not {shown(value)}")
    if value.tzinfo is None:
        return value.replace(tzinfo=_dt.timezone.utc)
    return value.astimezone(_dt.timezone.utc)


def flag(name: str, value: Any) -> bool:
    """True or False, and nothing else (``"no"`` is a string, and would count as True)."""
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be True or False, not {shown(value)}")
    return value


def choice(name: str, value: Any, options: Sequence[Any]) -> Any:
    """One of ``options`` exactly (no case folding: AWS's names are exact too)."""
    if isinstance(value, bool) or not any(type(value) is type(o) and value == o for o in options):
        listed = ", ".join(repr(o) for o in options)
        raise ValueError(f"{name} must be one of {listed}, not {shown(value)}")
    return value


def optional_text(name: str, value: Any) -> str | None:
    """None, or a non-empty string."""
    return None if value is None else text(name, value)


def account_id(name: str, value: Any) -> str:
    """A 12-digit AWS account ID, as a string."""
    if not isinstance(value, str) or not _ACCOUNT_ID.fullmatch(value):
        raise ValueError(f"{name} must be a 12-digit AWS account ID, not {shown(value)}")
    return value


def instance(name: str, value: Any, kind: type, what: str) -> Any:
    """``value`` if it is a ``kind``; else a TypeError naming what is expected."""
    if not isinstance(value, kind):
        raise TypeError(f"{name} must be {what}, not {shown(value)}")
    return value


def instances(name: str, values: Any, kind: type, what: str) -> tuple[Any, ...]:
    """A tuple of ``kind`` objects from any iterable of them (not a string, bytes or dict)."""
    if isinstance(values, (str, bytes, bytearray, dict)) or not isinstance(values, Iterable):
        raise TypeError(f"{name} must be a list of {what}, not {shown(values)}")
    items = tuple(values)
    for item in items:
        if not isinstance(item, kind):
            raise TypeError(f"{name} must hold only {what}, not {shown(item)}")
    return items


def strings(name: str, values: Any) -> list[str]:
    """A list of non-empty strings from one string or an iterable of them (not a dict)."""
    if isinstance(values, str):
        values = [values]
    if isinstance(values, (bytes, bytearray, dict)) or not isinstance(values, Iterable):
        raise ValueError(f"{name} must be an ID or a list of IDs, not {shown(values)}")
    values = list(values)
    for value in values:
        require_text(name, value)
    return values


def file_path(name: str, value: Any) -> Path:
    """A path that can name a file on this computer: a non-empty str or os.PathLike.

    Raises:
        TypeError: for anything else.
        ValueError: for an empty path, a NUL character, or one too long for any file system.
    """
    if isinstance(value, bool) or not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{name} must be a file path (a str or pathlib.Path), not {shown(value)}")
    text_form = os.fspath(value)
    if not isinstance(text_form, str) or not text_form.strip():
        raise ValueError(f"{name} must be a non-empty file path, not {shown(value)}")
    if "\0" in text_form:
        raise ValueError(f"{name} cannot contain a NUL character")
    try:
        encoded = os.fsencode(text_form)
    except UnicodeError:
        raise ValueError(f"{name} has characters no file name can hold: {shown(value)}") from None
    if len(encoded) > 4096 or any(len(part) > 255 for part in encoded.split(b"/")):
        raise ValueError(f"{name} is too long to name a file ({len(text_form)} characters)")
    return Path(text_form).expanduser()


def sum_by(
    items: Iterable[Any], key: Callable[[Any], str], value: Callable[[Any], float]
) -> dict[str, float]:
    """Totals of ``value(item)`` per ``key(item)``, in the order the keys first appear."""
    totals: dict[str, float] = {}
    for item in items:
        totals[key(item)] = totals.get(key(item), 0.0) + value(item)
    return totals
