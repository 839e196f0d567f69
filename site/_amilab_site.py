"""Still pictures of lab widgets for the static site.

site/build.py copies this module beside the lessons in _build/site/src; the cell it puts after
each widget call imports it: ``from _amilab_site import still``.
"""

from __future__ import annotations

import io

from IPython.display import Image, display


def _live(class_name):
    from ipywidgets.widgets import widget

    everyone = list(getattr(widget, "_instances", {}).values())
    return next((w for w in reversed(everyone) if type(w).__name__ == class_name), None)


def _plot(root):
    """The PNG of the widget's own plot (its plot_png, or an ipywidgets Image), if it has one."""
    if getattr(root, "plot_png", b""):
        return bytes(root.plot_png)
    seen, todo = set(), [root]
    while todo:
        node = todo.pop(0)
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        if type(node).__name__ == "Image" and getattr(node, "format", "") == "png":
            if getattr(node, "value", b""):
                return bytes(node.value)
        todo.extend(getattr(node, "children", ()))
    return None


def _placeholder(title):
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyBboxPatch

    figure = Figure(figsize=(7, 1.6), dpi=100)
    ax = figure.add_axes([0, 0, 1, 1])
    ax.set_axis_off()
    ax.add_patch(
        FancyBboxPatch(
            (0.02, 0.08),
            0.96,
            0.84,
            boxstyle="round,pad=0,rounding_size=0.04",
            facecolor="#f3f5f7",
            edgecolor="#9aa5b1",
            linewidth=1.5,
        )
    )
    ax.text(0.5, 0.62, title, ha="center", va="center", fontsize=15, weight="bold", color="#1f2d3d")
    ax.text(
        0.5,
        0.33,
        "Interactive widget: run this lesson in JupyterLab",
        ha="center",
        va="center",
        fontsize=11,
        color="#3e4c59",
    )
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def still(class_name):
    """Show a still picture of the newest live widget of this class."""
    title = "".join(" " + c if c.isupper() and i else c for i, c in enumerate(class_name))
    display(Image(_plot(_live(class_name)) or _placeholder(title.capitalize())))
