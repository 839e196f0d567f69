"""``labkit.widgets`` imports a widget's module when its name is first used (PEP 562).

The twin of that speed-up: each lazily loaded name is the very class its module defines, so a
lesson gets the same widget either way; only what is imported, and when, differs.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest

import labkit.widgets

WIDGET_MODULES = {
    "CopyWizard": "labkit.widgets.copy_wizard",
    "CostExplorer": "labkit.widgets.cost_explorer",
    "ImageBrowser": "labkit.widgets.image_browser",
    "Lineage": "labkit.widgets.lineage",
    "SharingEditor": "labkit.widgets.sharing_editor",
}

PROBE = """
import json, sys
from labkit.widgets import {name}
print(json.dumps(sorted(m for m in sys.modules if m.startswith("labkit.widgets."))))
"""


def widget_modules_after_importing(name: str) -> set[str]:
    """The labkit.widgets modules a fresh interpreter holds after importing one widget."""
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(name=name)], capture_output=True, text=True, check=True
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


class TestLazyWidgets:
    @pytest.mark.parametrize("name", sorted(WIDGET_MODULES))
    def test_a_name_is_its_modules_class(self, name):
        """The lazily loaded name is the class its module defines (the twin: the same widget)."""
        module = importlib.import_module(WIDGET_MODULES[name])
        assert getattr(labkit.widgets, name) is getattr(module, name)

    def test_all_names_are_listed(self):
        """__all__ names exactly the widgets, and dir() shows them before they load."""
        assert sorted(labkit.widgets.__all__) == sorted(WIDGET_MODULES)
        assert set(labkit.widgets.__all__) <= set(dir(labkit.widgets))

    def test_star_import_gives_every_widget(self):
        """``from labkit.widgets import *`` still binds all five."""
        namespace: dict[str, object] = {}
        exec("from labkit.widgets import *", namespace)
        assert {n for n in namespace if not n.startswith("__")} == set(WIDGET_MODULES)

    def test_unknown_name(self):
        """A name that is no widget raises AttributeError naming it."""
        with pytest.raises(AttributeError, match="no attribute 'Nothing'"):
            labkit.widgets.Nothing  # noqa: B018

    def test_one_widget_imports_only_its_own_modules(self):
        """Importing Lineage loads neither the copy wizard, the cost explorer, the image browser
        nor the sharing editor."""
        loaded = widget_modules_after_importing("Lineage")
        assert "labkit.widgets.lineage" in loaded
        others = set(WIDGET_MODULES.values()) - {"labkit.widgets.lineage"}
        assert loaded.isdisjoint(others), sorted(loaded & others)
