"""Whatever a learner passes to ``Lab`` and its sandbox, the answer is a result or a clear error,
never a Python error from inside labkit or moto, and the sandbox is left as it was."""

from __future__ import annotations

import datetime as dt

import pytest
from course import CHECK_BROKE
from hypothesis import assume, given
from hypothesis import strategies as st
from odd import accounts, anything, examples, near, numbers, plain_numbers, regions
from sandbox_snapshot import snapshot
from state import assert_clear

from labkit import ACCOUNTS, REGIONS, CheckResult, Lab
from labkit.checks import exercises
from labkit.scenarios import scenarios

SERVICES = ("ec2", "sts", "kms")
EXERCISES = [e.id for e in exercises()]
ANSWER_NAMES = sorted({name for e in exercises() for name in e.answers})


@pytest.fixture
def unchanged(lab):
    """The sandbox's state before the test; asserted unchanged after it."""
    before = snapshot(lab.sandbox)
    yield
    assert lab.sandbox.running, "the lab's sandbox was stopped"
    assert snapshot(lab.sandbox) == before


@pytest.mark.usefixtures("unchanged")
class TestSandboxInputs:
    def test_client(self, lab):
        """client(service, region, account): a client for that Region, or a clear error."""

        @examples(60)
        @given(
            service=st.one_of(near(SERVICES), anything),
            region=st.one_of(st.none(), regions),
            account=accounts,
        )
        def attempt(service, region, account):
            try:
                client = lab.client(service, region=region, account=account)
            except Exception as error:  # noqa: BLE001 - the property is about what is raised
                assert_clear(error)
                valid_account = isinstance(account, str) and (
                    account in ACCOUNTS or account in ACCOUNTS.values()
                )
                valid = service in SERVICES and region in (None, *REGIONS) and valid_account
                assert not valid, f"a valid request was refused: {error}"
                return
            assert client.meta.region_name == (region or REGIONS[0])

        attempt()

    def test_account_id(self, lab):
        """account_id(name or ID): one of the lab's three IDs, or a ValueError naming them."""

        @examples(60)
        @given(account=accounts)
        def attempt(account):
            try:
                found = lab.account_id(account)
            except ValueError as error:
                assert "'learner', 'partner', 'seller'" in str(error)
                return
            assert found in ACCOUNTS.values()

        attempt()

    def test_advance_clock(self, lab):
        """advance_clock(seconds, days=): time moves by exactly that, or a ValueError and the
        clock has not moved."""
        clock = lab.sandbox.clock

        @examples(60)
        @given(seconds=st.one_of(plain_numbers, numbers), days=st.one_of(plain_numbers, numbers))
        def attempt(seconds, days):
            clock.reset()
            before = clock.offset
            try:
                lab.advance_clock(seconds, days=days)
            except ValueError as error:
                assert_clear(error)
                assert clock.offset == before
                return
            finally:
                lab.now()  # the clock still tells the time
            moved = (clock.offset - before).total_seconds()
            assert moved == pytest.approx(seconds + days * 86400, rel=1e-6, abs=1e-3)

        attempt()
        clock.reset()


@pytest.mark.usefixtures("unchanged")
class TestLabInputs:
    def test_lesson_names(self, lab):
        """Lab(odd name) is a ValueError, and the running lab keeps running."""

        @examples(40)
        @given(lesson=st.one_of(near(sorted(scenarios())), anything))
        def attempt(lesson):
            assume(not isinstance(lesson, str) or lesson not in scenarios())
            with pytest.raises(ValueError, match="lesson"):
                Lab(lesson, quiet=True)

        attempt()

    def test_checks_answer_whatever_they_are_given(self, lab):
        """lab.check(any exercise, any answers): a ✅ or ❌ CheckResult with a message; never an
        error inside the check (that would be the learner's traceback in disguise)."""
        ids = [lab.ids["web_image"], "ami-0123456789abcdef0", "i-0123456789abcdef0", "ami-"]
        values = st.one_of(st.sampled_from(ids), anything)
        made_up = st.from_regex(r"[a-z_]{1,8}", fullmatch=True)
        names = st.one_of(st.sampled_from(ANSWER_NAMES), made_up)

        @examples(80)
        @given(
            exercise=st.one_of(st.sampled_from(EXERCISES), near(EXERCISES), anything),
            answers=st.dictionaries(names, values, max_size=2),
        )
        def attempt(exercise, answers):
            result = lab.check(exercise, **answers)
            assert isinstance(result, CheckResult)
            assert isinstance(result.message, str) and result.message
            assert CHECK_BROKE not in result.message, str(result)
            assert str(result) and result._repr_html_()

        attempt()

    def test_hints(self, lab):
        """lab.hint(anything): text to read, never an error."""

        @examples(40)
        @given(exercise=st.one_of(st.sampled_from(EXERCISES), near(EXERCISES), anything))
        def attempt(exercise):
            hint = lab.hint(exercise)
            assert isinstance(hint, str) and hint
            assert hint._repr_html_()

        attempt()


def test_a_lab_after_the_property_tests_starts_on_day_one(lab):
    """The clock tests leave no time behind: reset() is back at the lab's day one."""
    lab.reset()
    from labkit.sandbox.clock import LAB_EPOCH

    assert abs(lab.now() - LAB_EPOCH) < dt.timedelta(minutes=5)
