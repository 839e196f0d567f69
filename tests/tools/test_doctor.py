"""labkit.tools.doctor: every check runs, and a check that crashes is reported, never raised."""

from __future__ import annotations

from labkit.tools import doctor
from labkit.tools.doctor import ERROR, Finding


class TestThisInstallation:
    def test_every_check_passes_here(self):
        """The environment the tests run in is one the doctor calls ready."""
        findings = doctor.run()
        assert [f.name for f in findings if f.status == ERROR] == []

    def test_every_check_reports_once_in_order(self):
        """run() gives one finding per check, in the order CHECKS lists them."""
        names = [f.name for f in doctor.run(doctor.CHECKS[:3])]
        assert names == ["Python", "labkit", "moto"]


class TestRun:
    def test_a_crashing_check_becomes_an_error(self):
        """A check that raises is reported, never propagated."""

        def check_sandbox():
            raise RuntimeError("moto exploded")

        (finding,) = doctor.run((check_sandbox,))
        assert finding == Finding(
            "sandbox",
            ERROR,
            "the check failed: RuntimeError: moto exploded",
            finding.fix,
        )
