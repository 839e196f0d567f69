"""docs/gradebook-example/ is what `labkit gradebook` writes today."""

from __future__ import annotations

from pathlib import Path

from script_loading import load_script

ROOT = Path(__file__).resolve().parents[3]


def test_the_documented_example_is_current(monkeypatch, capsys):
    module = load_script("scripts/gradebook_example.py", "gradebook_example")
    monkeypatch.chdir(ROOT)
    assert module.main(["--check"]) == 0, capsys.readouterr().out
    err = capsys.readouterr().err
    assert "mallory.json" in err and "nadia.json" in err  # the two bad files, named and skipped
