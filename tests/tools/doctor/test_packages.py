"""labkit.tools.doctor.packages: Python, labkit and the requirements, in the versions asked for."""

from __future__ import annotations

import sys

from labkit.tools.doctor import ERROR, OK, WARN, packages


def versions(monkeypatch, **installed: str | None) -> None:
    """Pretend these distributions are installed at these versions (None: not installed)."""
    real = packages.installed_version
    monkeypatch.setattr(
        packages,
        "installed_version",
        lambda name: installed[name] if name in installed else real(name),
    )


class TestPackages:
    def test_moto_of_another_version_is_an_error(self, monkeypatch):
        """moto must be exactly the pinned version; the fix names it."""
        versions(monkeypatch, moto="5.1.0")
        finding = packages.check_moto()
        assert finding.status == ERROR
        assert "5.1.0 installed, AMI Lab asks for ==5.2.5" in finding.detail
        assert finding.fix == f"{sys.executable} -m pip install 'moto[server]==5.2.5'"

    def test_a_missing_package_is_an_error(self, monkeypatch):
        """A requirement that is not installed is an error with the pip command."""
        versions(monkeypatch, jupyterlab=None)
        finding = packages.check_jupyterlab()
        assert (finding.status, finding.detail) == (ERROR, "not installed")
        assert "pip install 'jupyterlab" in finding.fix

    def test_other_versions_of_other_packages_are_warnings(self, monkeypatch):
        """Outside the range, JupyterLab may still work: a warning."""
        versions(monkeypatch, jupyterlab="3.6.0")
        assert packages.check_jupyterlab().status == WARN

    def test_botocore_must_match_boto3(self, monkeypatch):
        """A botocore boto3 was not released with is an error."""
        versions(monkeypatch, botocore="1.0.0")
        finding = packages.check_aws_sdk()
        assert finding.status == ERROR and "botocore 1.0.0" in finding.detail

    def test_python_too_old_is_an_error(self, monkeypatch):
        """Python below requires-python is an error."""
        monkeypatch.setattr(sys, "version_info", (3, 8, 0, "final", 0))
        finding = packages.check_python()
        assert finding.status == ERROR and "3.8.0; AMI Lab needs Python >=3.10" in finding.detail

    def test_labkit_installed_from_here_is_ok(self):
        """labkit imported from this tree, installed as amilab of the same version: ok."""
        assert packages.check_labkit().status == OK

    def test_labkit_not_installed_is_a_warning(self, monkeypatch):
        """labkit importable only from the source tree: a warning with pip install -e."""
        versions(monkeypatch, amilab=None)
        finding = packages.check_labkit()
        assert finding.status == WARN and "amilab package is not installed" in finding.detail
        assert finding.fix.startswith(f"{sys.executable} -m pip install -e ")


class TestPinnedBotocore:
    def test_botocore_other_than_the_pin_is_an_error(self, monkeypatch):
        """A botocore boto3 accepts, but not the one labkit patches, is an error naming the pin."""
        from labkit import versions as pinned

        versions(monkeypatch, botocore="1.44.9")
        monkeypatch.setattr(pinned, "_installed", lambda name: {"botocore": "1.44.9"}.get(name))
        monkeypatch.setattr(pinned, "_exact_pins", lambda: {"botocore": "1.44.8"})
        finding = packages.check_aws_sdk()
        assert finding.status == ERROR
        assert "botocore 1.44.9 is installed; labkit needs botocore==1.44.8" in finding.detail
        assert finding.fix == f"{sys.executable} -m pip install 'botocore==1.44.8'"
