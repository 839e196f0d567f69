"""One seam per library: only labkit.seam imports moto's and botocore's internals, loudly.

``labkit/seam/moto.py`` and ``labkit/seam/botocore.py`` name every internal labkit uses; every
other module imports the names from them (botocore's public ``exceptions`` and ``config`` and
boto3 excepted). A name a new moto or botocore moved fails with SeamError, naming it and the
versions to install.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from labkit import seam

LABKIT = Path(seam.__file__).resolve().parent.parent
SEAM = LABKIT / "seam"
LIBRARIES = ("moto", "botocore")
PUBLIC = ("botocore.exceptions", "botocore.config")


def imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    """``(line, module)`` for every absolute import in ``tree``, function-level ones included."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def is_internal(module: str) -> bool:
    """True for moto and botocore modules other than botocore's public surface."""
    if module.split(".")[0] not in LIBRARIES:
        return False
    return not any(module == public or module.startswith(public + ".") for public in PUBLIC)


def offenders(root: Path) -> list[str]:
    """``path:line module`` for every import of an internal outside ``labkit/seam``."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if SEAM in path.parents:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, module in imported_modules(tree):
            if is_internal(module):
                found.append(f"{path.relative_to(root.parent)}:{line} {module}")
    return found


class TestOnlyTheSeamImportsInternals:
    def test_no_module_outside_the_seam_imports_moto_or_botocore_internals(self):
        assert offenders(LABKIT) == [], "import these from labkit.seam.moto / .botocore"

    def test_the_walk_finds_an_import_it_should_refuse(self, tmp_path):
        """It catches top-level and function-level imports, ``import a.b`` and ``from a import``."""
        package = tmp_path / "labkit"
        (package / "seam").mkdir(parents=True)
        (package / "seam" / "moto.py").write_text("from moto.ec2.models.amis import Ami\n")
        (package / "rules.py").write_text(
            "import moto.core.utils\n"
            "from botocore.exceptions import ClientError\n"
            "def f():\n    from botocore import xform_name\n"
            "from labkit.seam.moto import Ami\n"
        )
        found = offenders_in(package)
        assert found == [
            "labkit/rules.py:1 moto.core.utils",
            "labkit/rules.py:4 botocore.xform_name",
        ]


def offenders_in(package: Path) -> list[str]:
    """``offenders`` for a stand-in package with its own ``seam`` folder."""
    global SEAM
    saved, SEAM = SEAM, package / "seam"
    try:
        return offenders(package)
    finally:
        SEAM = saved


class TestTheSeamsTables:
    @pytest.mark.parametrize("library", LIBRARIES)
    def test_every_name_resolves_on_the_pinned_versions(self, library):
        """Each internal the seam names exists in the installed (pinned) moto and botocore."""
        module = __import__(f"labkit.seam.{library}", fromlist=["INTERNALS"])
        for name, where in module.INTERNALS.table.items():
            assert module.INTERNALS.resolve(where) is not None, name

    def test_importing_the_seam_imports_no_aws_library(self):
        """The seam's modules load their library only when a name is first asked for."""
        probe = (
            "import json, sys\n"
            "import labkit.seam.moto, labkit.seam.botocore\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('moto', 'botocore', 'boto3'))))"
        )
        out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        assert json.loads(out.stdout) == []

    def test_an_unknown_name_is_an_attribute_error(self):
        import labkit.seam.moto

        with pytest.raises(AttributeError, match="add it to the table"):
            labkit.seam.moto.NotAName  # noqa: B018


class TestLoudOnDrift:
    def test_a_moved_class_names_the_internal_and_the_versions(self):
        internals = seam.Internals("moto", {"Gone": "moto.ec2.models.amis:AmiThatMoved"}, {})
        with pytest.raises(seam.SeamError) as caught:
            internals.getattr("Gone")
        message = str(caught.value)
        assert "moto.ec2.models.amis.AmiThatMoved" in message
        assert "moved or was removed" in message
        assert "moto 5.2.5 is installed" in message

    def test_a_moved_module_names_it(self):
        internals = seam.Internals("botocore", {"gone": "botocore.loaders_renamed"}, {})
        with pytest.raises(seam.SeamError, match=r"botocore's internal botocore\.loaders_renamed"):
            internals.getattr("gone")

    def test_other_versions_get_the_install_command(self, monkeypatch):
        """With another moto installed, the message says which and how to install the pinned one."""
        from labkit import versions

        monkeypatch.setattr(versions, "_installed", lambda name: "9.9.9")
        monkeypatch.setattr(versions, "_exact_pins", lambda: {"moto": "5.2.5"})
        internals = seam.Internals("moto", {"Gone": "moto.core:NothingHere"}, {})
        with pytest.raises(seam.SeamError) as caught:
            internals.getattr("Gone")
        message = str(caught.value)
        assert "moto 9.9.9 is installed" in message
        assert "pip install 'moto==5.2.5'" in message

    def test_from_import_of_a_moved_name_raises_the_seam_error(self, monkeypatch):
        """``from labkit.seam.moto import X`` surfaces SeamError itself, not a bare ImportError."""
        import labkit.seam.moto as seam_moto

        monkeypatch.setitem(seam_moto.INTERNALS.table, "Gone", "moto.core:NothingHere")
        with pytest.raises(seam.SeamError, match=r"moto\.core\.NothingHere"):
            from labkit.seam.moto import Gone  # noqa: F401

    def test_a_name_outside_the_library_is_refused(self):
        with pytest.raises(ValueError, match="not inside moto"):
            seam.Internals("moto", {"Session": "boto3.session:Session"}, {})
