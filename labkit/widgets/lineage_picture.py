"""The lineage graph drawn as SVG: columns are Regions, rows are accounts.

An arrow across columns is a copy between Regions, an arrow across rows a change of owner or a
share.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from ..accounts import ACCOUNTS, REGIONS
from ._base import region_label
from .lineage_graph import EVERYONE, Edge, Graph, Key, Node, account_name

__all__ = ["svg"]

_BOX_W, _BOX_H, _CHIP_H, _GAP = 176, 50, 24, 10
#: Each Region's column: a gutter on the left for arrows within the column, the boxes, a margin.
_GUTTER, _MARGIN = 46, 14
_COLUMN = _GUTTER + _BOX_W + _MARGIN
_LEFT, _TOP = 104, 54
_LANE = 6  # pixels between arrows that run side by side
_STYLE = {
    "copy": ("#1f6feb", "", "copy"),
    "create": ("#6e7781", "", "CreateImage"),
    "share": ("#1a7f37", "5,4", "shared"),
}


def _rows(graph: Graph) -> list[str]:
    """Row order: outside owners (Amazon…), then learner, partner, seller, then other grantees."""
    owners = {n.owner_id for n in graph.nodes.values()}
    grantees = {e.target[1] for e in graph.edges if e.kind == "share" and e.target[1] != EVERYONE}
    outside = sorted(o for o in owners if o not in ACCOUNTS.values())
    lab = [a for a in ACCOUNTS.values() if a in owners or a in grantees]
    others = sorted(g for g in grantees if g not in ACCOUNTS.values() and g not in outside)
    return outside + lab + others


@dataclass
class _Layout:
    """Where everything goes: item boxes, row tops, and how each arrow is routed."""

    columns: list[str]
    rows: list[str]
    cells: dict[tuple[str, str], list[tuple[str, Any]]]
    boxes: dict[Key, tuple[float, float, float, float]] = field(default_factory=dict)
    row_top: dict[str, float] = field(default_factory=dict)
    height: float = 0
    width: float = 0


def _layout(graph: Graph) -> tuple[_Layout, list[tuple[Edge, str]]]:
    rows = _rows(graph)
    shares = [e for e in graph.edges if e.kind == "share" and e.target[1] != EVERYONE]
    used = {n.region for n in graph.nodes.values()} | {e.target[0] for e in shares}
    columns = [r for r in REGIONS if r in used] + sorted(used - set(REGIONS))
    cells: dict[tuple[str, str], list[tuple[str, Any]]] = {}
    for node in sorted(graph.nodes.values(), key=lambda n: (not n.outside, n.name, n.image_id)):
        cells.setdefault((node.owner_id, node.region), []).append(("node", node))
    for edge in shares:
        chip = ("chip", edge.target)
        if chip not in cells.get((edge.target[1], edge.target[0]), []):
            cells.setdefault((edge.target[1], edge.target[0]), []).append(chip)
    layout = _Layout(columns, rows, cells)
    # How each arrow runs: within a column (its gutter), to the next column (a curve), or
    # further (down to a band under its row, across, and up the target column's gutter).
    node_row = {n.key: n.owner_id for n in graph.nodes.values()}
    routes: list[tuple[Edge, str]] = []
    bands: dict[str, int] = {}
    for edge in graph.edges:
        if edge.kind == "share" and edge.target[1] == EVERYONE:
            continue  # a badge on the image, not an arrow
        source_column = columns.index(edge.source[0])
        target_column = columns.index(edge.target[0])
        if source_column == target_column:
            routes.append((edge, "lane"))
        elif target_column == source_column + 1:
            routes.append((edge, "curve"))
        else:
            row = node_row[edge.source]
            bands[row] = bands.get(row, 0) + 1
            routes.append((edge, "band"))

    def height(item: tuple[str, Any]) -> int:
        return _BOX_H if item[0] == "node" else _CHIP_H

    y = _TOP
    for row in rows:
        layout.row_top[row] = y
        items = max(sum(height(i) + _GAP for i in cells.get((row, c), [])) for c in columns)
        band = 8 + _LANE * bands[row] if row in bands else 0
        y += max(items, _CHIP_H + _GAP) + band + _GAP
        for index, region in enumerate(columns):
            x, top = _LEFT + index * _COLUMN + _GUTTER, layout.row_top[row]
            for item in cells.get((row, region), []):
                key = item[1].key if item[0] == "node" else item[1]
                layout.boxes[key] = (x, top, _BOX_W, height(item))
                top += height(item) + _GAP
    layout.height = y + 6
    layout.width = _LEFT + _COLUMN * len(columns)
    return layout, routes


def _picture_name(graph: Graph) -> str:
    """The picture's accessible name: what it shows, in one sentence."""
    regions = sorted({key[0] for key in graph.nodes})
    return (
        f"Image lineage: {len(graph.nodes)} image(s) in {', '.join(regions)}, with their copies "
        "and shares; the list In words below says the same."
    )


def svg(graph: Graph) -> str:
    """The graph as an SVG picture: Regions as columns, accounts as rows (pure)."""
    if not graph.nodes:
        return (
            '<p class="amilab-muted">No images of the lab\'s accounts yet: create one '
            "(lesson 02) and it appears here, with its copies and shares.</p>"
        )
    layout, routes = _layout(graph)
    width, height = layout.width, layout.height
    aliases = {n.owner_id: n.alias for n in graph.nodes.values() if n.alias}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        # A picture with a name; "In words" under it says the same as a list.
        f'role="img" aria-label="{html.escape(_picture_name(graph))}" '
        f'style="width:100%;max-width:{width}px;height:auto" font-family="sans-serif" '
        'font-size="11">',
        "<defs>",
    ]
    for kind, (colour, _, _) in _STYLE.items():
        parts.append(
            f'<marker id="amilab-arrow-{kind}" viewBox="0 0 10 10" refX="9" refY="5" '
            f'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
        )
    parts.append("</defs>")
    for index, region in enumerate(layout.columns):
        x = _LEFT + index * _COLUMN
        parts.append(
            f'<rect x="{x + 4}" y="{_TOP - 28}" width="{_COLUMN - 8}" '
            f'height="{height - _TOP + 22}" fill="#f6f8fa" rx="6"/>'
            f'<text x="{x + _GUTTER}" y="{_TOP - 12}" font-weight="bold">'
            f"{html.escape(region_label(region))}</text>"
        )
    for row in layout.rows:
        top = layout.row_top[row]
        if row != layout.rows[0]:
            parts.append(
                f'<line x1="4" x2="{width - 4}" y1="{top - _GAP / 2}" y2="{top - _GAP / 2}" '
                'stroke="#d0d7de" stroke-dasharray="2,3"/>'
            )
        parts.append(
            f'<text x="8" y="{top + 16}" font-weight="bold">'
            f"{html.escape(_row_title(row, aliases))}</text>"
            f'<text x="8" y="{top + 30}" fill="#666">{html.escape(row if row.isdigit() else "")}'
            "</text>"
        )
    parts += _arrows(layout, routes)
    for items in layout.cells.values():
        for kind, item in items:
            key = item.key if kind == "node" else item
            x, y, _, _ = layout.boxes[key]
            if kind == "node":
                parts.append(_node_svg(item, x, y))
            else:
                parts.append(
                    f'<rect x="{x}" y="{y}" width="{_BOX_W}" height="{_CHIP_H}" rx="12" '
                    'fill="#dafbe1" stroke="#1a7f37"/>'
                    f'<text x="{x + 12}" y="{y + 16}">'
                    f"{html.escape(account_name(item[1]))} can launch</text>"
                )
    legend_x = 8
    for kind, (colour, dash, label) in _STYLE.items():
        parts.append(
            f'<line x1="{legend_x}" x2="{legend_x + 26}" y1="10" y2="10" stroke="{colour}" '
            f'stroke-width="2" stroke-dasharray="{dash}" marker-end="url(#amilab-arrow-{kind})"/>'
            f'<text x="{legend_x + 32}" y="14">{label}</text>'
        )
        legend_x += 120
    parts.append("</svg>")
    return "".join(parts)


def _arrows(layout: _Layout, routes: list[tuple[Edge, str]]) -> list[str]:
    """SVG paths for every arrow, each in its own lane where arrows would otherwise overlap."""
    boxes = layout.boxes
    # Arrows from one image within a column share a lane, like a tree's trunk and branches;
    # the shortest trunks run nearest the boxes.
    trunks: dict[tuple[str, Key, str], float] = {}
    for edge, how in routes:
        if how == "lane":
            group = (edge.source[0], edge.source, edge.kind)
            span = abs(boxes[edge.target][1] - boxes[edge.source][1])
            trunks[group] = max(trunks.get(group, 0), span)
    used: dict[str, int] = {}
    lane_of: dict[tuple[str, Key, str], int] = {}
    for group, _span in sorted(trunks.items(), key=lambda item: item[1]):
        lane_of[group] = used.get(group[0], 0)
        used[group[0]] = lane_of[group] + 1
    band_index: dict[str, int] = {}
    paths = []
    for edge, how in routes:
        sx, sy, sw, sh = boxes[edge.source]
        tx, ty, tw, th = boxes[edge.target]
        start_y, end_y = sy + sh / 2, ty + th / 2
        if how == "lane":
            lane = lane_of[(edge.source[0], edge.source, edge.kind)]
            x = sx - 10 - _LANE * lane
            path = f"M{sx},{start_y} H{x} V{end_y} H{tx}"
        elif how == "curve":
            x1, x2 = sx + sw, tx
            bend = (x2 - x1) / 2
            path = f"M{x1},{start_y} C{x1 + bend},{start_y} {x2 - bend},{end_y} {x2},{end_y}"
        else:
            row = max((r for r in layout.rows if layout.row_top[r] <= sy), key=layout.row_top.get)
            k = band_index.get(row, 0)
            band_index[row] = k + 1
            next_top = min((t for t in layout.row_top.values() if t > sy), default=layout.height)
            band_y = next_top - _GAP - 4 - _LANE * k
            lane = used.get(edge.target[0], 0)
            used[edge.target[0]] = lane + 1
            x = tx - 10 - _LANE * lane
            path = f"M{sx + sw},{start_y} H{sx + sw + 7} V{band_y} H{x} V{end_y} H{tx}"
        colour, dash, _ = _STYLE[edge.kind]
        paths.append(
            f'<path class="amilab-edge-{edge.kind}" d="{path}" fill="none" stroke="{colour}" '
            f'stroke-width="2" stroke-dasharray="{dash}" '
            f'marker-end="url(#amilab-arrow-{edge.kind})"/>'
        )
    return paths


def _row_title(account_id: str, aliases: dict[str, str]) -> str:
    if account_id in ACCOUNTS.values():
        return account_name(account_id)
    if account_id == "?":
        return "owner unknown"
    return aliases.get(account_id) or "another account"


def _node_svg(node: Node, x: float, y: float) -> str:
    fill, stroke = ("#ffffff", "#8c959f") if node.outside else ("#ddf4ff", "#1f6feb")
    badges = " · ".join(
        word for word, on in (("public", node.public), ("encrypted", node.encrypted)) if on
    )
    name = node.name if len(node.name) <= 25 else node.name[:24] + "…"
    return (
        f"<g><title>{html.escape(f'{node.image_id} {node.name}')}</title>"
        f'<rect x="{x}" y="{y}" width="{_BOX_W}" height="{_BOX_H}" rx="5" fill="{fill}" '
        f'stroke="{stroke}"/>'
        f'<text x="{x + 8}" y="{y + 15}" font-weight="bold">{html.escape(name)}</text>'
        f'<text x="{x + 8}" y="{y + 30}" font-family="monospace">{node.image_id}</text>'
        f'<text x="{x + 8}" y="{y + 44}" font-size="10" fill="#1a7f37">{badges}</text></g>'
    )
