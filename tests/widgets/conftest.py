"""Fixtures for the widget tests: lesson 3's sandbox (the learner owns web-server-v1)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from labkit import Lab


@pytest.fixture
def lab() -> Iterator[Lab]:
    """Lesson 3's starting state: the learner's tagged image web-server-v1 in us-east-1."""
    lab = Lab("03-copy-across-regions", quiet=True)
    yield lab
    lab.stop()


@pytest.fixture
def web_image(lab: Lab) -> str:
    return lab.ids["web_image"]
