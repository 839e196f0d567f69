"""labkit.tools.doctor.notebooks: the widget front end, the python3 kernel, and inline plots."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from jupyter_client.kernelspec import KernelSpec, KernelSpecManager, NoSuchKernel

from labkit.tools.doctor import ERROR, OK, WARN, notebooks


class TestWidgetFrontEnd:
    def extension(self, root: Path, version: str = "5.0.16") -> Path:
        package = root / "@jupyter-widgets" / "jupyterlab-manager" / "package.json"
        package.parent.mkdir(parents=True)
        package.write_text(json.dumps({"name": notebooks.WIDGET_EXTENSION, "version": version}))
        return root

    def test_found_and_enabled_is_ok(self, monkeypatch, tmp_path):
        """The manager extension in a labextensions folder, not disabled: ok."""
        monkeypatch.setattr(notebooks, "widget_extension_dirs", lambda: [self.extension(tmp_path)])
        monkeypatch.setattr(notebooks, "disabled_extensions", set)
        assert notebooks.check_widget_front_end().status == OK

    def test_missing_is_an_error(self, monkeypatch, tmp_path):
        """No manager extension: widgets would show as text."""
        monkeypatch.setattr(notebooks, "widget_extension_dirs", lambda: [tmp_path])
        finding = notebooks.check_widget_front_end()
        assert finding.status == ERROR and "is not installed" in finding.detail
        assert "jupyterlab_widgets" in finding.fix

    def test_disabled_is_an_error(self, monkeypatch, tmp_path):
        """Disabled in page_config.json: the fix enables it."""
        config = tmp_path / "config" / "labconfig" / "page_config.json"
        config.parent.mkdir(parents=True)
        config.write_text(json.dumps({"disabledExtensions": {notebooks.WIDGET_EXTENSION: True}}))
        monkeypatch.setattr(
            notebooks, "widget_extension_dirs", lambda: [self.extension(tmp_path / "ext")]
        )
        monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path / "config"))
        finding = notebooks.check_widget_front_end()
        assert finding.status == ERROR and "disabled" in finding.detail
        assert finding.fix.endswith(f"labextension enable {notebooks.WIDGET_EXTENSION}")

    def test_a_manager_for_other_ipywidgets_is_a_warning(self, monkeypatch, tmp_path):
        """ipywidgets 8 with manager 3.x (ipywidgets 7's) is a warning."""
        root = self.extension(tmp_path, "3.1.0")
        monkeypatch.setattr(notebooks, "widget_extension_dirs", lambda: [root])
        monkeypatch.setattr(notebooks, "disabled_extensions", set)
        assert notebooks.check_widget_front_end().status == WARN


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
        assert notebooks.check_kernel().status == OK

    def test_this_interpreter_is_ok(self, monkeypatch):
        """A spec naming this interpreter is ok."""
        self.spec(monkeypatch, sys.executable)
        assert notebooks.check_kernel().status == OK

    def test_another_environment_is_an_error(self, monkeypatch):
        """A spec starting another environment's Python is an error, with the fix."""
        self.spec(monkeypatch, "/opt/other/bin/python")
        monkeypatch.setattr(notebooks, "kernel_prefix", lambda argv0: "/opt/other")
        finding = notebooks.check_kernel()
        assert finding.status == ERROR and "would not find labkit" in finding.detail
        assert finding.fix.startswith(f"{sys.executable} -m ipykernel install --sys-prefix")

    def test_an_interpreter_that_does_not_run_is_an_error(self, monkeypatch):
        """A spec pointing at a missing interpreter is an error."""
        self.spec(monkeypatch, "/nowhere/python")
        assert notebooks.check_kernel().status == ERROR

    def test_no_python3_kernel_is_an_error(self, monkeypatch):
        """No python3 kernelspec at all is an error."""
        self.spec(monkeypatch, None)
        assert notebooks.check_kernel().detail == "there is no python3 kernel"


class TestMatplotlib:
    def test_draws_whatever_mplbackend_says(self, monkeypatch):
        """labkit.plots never uses pyplot, so a window backend in MPLBACKEND changes nothing."""
        monkeypatch.setenv("MPLBACKEND", "TkAgg")
        finding = notebooks.check_matplotlib()
        assert finding.status == OK and "PNG" in finding.detail

    def test_missing_matplotlib_is_an_error(self, monkeypatch):
        monkeypatch.setattr(
            notebooks.packages,
            "installed_version",
            lambda name: None if name == "matplotlib" else "1",
        )
        finding = notebooks.check_matplotlib()
        assert finding.status == ERROR and finding.detail == "not installed"
