"""docs/gradebook-example/ is what `labkit gradebook` writes today."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_the_documented_example_is_current(monkeypatch, capsys):
    spec = importlib.util.spec_from_file_location(
        "gradebook_example", ROOT / "scripts" / "gradebook_example.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    monkeypatch.chdir(ROOT)
    assert module.main(["--check"]) == 0, capsys.readouterr().out
    err = capsys.readouterr().err
    assert "mallory.json" in err and "nadia.json" in err  # the two bad files, named and skipped
