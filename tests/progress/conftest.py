"""A fresh progress file per test, outside $HOME, and the warn-once flag reset."""

from __future__ import annotations

import importlib
import json

import pytest

store = importlib.import_module("labkit.progress.store")


@pytest.fixture
def progress_file(tmp_path, monkeypatch):
    """AMILAB_PROGRESS points at a file in a fresh folder (not created yet)."""
    path = tmp_path / "home" / "progress.json"
    monkeypatch.setenv(store.ENV_VAR, str(path))
    monkeypatch.setattr(store, "_warned", False)
    return path


def saved(path) -> dict:
    """The JSON in ``path``."""
    return json.loads(path.read_text(encoding="utf-8"))
