"""The course website (``make site``, site/build.py): its pages in a real browser, and its build.

``TestBuiltSite`` needs the built site in _build/site/html and is skipped, saying so, until it
exists: CI runs ``make site`` and then this file. It serves the folder from a local http.server on a
free loopback port and opens pages in Debian's ``chromium`` through Playwright (never a downloaded
browser), with every request that leaves the machine blocked and recorded. Screenshots go to
tests/screenshots/ (gitignored).

``TestBuildTimeCopy`` and ``TestSiteConfig`` need no build: they check how site/build.py turns a
lesson into a page, and that the site names the repository the README names.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from browser_support import ROOT, chromium, explain, require_axe, serious, shot
from browser_support import axe_violations as axe
from script_loading import load_script

HTML = ROOT / "_build" / "site" / "html"
SRC = ROOT / "_build" / "site" / "src"
#: Two lessons with plots of their own; the first also has a widget and collapsed solutions.
PAGES = ["01-why-amis", "07-storage-and-pricing"]
INSTRUCTOR_PAGES = ["instructor-guide", "fidelity", "curriculum", "pricing"]


def load_site_module(name: str, as_name: str | None = None) -> ModuleType:
    """site/<name>.py as a module (``site`` is not a package: the name belongs to the stdlib)."""
    return load_script(f"site/{name}.py", as_name or f"amilab_site_{name}")


def load_build() -> ModuleType:
    return load_site_module("build")


def code(source: str, tags: list[str] | None = None) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": f"c{abs(hash(source)) % 10**8}",
        "metadata": {"tags": tags or []},
        "outputs": [],
        "source": source,
    }


def markdown(source: str) -> dict[str, Any]:
    return {
        "cell_type": "markdown",
        "id": f"m{abs(hash(source)) % 10**8}",
        "metadata": {},
        "source": source,
    }


def notebook(*cells: dict[str, Any]) -> dict[str, Any]:
    return {"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


@pytest.fixture(scope="module")
def build() -> ModuleType:
    return load_build()


class TestBuildTimeCopy:
    def test_solution_is_collapsed_without_its_markers(self, build):
        """A solution cell is tagged hide-input, prompts "Show the solution", loses its markers."""
        solution = "x = ...  # your answer\n### BEGIN SOLUTION\nx = 1\n### END SOLUTION\n"
        page = build.site_notebook(notebook(code(solution, ["solution"])), "99-test")
        cell = page["cells"][0]
        assert "hide-input" in cell["metadata"]["tags"]
        assert cell["metadata"]["mystnb"]["code_prompt_show"] == "Show the solution"
        assert cell["source"] == "x = ...  # your answer\nx = 1\n"

    def test_widget_cell_is_followed_by_a_note_and_a_still(self, build):
        """A widget's output is removed; a note that it is live in JupyterLab and a still follow."""
        page = build.site_notebook(
            notebook(
                code("from labkit.widgets import CostExplorer as CE"),
                code("explorer = CE(lab)\nexplorer"),
                code("print(1)"),
            ),
            "99-test",
        )
        cells = page["cells"]
        assert "remove-output" in cells[1]["metadata"]["tags"]
        assert "remove-output" not in cells[0]["metadata"]["tags"]
        assert "still picture of the cost explorer" in cells[2]["source"]
        assert "live" in cells[2]["source"] and "JupyterLab" in cells[2]["source"]
        assert cells[3]["metadata"]["tags"] == ["remove-input", "amilab-still"]
        assert "still('CostExplorer')" in cells[3]["source"]
        assert cells[4]["source"] == "print(1)"
        assert len({c["id"] for c in cells}) == len(cells)

    @pytest.mark.parametrize(
        "source",
        [
            "import labkit.widgets as w\nw.Lineage(lab)",
            "from labkit import widgets\nwidgets.Lineage(lab)",
            "import labkit.widgets\nlabkit.widgets.Lineage(lab)",
        ],
    )
    def test_widget_found_however_imported(self, build, source):
        """The module imported under any name still counts: the call is a widget."""
        assert build.widget_calls(source, {}, set()) == ["Lineage"]

    def test_plain_calls_and_helpers_are_not_widgets(self, build):
        """Calls of other names, and lower-case helpers of labkit.widgets, are not widgets."""
        bound: dict[str, str] = {}
        assert (
            build.widget_calls("from labkit.widgets import project\nproject(1)", bound, set()) == []
        )
        assert build.widget_calls("ImageBrowser(lab)", {}, set()) == []
        assert build.widget_calls("%time x = (", {}, set()) == []

    def test_widget_tag_counts_without_a_call(self, build):
        """A cell tagged widget gets a still even when no labkit.widgets call is found in it."""
        page = build.site_notebook(notebook(code("make_widget()", ["widget"])), "99-test")
        assert len(page["cells"]) == 3 and "remove-output" in page["cells"][0]["metadata"]["tags"]

    def test_committed_still_is_used(self, build, tmp_path, monkeypatch):
        """A still committed under notebooks/figures/widgets/ is shown as an image, no code cell."""
        (tmp_path / "99-test-1-Lineage.png").write_bytes(b"png")
        monkeypatch.setattr(build, "STILLS", tmp_path)
        cells = build.still_cells("99-test", 1, "Lineage")
        assert len(cells) == 1
        assert "{image} figures/widgets/99-test-1-Lineage.png" in cells[0]["source"]

    def test_link_to_unwritten_lesson_becomes_text(self, build):
        """A link to a lesson number nobody has written is text; one that exists stays a link."""
        text, gone = build.unwritten_links(
            "Previous: [07 · Storage](07-storage.ipynb). Next: [08 · Capstone](08-capstone.ipynb).",
            {"07"},
        )
        assert text == "Previous: [07 · Storage](07-storage.ipynb). Next: 08 · Capstone."
        assert gone == ["08-capstone.ipynb"]

    def test_still_helper_is_a_module_copied_beside_the_lessons(self, build, tmp_path):
        """site/_amilab_site.py goes into the build's copy; its placeholder is a PNG."""
        build.prepare(tmp_path / "src")
        assert (tmp_path / "src" / f"{build.HELPER}.py").is_file()
        helper = load_site_module(build.HELPER)
        assert helper._placeholder("Cost explorer").startswith(b"\x89PNG")


@pytest.fixture(scope="module")
def after() -> ModuleType:
    return load_site_module("after_sphinx")


class TestAfterSphinx:
    def test_pages_are_mended_for_screen_readers(self, after):
        """Folds, the search field, the colour-mode icons and section toggles get honest names."""
        page = (
            '<summary aria-label="Toggle hidden content">\n<p class="collapsed">Show the '
            'solution</p></summary>\n<button class="btn search-button-field search-button__button'
            ' pst-js-only" title="Search" aria-label="Search" data-x="y">\n'
            '<i class="theme-switch fa-solid fa-sun fa-lg" data-mode="light" title="Light"></i>\n'
            '<a class="reference internal" href="docs/pricing.html">What it costs: <code>x</code>'
            "</a><details><summary><span></span></summary>"
            '<a class="current reference internal" href="#">Here</a><details open="open">'
            "<summary><span></span></summary>"
        )
        mended = after.accessible_page(page)
        assert "Toggle hidden content" not in mended and "<summary>\n<p" in mended
        assert 'aria-label="Search"' not in mended and 'title="Search"' in mended
        assert 'data-mode="light" aria-hidden="true">' in mended and "Light" not in mended
        assert '<details><summary aria-label="Pages of What it costs: x">' in mended
        assert '<details open="open"><summary aria-label="Pages of Here">' in mended
        assert after.accessible_page(mended) == mended

    def test_external_loads_are_found(self, after, tmp_path):
        """A script, stylesheet or image from the network is reported; a plain link is not."""
        (tmp_path / "a.html").write_text(
            '<a href="https://mybinder.org/v2/gh/x/y/main">Binder</a>\n'
            '<script src="https://cdn.example.org/x.js"></script>\n'
            '<script src="_static/local.js"></script>\n'
        )
        (tmp_path / "b.css").write_text("@import url(https://fonts.example.org/f.css);\n")
        found = after.external_loads(tmp_path)
        assert [line.split(":")[0:2] for line in found] == [["a.html", "2"], ["b.css", "1"]]


class TestSiteConfig:
    def test_launch_buttons_open_the_readmes_repository_in_jupyterlab(self):
        """The site's repository is the README's Binder repository; buttons open JupyterLab."""
        yaml = pytest.importorskip("yaml")
        config = yaml.safe_load((ROOT / "site" / "_config.yml").read_text(encoding="utf-8"))
        readme = (ROOT / "README.md").read_text(encoding="utf-8")
        binder = re.search(r"https://mybinder\.org/v2/gh/([^/]+/[^/]+)/([^?]+)\?", readme)
        assert binder, "README.md has no Binder link"
        assert config["repository"]["url"] == f"https://github.com/{binder[1]}"
        assert config["repository"]["branch"] == binder[2]
        assert config["launch_buttons"]["notebook_interface"] == "jupyterlab"
        assert config["launch_buttons"]["binderhub_url"] == "https://mybinder.org"
        # The learner edition, where binder/postBuild writes it and the README's link opens it.
        assert f"urlpath=lab/tree/{config['repository']['path_to_book']}/" in readme


# -- the built site in a browser ----------------------------------------------------------------


built = pytest.mark.skipif(
    not (HTML / "index.html").is_file(),
    reason="the site is not built: run `make site` first (CI does, then runs this file)",
)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site_url() -> Iterator[str]:
    """The built site, served on a free loopback port."""
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, driven by Playwright (no browser download)."""
    with chromium() as browser:
        yield browser


@pytest.fixture
def offline_page(browser, site_url) -> Iterator[tuple[Any, list[str]]]:
    """A page that may reach only the local server; what else it asks for is blocked and listed."""
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    blocked: list[str] = []

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith(site_url + "/") or url.startswith("data:"):
            request_route.continue_()
        else:
            blocked.append(url)
            request_route.abort()

    context.route("**/*", route)
    page = context.new_page()
    yield page, blocked
    context.close()


def open_page(page: Any, url: str) -> None:
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, f"{url}: {response and response.status}"


def loaded_images(where: Any, selector: str) -> list[str]:
    """The sources of the images matching ``selector`` in a page or element that loaded."""
    return where.locator(selector).evaluate_all(
        "els => els.filter(i => i.complete && i.naturalWidth > 0).map(i => i.src)"
    )


def built_lessons() -> list[str]:
    return sorted(p.stem for p in SRC.glob("[0-9][0-9]-*.ipynb"))


@built
@pytest.mark.parametrize("name", PAGES)
class TestBuiltSite:
    def test_lesson_page_has_contents_plot_and_launch_button(self, offline_page, site_url, name):
        """It lists every lesson, shows a plot of its own, and launches JupyterLab on Binder."""
        page, blocked = offline_page
        open_page(page, f"{site_url}/{name}.html")
        nav = page.locator("nav.bd-docs-nav")
        hrefs = nav.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        wanted = [f"{lesson}.html" for lesson in built_lessons() if lesson != name]  # this one: #
        wanted += [f"docs/{doc}.html" for doc in INSTRUCTOR_PAGES]
        assert [w for w in wanted if not any(h.endswith(w) for h in hrefs)] == []
        # A plot made by one of the lesson's own cells (not a widget's still), loaded from disk.
        plots = loaded_images(page, ".cell:not(.tag_remove-input) .cell_output img")
        assert plots and all(src.startswith(site_url + "/_images/") for src in plots), plots
        launch = page.locator(".dropdown-launch-buttons a[href*='mybinder.org']")
        assert launch.count() == 1
        href = launch.get_attribute("href")
        assert href.startswith("https://mybinder.org/v2/gh/")
        assert f"?urlpath=lab/tree/learner/{name}.ipynb" in href
        page.locator(".dropdown-launch-buttons button").click()
        assert launch.is_visible()
        shot(page, f"site-{name}")
        page.keyboard.press("Escape")
        page.locator(
            ".cell:not(.tag_remove-input) .cell_output img"
        ).first.scroll_into_view_if_needed()
        shot(page, f"site-{name}-plot")
        assert blocked == [], f"{name}.html asked the network for {blocked}"

    def test_download_is_the_learner_edition(self, offline_page, site_url, name):
        """The download button gives the lesson's notebook without its solutions."""
        page, _ = offline_page
        open_page(page, f"{site_url}/{name}.html")
        link = page.locator(".dropdown-download-buttons a[href$='.ipynb']")
        assert link.get_attribute("href") == f"_sources/{name}.ipynb"
        download = page.request.get(f"{site_url}/_sources/{name}.ipynb")
        assert download.ok
        cells = json.loads(download.text())["cells"]
        assert cells[0]["id"] == "learner-edition"
        assert not any("### BEGIN SOLUTION" in "".join(c["source"]) for c in cells)


@built
class TestBuiltSitePages:
    def test_solutions_collapsed_and_widget_shown_as_a_still(self, offline_page, site_url):
        """Solutions are folded under "Show the solution"; a widget is a still with a note."""
        page, blocked = offline_page
        open_page(page, f"{site_url}/01-why-amis.html")
        toggles = page.locator("details.hide summary", has_text="Show the solution")
        assert toggles.count() >= 2
        assert not page.locator("details.hide .cell_input").first.is_visible()
        note = page.locator(".admonition.note", has_text="still picture of the image browser")
        assert note.count() == 1 and "JupyterLab" in note.inner_text()
        stills = loaded_images(page, "img.amilab-still, .tag_amilab-still .cell_output img")
        assert len(stills) == 1, "the image browser's still picture is missing or did not load"
        assert page.get_by_text("Loading widgets").count() == 0
        assert "widget-view+json" not in page.content()
        note.scroll_into_view_if_needed()
        shot(page, "site-01-why-amis-widget-still")
        toggles.first.click()
        assert page.locator("details.hide .cell_input").first.is_visible()
        assert blocked == []

    def test_instructor_pages_are_there(self, offline_page, site_url):
        """The instructor guide, fidelity table, curriculum map and pricing notes are pages."""
        page, blocked = offline_page
        for doc in INSTRUCTOR_PAGES:
            open_page(page, f"{site_url}/docs/{doc}.html")
            assert page.locator("article h1").count() == 1
        assert page.locator("article table").count() >= 1  # pricing.md's module table
        open_page(page, f"{site_url}/docs/fidelity.html")
        assert page.locator("article table").count() >= 1
        shot(page, "site-docs-fidelity")
        assert blocked == []


def site_pages() -> list[str]:
    """Every page of the built site, relative to its root (search and index pages included)."""
    if not HTML.is_dir():
        return []
    skipped = ("_static", "_sources", "_images")
    return sorted(
        str(p.relative_to(HTML))
        for p in HTML.rglob("*.html")
        if p.relative_to(HTML).parts[0] not in skipped
    )


@built
class TestAccessibility:
    @pytest.mark.parametrize("path", site_pages() or ["index.html"])
    def test_page_passes_axe(self, offline_page, site_url, path):
        """axe-core (WCAG 2.1 A and AA rules) finds no serious or critical violation."""
        require_axe()
        page, _ = offline_page
        open_page(page, f"{site_url}/{path}")
        found = serious(axe(page))
        assert not found, f"{path}: axe found:\n{explain(found)}"

    def test_folds_have_names(self, offline_page, site_url):
        """Each fold says what it hides: "Show the solution" is its summary's name."""
        page, _ = offline_page
        open_page(page, f"{site_url}/01-why-amis.html")
        summaries = page.locator("details.hide summary")
        assert summaries.count() >= 2
        names = summaries.evaluate_all(
            "els => els.map(s => s.getAttribute('aria-label') || s.innerText.trim())"
        )
        assert all(names) and any("solution" in n for n in names), names

    def test_charts_have_text_alternatives(self, offline_page, site_url):
        """A chart on a page has alt text and, beside it, a "Chart: …" paragraph with numbers."""
        page, _ = offline_page
        open_page(page, f"{site_url}/07-storage-and-pricing.html")
        texts = page.locator(".amilab-chart-text").all_inner_texts()
        assert len(texts) >= 3 and all(t.startswith("Chart:") and "$" in t for t in texts), texts
        alts = page.locator(".cell_output img").evaluate_all("els => els.map(i => i.alt)")
        assert alts and all(alts), alts
