"""gradebook/html_page.py: the chart, its text alternative, the learners, the skipped."""

from __future__ import annotations

from html.parser import HTMLParser

from labkit.tools.gradebook import chart_counts, html_text, read_gradebook, write_html

BOTH = {"welcome-find-image": "00-welcome", "welcome-launch": "00-welcome"}


def class_of_three(home, tmp_path):
    home("alice", BOTH)
    home("bob", {"welcome-find-image": "00-welcome"})
    home("carol", {"welcome-find-image": "00-welcome"})
    bad = tmp_path / "home" / "dave" / ".amilab" / "progress.json"
    bad.parent.mkdir(parents=True)
    bad.write_text("{oops")
    return read_gradebook([tmp_path / "home"])


def test_counts_passed_and_stopped_per_exercise(home, tmp_path):
    counts = {c[1]: (c[2], c[3]) for c in chart_counts(class_of_three(home, tmp_path))}
    assert counts["welcome-find-image"] == (3, 2)
    assert counts["welcome-launch"] == (1, 1)
    assert counts["why-user-data"] == (0, 0)


class Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_the_page_has_an_accessible_chart_and_its_table(home, tmp_path):
    page = Collector()
    page.feed(html_text(class_of_three(home, tmp_path)))
    (svg,) = [attrs for tag, attrs in page.tags if tag == "svg"]
    assert svg["role"] == "img" and svg["aria-labelledby"] == "chart-title chart-desc"
    text = " ".join(page.text)
    assert "most common last exercise passed: welcome-find-image (2 learners)" in text
    assert "The chart's numbers" in text  # the table that is the text alternative
    assert "dave" in text and "is not valid JSON" in text  # the skipped file, named
    assert sum(tag == "rect" for tag, _ in page.tags) >= 2 * len(chart_counts(read_gradebook([])))


def test_the_page_loads_nothing_from_the_network(home, tmp_path):
    page = html_text(class_of_three(home, tmp_path))
    assert "<script" not in page and "http://" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert "https://" not in page


def test_learner_names_are_escaped(tmp_path):
    from .conftest import progress_data, write_json

    write_json(tmp_path / "<b>x.json", progress_data(BOTH))
    assert "&lt;b&gt;x" in html_text(read_gradebook([tmp_path]))


def test_write_html_writes_a_file(home, tmp_path):
    path = write_html(class_of_three(home, tmp_path), tmp_path / "out.html")
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
