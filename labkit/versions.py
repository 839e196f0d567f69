"""The moto and botocore versions labkit is written against, and a clear word when they differ.

labkit's fidelity rules and speed-ups reach into moto's and botocore's internals, so they are pinned
exactly in pyproject.toml (and the lock files). A sandbox refuses to start on other versions, before
anything is imported or patched, and says what to install; ``labkit doctor`` reports the same
mismatch without starting anything. ``make upgrade-check`` sets ``AMILAB_ALLOW_VERSION_DRIFT=1`` to
try newer versions on purpose: then the mismatch is a warning.
"""

from __future__ import annotations

import os
import sys
import warnings
from dataclasses import dataclass
from importlib import metadata

__all__ = [
    "DRIFT_VARIABLE",
    "PINNED",
    "VersionDriftWarning",
    "VersionMismatch",
    "Mismatch",
    "mismatches",
    "require_pinned_versions",
]

DISTRIBUTION = "amilab"
DRIFT_VARIABLE = "AMILAB_ALLOW_VERSION_DRIFT"
# The libraries whose internals labkit patches. Their versions come from pyproject.toml's exact
# pins (read from the installed metadata), so there is one place to change them.
PINNED = ("moto", "botocore")


class VersionMismatch(RuntimeError):
    """moto or botocore is not the version labkit's rules were written against."""


class VersionDriftWarning(UserWarning):
    """Other versions are installed, and AMILAB_ALLOW_VERSION_DRIFT says to go on anyway."""


@dataclass(frozen=True)
class Mismatch:
    """One library installed in another version than labkit pins (``installed`` None: missing)."""

    name: str
    wanted: str
    installed: str | None

    def describe(self) -> str:
        have = "is not installed" if self.installed is None else f"{self.installed} is installed"
        return f"{self.name} {have}; labkit needs {self.name}=={self.wanted}"


def _exact_pins() -> dict[str, str]:
    """``{name: version}`` for the exact (``==``) pins of PINNED in amilab's metadata."""
    try:
        listed = metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:
        return {}  # run from a source tree without an install: nothing to compare against
    pins = {}
    for line in listed:
        head = line.split(";", 1)[0].strip()
        name, sep, version = head.partition("==")
        name = name.split("[", 1)[0].strip().lower()
        if sep and name in PINNED and ";" not in line:
            pins[name] = version.strip()
    return pins


def _installed(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def mismatches() -> list[Mismatch]:
    """Every pinned library installed in another version (or missing); empty when all is well."""
    found = []
    for name, wanted in sorted(_exact_pins().items()):
        installed = _installed(name)
        if installed != wanted:
            found.append(Mismatch(name, wanted, installed))
    return found


def install_command(found: list[Mismatch]) -> str:
    """The one command that installs the pinned versions into this interpreter."""
    specs = " ".join(f"'{m.name}=={m.wanted}'" for m in found)
    return f"{sys.executable} -m pip install {specs}"


def require_pinned_versions() -> None:
    """Refuse to go on with other moto/botocore versions, saying exactly what to install.

    Raises:
        VersionMismatch: unless ``AMILAB_ALLOW_VERSION_DRIFT=1``, which makes it a warning.
    """
    found = mismatches()
    if not found:
        return
    message = (
        "The lab's sandbox is written against exact versions of moto and botocore: "
        + "; ".join(m.describe() for m in found)
        + f". Install them with: {install_command(found)} (then restart the kernel)."
    )
    if os.environ.get(DRIFT_VARIABLE) == "1":
        warnings.warn(message, VersionDriftWarning, stacklevel=2)
        return
    raise VersionMismatch(message)
