"""The gradebook as one HTML page: a chart of the class, its text alternative, and the learners.

The chart is inline SVG (no script, nothing loaded from the network): for each exercise, in course
order, one bar for how many learners passed it and one for how many stopped there (it is the last
exercise they passed). The SVG has a title and description for screen readers, and the same numbers
follow in a table, which is the chart's text alternative.
"""

from __future__ import annotations

import html
from pathlib import Path

from .reading import Gradebook

__all__ = ["chart_counts", "chart_svg", "html_text", "write_html"]

PASSED_COLOUR = "#1f6feb"  # blue and orange: told apart with any common colour blindness
STOPPED_COLOUR = "#d9480f"
ROW = 26
LABEL_WIDTH = 270
BAR_WIDTH = 420


def chart_counts(book: Gradebook) -> list[tuple[str, str, int, int]]:
    """(lesson, exercise ID, learners who passed it, who stopped there), in course order."""
    stopped: dict[str, int] = {}
    for record in book.learners:
        furthest = book.furthest(record)
        if furthest:
            stopped[furthest.id] = stopped.get(furthest.id, 0) + 1
    return [
        (e.lesson, e.id, sum(e.id in r.passed for r in book.learners), stopped.get(e.id, 0))
        for e in book.exercises
    ]


def chart_svg(book: Gradebook, counts: list[tuple[str, str, int, int]] | None = None) -> str:
    """The chart alone, as an SVG document with its title and description (alt text)."""
    counts = chart_counts(book) if counts is None else counts
    total = max(len(book.learners), 1)
    height = ROW * len(counts) + 40
    width = LABEL_WIDTH + BAR_WIDTH + 60
    parts = [
        f'<svg role="img" aria-labelledby="chart-title chart-desc" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" '
        'font-family="sans-serif" font-size="12">',
        '<title id="chart-title">Learners who passed each exercise, and where they stopped</title>',
        f'<desc id="chart-desc">{html.escape(_summary(book, counts))} '
        "The table below the chart gives every number.</desc>",
    ]
    for index, (_, exercise_id, passed, stopped) in enumerate(counts):
        y = 10 + index * ROW
        passed_width = BAR_WIDTH * passed / total
        stopped_width = BAR_WIDTH * stopped / total
        parts += [
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 14}" text-anchor="end">'
            f"{html.escape(exercise_id)}</text>",
            f'<rect x="{LABEL_WIDTH}" y="{y + 2}" width="{passed_width:.1f}" height="11" '
            f'fill="{PASSED_COLOUR}"/>',
            f'<rect x="{LABEL_WIDTH}" y="{y + 14}" width="{stopped_width:.1f}" height="7" '
            f'fill="{STOPPED_COLOUR}"/>',
            f'<text x="{LABEL_WIDTH + passed_width + 4:.1f}" y="{y + 12}">{passed}</text>',
        ]
    legend_y = 10 + len(counts) * ROW + 12
    parts += [
        f'<rect x="{LABEL_WIDTH}" y="{legend_y - 9}" width="12" height="10" '
        f'fill="{PASSED_COLOUR}"/>',
        f'<text x="{LABEL_WIDTH + 16}" y="{legend_y}">passed (thick bar, with the count)</text>',
        f'<rect x="{LABEL_WIDTH + 230}" y="{legend_y - 7}" width="12" height="6" '
        f'fill="{STOPPED_COLOUR}"/>',
        f'<text x="{LABEL_WIDTH + 246}" y="{legend_y}">stopped here (thin bar)</text>',
        "</svg>",
    ]
    return "\n".join(parts)


def _summary(book: Gradebook, counts: list[tuple[str, str, int, int]]) -> str:
    learners = len(book.learners)
    if not counts or not learners:
        return f"{learners} learners; nothing to chart."
    text = f"{learners} learners, {len(counts)} exercises."
    most = max(c[3] for c in counts)
    if most:
        places = [c[1] for c in counts if c[3] == most]
        each = " each" if len(places) > 1 else ""
        text += (
            f" The most common last exercise passed: {' and '.join(places)} "
            f"({_learners_count(most)}{each})."
        )
    started = sum(1 for record in book.learners if book.passed(record))
    if started < learners:
        text += f" {_learners_count(learners - started)} passed no exercise yet."
    nobody = [c[1] for c in counts if c[2] == 0]
    if nobody:
        text += f" {len(nobody)} exercises were passed by nobody."
    return text


def _learners_count(n: int) -> str:
    return f"{n} learner" if n == 1 else f"{n} learners"


def _table(counts: list[tuple[str, str, int, int]]) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(lesson)}</td><td><code>{html.escape(exercise_id)}</code></td>"
        f"<td>{passed}</td><td>{stopped}</td></tr>"
        for lesson, exercise_id, passed, stopped in counts
    )
    return (
        "<table><caption>The chart's numbers</caption><thead><tr><th scope='col'>Lesson</th>"
        "<th scope='col'>Exercise</th><th scope='col'>Passed</th>"
        "<th scope='col'>Stopped here</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def _learners(book: Gradebook) -> str:
    rows = []
    for record in book.learners:
        done = len(book.passed(record))
        furthest = book.furthest(record)
        others = book.others(record)
        rows.append(
            f"<tr><th scope='row'>{html.escape(record.learner)}</th>"
            f"<td>{done} of {len(book.exercises)}</td>"
            f"<td>{html.escape(furthest.id if furthest else '—')}</td>"
            f"<td>{book.hints_used(record)}</td>"
            f"<td>{html.escape(record.course_version or 'not recorded')}</td>"
            f"<td>{html.escape(', '.join(others) or '')}</td></tr>"
        )
    return (
        "<table><caption>Learners</caption><thead><tr><th scope='col'>Learner</th>"
        "<th scope='col'>Passed</th><th scope='col'>Stopped after</th>"
        "<th scope='col'>Hints used</th><th scope='col'>Course version</th>"
        "<th scope='col'>Passed, not in this course</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _skipped(book: Gradebook) -> str:
    if not book.skipped:
        return ""
    items = "".join(
        f"<li><code>{html.escape(str(s.path))}</code>: {html.escape(s.reason)}</li>"
        for s in book.skipped
    )
    return f"<h2>Files skipped</h2><ul>{items}</ul>"


STYLE = """
body { font-family: sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em; color: #1b1b1b; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #bbb; padding: 2px 8px; text-align: left; }
caption { font-weight: bold; text-align: left; padding: 4px 0; }
"""


def html_text(book: Gradebook, title: str = "AMI Lab gradebook") -> str:
    """The page: heading, chart, its table, the learners, and the files skipped."""
    counts = chart_counts(book)
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{html.escape(title)}</h1><p>{html.escape(_summary(book, counts))}</p>"
        f"<h2>Where the class is</h2><figure>{chart_svg(book, counts)}"
        "<figcaption>Thick blue bars: learners who passed the exercise. Thin orange bars: learners "
        "whose last passed exercise it is. The numbers are in the table below.</figcaption>"
        f"</figure>{_table(counts)}<h2>Learners</h2>{_learners(book)}{_skipped(book)}"
        "</body></html>\n"
    )


def write_html(book: Gradebook, path: str | Path) -> Path:
    """Write the HTML page to ``path`` (UTF-8); return the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html_text(book), encoding="utf-8")
    return target
