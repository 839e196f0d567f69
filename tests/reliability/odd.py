"""Hypothesis strategies for what a learner might type: right, nearly right, and plain wrong."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

from labkit import ACCOUNTS, REGIONS


def examples(count: int = 40) -> settings:
    """Modest and deterministic: the suite stays fast, and a failure reproduces on every run."""
    return settings(
        max_examples=count,
        deadline=None,
        derandomize=True,
        database=None,
        # No "explain" phase: it traces every line a failing example runs (matplotlib's too),
        # which took gigabytes for the widget tests.
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


#: Real AWS Regions the lab does not simulate, and names that only look like Regions.
OTHER_REGIONS = ("us-east-2", "eu-central-1", "ap-south-1", "us-gov-west-1", "cn-north-1")

anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=12),
    st.binary(max_size=4),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.just(...),
)


def near(known: Sequence[str]) -> st.SearchStrategy[str]:
    """Strings a typo away from a known value: case, spaces, a character more or less."""
    return st.sampled_from(list(known)).flatmap(
        lambda k: st.sampled_from(
            [k, k.upper(), f" {k}", f"{k} ", k[:-1], f"{k}x", k.replace("-", "_"), ""]
        )
    )


accounts = st.one_of(
    near([*ACCOUNTS, *ACCOUNTS.values(), "self", "all", "amazon", "aws-marketplace"]),
    st.from_regex(r"[0-9]{1,13}", fullmatch=True),
    anything,
)

regions = st.one_of(near([*REGIONS, *OTHER_REGIONS]), anything)

numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(),
    st.floats(min_value=0, max_value=10**6),
    st.fractions(),
    st.decimals(),
    anything,
)

#: Small non-negative numbers: what a learner means most of the time.
plain_numbers = st.one_of(st.integers(0, 1000), st.floats(0, 1000))


# -- hostile values ------------------------------------------------------------------------------


class _Odd:
    """An object of no kind any parameter takes."""

    def __repr__(self) -> str:
        return "<odd object>"


#: What a curious learner (or a fuzzer) passes: wrong types, edge numbers, odd and huge text.
HOSTILE: tuple[Any, ...] = (
    None,
    True,
    False,
    0,
    -1,
    1,
    0.5,
    -0.0,
    math.nan,
    math.inf,
    -math.inf,
    10**30,
    -(10**30),
    1e308,
    2**64,
    Decimal("1.5"),
    Fraction(1, 3),
    complex(1, 1),
    "",
    " ",
    "no",
    "monthly",
    "yes",
    "ünïcødé ☃",
    "\U0001f600",
    "x" * 200_000,
    "a\0b",
    "us-east-1",
    "us-east-2",
    ACCOUNTS["learner"],
    "learner",
    "12345",
    b"us-east-1",
    bytearray(b"x"),
    [],
    [1],
    ["ami-x"],
    {},
    {"a": 1},
    (),
    _Odd(),
    object,
    dt.datetime(2025, 1, 1),
)

#: The hostile values, for Hypothesis.
hostile = st.sampled_from(HOSTILE)

#: Anything at all: Hypothesis's own odd values and the hostile ones above.
anything = st.one_of(anything, hostile)
