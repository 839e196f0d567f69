"""One lab per test module for the property tests: lesson 03's state (the learner's web-server-v1
image, its snapshot and the instance it came from), with progress kept out of $HOME."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from labkit import Lab


@pytest.fixture(scope="module")
def lab(tmp_path_factory) -> Iterator[Lab]:
    """Lesson 03's starting state, shared by a module's property tests (each leaves it as found)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AMILAB_PROGRESS", str(tmp_path_factory.mktemp("progress") / "p.json"))
        lab = Lab("03-copy-across-regions", quiet=True)
        yield lab
        lab.stop()
