"""Widgets that show and change the sandbox, as the EC2 console's pages do.

Each is built on a ``Lab`` (or ``Sandbox``) and uses one lab account's real boto3 clients:

>>> from labkit.widgets import ImageBrowser
>>> ImageBrowser(lab)                      # doctest: +SKIP

Each widget's module is imported when its name is first used (PEP 562), so a lesson's first
``from labkit.widgets import Lineage`` imports ipywidgets and that one widget, not all five.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from .._lazy import lazy_names

if TYPE_CHECKING:  # for type checkers and editors; at run time these load on first use
    from .copy_wizard import CopyWizard
    from .cost_explorer import CostExplorer
    from .image_browser import ImageBrowser
    from .lineage import Lineage
    from .sharing_editor import SharingEditor

__all__ = ["CopyWizard", "CostExplorer", "ImageBrowser", "Lineage", "SharingEditor"]

# Each widget and the module that defines it.
_LAZY = {
    "CopyWizard": ".copy_wizard",
    "CostExplorer": ".cost_explorer",
    "ImageBrowser": ".image_browser",
    "Lineage": ".lineage",
    "SharingEditor": ".sharing_editor",
}


__getattr__, __dir__ = lazy_names(__name__, _LAZY, __all__)


def import_shared() -> None:
    """Import what every widget needs (ipywidgets, traitlets, the widgets' base): about 50 ms
    once per kernel, that a lesson's setup cell can take so its first widget cell does not."""
    importlib.import_module("._base", __name__)
