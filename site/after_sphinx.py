"""What site/build.py does to the built HTML after Sphinx: learner editions as the downloads,
controls named as they show (WCAG 4.1.2, 2.5.3), and the offline check (no page loads anything
from the network)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from labkit.release import learner_notebook

ROOT = Path(__file__).resolve().parents[1]

__all__ = [
    "EXTERNAL_LOAD",
    "accessible_page",
    "accessible_pages",
    "external_loads",
    "learner_downloads",
    "write_json",
]

#: A page must not load anything from the network: the site works offline.
EXTERNAL_LOAD = re.compile(
    r"<(?:script|img|iframe|source|embed)\b[^>]*\ssrc=[\"']?(?:https?:)?//"
    r"|<link\b[^>]*\shref=[\"']?(?:https?:)?//"
    r"|@import\s+(?:url\()?[\"']?(?:https?:)?//"
    r"|url\([\"']?(?:https?:)?//",
    re.IGNORECASE,
)


def write_json(path: Path, notebook: dict[str, Any]) -> None:
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def learner_downloads(html: Path, lessons: list[str]) -> None:
    """Each lesson's download button gives its learner edition, as the launch button does."""
    for name in lessons:
        source = html / "_sources" / name
        if not source.is_file():
            raise SystemExit(f"site: {source} is missing: the download button would be broken")
        original = json.loads((ROOT / "notebooks" / name).read_text(encoding="utf-8"))
        edition = learner_notebook(original, name)
        write_json(source, edition)


#: The theme's controls whose ARIA names hide what they show, or that have no name (axe-core's
#: label-content-name-mismatch and summary-name, both serious), and how each page is mended.
_FOLD_LABEL = '<summary aria-label="Toggle hidden content">'  # myst-nb's hide-input fold
_SEARCH_FIELD = re.compile(
    r'(<button class="btn search-button-field[^"]*"[^>]*?) aria-label="Search"'
)
_THEME_ICON = re.compile(r'(<i class="theme-switch [^"]*"[^>]*?) title="[^"]*"')
_SECTION_TOGGLE = re.compile(
    r'(<a class="[^"]*reference internal" href="[^"]*">(?P<text>.*?)</a>)'
    r"(?P<details><details[^>]*>)<summary>"
)


def accessible_page(page: str) -> str:
    """A built page with named controls (WCAG 4.1.2, 2.5.3): the name a screen reader says is
    what the control shows.

    - A fold ("Show the solution") is named by its visible words, not "Toggle hidden content".
    - The search field is named by its words ("Search Ctrl+K"), not a shorter label.
    - The colour-mode button is "Color mode"; its icons' own titles no longer compete.
    - A section's "show its pages" toggle in the contents gets a name: "Pages of <section>".
    """
    page = page.replace(_FOLD_LABEL, "<summary>")
    page = _SEARCH_FIELD.sub(r"\1", page)
    page = _THEME_ICON.sub(r'\1 aria-hidden="true"', page)

    def named(match: re.Match[str]) -> str:
        words = re.sub(r"<[^>]+>", "", match["text"]).replace('"', "&quot;")
        return f'{match[1]}{match["details"]}<summary aria-label="Pages of {words}">'

    return _SECTION_TOGGLE.sub(named, page)


def accessible_pages(html: Path) -> None:
    """Mend every page of the built site with :func:`accessible_page`."""
    for path in html.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        mended = accessible_page(text)
        if mended != text:
            path.write_text(mended, encoding="utf-8")


def external_loads(html: Path) -> list[str]:
    """Every place where a page or stylesheet would fetch something from the network."""
    found = []
    for path in sorted(html.rglob("*")):
        if path.suffix not in (".html", ".css") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in EXTERNAL_LOAD.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{path.relative_to(html)}:{line}: {text[match.start() :][:100]!r}")
    return found
