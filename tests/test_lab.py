"""Lab: the notebook wrapper starts a lesson's sandbox, checks exercises, and reveals hints."""

from __future__ import annotations

import pytest

from labkit import Lab


@pytest.fixture
def lab():
    lab = Lab("00-welcome", quiet=True)
    yield lab
    lab.stop()


class TestLab:
    def test_summary_names_accounts_and_regions(self, lab):
        """The one-line summary names the lesson, the accounts and the Regions."""
        text = lab.summary()
        assert "00-welcome" in text and "partner 222222222222" in text and "eu-west-1" in text

    def test_prints_summary(self, capsys):
        """Creating a Lab prints its summary."""
        Lab("00-welcome").stop()
        assert "Lab 00-welcome ready" in capsys.readouterr().out

    def test_unknown_lesson(self):
        """An unknown lesson is a clear error listing the lessons."""
        with pytest.raises(ValueError, match="There is no lesson '99-nope'.*00-welcome"):
            Lab("99-nope")

    def test_hints_then_solution(self, lab):
        """hint() gives each hint in turn, then the solution."""
        first = lab.hint("welcome-launch")
        assert first.startswith("Hint 1 of 3:")
        lab.hint("welcome-launch")
        lab.hint("welcome-launch")
        assert lab.hint("welcome-launch").startswith("Solution:")

    def test_unknown_exercise_check(self, lab):
        """Checking an unknown exercise answers ❌ with the known ones, not a traceback."""
        result = lab.check("welcome-typo")
        assert not result.passed and "welcome-launch" in result.message

    def test_unexpected_answer_name(self, lab):
        """Passing an answer the check does not take is explained."""
        result = lab.check("welcome-launch", image_id="ami-0123456789abcdef0")
        assert not result.passed
        assert result.message.startswith("this check does not take image_id")

    def test_check_after_stop(self, lab):
        """A check on a stopped lab says to run the setup cell again."""
        lab.stop()
        result = lab.check("welcome-launch")
        assert not result.passed and result.hint == "run the lesson's setup cell again"

    def test_verdict_in_words(self, lab):
        """A result says Passed or Not yet in words beside its mark; a hint says it is one."""
        result = lab.check("welcome-launch")
        assert str(result).startswith("❌ welcome-launch: Not yet — ")
        assert "❌ <b>welcome-launch</b>: <b>Not yet</b> — " in result._repr_html_()
        hint = lab.hint("welcome-launch")._repr_html_()
        assert hint.startswith('<span aria-hidden="true">💡</span> Hint 1 of ')

    def test_result_html(self, lab):
        """Check results render as HTML with a mark and the message."""
        html = lab.check("welcome-launch")._repr_html_()
        assert "❌" in html and "welcome-launch" in html

    def test_reset_restarts_a_stopped_lab(self, lab):
        """reset() on a stopped lab starts it again."""
        lab.stop()
        lab.reset()
        assert lab.sandbox.running
