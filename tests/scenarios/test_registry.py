"""labkit.scenarios.registry: every lesson has one starting state, and it is the same every time."""

from __future__ import annotations

import pytest

from labkit import Lab
from labkit.scenarios import get_scenario, scenarios

LESSONS = [
    "00-welcome",
    "sandbox",
    "01-why-amis",
    "02-create-an-ami",
    "03-copy-across-regions",
    "04-sharing",
    "05-encryption",
    "06-marketplace-and-trust",
    "07-storage-and-pricing",
    "08-capstone",
    "09-governance",
    "10-packer",
]


class TestRegistry:
    def test_every_lesson_in_course_order(self):
        """scenarios() lists the welcome, the clean sandbox, then lessons 1–10 in order."""
        assert list(scenarios()) == LESSONS

    def test_an_unknown_lesson_names_the_known_ones(self):
        """get_scenario of a lesson the lab lacks is a ValueError listing the lessons."""
        with pytest.raises(ValueError, match="no lesson '09-nope' in the lab. Lessons: 00-welcome"):
            get_scenario("09-nope")

    def test_the_listing_is_a_copy(self):
        """Changing what scenarios() returned leaves the register alone."""
        scenarios().clear()
        assert list(scenarios()) == LESSONS


class TestDeterminism:
    @pytest.mark.parametrize("lesson", LESSONS)
    def test_built_twice_the_ids_are_the_same(self, lesson):
        """Two fresh builds of a lesson's starting state give the same lab.ids."""
        first = Lab(lesson, quiet=True)
        ids = first.ids
        first.stop()
        second = Lab(lesson, quiet=True)
        assert second.ids == ids
        second.stop()
