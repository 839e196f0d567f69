"""The lab raises the garbage collector's thresholds, and never lowers them."""

from __future__ import annotations

import gc

import pytest

import labkit  # noqa: F401 - importing the lab tunes the collector
from labkit.collector import MIDDLE_THRESHOLD, YOUNG_THRESHOLD, tune_collector


@pytest.fixture
def thresholds():
    saved = gc.get_threshold()
    yield
    gc.set_threshold(*saved)


def test_importing_the_lab_raises_the_thresholds():
    young, middle, _ = gc.get_threshold()

    assert young >= YOUNG_THRESHOLD > 700
    assert middle >= MIDDLE_THRESHOLD


def test_python_defaults_become_the_labs(thresholds):
    gc.set_threshold(700, 10, 10)

    tune_collector()

    assert gc.get_threshold() == (YOUNG_THRESHOLD, MIDDLE_THRESHOLD, 10)


def test_higher_thresholds_are_kept(thresholds):
    gc.set_threshold(50_000, 40, 10)

    tune_collector()

    assert gc.get_threshold() == (50_000, 40, 10)
