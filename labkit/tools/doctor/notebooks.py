"""Doctor checks of what the notebooks need: widgets that draw, the right kernel, charts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from packaging.version import Version

from . import packages
from .report import ERROR, OK, WARN, Finding

__all__ = [
    "WIDGET_EXTENSION",
    "check_kernel",
    "check_matplotlib",
    "check_widget_front_end",
    "disabled_extensions",
    "kernel_prefix",
    "widget_extension_dirs",
]

WIDGET_EXTENSION = "@jupyter-widgets/jupyterlab-manager"


def widget_extension_dirs() -> list[Path]:
    """The folders of prebuilt extensions, as ``jupyter labextension list`` reads them."""
    from jupyter_core.paths import jupyter_path

    return [Path(p) for p in jupyter_path("labextensions")]


def disabled_extensions() -> set[str]:
    """Extensions switched off in any ``labconfig/page_config.json`` JupyterLab reads."""
    from jupyter_core.paths import jupyter_config_path

    disabled: set[str] = set()
    for folder in jupyter_config_path():
        try:
            config = json.loads((Path(folder) / "labconfig" / "page_config.json").read_text())
        except (OSError, ValueError):
            continue
        listed = config.get("disabledExtensions", {}) if isinstance(config, dict) else {}
        if isinstance(listed, dict):
            disabled |= {name for name, off in listed.items() if off}
        elif isinstance(listed, list):
            disabled |= set(map(str, listed))
    return disabled


def check_widget_front_end() -> Finding:
    """JupyterLab's widget manager extension is installed and enabled, so widgets draw."""
    name = "widgets in JupyterLab"
    fix = packages.pip_install("jupyterlab_widgets")
    for folder in widget_extension_dirs():
        package = folder / WIDGET_EXTENSION / "package.json"
        if package.is_file():
            break
    else:
        return Finding(
            name,
            ERROR,
            f"the {WIDGET_EXTENSION} extension is not installed (widgets show as text)",
            fix,
        )
    try:
        version = str(json.loads(package.read_text())["version"])
    except (OSError, ValueError, KeyError):
        version = "?"
    if WIDGET_EXTENSION in disabled_extensions():
        return Finding(
            name,
            ERROR,
            f"{WIDGET_EXTENSION} {version} is installed but disabled",
            f"{sys.executable} -m jupyter labextension enable {WIDGET_EXTENSION}",
        )
    ipywidgets = packages.installed_version("ipywidgets")
    # ipywidgets 8 talks to widget manager 5.x; any other pair draws nothing.
    if ipywidgets and version != "?" and Version(ipywidgets).major == 8:
        if Version(version).major != 5:
            return Finding(
                name,
                WARN,
                f"{WIDGET_EXTENSION} {version} with ipywidgets {ipywidgets}, which needs 5.x",
                fix,
            )
    return Finding(name, OK, f"{WIDGET_EXTENSION} {version} in {package.parent.parent.parent}")


def kernel_prefix(argv0: str) -> str:
    """``sys.prefix`` of the interpreter a kernelspec starts (raises OSError if it cannot run)."""
    done = subprocess.run(
        [argv0, "-c", "import sys; print(sys.prefix)"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return done.stdout.strip()


def check_kernel() -> Finding:
    """The ``python3`` kernel the lessons ask for runs this interpreter, where labkit is."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    name = "python3 kernel"
    fix = f"{sys.executable} -m ipykernel install --sys-prefix"
    try:
        spec = KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:
        return Finding(name, ERROR, "there is no python3 kernel", fix)
    argv0 = spec.argv[0] if spec.argv else ""
    short = {"python", f"python{sys.version_info[0]}", "python{}.{}".format(*sys.version_info[:2])}
    if argv0 in short:
        # Jupyter starts this kernel with its own interpreter: this one, when started from here.
        return Finding(name, OK, f"runs the interpreter Jupyter runs in ({spec.resource_dir})")
    try:
        prefix = kernel_prefix(argv0)
    except (OSError, subprocess.SubprocessError) as error:
        return Finding(
            name, ERROR, f"{spec.resource_dir} starts {argv0}, which does not run ({error})", fix
        )
    if os.path.realpath(prefix) != os.path.realpath(sys.prefix):
        return Finding(
            name,
            ERROR,
            f"{spec.resource_dir} starts {argv0} (environment {prefix}), not this one "
            f"({sys.prefix}): the lessons would not find labkit",
            f"{fix}  (or remove {spec.resource_dir})",
        )
    return Finding(name, OK, f"starts {argv0}")


def check_matplotlib() -> Finding:
    """matplotlib draws a chart the way labkit.plots does (a Figure on the Agg canvas, as PNG)."""
    name = "matplotlib"
    version = packages.installed_version("matplotlib")
    if version is None:
        return Finding(
            name,
            ERROR,
            "not installed",
            packages.pip_install(str(packages.requirements().get("matplotlib", ""))),
        )
    from io import BytesIO

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(1, 1))
    figure.add_subplot().plot([0, 1], [0, 1])
    FigureCanvasAgg(figure).print_png(BytesIO())
    # labkit.plots draws on its own Figure and shows the PNG itself: MPLBACKEND and pyplot's
    # inline backend no longer matter to the lessons' charts.
    return Finding(name, OK, f"{version}; draws the lessons' charts (a Figure, as PNG)")
