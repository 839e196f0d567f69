"""Doctor checks of programs outside Python that a lesson runs: HashiCorp Packer (lesson 10)."""

from __future__ import annotations

from .report import OK, WARN, Finding

__all__ = ["check_packer"]


def check_packer() -> Finding:
    """Packer: only lesson 10 needs it, so its absence is a warning, not an error."""
    from ...packer import find_packer, packer_version

    program = find_packer()
    if program is None:
        return Finding(
            "packer",
            WARN,
            "not installed: only lesson 10 (Bake it with Packer) needs it; its checks say skipped",
            "apt-get install packer  (or: conda install -c conda-forge packer)",
        )
    version = packer_version(program)
    if version is None:
        return Finding(
            "packer",
            WARN,
            f"{program} does not answer `packer version`",
            "reinstall Packer (apt-get install --reinstall packer)",
        )
    return Finding("packer", OK, f"{version} ({program})")
