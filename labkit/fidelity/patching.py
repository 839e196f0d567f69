"""The fidelity rules' name for ``labkit.patches`` (reversible, loud patches; a leaf module, so
the sandbox's speedups can use it before moto's models and the rules are imported)."""

from __future__ import annotations

from ..patches import Patches, PatchTargetError

__all__ = ["PatchTargetError", "Patches"]
