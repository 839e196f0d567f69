"""Names a package loads on first use (PEP 562): one helper for every lazy package of labkit.

>>> __getattr__, __dir__ = lazy_names(__name__, {"Lab": ".lab"}, __all__)  # doctest: +SKIP

The package's ``__getattr__`` imports the module that defines a name the first time it is asked
for, and keeps the value in the package's namespace, so later lookups never come back here.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["lazy_names"]


def lazy_names(
    package: str, modules: dict[str, str], public: Iterable[str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``: each name in ``modules`` (name -> module,
    relative to the package) is imported from its module when first used."""
    public = tuple(public)

    def __getattr__(name: str) -> Any:
        module = modules.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, package), name)
        setattr(sys.modules[package], name, value)  # later lookups skip this function
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *public})

    return __getattr__, __dir__
