"""labkit.doctor: each check finds what is wrong with an installation and says how to fix it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from jupyter_client.kernelspec import KernelSpec, KernelSpecManager, NoSuchKernel

from labkit import doctor
from labkit.doctor import ERROR, OK, WARN, Finding


def versions(monkeypatch, **installed: str | None) -> None:
    """Pretend these distributions are installed at these versions (None: not installed)."""
    real = doctor.installed_version
    monkeypatch.setattr(
        doctor,
        "installed_version",
        lambda name: installed[name] if name in installed else real(name),
    )


class TestThisInstallation:
    def test_every_check_passes_here(self):
        """The environment the tests run in is one the doctor calls ready."""
        findings = doctor.run()
        assert [f.name for f in findings if f.status == ERROR] == []

    def test_sandbox_is_sealed(self, no_network):
        """The sealed check passes even when the network is forbidden, and tries nothing."""
        assert doctor.check_sealed().status == OK
        assert no_network == []


class TestPackages:
    def test_moto_of_another_version_is_an_error(self, monkeypatch):
        """moto must be exactly the pinned version; the fix names it."""
        versions(monkeypatch, moto="5.1.0")
        finding = doctor.check_moto()
        assert finding.status == ERROR
        assert "5.1.0 installed, AMI Lab asks for ==5.2.5" in finding.detail
        assert finding.fix == f"{sys.executable} -m pip install 'moto==5.2.5'"

    def test_a_missing_package_is_an_error(self, monkeypatch):
        """A requirement that is not installed is an error with the pip command."""
        versions(monkeypatch, jupyterlab=None)
        finding = doctor.check_jupyterlab()
        assert (finding.status, finding.detail) == (ERROR, "not installed")
        assert "pip install 'jupyterlab" in finding.fix

    def test_other_versions_of_other_packages_are_warnings(self, monkeypatch):
        """Outside the range, JupyterLab may still work: a warning."""
        versions(monkeypatch, jupyterlab="3.6.0")
        assert doctor.check_jupyterlab().status == WARN

    def test_botocore_must_match_boto3(self, monkeypatch):
        """A botocore boto3 was not released with is an error."""
        versions(monkeypatch, botocore="1.0.0")
        finding = doctor.check_aws_sdk()
        assert finding.status == ERROR and "botocore 1.0.0" in finding.detail

    def test_python_too_old_is_an_error(self, monkeypatch):
        """Python below requires-python is an error."""
        monkeypatch.setattr(sys, "version_info", (3, 8, 0, "final", 0))
        finding = doctor.check_python()
        assert finding.status == ERROR and "3.8.0; AMI Lab needs Python >=3.10" in finding.detail


class TestWidgetFrontEnd:
    def extension(self, root: Path, version: str = "5.0.16") -> Path:
        package = root / "@jupyter-widgets" / "jupyterlab-manager" / "package.json"
        package.parent.mkdir(parents=True)
        package.write_text(json.dumps({"name": doctor.WIDGET_EXTENSION, "version": version}))
        return root

    def test_found_and_enabled_is_ok(self, monkeypatch, tmp_path):
        """The manager extension in a labextensions folder, not disabled: ok."""
        monkeypatch.setattr(doctor, "widget_extension_dirs", lambda: [self.extension(tmp_path)])
        monkeypatch.setattr(doctor, "disabled_extensions", set)
        assert doctor.check_widget_front_end().status == OK

    def test_missing_is_an_error(self, monkeypatch, tmp_path):
        """No manager extension: widgets would show as text."""
        monkeypatch.setattr(doctor, "widget_extension_dirs", lambda: [tmp_path])
        finding = doctor.check_widget_front_end()
        assert finding.status == ERROR and "is not installed" in finding.detail
        assert "jupyterlab_widgets" in finding.fix

    def test_disabled_is_an_error(self, monkeypatch, tmp_path):
        """Disabled in page_config.json: the fix enables it."""
        config = tmp_path / "config" / "labconfig" / "page_config.json"
        config.parent.mkdir(parents=True)
        config.write_text(json.dumps({"disabledExtensions": {doctor.WIDGET_EXTENSION: True}}))
        monkeypatch.setattr(
            doctor, "widget_extension_dirs", lambda: [self.extension(tmp_path / "ext")]
        )
        monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path / "config"))
        finding = doctor.check_widget_front_end()
        assert finding.status == ERROR and "disabled" in finding.detail
        assert finding.fix.endswith(f"labextension enable {doctor.WIDGET_EXTENSION}")

    def test_a_manager_for_other_ipywidgets_is_a_warning(self, monkeypatch, tmp_path):
        """ipywidgets 8 with manager 3.x (ipywidgets 7's) is a warning."""
        root = self.extension(tmp_path, "3.1.0")
        monkeypatch.setattr(doctor, "widget_extension_dirs", lambda: [root])
        monkeypatch.setattr(doctor, "disabled_extensions", set)
        assert doctor.check_widget_front_end().status == WARN


class TestKernel:
    def spec(self, monkeypatch, argv0: str | None) -> None:
        def get_kernel_spec(self, name):
            if argv0 is None:
                raise NoSuchKernel(name)
            return KernelSpec(argv=[argv0, "-m", "ipykernel_launcher"], resource_dir="/k/python3")

        monkeypatch.setattr(KernelSpecManager, "get_kernel_spec", get_kernel_spec)

    def test_python_on_the_path_is_ok(self, monkeypatch):
        """A spec that starts `python` runs Jupyter's own interpreter."""
        self.spec(monkeypatch, "python")
        assert doctor.check_kernel().status == OK

    def test_this_interpreter_is_ok(self, monkeypatch):
        """A spec naming this interpreter is ok."""
        self.spec(monkeypatch, sys.executable)
        assert doctor.check_kernel().status == OK

    def test_another_environment_is_an_error(self, monkeypatch):
        """A spec starting another environment's Python is an error, with the fix."""
        self.spec(monkeypatch, "/opt/other/bin/python")
        monkeypatch.setattr(doctor, "kernel_prefix", lambda argv0: "/opt/other")
        finding = doctor.check_kernel()
        assert finding.status == ERROR and "would not find labkit" in finding.detail
        assert finding.fix.startswith(f"{sys.executable} -m ipykernel install --sys-prefix")

    def test_an_interpreter_that_does_not_run_is_an_error(self, monkeypatch):
        """A spec pointing at a missing interpreter is an error."""
        self.spec(monkeypatch, "/nowhere/python")
        assert doctor.check_kernel().status == ERROR

    def test_no_python3_kernel_is_an_error(self, monkeypatch):
        """No python3 kernelspec at all is an error."""
        self.spec(monkeypatch, None)
        assert doctor.check_kernel().detail == "there is no python3 kernel"


class TestMatplotlib:
    def test_a_window_backend_is_a_warning(self, monkeypatch):
        """MPLBACKEND naming a window backend would replace inline plots."""
        monkeypatch.setenv("MPLBACKEND", "TkAgg")
        finding = doctor.check_matplotlib()
        assert finding.status == WARN and "MPLBACKEND=TkAgg" in finding.detail

    def test_inline_is_ok(self, monkeypatch):
        """The inline backend, as ipykernel sets it, is ok."""
        monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
        assert doctor.check_matplotlib().status == OK


class TestRunAndRender:
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

    def test_render_lists_findings_then_fixes(self):
        """The table has a line per check, then the fixes, then the verdict."""
        findings = [
            Finding("moto", ERROR, "5.1.0 installed", "pip install 'moto==5.2.5'"),
            Finding("Python", OK, "3.11.7"),
            Finding("matplotlib", WARN, "MPLBACKEND=TkAgg", "unset MPLBACKEND"),
        ]
        text = doctor.render(findings)
        assert "❌ moto        5.1.0 installed" in text
        assert "✅ Python      3.11.7" in text
        assert text.index("To fix:") < text.index("❌ moto: pip install 'moto==5.2.5'")
        assert text.endswith("1 error(s), 1 warning(s): fix the errors before class.")

    def test_render_without_emoji(self):
        """ascii_only spells the marks for terminals that cannot show emoji."""
        text = doctor.render([Finding("Python", OK, "3.11.7")], ascii_only=True)
        assert "OK   Python  3.11.7" in text and text.endswith("the course is ready.")
