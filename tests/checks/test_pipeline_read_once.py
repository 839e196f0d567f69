"""The capstone's checks read each image and key once per check (``read_once``): the twin test
of that speed-up scores the same sandbox with and without it and gets the same items."""

from __future__ import annotations

import dataclasses

import pytest
from test_capstone import REGIONS, Pipeline

from labkit import Lab
from labkit.checks import _pipeline, _pipeline_reading
from labkit.checks._pipeline import PIPELINE, score


@pytest.fixture
def lab():
    lab = Lab("08-capstone", quiet=True)
    yield lab
    lab.stop()


def items_read_each_time(sandbox) -> list[tuple]:
    """Every pipeline item, each reading the sandbox afresh (no read_once)."""
    assert _pipeline_reading._answers is None
    return [dataclasses.astuple(item(sandbox)) for item in PIPELINE]


def items_read_once(sandbox) -> list[tuple]:
    return [dataclasses.astuple(item) for item in score(sandbox)[1]]


STATES = {
    "start": lambda p: None,
    "keys only": lambda p: p.make_keys(),
    "v1 released": lambda p: p.released_v1(),
    "v2 released": lambda p: p.released_v2(),
    "complete": lambda p: p.complete(),
    "complete, one v1 copy kept": lambda p: (p.released_v2(), p.deprecate(p.v1)),
}


class TestReadOnce:
    @pytest.mark.parametrize("state", sorted(STATES))
    def test_same_score_both_ways(self, lab, state):
        """The score's items (passed or not, names, details, hints) are the same either way."""
        STATES[state](Pipeline(lab))
        assert items_read_once(lab.sandbox) == items_read_each_time(lab.sandbox)

    def test_each_image_is_asked_for_once(self, lab, monkeypatch):
        """Inside a check, the same image is asked of the sandbox once, not once per item."""
        Pipeline(lab).complete()
        asked: list[tuple] = []
        original = _pipeline_reading._own_image

        def counting(sandbox, region, name):
            asked.append((region, name))
            return original(sandbox, region, name)

        monkeypatch.setattr(_pipeline_reading, "_own_image", counting)
        items_read_each_time(lab.sandbox)
        each_time = len(asked)
        asked.clear()
        score(lab.sandbox)
        assert len(asked) == len(set(asked)) < each_time
        assert {region for region, _ in asked} <= set(REGIONS)

    def test_answers_are_forgotten_after_the_check(self, lab):
        """A check sees what the sandbox holds now, not what an earlier check read."""
        pipeline = Pipeline(lab)
        before = score(lab.sandbox)[0]
        pipeline.make_keys()
        assert _pipeline_reading._answers is None
        assert score(lab.sandbox)[0] > before

    def test_a_callers_copy_is_its_own(self, lab):
        """Changing an image read inside read_once does not change what the next reader gets."""
        pipeline = Pipeline(lab)
        pipeline.released_v1()
        with _pipeline.read_once():
            first = _pipeline_reading.own_image(lab.sandbox, "us-east-1", "golden-v1")
            assert first is not None
            first["Name"] = "changed"
            again = _pipeline_reading.own_image(lab.sandbox, "us-east-1", "golden-v1")
        assert again["Name"] == "golden-v1"
