"""A running sandbox raises the garbage collector's thresholds, never lowers them, and puts
them back when it stops."""

from __future__ import annotations

import gc

import pytest

from labkit.sandbox.speed.collector import (
    MIDDLE_THRESHOLD,
    YOUNG_THRESHOLD,
    tune_collector,
    tuned_collector,
)


@pytest.fixture
def thresholds():
    saved = gc.get_threshold()
    yield
    gc.set_threshold(*saved)


def test_a_running_sandbox_raises_the_thresholds(sandbox):
    young, middle, _ = gc.get_threshold()

    assert young >= YOUNG_THRESHOLD > 700
    assert middle >= MIDDLE_THRESHOLD


def test_the_process_thresholds_come_back_after_the_block(thresholds):
    gc.set_threshold(700, 10, 10)

    with tuned_collector():
        assert gc.get_threshold() == (YOUNG_THRESHOLD, MIDDLE_THRESHOLD, 10)

    assert gc.get_threshold() == (700, 10, 10)


def test_python_defaults_become_the_labs(thresholds):
    gc.set_threshold(700, 10, 10)

    tune_collector()

    assert gc.get_threshold() == (YOUNG_THRESHOLD, MIDDLE_THRESHOLD, 10)


def test_higher_thresholds_are_kept(thresholds):
    gc.set_threshold(50_000, 40, 10)

    tune_collector()

    assert gc.get_threshold() == (50_000, 40, 10)
