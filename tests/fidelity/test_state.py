"""What labkit keeps on moto's objects is declared in one module, and read only through it."""

from __future__ import annotations

import re
from pathlib import Path

from labkit.fidelity import state

LABKIT = Path(__file__).resolve().parents[2] / "labkit"
#: Keys of labkit's own records (dicts it keeps), not attributes of moto's objects.
RECORD_KEYS = {"lab_tags", "lab_next_runs", "lab_error", "lab_disabling"}
#: Names that are not state at all: a context variable and a function.
NOT_STATE = {"lab_caller", "_lab_regions_only", "lab_widgets"}


def _sources():
    return {p: p.read_text() for p in LABKIT.rglob("*.py") if p != Path(state.__file__)}


class TestDeclaredState:
    def test_every_lab_attribute_is_declared(self):
        """Each lab_* name in labkit is a declared field (or a record key, or not state)."""
        used = set()
        for text in _sources().values():
            used |= set(re.findall(r"\b_?lab_[a-z_]+\b", text))
        undeclared = used - set(state.FIELDS) - set(state.PRIVATE) - RECORD_KEYS - NOT_STATE
        assert sorted(undeclared) == []

    def test_no_module_reads_a_lab_attribute_with_getattr(self):
        """getattr(obj, "lab_...", default) is the schema nobody can see: use FIELD.get(obj)."""
        found = [
            f"{path.relative_to(LABKIT)}: {m.group(0)}"
            for path, text in _sources().items()
            for m in re.finditer(r"getattr\([^)]*[\"']lab_\w+[\"']", text)
        ]
        assert found == []

    def test_a_field_reads_its_declared_default_and_what_was_set(self):
        """get() gives the declared default until set() keeps a value."""

        class Volume:
            pass

        volume = Volume()
        assert state.DATA_GIB.get(volume) is None and state.INSTALLED.get(volume) == ()
        assert state.DATA_GIB.get(volume, 2.0) == 2.0
        state.DATA_GIB.set(volume, 3.5)
        assert state.DATA_GIB.get(volume) == 3.5 and volume.lab_data_gib == 3.5

    def test_installed_tag_is_defined_once(self):
        """The tag is the catalogue's, and every module uses that one."""
        defined = [
            path.relative_to(LABKIT)
            for path, text in _sources().items()
            if re.search(r"^INSTALLED_TAG\s*=", text, re.M)
        ]
        assert [str(p) for p in defined] == ["catalog.py"]
        assert state.INSTALLED_TAG == "amilab:installed"
