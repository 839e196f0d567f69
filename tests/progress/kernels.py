"""A stand-in for a kernel with a lesson open: its own process, its own Lab, checks in a loop."""

from __future__ import annotations

import os
from typing import Any


def check_repeatedly(path: str, checks: int, start: Any, results: Any) -> None:
    """Start lesson 00, wait for the other kernels, then pass one check ``checks`` times."""
    os.environ["AMILAB_PROGRESS"] = path
    from labkit import Lab
    from labkit.checks.welcome import _expected_image

    lab = Lab("00-welcome", quiet=True)
    try:
        answer = _expected_image()
        start.wait()
        passed = sum(bool(lab.check("welcome-find-image", image_id=answer)) for _ in range(checks))
    finally:
        lab.stop()
    results.put(passed)
