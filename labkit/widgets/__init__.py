"""Widgets that show and change the sandbox, as the EC2 console's pages do.

Each is built on a ``Lab`` (or ``Sandbox``) and uses one lab account's real boto3 clients:

>>> from labkit.widgets import ImageBrowser
>>> ImageBrowser(lab)                      # doctest: +SKIP
"""

from __future__ import annotations

from .copy_wizard import CopyWizard
from .cost_explorer import CostExplorer
from .image_browser import ImageBrowser
from .lineage import Lineage
from .sharing_editor import SharingEditor

__all__ = ["CopyWizard", "CostExplorer", "ImageBrowser", "Lineage", "SharingEditor"]
