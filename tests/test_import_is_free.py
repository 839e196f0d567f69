"""``import labkit`` and the labkit command's light subcommands import neither moto nor boto3."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("moto", "boto3", "botocore")

PROBE = """
import json, sys
{code}
heavy = sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r})
print(json.dumps(heavy))
"""


def heavy_modules_after(code: str) -> list[str]:
    """The moto/boto3/botocore modules a fresh interpreter holds after running ``code``."""
    probe = PROBE.format(code=code, heavy=HEAVY)
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


class TestImportIsFree:
    def test_import_labkit(self):
        """import labkit loads no AWS library (its names load on first use)."""
        assert heavy_modules_after("import labkit") == []

    @pytest.mark.parametrize(
        "module", ["labkit.tools.cli", "labkit.tools.release", "labkit.tools.doctor"]
    )
    def test_tools_import_nothing_heavy(self, module):
        """The command-line tools' modules load no AWS library at import."""
        assert heavy_modules_after(f"import {module}") == []

    def test_help_imports_nothing_heavy(self):
        """labkit --help prints its usage without loading moto or boto3."""
        code = (
            "import contextlib, io\n"
            "from labkit.tools.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try:\n        main(['--help'])\n    except SystemExit:\n        pass"
        )
        assert heavy_modules_after(code) == []

    def test_lazy_names_still_work(self):
        """The public names load on first use and are the real objects."""
        import labkit
        from labkit.lab import Lab
        from labkit.sandbox.sandbox import Sandbox

        assert labkit.Lab is Lab and labkit.Sandbox is Sandbox
        assert set(labkit.__all__) <= set(dir(labkit))
        with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
            labkit.nothing_here  # noqa: B018
