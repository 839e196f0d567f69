"""``labkit doctor``: is this installation ready for the course, and if not, what to do about it.

Each check returns a :class:`Finding` — ok, a warning (the course works, something may look
wrong) or an error (a lesson will fail) — with the command that fixes it. No check reaches the
network. The checks live by what they look at: ``packages`` (Python and the requirements),
``notebooks`` (widgets, kernel, plots), ``offline`` (the sandbox) and ``programs`` (Packer);
``report`` prints them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from .notebooks import check_kernel, check_matplotlib, check_widget_front_end
from .offline import check_sandbox, check_sealed
from .packages import (
    check_aws_sdk,
    check_ipywidgets,
    check_jupyterlab,
    check_labkit,
    check_moto,
    check_python,
)
from .programs import check_packer
from .report import ERROR, OK, WARN, Finding, render

__all__ = ["CHECKS", "ERROR", "OK", "WARN", "Finding", "render", "run"]

CHECKS: tuple[Callable[[], Finding], ...] = (
    check_python,
    check_labkit,
    check_moto,
    check_aws_sdk,
    check_jupyterlab,
    check_ipywidgets,
    check_widget_front_end,
    check_kernel,
    check_matplotlib,
    check_sandbox,
    check_sealed,
    check_packer,
)


def run(checks: tuple[Callable[[], Finding], ...] = CHECKS) -> list[Finding]:
    """Run the checks; a check that crashes is an error finding, never an exception."""
    findings = []
    for check in checks:
        try:
            findings.append(check())
        except Exception as error:
            name = check.__name__.removeprefix("check_").replace("_", " ")
            findings.append(
                Finding(
                    name,
                    ERROR,
                    f"the check failed: {type(error).__name__}: {error}",
                    f"{sys.executable} -m pip install -e '.'  (from the AMI Lab folder)",
                )
            )
    return findings
