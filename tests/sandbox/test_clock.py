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


class TestInstalledThroughPatches:
    """The clock is one of the sandbox's changes to moto: made through ``Patches``, undone on stop,
    and loud when moto stops telling the time through ``moto.core.utils.utcnow``."""

    def test_install_and_uninstall_restore_every_module(self):
        import sys

        from labkit.sandbox.clock import SandboxClock
        from labkit.seam.moto import moto_core_utils

        clock = SandboxClock()
        before = {
            name: module.utcnow
            for name, module in list(sys.modules.items())
            if name.startswith("moto") and hasattr(module, "utcnow")
        }
        clock.install()
        assert moto_core_utils.utcnow == clock.utcnow
        assert len(clock._patches.targets()) > 1
        clock.uninstall()
        after = {name: sys.modules[name].utcnow for name in before}
        assert after == before

    def test_moto_that_tells_time_another_way_fails_loudly(self, monkeypatch):
        import sys

        from labkit.patches import PatchTargetError
        from labkit.sandbox import clock as clock_module
        from labkit.seam.moto import ec2_backends  # moto's EC2 models, which read utcnow

        assert ec2_backends is not None

        def elsewhere():  # what a moto that moved its clock would read instead
            return None

        for name, module in list(sys.modules.items()):
            if name.startswith("moto") and name != "moto.core.utils":
                if getattr(module, "utcnow", None) is clock_module._ORIGINAL_UTCNOW:
                    monkeypatch.setattr(module, "utcnow", elsewhere)
        clock = clock_module.SandboxClock()
        with pytest.raises(PatchTargetError, match="moto.core.utils.utcnow"):
            clock.install()
        assert clock._patches.targets() == []
        assert sys.modules["moto.core.utils"].utcnow is clock_module._ORIGINAL_UTCNOW
