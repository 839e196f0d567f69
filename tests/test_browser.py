"""The lessons' widgets render and respond in a real browser: JupyterLab, driven by Chromium.

Each lesson that uses ``labkit.widgets`` is opened in JupyterLab (started headless on a free
loopback port, with the options scripts/lab.sh uses) in Debian's ``chromium`` through Playwright
(never a downloaded browser), run with Run All Cells, and its widgets checked: every one
rendered, with its controls, and none shows "Error displaying widget". In the lesson with the
cost explorer a slider is dragged and the total must change. Screenshots go to
tests/screenshots/ (gitignored).

The lessons are served from a copy in a temporary folder, so nothing the browser runs or saves
touches the committed notebooks.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "tests" / "screenshots"
WIDGETS = ("ImageBrowser", "SharingEditor", "CopyWizard", "CostExplorer", "Lineage")
CALL = re.compile(r"\b(" + "|".join(WIDGETS) + r")\(")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
JUPYTER_DIRS = (
    "JUPYTER_CONFIG_DIR",
    "JUPYTER_DATA_DIR",
    "JUPYTER_RUNTIME_DIR",
    "JUPYTERLAB_SETTINGS_DIR",
    "JUPYTERLAB_WORKSPACES_DIR",
)
#: Settings that keep JupyterLab quiet and faithful to the page: no news pop-up, no autosave,
#: every cell in the page (no windowing, so widgets far down are rendered too).
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}
READY_TIMEOUT = 60  # seconds for the server; it is usually ready in about 2
RUN_TIMEOUT = 180_000  # milliseconds for Run All in one lesson
IN_CI = os.environ.get("CI") == "true"


def widget_calls(path: Path) -> list[str]:
    """The widget classes a lesson's code cells call, in order (one widget per call)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    return [name for source in code for name in CALL.findall(source)]


LESSONS = [p for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")) if widget_calls(p)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = (
        f"Debian's chromium is not installed ({CHROMIUM} is missing): "
        "apt-get install -y --no-install-recommends chromium"
    )
    if IN_CI:
        pytest.fail(reason + " (.ci/run installs it, so CI must have it)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def lab_url(tmp_path_factory) -> Iterator[str]:
    """JupyterLab serving a copy of notebooks/, headless on loopback, with its own settings."""
    require_chromium()
    tmp = tmp_path_factory.mktemp("browser")
    root = tmp / "course"
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    env = dict(os.environ)
    for var in JUPYTER_DIRS:  # keep the learner's own Jupyter settings out of the test
        env[var] = str(tmp / var.lower())
    for name, values in LAB_SETTINGS.items():
        target = Path(env["JUPYTERLAB_SETTINGS_DIR"]) / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values), encoding="utf-8")
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        "--ServerApp.ip=127.0.0.1",
        "--IdentityProvider.token=",
        f"--ServerApp.root_dir={root}",
    ]
    if os.geteuid() == 0:  # JupyterLab refuses to run as root without it (CI runs as root)
        command.append("--allow-root")
    log_path = tmp / "lab.log"
    log = log_path.open("wb")
    proc = subprocess.Popen(
        command, cwd=root, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + READY_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"JupyterLab exited with {proc.returncode}:\n{tail(log_path)}")
            try:
                with urllib.request.urlopen(f"{base}/api/status", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"JupyterLab not ready in {READY_TIMEOUT} s:\n{tail(log_path)}")
            time.sleep(0.25)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def tail(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")[-4000:]


@pytest.fixture(scope="module")
def browser(lab_url) -> Iterator[object]:
    """Debian's Chromium, driven by Playwright (no browser download)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    # Tall, so that a whole widget fits in one element screenshot.
    context = browser.new_context(viewport={"width": 1400, "height": 1600})
    page = context.new_page()
    yield page
    try:
        shut_down_kernels(page)
    except Exception as error:  # best effort: the server's exit ends them anyway
        print(f"could not shut the lesson's kernel down: {error}")
    context.close()


def shut_down_kernels(page) -> None:
    """End the lesson's kernel (and its sandbox) before the next lesson starts one."""
    page.evaluate(
        """async () => {
            const cookie = (document.cookie.match(/_xsrf=([^;]+)/) || [])[1] || '';
            const xsrf = decodeURIComponent(cookie);
            const sessions = await (await fetch('/api/sessions')).json();
            for (const s of sessions) {
                await fetch('/api/sessions/' + s.id,
                            {method: 'DELETE', headers: {'X-XSRFToken': xsrf}});
            }
        }"""
    )


def wait_for_idle_kernel(page) -> None:
    """The status bar's kernel item reads "… | Idle" (the toolbar says idle before a kernel)."""
    page.wait_for_function(
        "() => /\\|\\s*Idle\\b/.test(document.querySelector('#jp-main-statusbar')"
        "?.innerText || '')",
        timeout=RUN_TIMEOUT,
    )


def run_all(page) -> None:
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()


def wait_until_every_cell_ran(page, code_cells: int, name: str) -> None:
    """Every code cell shows an execution count; a failing cell would stop Run All before."""
    try:
        _wait_for_prompts(page, code_cells)
    except Exception as error:
        shot(page, f"{name}-stuck")
        prompts = page.locator(".jp-Notebook .jp-CodeCell .jp-InputArea-prompt").all_inner_texts()
        errors = page.locator("[data-mime-type='application/vnd.jupyter.stderr']").all_inner_texts()
        pytest.fail(
            f"Run All did not finish: prompts {prompts}; error output {errors[-3:]}; "
            f"status bar {page.locator('#jp-main-statusbar').inner_text()!r} ({error})"
        )


def _wait_for_prompts(page, code_cells: int) -> None:
    page.wait_for_function(
        """(n) => {
            const prompts = [...document.querySelectorAll(
                '.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')];
            return prompts.length === n && prompts.every(p => /^\\[\\d+\\]:$/.test(
                p.textContent.trim()));
        }""",
        arg=code_cells,
        timeout=RUN_TIMEOUT,
    )


def code_cell_count(path: Path) -> int:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return sum(c["cell_type"] == "code" for c in cells)


def shot(target, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    target.screenshot(path=str(path))
    return path


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
class TestWidgetsInTheBrowser:
    def test_lesson_widgets_render_and_respond(self, lab_url, page, lesson):
        """Run All renders every widget with its controls; the cost total follows a slider."""
        expected = widget_calls(lesson)
        # A workspace of its own, so no tab of another lesson is restored beside it.
        page.goto(f"{lab_url}/lab/workspaces/{lesson.stem}/tree/notebooks/{lesson.name}")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=RUN_TIMEOUT)
        wait_for_idle_kernel(page)
        run_all(page)
        wait_until_every_cell_ran(page, code_cell_count(lesson), lesson.stem)
        wait_for_idle_kernel(page)
        widgets = page.locator(".jp-OutputArea-output .jupyter-widgets.amilab-widget")
        try:
            page.wait_for_function(
                "(n) => document.querySelectorAll("
                "'.jp-OutputArea-output .jupyter-widgets.amilab-widget').length >= n",
                arg=len(expected),
                timeout=30_000,
            )
        finally:
            shot(page, f"{lesson.stem}-page")
        assert widgets.count() == len(expected), f"{lesson.name} calls {expected}"
        assert page.get_by_text("Error displaying widget").count() == 0
        for index, name in enumerate(expected):
            widget = widgets.nth(index)
            widget.scroll_into_view_if_needed()
            shot(widget, f"{lesson.stem}-{index + 1}-{name}")
            controls = widget.locator("button, select, input")
            assert controls.count() > 0, f"{name} rendered no controls"
            assert widget.locator(".amilab-title").count() >= 1
            assert widget.locator(".amilab-message .amilab-error").count() == 0, name
        if "ImageBrowser" in expected:
            self.pick_an_image(widgets.nth(expected.index("ImageBrowser")), lesson)
        if "CostExplorer" in expected:
            self.drag_a_slider(page, widgets.nth(expected.index("CostExplorer")), lesson)

    @staticmethod
    def pick_an_image(browser, lesson: Path) -> None:
        """Clicking an image in the list shows its details, snapshots and launch permissions."""
        browser.locator(".amilab-list select").select_option(index=0)
        browser.get_by_text("Launch permissions").wait_for(timeout=30_000)
        assert browser.get_by_text("Snapshots", exact=True).count() == 1
        shot(browser, f"{lesson.stem}-ImageBrowser-details")

    @staticmethod
    def drag_a_slider(page, explorer, lesson: Path) -> None:
        total = explorer.locator(".amilab-total")
        plot = explorer.locator("img").first
        before, picture = total.inner_text(), plot.get_attribute("src")
        assert before.startswith("Total over") and "$" in before
        handle = explorer.locator(".widget-slider .noUi-handle").first  # Number of images
        handle.scroll_into_view_if_needed()
        box = handle.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + 150, y, steps=8)
        page.mouse.up()
        page.wait_for_function(
            "([el, old]) => el.innerText !== old",
            arg=[total.element_handle(), before],
            timeout=30_000,
        )
        after = total.inner_text()
        images = explorer.locator(".widget-readout").first.inner_text().strip()
        # The total, its breakdown and the plot all follow the slider's final value.
        explorer.get_by_text(re.compile(rf"^{images} images ×")).wait_for(timeout=30_000)
        page.wait_for_function(
            "([img, old]) => img.getAttribute('src') !== old",
            arg=[plot.element_handle(), picture],
            timeout=30_000,
        )
        shot(explorer, f"{lesson.stem}-CostExplorer-after-drag")
        assert after != before and "$" in after


class TestAwsCliInTheBrowser:
    def test_aws_cells_answer_from_the_sandbox(self, lab_url, page):
        """Lesson 00 in JupyterLab: its !aws cell lists the sandbox's images as the CLI prints
        them, and its %aws cell shows the CLI's own error, not a traceback."""
        lesson = ROOT / "notebooks" / "00-welcome.ipynb"
        page.goto(f"{lab_url}/lab/workspaces/{lesson.stem}-aws/tree/notebooks/{lesson.name}")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=RUN_TIMEOUT)
        wait_for_idle_kernel(page)
        run_all(page)
        wait_until_every_cell_ran(page, code_cell_count(lesson), f"{lesson.stem}-aws")
        wait_for_idle_kernel(page)
        shot(page, f"{lesson.stem}-aws-cli")
        shown = "\n".join(page.locator(".jp-OutputArea-output").all_inner_texts())
        # `--output text`: an image ID then its name, as columns (the boto3 cell prints the
        # architecture between them).
        assert re.search(r"ami-[0-9a-f]{17}\s+al2023-ami-2023", shown), shown[-2000:]
        assert (
            "An error occurred (InvalidAMIID.NotFound) when calling the DescribeImages operation"
            in shown
        )
        assert "Traceback" not in shown
