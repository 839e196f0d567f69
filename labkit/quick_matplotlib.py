"""matplotlib's ``Figure``, imported faster: a lesson's first chart is mostly that import.

About a quarter of importing ``matplotlib.figure`` (60-120 ms on 2 cores) goes to writing
docstrings nobody reads while a chart draws: as each Artist class is defined (lines, texts,
patches, collections, axes…), matplotlib lists every property it can set, with each setter's
accepted values, into the docstring of its ``set()`` method and of the methods that take those
properties (``matplotlib.artist.kwdoc``). While this module imports ``matplotlib.figure``,
``kwdoc`` answers with one line saying where the list is. It is restored right after, and its
short answers dropped from matplotlib's cache for ``%(Line2D:kwdoc)s``: ``kwdoc(Line2D)`` lists
everything again, and so do docstrings written later (pyplot's, say); those written during the
import keep the one line.

In a lesson that draws, ``Lab`` starts this import in a thread of its own when the setup cell
ends, so that the learner's first chart does not wait for it: while the
learner reads, the kernel is idle; in Run All it shares the time of the cells in between.
``figure_class`` holds a lock, so a chart drawn before the thread is done waits for it.

Nothing a chart draws depends on it: tests/test_quick_matplotlib.py draws every chart after this
import and after matplotlib's own, and compares the pictures byte for byte. Where matplotlib is
already imported (a learner's pyplot first), or ``kwdoc`` has moved (a new matplotlib), this is a
plain import; the same tests fail in the second case, so an upgrade says so.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["SHORT_PROPERTIES", "figure_class", "ready_to_draw", "text_sizes_of"]

#: Held while the Figure is imported: a thread's import and a chart's never overlap.
_IMPORTING = threading.Lock()

#: What a docstring made during the quick import says instead of the property list.
SHORT_PROPERTIES = (
    "Properties: matplotlib.artist.kwdoc(<the artist's class>) lists them "
    "(left out of this docstring so that labkit's first chart loads faster)."
)


def _short_kwdoc(artist: Any) -> str:
    return SHORT_PROPERTIES


def figure_class() -> type:
    """``matplotlib.figure.Figure``, imported without writing the Artists' property lists."""
    with _IMPORTING:
        return _figure_class()


def ready_to_draw() -> type:
    """``figure_class()``, then what a lesson's first picture would otherwise load itself: the Agg
    canvas, Pillow's image formats (the PNG writer) and the default font's lookup (≈ 8 ms of a
    first chart). Run in the background after a setup cell (labkit/lab.py)."""
    figure = figure_class()
    import matplotlib.backends.backend_agg  # noqa: F401 - imported for the first picture
    import PIL.Image
    from matplotlib import font_manager

    PIL.Image.preinit()
    font_manager.findfont(font_manager.FontProperties())
    return figure


def _figure_class() -> type:
    if "matplotlib.figure" in sys.modules:
        return sys.modules["matplotlib.figure"].Figure
    import matplotlib.artist as artist

    from .patches import Patches, PatchTargetError

    patches = Patches()  # the one seam: reversible, and it names a target that moved
    try:
        patches.replace(artist, "kwdoc", _short_kwdoc)
    except PatchTargetError:  # a new matplotlib: import as it does (the twin tests say so)
        from matplotlib.figure import Figure

        return Figure
    try:
        from matplotlib.figure import Figure
    finally:
        patches.undo()
        _forget_short_answers()
    return Figure


def _forget_short_answers() -> None:
    """Drop the short answers matplotlib cached for ``%(Line2D:kwdoc)s`` in docstrings."""
    from matplotlib import _docstring

    cached = getattr(getattr(_docstring, "interpd", None), "params", None)
    if isinstance(cached, dict):
        for key in [k for k, v in cached.items() if v is SHORT_PROPERTIES]:
            del cached[key]


@contextmanager
def text_sizes_of(renderer: Any) -> Iterator[None]:
    """Inside the block, every Agg renderer of ``renderer``'s resolution measures text with its
    remembered sizes.

    matplotlib remembers text sizes per renderer object, and ``savefig`` with a crop box draws on
    a new renderer of the cropped size: every label was measured twice, once to find the box and
    once to draw (≈ 20 ms a chart). A text's size depends on the font and the resolution, not on
    the canvas, so the second renderer can use the first one's. Where matplotlib no longer has
    the function (a new matplotlib), the block changes nothing; tests/test_plots.py compares the
    pictures with ``savefig(bbox_inches="tight")`` byte for byte.
    """
    from matplotlib import text

    from .patches import Patches, PatchTargetError

    original = getattr(text, "_get_text_metrics_function", None)

    def metrics_function(other: Any, *args: Any, **kwargs: Any) -> Any:
        if type(other) is type(renderer) and other.dpi == renderer.dpi:
            other = renderer
        return original(other, *args, **kwargs)

    patches = Patches()
    try:
        patches.replace(text, "_get_text_metrics_function", metrics_function)
    except PatchTargetError:
        # A matplotlib without the function: the picture comes out the same, its labels measured
        # twice; tests/test_quick_matplotlib.py (TestTextSizesOf) fails, so an upgrade says so.
        patches = Patches()
    try:
        yield
    finally:
        patches.undo()
