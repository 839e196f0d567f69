"""The sandbox clock moves forward on request, and moto's timestamps follow it."""

from __future__ import annotations

import datetime as dt

import pytest

from labkit.catalog import image_id
from labkit.sandbox.clock import LAB_EPOCH


class TestSandboxClock:
    def test_advance_moves_time_forward(self, sandbox):
        """advance_clock(days=30) moves the sandbox's time about 30 days ahead."""
        before = sandbox.now()
        after = sandbox.advance_clock(days=30)
        assert dt.timedelta(days=30) <= after - before < dt.timedelta(days=30, minutes=1)

    def test_sandbox_starts_on_lab_day_one(self, sandbox):
        """Every sandbox starts at the lab's fixed date, so lessons see the same dates."""
        assert abs(sandbox.now() - LAB_EPOCH) < dt.timedelta(minutes=1)

    def test_new_resources_carry_sandbox_time(self, sandbox):
        """An instance launched after advancing the clock is dated by the sandbox's clock."""
        ec2 = sandbox.client("ec2")
        sandbox.advance_clock(days=365)
        instance = ec2.run_instances(
            ImageId=image_id("al2023-x86_64", "us-east-1"), MinCount=1, MaxCount=1
        )["Instances"][0]
        assert instance["LaunchTime"] - LAB_EPOCH > dt.timedelta(days=364)

    @pytest.mark.parametrize("bad", [-1, "ten", None, True])
    def test_bad_values_are_refused(self, sandbox, bad):
        """Time only moves forward, by a number of seconds."""
        before = sandbox.clock.offset
        with pytest.raises(ValueError):
            sandbox.advance_clock(bad)
        assert sandbox.clock.offset == before

    def test_reset_returns_to_day_one(self, sandbox):
        """reset() puts the clock back to the lab's first day."""
        sandbox.advance_clock(days=10)
        sandbox.reset()
        assert abs(sandbox.now() - LAB_EPOCH) < dt.timedelta(minutes=1)


class TestPinned:
    def test_pinned_time_is_what_the_sandbox_and_moto_read(self, sandbox):
        """Inside ``pinned`` the sandbox's time (and moto's) is the pinned moment; after it, the
        clock goes on as before."""
        import moto.core.utils

        from labkit.sandbox.clock import pinned

        when = dt.datetime(2025, 3, 1, 10, 0)
        with pinned(when):
            assert sandbox.now() == when.replace(tzinfo=dt.timezone.utc)
            assert moto.core.utils.utcnow() == when
        assert sandbox.now() >= LAB_EPOCH
