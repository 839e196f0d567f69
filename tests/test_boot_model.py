"""The time-to-ready model: stated assumptions in, ready times of N instances out."""

from __future__ import annotations

import pytest

from labkit.boot_model import DEFAULT, Assumptions, compare, ready_times, time_to_ready


class TestReadyTimes:
    def test_one_baked_instance(self):
        """A baked instance is ready after boot and start only."""
        assert ready_times(1, 5, baked=True) == [DEFAULT.boot_seconds + DEFAULT.start_seconds]

    def test_one_user_data_instance(self):
        """User data adds updates and each package's install time."""
        a = Assumptions(boot_seconds=60, update_seconds=100, install_seconds_per_package=40)
        assert ready_times(1, 3, baked=False, assumptions=a) == [
            60 + 100 + 3 * 40 + a.start_seconds
        ]

    def test_launch_rate_spaces_instances(self):
        """At 10 launches a minute, each instance starts 6 seconds after the one before."""
        times = ready_times(3, 0, baked=True, assumptions=Assumptions(launch_rate_per_minute=10))
        assert [b - a for a, b in zip(times, times[1:], strict=False)] == [6.0, 6.0]

    def test_no_instances(self):
        """No instances: no ready times, and zero time to ready."""
        assert ready_times(0, 3, baked=False) == []
        assert time_to_ready(0, 3, baked=False) == 0.0

    def test_baked_never_slower(self):
        """For any fleet, the baked image is ready no later than user data."""
        for count in (1, 10, 50):
            for packages in (0, 1, 8):
                assert time_to_ready(count, packages, baked=True) <= time_to_ready(
                    count, packages, baked=False
                )

    def test_default_gap_for_twenty_instances(self):
        """Lesson defaults, 20 instances, 3 packages: the last is ready at 439 s vs 184 s."""
        # 19 launches 6 s apart = 114 s; then 60 boot + 120 updates + 3 x 45 installs + 10 start.
        assert time_to_ready(20, 3, baked=False) == pytest.approx(114 + 325)
        assert time_to_ready(20, 3, baked=True) == pytest.approx(114 + 70)

    def test_compare_labels(self):
        """compare() returns both ways, labelled as the plot shows them."""
        both = compare(4, 2)
        assert list(both) == ["user data", "baked image"]
        assert all(len(times) == 4 for times in both.values())


class TestAssumptions:
    def test_refuses_zero_launch_rate(self):
        """A launch rate of 0 would never launch anything: refused."""
        with pytest.raises(ValueError, match="launch_rate_per_minute"):
            Assumptions(launch_rate_per_minute=0)

    def test_refuses_negative_time(self):
        """Negative durations are refused."""
        with pytest.raises(ValueError, match="boot_seconds"):
            Assumptions(boot_seconds=-1)

    def test_refuses_negative_counts(self):
        """Negative instances or packages are refused."""
        with pytest.raises(ValueError):
            ready_times(-1, 0, baked=True)
        with pytest.raises(ValueError):
            ready_times(1, -1, baked=True)
