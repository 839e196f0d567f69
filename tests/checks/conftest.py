"""Fixtures for the checks' tests: the test module's lesson, fresh for each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from labkit import Lab


@pytest.fixture
def lab(request: pytest.FixtureRequest) -> Iterator[Lab]:
    """The starting state of the lesson the test module names in ``LESSON``, stopped after."""
    lab = Lab(request.module.LESSON, quiet=True)
    yield lab
    lab.stop()
