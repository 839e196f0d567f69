"""labkit.fidelity.patching: reversible changes to moto that fail loudly when moto moves."""

from __future__ import annotations

import pytest

from labkit.fidelity.patching import Patches, PatchTargetError


class Base:
    inherited = "base"


class Owner(Base):
    own = "own"


@pytest.fixture
def patches():
    made = Patches()
    yield made
    made.undo()


class TestReplace:
    def test_replaces_and_undoes_the_owners_attribute(self, patches):
        """replace swaps an attribute the class has, and undo puts the original back."""
        patches.replace(Owner, "own", "new")
        assert Owner.own == "new"
        patches.undo()
        assert Owner.__dict__["own"] == "own"

    def test_an_inherited_attribute_is_shadowed_then_unshadowed(self, patches):
        """replace on a base class's attribute overrides it; undo removes the override."""
        patches.replace(Owner, "inherited", "new")
        assert Owner.inherited == "new" and Base.inherited == "base"
        patches.undo()
        assert "inherited" not in Owner.__dict__ and Owner.inherited == "base"

    def test_a_target_moto_no_longer_has_is_refused(self, patches):
        """A renamed or removed target is an error naming it, not a silent no-op."""
        with pytest.raises(PatchTargetError, match=r"Owner\.renamed_method.*does not have"):
            patches.replace(Owner, "renamed_method", lambda self: None)
        assert not hasattr(Owner, "renamed_method")


class TestAdd:
    def test_adds_and_removes_a_new_attribute(self, patches):
        """add gives the class something new, and undo removes it again."""
        patches.add(Owner, "extra", 1)
        assert Owner.extra == 1
        patches.undo()
        assert not hasattr(Owner, "extra")

    @pytest.mark.parametrize("name", ["own", "inherited"])
    def test_something_moto_now_has_is_refused(self, patches, name):
        """Adding what the class (or a base) already has would hide it: an error naming it."""
        with pytest.raises(PatchTargetError, match=rf"Owner\.{name}.*now has itself"):
            patches.add(Owner, name, "labkit's")
        assert Owner.own == "own" and Owner.inherited == "base"


class TestUndoOrder:
    def test_undo_is_last_in_first_out(self, patches):
        """Two changes to one attribute undo back to the very first value."""
        patches.replace(Owner, "own", "first")
        patches.replace(Owner, "own", "second")
        patches.undo()
        assert Owner.own == "own"


def test_every_sandbox_patch_finds_its_target():
    """The sandbox's own rules all install against this moto (no target missing or taken)."""
    from labkit.sandbox.sandbox import Sandbox

    with Sandbox():
        pass
