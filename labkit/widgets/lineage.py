"""A picture of where images came from and where they went: base → image → copies → shares.

Drawn as SVG from the sandbox's state, read with each lab account's own boto3 clients: the
images it owns, their ``SourceImageId``/``SourceImageRegion`` (the parent: the copied image, or
for an image with a ``SourceInstanceId`` the image its instance was launched from), and launch
permissions.
Columns are Regions, rows are accounts: an arrow across columns is a copy between Regions, an
arrow across rows a change of owner or a share.

>>> from labkit.widgets import Lineage
>>> Lineage(lab)                            # doctest: +SKIP
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import traitlets

from ._base import LabWidget, reports_errors
from .lineage_graph import Edge, Graph, Node, family, read_graph
from .lineage_picture import svg

__all__ = ["Edge", "Graph", "Lineage", "Node", "family", "read_graph", "svg"]


class Lineage(LabWidget):
    """Source → copies → shares of the lab's images, across Regions and accounts.

    Args:
        lab: a labkit ``Lab`` (or ``Sandbox``).
        image_id: show only this image's family (every image when omitted).
    """

    focus = traitlets.Unicode("", help="Show only the family of this image ID ('' for all).")

    def __init__(self, lab: Any, image_id: str = "") -> None:
        """Raises ValueError for an ``image_id`` that is no image of the lab's accounts."""
        image_id = self.image_argument(image_id)
        super().__init__(lab)
        self.graph = Graph()
        self.shown = Graph()
        self.focus_picker = widgets.Dropdown(
            options=[("every image", "")],
            description="Family of",
            layout=widgets.Layout(width="520px"),
        )
        widgets.link((self.focus_picker, "value"), (self, "focus"))
        self.refresh_button = widgets.Button(description="Refresh", icon="refresh")
        self.refresh_button.on_click(lambda _: self.refresh())
        self.picture = widgets.HTML(layout=widgets.Layout(overflow="auto", max_width="100%"))
        self.words = widgets.HTML()
        self.children = [
            self.css(),
            widgets.HTML('<span class="amilab-title">Image lineage</span>'),
            widgets.HBox([self.focus_picker, self.refresh_button]),
            self.picture,
            self.words,
            self.message,
            self.output,
        ]
        self.observe(lambda _: self.render(), "focus")
        self.refresh(image_id)
        self.require_found(image_id, "no image of the lab's accounts has this ID")

    @reports_errors
    def refresh(self, image_id: str = "") -> None:
        """Read the sandbox again and redraw."""
        self.graph = read_graph(self.sandbox)
        wanted = image_id or self.focus
        options = [("every image", "")] + [
            (f"{n.name} — {n.image_id} ({n.region})", n.image_id)
            for n in self.graph.nodes.values()
            if not n.outside
        ]
        self.focus_picker.options = options
        self._missing = wanted if wanted and wanted not in [v for _, v in options] else ""
        if self._missing:
            self.say(f"{wanted} is not an image of the lab's accounts; showing every image.")
            wanted = ""
        else:
            self.clear_message()
        if self.focus == wanted:
            self.render()
        else:
            self.focus = wanted

    def render(self) -> None:
        """Draw the picture (and its words) for the current focus."""
        if self.focus:
            key = next((k for k in self.graph.nodes if k[1] == self.focus), None)
            self.shown = family(self.graph, key) if key else self.graph
        else:
            self.shown = self.graph
        self.picture.value = svg(self.shown)
        lines = self.shown.lines()
        self.words.value = (
            "<details><summary>In words</summary><ul>"
            + "".join(f"<li>{html.escape(line)}</li>" for line in lines)
            + "</ul></details>"
            if lines
            else ""
        )
