"""Reversible patches on moto's classes, so the sandbox's rules apply only while it runs.

Two verbs, each loud when moto moves: ``replace`` changes something moto has (and fails if moto no
longer has it: a rule would silently switch off), ``add`` gives moto something it lacks (and fails
if moto now has its own: labkit's version would silently hide moto's). Either way the sandbox
refuses to start and names the attribute, instead of teaching something wrong.
"""

from __future__ import annotations

from typing import Any

__all__ = ["PatchTargetError", "Patches"]

_MISSING = object()


class PatchTargetError(RuntimeError):
    """moto changed where labkit patches it: a rule would be lost, or would hide moto's own."""


def _where(owner: Any, name: str) -> str:
    module = getattr(owner, "__module__", None) or getattr(owner, "__name__", "?")
    qualname = getattr(owner, "__qualname__", None)
    return f"{module}.{qualname}.{name}" if qualname else f"{module}.{name}"


class Patches:
    """A list of attribute changes that can be undone in reverse order."""

    def __init__(self) -> None:
        self._saved: list[tuple[Any, str, Any]] = []

    def replace(self, owner: Any, name: str, new: Any) -> None:
        """Set ``owner.name = new`` where moto has ``name`` (on the class or a base class).

        Raises:
            PatchTargetError: if ``owner`` has no ``name``: moto renamed or removed it.
        """
        if not hasattr(owner, name):
            raise PatchTargetError(
                f"labkit replaces {_where(owner, name)}, which this moto does not have: it was "
                "renamed or removed, and the rule that replaces it would silently stop working"
            )
        self._set(owner, name, new)

    def add(self, owner: Any, name: str, new: Any) -> None:
        """Give ``owner`` a ``name`` that moto does not have.

        Raises:
            PatchTargetError: if ``owner`` already has ``name``: moto now implements it itself.
        """
        if hasattr(owner, name):
            raise PatchTargetError(
                f"labkit adds {_where(owner, name)}, which this moto now has itself: check "
                "whether moto's version follows AWS, then drop labkit's or make it a replace"
            )
        self._set(owner, name, new)

    def _set(self, owner: Any, name: str, new: Any) -> None:
        """Remember what the owner itself held (not a base class's), then set the new value."""
        self._saved.append((owner, name, owner.__dict__.get(name, _MISSING)))
        setattr(owner, name, new)

    def targets(self) -> list[tuple[Any, str]]:
        """Every ``(owner, name)`` changed and not yet undone, in the order they were changed."""
        return [(owner, name) for owner, name, _old in self._saved]

    def undo(self) -> None:
        """Put every changed attribute back as it was (an added one is removed)."""
        while self._saved:
            owner, name, old = self._saved.pop()
            if old is _MISSING:
                delattr(owner, name)
            else:
                setattr(owner, name, old)
