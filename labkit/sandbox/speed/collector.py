"""Python's cyclic garbage collector, tuned for a kernel that keeps most of what it makes.

A lesson's kernel allocates a great deal that lives as long as the sandbox or the kernel:
moto's and botocore's models, the sandbox's starting state, matplotlib's and ipywidgets' modules.
With Python's default thresholds the collector ran some 450 young collections in lesson 7, which
cascaded into full ones walking every object in the kernel (50-90 ms each): 0.1 s of the lesson.
So the lab collects young objects after 5,000 allocations instead of 700: a lesson's full
collections are gone and the collector's time is about halved. Cyclic garbage still goes, a
little later. The middle generation keeps Python's 10 young collections: 20 (tried) made the same
total in half as many pauses of twice the length, 16-20 ms each, enough to push a chart or a
widget cell past 100 ms wherever one landed (measured in every lesson's kernel, 2026-12-02).

The thresholds are the lab's only while a sandbox runs (``tuned_collector``): stopping it puts
back whatever the process had.

(Freezing a started sandbox's state as well, as ``loading`` freezes moto's models, saved only a
further 10-15 ms, and each restart would then keep the old state's cycles: 6 MB per ``Lab()``.)
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["MIDDLE_THRESHOLD", "YOUNG_THRESHOLD", "tuned_collector", "tune_collector"]

#: Allocations (less deallocations) of tracked objects between two young collections.
YOUNG_THRESHOLD = 5_000
#: Young collections between two collections of the middle generation (Python's default).
MIDDLE_THRESHOLD = 10


def tune_collector() -> None:
    """Raise the collector's thresholds to the lab's, never lowering one already higher."""
    young, middle, old = gc.get_threshold()
    gc.set_threshold(max(young, YOUNG_THRESHOLD), max(middle, MIDDLE_THRESHOLD), old)


@contextmanager
def tuned_collector() -> Iterator[None]:
    """The lab's thresholds inside the block; the process's own again when it ends."""
    saved = gc.get_threshold()
    tune_collector()
    try:
        yield
    finally:
        gc.set_threshold(*saved)
