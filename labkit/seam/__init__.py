"""The one place labkit reaches into moto's and botocore's internals: one module per library.

``labkit.seam.moto`` and ``labkit.seam.botocore`` name every class, function and module of those
libraries that labkit uses; every other labkit module imports them from there
(``from labkit.seam.moto import Ami``), and ``tests/test_seam.py`` fails on any other import of
them. botocore's public surface (``botocore.exceptions``, ``botocore.config``) and boto3 may be
imported anywhere.

Nothing is imported until a name is asked for (PEP 562), so ``import labkit`` stays free and each
moto module loads exactly when its first user asks for it. A name that moved in another moto or
botocore fails loudly with :class:`SeamError`, naming the internal and the versions to install.
``labkit.patches`` holds the verbs (``Patches.replace``/``add``); this package holds the nouns.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["Internals", "SeamError"]


class SeamError(ImportError):
    """moto or botocore no longer has an internal labkit uses: it moved or was removed."""


def _versions_advice(library: str) -> str:
    """Which version is installed and what to install, as one sentence."""
    from labkit.versions import _installed, install_command, mismatches

    installed = _installed(library)
    have = f"{library} {installed} is installed" if installed else f"{library} is not installed"
    found = mismatches()
    if found:
        return f"{have}; install the versions labkit is written against: {install_command(found)}"
    if installed is None:
        return f"{have}; install the versions pinned in pyproject.toml (make lab)"
    reinstall = (
        f"{sys.executable} -m pip install --force-reinstall --no-deps '{library}=={installed}'"
    )
    return f"{have}, the version labkit pins, but looks changed; reinstall it: {reinstall}"


class Internals:
    """A library's internals by name: ``"module:attribute"``, or ``"module"`` for the module itself.

    ``getattr`` is a module's ``__getattr__`` (PEP 562): it imports the named module on first use,
    caches the value in the module's globals, and raises :class:`SeamError` when it is gone.
    """

    def __init__(self, library: str, table: Mapping[str, str], namespace: dict[str, Any]) -> None:
        self.library = library
        self.table = dict(table)
        self._namespace = namespace
        for name, where in self.table.items():
            if where.split(":", 1)[0].split(".", 1)[0] != library:
                raise ValueError(f"{name!r}: {where!r} is not inside {library}")

    @property
    def names(self) -> list[str]:
        return sorted(self.table)

    def getattr(self, name: str) -> Any:
        where = self.table.get(name)
        if where is None:
            raise AttributeError(f"labkit.seam.{self.library} has no {name!r}: add it to the table")
        value = self.resolve(where)
        self._namespace[name] = value
        return value

    def resolve(self, where: str) -> Any:
        """The object ``where`` names; :class:`SeamError` when the library no longer has it."""
        module_name, _, attribute = where.partition(":")
        dotted = f"{module_name}.{attribute}" if attribute else module_name
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name is None or not module_name.startswith(error.name):
                raise  # a dependency of the library is missing: its own message says which
            raise self._moved(dotted, f"there is no module {error.name}") from error
        if not attribute:
            return module
        try:
            return getattr(module, attribute)
        except AttributeError as error:
            raise self._moved(dotted, f"{module_name} has no {attribute}") from error

    def _moved(self, dotted: str, what: str) -> SeamError:
        return SeamError(
            f"labkit uses {self.library}'s internal {dotted}, which moved or was removed ({what}): "
            f"{_versions_advice(self.library)}, then restart the kernel."
        )


def lazy_module(
    library: str, table: Mapping[str, str], namespace: dict[str, Any]
) -> tuple[Internals, Callable[[str], Any], Callable[[], list[str]]]:
    """``(internals, __getattr__, __dir__)`` for a seam module over ``table``."""
    internals = Internals(library, table, namespace)

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(internals.table))

    return internals, internals.getattr, __dir__
