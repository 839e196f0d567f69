"""Doctor checks of the Python side: the interpreter, labkit, and the packages AMI Lab requires."""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from .report import ERROR, OK, WARN, Finding

__all__ = [
    "DISTRIBUTION",
    "check_aws_sdk",
    "check_ipywidgets",
    "check_jupyterlab",
    "check_labkit",
    "check_moto",
    "check_python",
    "installed_version",
    "pip_install",
    "requirements",
]

DISTRIBUTION = "amilab"


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


def pip_install(spec: str) -> str:
    """The command that installs ``spec`` into this interpreter's environment."""
    return f"{sys.executable} -m pip install '{spec}'"


def _package(name: str, *, exact_is_error: bool = False) -> Finding:
    """A requirement of AMI Lab: installed, and in the versions AMI Lab asks for."""
    requirement = requirements().get(name)
    spec = str(requirement) if requirement else name
    version = installed_version(name)
    if version is None:
        return Finding(name, ERROR, "not installed", pip_install(spec))
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
        pip_install(spec),
    )


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
    from ...versions import install_command, mismatches

    drift = [m for m in mismatches() if m.name == "botocore"]
    if drift:
        return Finding(
            "boto3/botocore",
            ERROR,
            f"{drift[0].describe()}: labkit patches its internals, so no other version will do",
            install_command(drift),
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
