"""``labkit doctor``: is this installation ready for the course, and if not, what to do about it.

Each check returns a :class:`Finding` — ok, a warning (the course works, something may look
wrong) or an error (a lesson will fail) — with the command that fixes it. No check reaches the
network.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

__all__ = ["CHECKS", "Finding", "render", "run"]

OK, WARN, ERROR = "ok", "warn", "error"
DISTRIBUTION = "amilab"
WIDGET_EXTENSION = "@jupyter-widgets/jupyterlab-manager"
# A real AWS endpoint that moto does not simulate (EC2's dual-stack name): the sandbox must stop it.
UNSIMULATED_ENDPOINT = "https://ec2.us-east-1.api.aws"


@dataclass(frozen=True)
class Finding:
    """The result of one check: what was found and, unless all is well, how to fix it."""

    name: str
    status: str
    detail: str
    fix: str = ""


# -- helpers -----------------------------------------------------------------------------------


def installed_version(name: str) -> str | None:
    """The installed version of a distribution, or None when it is not installed."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def requirements() -> dict[str, Requirement]:
    """AMI Lab's own requirements (not the test extras), by lower-case name."""
    try:
        listed = metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:
        return {}
    found = {}
    for line in listed:
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
            found[requirement.name.lower()] = requirement
    return found


def _pip(spec: str) -> str:
    return f"{sys.executable} -m pip install '{spec}'"


def _package(name: str, *, exact_is_error: bool = False) -> Finding:
    """A requirement of AMI Lab: installed, and in the versions AMI Lab asks for."""
    requirement = requirements().get(name)
    spec = str(requirement) if requirement else name
    version = installed_version(name)
    if version is None:
        return Finding(name, ERROR, "not installed", _pip(spec))
    if requirement is None or not requirement.specifier:
        return Finding(name, OK, version)
    if requirement.specifier.contains(version, prereleases=True):
        return Finding(name, OK, f"{version} (AMI Lab asks for {requirement.specifier})")
    status = ERROR if exact_is_error else WARN
    reason = (
        "labkit patches its internals, so no other version will do"
        if exact_is_error
        else "lessons are tested with those versions"
    )
    return Finding(
        name,
        status,
        f"{version} installed, AMI Lab asks for {requirement.specifier}: {reason}",
        _pip(spec),
    )


# -- the checks --------------------------------------------------------------------------------


def check_python() -> Finding:
    """The interpreter is one AMI Lab supports."""
    needed = SpecifierSet(">=3.10")
    try:
        needed = SpecifierSet(metadata.metadata(DISTRIBUTION).get("Requires-Python") or ">=3.10")
    except metadata.PackageNotFoundError:
        pass
    version = ".".join(str(n) for n in sys.version_info[:3])
    if needed.contains(version):
        return Finding("Python", OK, f"{version} at {sys.executable}")
    return Finding(
        "Python",
        ERROR,
        f"{version}; AMI Lab needs Python {needed}",
        "install a newer Python and make the environment again (make distclean && make lab)",
    )


def check_labkit() -> Finding:
    """labkit is installed (not only importable from the source tree) and matches its metadata."""
    import labkit

    where = Path(labkit.__file__).parent
    installed = installed_version(DISTRIBUTION)
    if installed is None:
        return Finding(
            "labkit",
            WARN,
            f"imported from {where}, but the amilab package is not installed",
            f"{sys.executable} -m pip install -e {where.parent}",
        )
    if installed != labkit.__version__:
        return Finding(
            "labkit",
            WARN,
            f"{labkit.__version__} in {where}, but amilab {installed} is installed",
            f"{sys.executable} -m pip install -e {where.parent}",
        )
    return Finding("labkit", OK, f"{installed} from {where}")


def check_moto() -> Finding:
    """moto is exactly the version labkit's fidelity rules were written against."""
    return _package("moto", exact_is_error=True)


def check_aws_sdk() -> Finding:
    """boto3 is installed with the botocore it was released with."""
    finding = _package("boto3")
    if finding.status == ERROR:
        return Finding("boto3/botocore", ERROR, f"boto3 {finding.detail}", finding.fix)
    botocore = installed_version("botocore")
    wanted = [Requirement(r) for r in metadata.requires("boto3") or [] if r.startswith("botocore")]
    if botocore is None or (wanted and not wanted[0].specifier.contains(botocore)):
        needs = str(wanted[0].specifier) if wanted else "any version"
        return Finding(
            "boto3/botocore",
            ERROR,
            f"botocore {botocore or 'is not installed'}, but boto3 "
            f"{installed_version('boto3')} needs botocore {needs}",
            f"{sys.executable} -m pip install --upgrade boto3 botocore",
        )
    return Finding(
        "boto3/botocore",
        finding.status,
        f"boto3 {finding.detail}; botocore {botocore}",
        finding.fix,
    )


def check_jupyterlab() -> Finding:
    """JupyterLab is installed, in a version the course is tested with."""
    return _package("jupyterlab")


def check_ipywidgets() -> Finding:
    """ipywidgets (the Python side of the lessons' widgets) is installed."""
    return _package("ipywidgets")


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
    fix = _pip("jupyterlab_widgets")
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
    ipywidgets = installed_version("ipywidgets")
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
    """matplotlib draws, and notebooks get inline plots."""
    name = "matplotlib"
    version = installed_version("matplotlib")
    if version is None:
        return Finding(
            name, ERROR, "not installed", _pip(str(requirements().get("matplotlib", "")))
        )
    from io import BytesIO

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(1, 1))
    figure.add_subplot().plot([0, 1], [0, 1])
    FigureCanvasAgg(figure).print_png(BytesIO())
    chosen = os.environ.get("MPLBACKEND", "")
    if chosen and "inline" not in chosen.lower() and chosen.lower() != "agg":
        return Finding(
            name,
            WARN,
            f"{version}; MPLBACKEND={chosen} replaces the notebooks' inline plots",
            "unset MPLBACKEND before starting JupyterLab",
        )
    if installed_version("matplotlib-inline") is None:
        return Finding(name, WARN, f"{version}; matplotlib-inline is missing", _pip("ipykernel"))
    return Finding(name, OK, f"{version}; notebooks use the inline backend")


def check_sandbox() -> Finding:
    """A sandbox starts and answers a DescribeImages call."""
    from .sandbox import Sandbox

    started = time.perf_counter()
    with Sandbox() as sandbox:
        images = sandbox.client("ec2").describe_images(Owners=["amazon"])["Images"]
    seconds = time.perf_counter() - started
    if not images:
        return Finding(
            "sandbox",
            ERROR,
            "started, but lists no Amazon images",
            f"{sys.executable} -m pip install --force-reinstall --no-deps -e .",
        )
    return Finding(
        "sandbox", OK, f"started and listed {len(images)} Amazon images in {seconds:.1f} s"
    )


@contextmanager
def tripwire() -> Iterator[list[str]]:
    """Refuse (and record) every connection and name lookup beyond this machine."""
    attempts: list[str] = []
    real_connect, real_lookup = socket.socket.connect, socket.getaddrinfo

    def local(host: object) -> bool:
        return str(host) in ("localhost", "::1") or str(host).startswith("127.")

    def connect(self: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(address, tuple) and not local(host):
            attempts.append(f"connect {address}")
            raise OSError(f"labkit doctor stopped a connection to {address}")
        return real_connect(self, address)

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        if host is not None and not local(host):
            attempts.append(f"lookup {host}")
            raise OSError(f"labkit doctor stopped a name lookup of {host}")
        return real_lookup(host, *args, **kwargs)

    socket.socket.connect, socket.getaddrinfo = connect, getaddrinfo
    try:
        yield attempts
    finally:
        socket.socket.connect, socket.getaddrinfo = real_connect, real_lookup


def check_sealed() -> Finding:
    """From inside a sandbox, no request reaches AWS: moto answers it or the lab stops it."""
    from .accounts import ACCOUNTS
    from .safety import SandboxError
    from .sandbox import Sandbox, _session

    name = "no way out to AWS"
    fix = f"{sys.executable} -m pip install --force-reinstall --no-deps -e . (labkit is damaged)"
    with tripwire() as attempts, Sandbox() as sandbox:
        account = sandbox.client("sts").get_caller_identity()["Account"]
        outside = _session().client(
            "ec2",
            region_name="us-east-1",
            endpoint_url=UNSIMULATED_ENDPOINT,
            **sandbox._credentials["learner"],
        )
        try:
            outside.describe_regions()
            stopped = False
        except SandboxError:
            stopped = True
    if attempts:
        return Finding(name, ERROR, f"the sandbox tried the network: {', '.join(attempts)}", fix)
    if account != ACCOUNTS["learner"]:
        return Finding(name, ERROR, f"STS answered for account {account}, not the lab's", fix)
    if not stopped:
        return Finding(name, ERROR, f"a request to {UNSIMULATED_ENDPOINT} was not stopped", fix)
    return Finding(
        name, OK, "no connection attempted; a request moto does not simulate was stopped"
    )


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


def render(findings: list[Finding], *, ascii_only: bool = False) -> str:
    """The findings as a table, then what to fix, then a one-line verdict."""
    marks = (
        {OK: "OK  ", WARN: "WARN", ERROR: "FAIL"}
        if ascii_only
        else {OK: "✅", WARN: "⚠️ ", ERROR: "❌"}
    )
    width = max(len(f.name) for f in findings)
    lines = ["AMI Lab doctor", ""]
    lines += [f"{marks[f.status]} {f.name.ljust(width)}  {f.detail}" for f in findings]
    todo = [f for f in findings if f.status != OK and f.fix]
    if todo:
        lines += ["", "To fix:"]
        lines += [f"{marks[f.status]} {f.name}: {f.fix}" for f in todo]
    errors = sum(f.status == ERROR for f in findings)
    warnings = sum(f.status == WARN for f in findings)
    lines.append("")
    if errors:
        lines.append(f"{errors} error(s), {warnings} warning(s): fix the errors before class.")
    elif warnings:
        lines.append(f"Ready, with {warnings} warning(s).")
    else:
        lines.append("All good: the course is ready.")
    return "\n".join(lines)
