"""A small model of time to ready: N instances set up by user data at boot, or launched baked.

Lesson 1 uses it to show why a fleet that scales out prefers a baked image. It is a model, not a
measurement: every figure is an assumption, stated in :class:`Assumptions`, and a learner can change
any of them and see what moves.

The model, for instance ``i`` of ``N`` (counting from 0):

- it is launched at ``i / launch_rate_per_minute`` minutes (a group starts instances at a steady
  rate, not all in the same second);
- it boots its operating system in ``boot_seconds``;
- with **user data**, it then applies updates (``update_seconds``) and installs each package
  (``install_seconds_per_package`` each), one after another, as a first-boot script does;
- with a **baked image**, updates and packages are already on its disk, so it skips both;
- either way, it starts the application in ``start_seconds`` and is then *ready*.

What the model leaves out, on purpose: package mirrors slowing down when many instances download at
once (which makes user data worse), and a new volume's blocks arriving lazily from its snapshot on
first read (which makes a large baked image a little slower to warm up).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Assumptions", "DEFAULT", "compare", "ready_times", "time_to_ready"]


@dataclass(frozen=True)
class Assumptions:
    """The figures the model runs on; all are rough, typical values, not AWS guarantees.

    Args:
        launch_rate_per_minute: instances the group starts per minute while it scales out.
        boot_seconds: from launch to an operating system ready to run programs.
        update_seconds: applying operating-system updates at first boot (user data only).
        install_seconds_per_package: downloading, installing and configuring one package
            (user data only).
        start_seconds: starting the application once everything is installed (both ways).
    """

    launch_rate_per_minute: float = 10.0
    boot_seconds: float = 60.0
    update_seconds: float = 120.0
    install_seconds_per_package: float = 45.0
    start_seconds: float = 10.0

    def __post_init__(self) -> None:
        if not self.launch_rate_per_minute > 0:
            raise ValueError("launch_rate_per_minute must be more than 0")
        for name in ("boot_seconds", "update_seconds", "install_seconds_per_package"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} cannot be negative")
        if self.start_seconds < 0:
            raise ValueError("start_seconds cannot be negative")


#: The figures lesson 1 starts from.
DEFAULT = Assumptions()


def setup_seconds(packages: int, *, baked: bool, assumptions: Assumptions = DEFAULT) -> float:
    """Seconds one instance needs from launch to ready.

    Args:
        packages: how many packages the workload needs on top of the base image.
        baked: True if they are already in the image; False if user data installs them at boot.
        assumptions: the figures to use.

    Raises:
        ValueError: for a negative number of packages.
    """
    if packages < 0:
        raise ValueError("packages cannot be negative")
    a = assumptions
    work = 0.0 if baked else a.update_seconds + packages * a.install_seconds_per_package
    return a.boot_seconds + work + a.start_seconds


def ready_times(
    count: int, packages: int, *, baked: bool, assumptions: Assumptions = DEFAULT
) -> list[float]:
    """Seconds after the scale-out starts at which each of ``count`` instances is ready, in order.

    Raises:
        ValueError: for a negative count or number of packages.
    """
    if count < 0:
        raise ValueError("count cannot be negative")
    setup = setup_seconds(packages, baked=baked, assumptions=assumptions)
    interval = 60.0 / assumptions.launch_rate_per_minute
    return [i * interval + setup for i in range(count)]


def time_to_ready(
    count: int, packages: int, *, baked: bool, assumptions: Assumptions = DEFAULT
) -> float:
    """Seconds until the last of ``count`` instances is ready (0 for no instances)."""
    times = ready_times(count, packages, baked=baked, assumptions=assumptions)
    return times[-1] if times else 0.0


def compare(
    count: int, packages: int, assumptions: Assumptions = DEFAULT
) -> dict[str, list[float]]:
    """Ready times of the same fleet both ways: ``{"user data": [...], "baked image": [...]}``."""
    return {
        "user data": ready_times(count, packages, baked=False, assumptions=assumptions),
        "baked image": ready_times(count, packages, baked=True, assumptions=assumptions),
    }
