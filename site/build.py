"""Build the course website into _build/site/html, offline: ``make site`` runs this.

The site is Jupyter Book 1 (Sphinx, myst-nb, sphinx-book-theme), configured by site/_config.yml and
site/_toc.yml. It is built from a copy made here, in _build/site/src, never from the committed
notebooks, which stay without outputs and untouched:

- every lesson is the instructor edition, executed during the build, so the page shows real
  outputs, plots and ✅ checks; each solution cell is collapsed behind "Show the solution"
  (myst-nb's ``hide-input``) and its ``### BEGIN/END SOLUTION`` marker lines are dropped;
- a widget cannot run in a static page, so each code cell that calls a ``labkit.widgets`` class (or
  is tagged ``widget``) has its output removed and is followed by a note that the widget is live in
  JupyterLab and a still picture of it: ``notebooks/figures/widgets/<lesson>-<n>-<Class>.png`` (the
  name tests/test_browser.py gives its screenshots) or ``<Class>.png`` when committed, else made in
  the lesson's kernel from the widget's own plot, else a labelled placeholder;
- docs/ pages named in _toc.yml are copied beside the lessons.

The committed stills go stale when a widget changes. To refresh them, run the browser test, then
copy its screenshots in (trimmed of their blank margin)::

    .venv/bin/python -m pytest tests/test_browser.py
    .venv/bin/python site/build.py --stills-from tests/screenshots

After Sphinx (warnings are errors; a cell error stops the build), each lesson's download
(``_sources/<lesson>.ipynb``) is replaced by its learner edition, the one the launch button opens
on Binder; and the build fails if any page loads a script, style, image or frame from the network.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from labkit.release import BEGIN, END, SOLUTION_TAG

sys.path.insert(0, str(Path(__file__).resolve().parent))  # after_sphinx.py, however it is run
from after_sphinx import (  # noqa: E402
    accessible_pages,
    external_loads,
    learner_downloads,
    write_json,
)

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "site"
OUT = ROOT / "_build" / "site"
SRC = OUT / "src"
HTML = OUT / "html"
STILLS = ROOT / "notebooks" / "figures" / "widgets"
LESSON = re.compile(r"^\d\d-.+\.ipynb$")
#: A Markdown link to a lesson by its file name, "[words](NN-topic.ipynb)".
LESSON_LINK = re.compile(r"\[(?P<words>[^\]]*)\]\((?P<target>(?P<number>\d\d)-[^)\s]*\.ipynb)\)")
WIDGET_TAG = "widget"
STILL_CLASS = "amilab-still"  # site/_static/site.css frames these pictures
WIDGETS_MODULE = "labkit.widgets"
HELPER = "_amilab_site"  # the module the still cells import (site/_amilab_site.py)

CHART_ALT = "A chart; the text beside it (Chart: …) says what it shows, with its numbers"
SHOW_SOLUTION = {"code_prompt_show": "Show the solution", "code_prompt_hide": "Hide the solution"}
STILL_NOTE = (
    "```{{note}}\n"
    "A still picture of the {title}. In JupyterLab it is live: launch this lesson with the rocket "
    "button at the top of the page, or open it on your machine with `make lab`.\n"
    "```\n"
)
#: Appended to the conf.py that `jupyter-book config sphinx` writes.
CONF_TAIL = """
# Added by site/build.py: Jupyter Book always loads sphinx_thebe, which writes its CDN's script URL
# into every page even with live code (launch_buttons.thebe) off. The site must work offline.
extensions.remove("sphinx_thebe")
"""


# -- the build-time copy ---------------------------------------------------------------------------


def widget_calls(source: str, bound: dict[str, str], modules: set[str]) -> list[str]:
    """The ``labkit.widgets`` classes a cell calls, in order; ``bound``/``modules`` carry imports.

    Args:
        source: the cell's code.
        bound: local name -> widget class, from ``from labkit.widgets import X [as Y]`` in this or
            an earlier cell (updated in place).
        modules: local names of the ``labkit.widgets`` module (updated in place).
    """
    code = "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()
    )
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    calls: list[tuple[int, int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == WIDGETS_MODULE:
            for alias in node.names:
                bound[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module == "labkit":
            modules.update(a.asname or a.name for a in node.names if a.name == "widgets")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == WIDGETS_MODULE:
                    modules.add(alias.asname or WIDGETS_MODULE)
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in bound:
                name = bound[func.id]
            elif isinstance(func, ast.Attribute) and ast.unparse(func.value) in modules:
                name = func.attr
            else:
                continue
            if name[:1].isupper():  # a class, not a helper function of the package
                calls.append((node.lineno, node.col_offset, name))
    return [name for *_, name in sorted(calls)]


def _tags(cell: dict[str, Any]) -> list[str]:
    return cell.setdefault("metadata", {}).setdefault("tags", [])


def _title(class_name: str) -> str:
    """``ImageBrowser`` -> ``image browser``."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", class_name).lower()


def still_cells(lesson: str, number: int, class_name: str) -> list[dict[str, Any]]:
    """The note and the still picture that follow a widget cell on its page."""
    note = STILL_NOTE.format(title=_title(class_name))
    for name in (f"{lesson}-{number}-{class_name}.png", f"{class_name}.png"):
        if (STILLS / name).is_file():
            picture = (
                f"```{{image}} figures/widgets/{name}\n"
                f":alt: The {_title(class_name)}, a still picture\n:class: {STILL_CLASS}\n```\n"
            )
            return [{"cell_type": "markdown", "metadata": {}, "source": note + "\n" + picture}]
    made = {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {
            "tags": ["remove-input", STILL_CLASS],
            "mystnb": {"image": {"alt": f"The {_title(class_name)}, a still picture"}},
        },
        "outputs": [],
        "source": f"from {HELPER} import still\n\nstill({class_name!r})",
    }
    return [{"cell_type": "markdown", "metadata": {}, "source": note}, made]


def unwritten_links(markdown: str, numbers: set[str]) -> tuple[str, list[str]]:
    """Links to lessons whose number no notebook has yet become plain text (and are returned).

    A lesson's closing line names the next one before it is written; the page shows the words.
    A misspelt link to a lesson that exists stays a link, and Sphinx's warning fails the build.
    """
    gone: list[str] = []

    def text(match: re.Match[str]) -> str:
        if match["number"] in numbers:
            return match[0]
        gone.append(match["target"])
        return match["words"]

    return LESSON_LINK.sub(text, markdown), gone


def site_notebook(
    notebook: dict[str, Any], lesson: str, numbers: set[str] | None = None
) -> dict[str, Any]:
    """The page's edition of one lesson: solutions collapsed, widgets followed by stills.

    Args:
        notebook: the lesson, instructor edition, as parsed JSON (left unchanged).
        lesson: its name without ``.ipynb``, for the stills' file names.
        numbers: the lesson numbers ("00"…) that exist; links to others become text.
    """
    cells: list[dict[str, Any]] = []
    bound: dict[str, str] = {}
    modules: set[str] = set()
    shown = 0
    for cell in json.loads(json.dumps(notebook["cells"])):
        cells.append(cell)
        if cell["cell_type"] == "markdown" and numbers is not None:
            cell["source"], gone = unwritten_links("".join(cell["source"]), numbers)
            for target in gone:
                print(f"site: {lesson} links to {target}, not written yet: shown as text")
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        tags = _tags(cell)
        if SOLUTION_TAG in tags:
            cell["source"] = "".join(
                line
                for line in source.splitlines(keepends=True)
                if line.strip() not in (BEGIN, END)
            )
            tags.append("hide-input")
            cell["metadata"].setdefault("mystnb", {}).update(SHOW_SOLUTION)
        # An image a cell draws (a chart) gets alt text; the "Chart: …" paragraph labkit.plots
        # shows beside it gives its numbers.
        image = cell["metadata"].setdefault("mystnb", {}).setdefault("image", {})
        image.setdefault("alt", CHART_ALT)
        calls = widget_calls(source, bound, modules)
        if not calls and WIDGET_TAG in tags:
            calls = ["Widget"]
        if calls:
            tags.append("remove-output")  # a widget view renders as nothing in a static page
        for class_name in calls:
            shown += 1
            cells.extend(still_cells(lesson, shown, class_name))
    for number, cell in enumerate(cells):
        cell.setdefault("id", f"site-{number}")  # nbformat 4.5: every cell has an id
    minor = max(5, notebook.get("nbformat_minor", 5))
    return dict(notebook, cells=cells, nbformat=4, nbformat_minor=minor)


def prepare(src: Path = SRC) -> list[str]:
    """Write the build-time copy (config, docs, lessons, figures); return the lessons' names."""
    if src.exists():
        shutil.rmtree(src)
    src.mkdir(parents=True)
    for path in SITE.iterdir():
        if path.suffix in (".yml", ".md"):
            shutil.copy2(path, src / path.name)
    shutil.copytree(SITE / "_static", src / "_static")
    shutil.copytree(ROOT / "docs", src / "docs", ignore=shutil.ignore_patterns(".*"))
    figures = ROOT / "notebooks" / "figures"
    if figures.is_dir():
        shutil.copytree(figures, src / "figures")
    shutil.copy2(SITE / f"{HELPER}.py", src / f"{HELPER}.py")
    lessons = sorted(p for p in (ROOT / "notebooks").iterdir() if LESSON.match(p.name))
    numbers = {p.name[:2] for p in lessons}
    for path in lessons:
        page = site_notebook(json.loads(path.read_text(encoding="utf-8")), path.stem, numbers)
        write_json(src / path.name, page)
    return [p.name for p in lessons]


# -- the build -------------------------------------------------------------------------------------


def build() -> int:
    """Prepare the copy, run Sphinx into HTML, then check and finish the result."""
    started = time.monotonic()
    lessons = prepare()
    print(f"site: {len(lessons)} lessons and the docs copied to {SRC.relative_to(ROOT)}")
    from jupyter_book.cli.main import main as jupyter_book

    try:  # writes SRC/conf.py from _config.yml, as `jupyter-book build` would
        jupyter_book(["config", "sphinx", str(SRC)], standalone_mode=False)
    except SystemExit as stop:
        if stop.code:
            return int(stop.code)
    with (SRC / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(CONF_TAIL)
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)  # any backend named here would replace the kernels' inline plots
    # The lessons' kernels run this interpreter (the venv's), whatever kernels the user has.
    env["JUPYTER_PATH"] = os.pathsep.join(
        filter(None, [str(Path(sys.prefix) / "share" / "jupyter"), env.get("JUPYTER_PATH")])
    )
    with tempfile.TemporaryDirectory(prefix="amilab-site-") as scratch:
        # Checks passed during the build are not the reader's progress.
        env["AMILAB_PROGRESS"] = str(Path(scratch) / "progress.json")
        for stale in (HTML, OUT / "doctrees", OUT / "jupyter_execute"):
            shutil.rmtree(stale, ignore_errors=True)
        # Serial (no -j): sphinx-external-toc loads an extension not declared parallel-safe, and
        # Sphinx's warning about that would fail the build; the lessons' kernels dominate anyway.
        # -T: a failing cell's traceback is printed, not only saved to a file in /tmp.
        command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-T", "-b", "html"]
        command += ["-d", str(OUT / "doctrees"), str(SRC), str(HTML)]
        if subprocess.run(command, env=env, cwd=SRC).returncode:
            print("site: the build failed (warnings count as errors; see above)", file=sys.stderr)
            return 1
    learner_downloads(HTML, lessons)
    accessible_pages(HTML)
    loads = external_loads(HTML)
    if loads:
        print("site: these pages would load from the network:", *loads, sep="\n  ", file=sys.stderr)
        return 1
    took = time.monotonic() - started
    print(f"site: built {HTML.relative_to(ROOT)}/index.html in {took:.0f} s")
    return 0


def refresh_stills(screenshots: Path) -> int:
    """Copy tests/test_browser.py's widget screenshots to STILLS, without their blank margin."""
    from PIL import Image, ImageChops

    STILLS.mkdir(parents=True, exist_ok=True)
    copied = 0
    for path in sorted(screenshots.glob("[0-9][0-9]-*-[0-9]*-[A-Z]*.png")):
        image = Image.open(path).convert("RGB")
        box = ImageChops.difference(image, Image.new("RGB", image.size, "white")).getbbox()
        if box:  # keep the top-left corner; trim the blank right and bottom
            right, bottom = min(image.width, box[2] + 12), min(image.height, box[3] + 12)
            image = image.crop((0, 0, right, bottom))
        image.save(STILLS / path.name, optimize=True)
        print(f"site: still {STILLS.relative_to(ROOT) / path.name} from {path}")
        copied += 1
    if not copied:
        print(f"site: no widget screenshots in {screenshots}", file=sys.stderr)
    return 0 if copied else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--stills-from",
        metavar="DIR",
        type=Path,
        help="instead of building, copy widget screenshots from DIR (tests/screenshots) to "
        "notebooks/figures/widgets",
    )
    args = parser.parse_args(argv)
    return refresh_stills(args.stills_from) if args.stills_from else build()


if __name__ == "__main__":
    sys.exit(main())
