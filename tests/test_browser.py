"""The lessons' widgets render and respond in a real browser: JupyterLab, driven by Chromium.

Each lesson that uses ``labkit.widgets`` is opened in JupyterLab (started headless on a free
loopback port, with the options scripts/lab.sh uses) in Debian's ``chromium`` through Playwright
(never a downloaded browser), run with Run All Cells, and its widgets checked: every one
rendered, with its controls, and none shows "Error displaying widget". In the lesson with the
cost explorer a slider is dragged and the total must change. axe-core (WCAG 2.1 A and AA rules)
then checks the course's widgets, not JupyterLab's own interface: no serious or critical
violation. ``TestKeyboardOnly`` drives one widget of each kind with the keyboard alone, from Tab
to a saved change. ``TestErrorBoxInTheBrowser`` makes two of a learner's mistakes in a
lesson-like notebook and checks the short error box ``labkit.explain`` shows for each. Screenshots
go to tests/screenshots/ (gitignored).

The lessons are served from a copy in a temporary folder, so nothing the browser runs or saves
touches the committed notebooks.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import (
    JUPYTER_DIRS,
    ROOT,
    chromium,
    explain,
    free_port,
    require_axe,
    require_chromium,
    running_server,
    serious,
    shot,
)
from browser_support import axe_violations as axe

WIDGETS = ("ImageBrowser", "SharingEditor", "CopyWizard", "CostExplorer", "Lineage")
CALL = re.compile(r"\b(" + "|".join(WIDGETS) + r")\(")
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
#: The course's own output in JupyterLab: what axe checks (JupyterLab's interface is upstream's).
COURSE_WIDGETS = ".jp-OutputArea-output .jupyter-widgets"


KEYBOARD_NOTEBOOK = "keyboard-only.ipynb"
#: One widget of each kind, on lesson 04's sandbox (an image of the learner's to share and copy).
KEYBOARD_CELLS = [
    "from labkit import Lab\n"
    "from labkit.widgets import CopyWizard, CostExplorer, ImageBrowser, Lineage, SharingEditor\n"
    "\n"
    'lab = Lab("04-sharing")\n'
    'image_id = lab.ids["app_image"]',
    "ImageBrowser(lab)",
    "SharingEditor(lab, image_id=image_id)",
    'CopyWizard(lab, image_id=image_id, destination="eu-west-1")',
    "CostExplorer(lab)",
    "Lineage(lab)",
]


ERRORS_NOTEBOOK = "error-box.ipynb"
#: A source image copied from the wrong Region (AWS refuses it: a ClientError), then a device
#: left out with NoDevice=True (botocore refuses it before sending: a ParamValidationError).
#: The two failing cells carry JupyterLab's ``raises-exception`` tag, so Run All goes on.
ERRORS_CELLS = [
    (
        "from labkit import Lab\n"
        "\n"
        'lab = Lab("03-copy-across-regions")\n'
        'source_id = lab.ids["web_image"]\n'
        'ireland = lab.client("ec2", region="eu-west-1")',
        False,
    ),
    (
        "ireland.copy_image(\n"
        '    Name="web-ireland", SourceImageId=source_id, SourceRegion="eu-west-1"\n'
        ")",
        True,
    ),
    (
        'ec2 = lab.client("ec2")\n'
        "ec2.create_image(\n"
        '    InstanceId="i-0123456789abcdef0",\n'
        '    Name="web-no-data-disk",\n'
        '    BlockDeviceMappings=[{"DeviceName": "/dev/sdb", "NoDevice": True}],\n'
        ")",
        True,
    ),
]


def code_notebook(prefix: str, sources: list[str], raising: tuple[bool, ...] = ()) -> dict:
    """A notebook of code cells, without outputs; a cell marked in ``raising`` may fail."""
    cells = [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": f"{prefix}-{n}",
            "metadata": {"tags": ["raises-exception"]} if n < len(raising) and raising[n] else {},
            "outputs": [],
            "source": source,
        }
        for n, source in enumerate(sources)
    ]
    kernel = {"display_name": "Python 3", "language": "python", "name": "python3"}
    return {"cells": cells, "metadata": {"kernelspec": kernel}, "nbformat": 4, "nbformat_minor": 5}


def keyboard_notebook() -> dict:
    return code_notebook("keyboard", KEYBOARD_CELLS)


def errors_notebook() -> dict:
    sources, raising = zip(*ERRORS_CELLS, strict=True)
    return code_notebook("errors", list(sources), raising)


def widget_calls(path: Path) -> list[str]:
    """The widget classes a lesson's code cells call, in order (one widget per call)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    return [name for source in code for name in CALL.findall(source)]


LESSONS = [p for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")) if widget_calls(p)]


@pytest.fixture(scope="module")
def lab_url(tmp_path_factory) -> Iterator[str]:
    """JupyterLab serving a copy of notebooks/, headless on loopback, with its own settings."""
    require_chromium()
    require_axe()
    tmp = tmp_path_factory.mktemp("browser")
    root = tmp / "course"
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    keyboard = root / "notebooks" / KEYBOARD_NOTEBOOK
    keyboard.write_text(json.dumps(keyboard_notebook()), encoding="utf-8")
    errors = root / "notebooks" / ERRORS_NOTEBOOK
    errors.write_text(json.dumps(errors_notebook()), encoding="utf-8")
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
    base = f"http://127.0.0.1:{port}"
    with running_server(
        command,
        cwd=root,
        env=env,
        log_path=tmp / "lab.log",
        url=f"{base}/api/status",
        timeout=READY_TIMEOUT,
    ):
        yield base


@pytest.fixture(scope="module")
def browser(lab_url) -> Iterator[object]:
    """Debian's Chromium, driven by Playwright (no browser download)."""
    with chromium() as browser:
        yield browser


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


def open_and_run_all(page, lab_url: str, name: str, notebook: str, code_cells: int) -> None:
    """Open notebooks/``notebook`` in a workspace of its own (``name``: no other tab restored
    beside it), Run All Cells once its kernel is idle, and wait until every cell ran."""
    page.goto(f"{lab_url}/lab/workspaces/{name}/tree/notebooks/{notebook}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=RUN_TIMEOUT)
    wait_for_idle_kernel(page)
    run_all(page)
    wait_until_every_cell_ran(page, code_cells, name)
    wait_for_idle_kernel(page)


def code_cell_count(path: Path) -> int:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return sum(c["cell_type"] == "code" for c in cells)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
class TestWidgetsInTheBrowser:
    def test_lesson_widgets_render_and_respond(self, lab_url, page, lesson):
        """Run All renders every widget with its controls; the cost total follows a slider;
        axe-core finds no serious or critical WCAG 2.1 AA violation in the widgets."""
        expected = widget_calls(lesson)
        open_and_run_all(page, lab_url, lesson.stem, lesson.name, code_cell_count(lesson))
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
        # After the clicks, so the image browser's details and redrawn plots are checked too.
        found = serious(axe(page, COURSE_WIDGETS))
        assert not found, f"{lesson.name}: axe found, in the course's widgets:\n{explain(found)}"

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
        plot = explorer.locator(".amilab-plot img")
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
        # The plot's <img> is drawn anew with each value: look it up again each time.
        page.wait_for_function(
            "([widget, old]) => widget.querySelector('.amilab-plot img')"
            "?.getAttribute('src') !== old",
            arg=[explorer.element_handle(), picture],
            timeout=30_000,
        )
        shot(explorer, f"{lesson.stem}-CostExplorer-after-drag")
        assert after != before and "$" in after
        # Its text alternative follows too: the new total is in the plot's alt text.
        total_usd = after.rsplit(": ", 1)[-1].strip()
        alt = plot.get_attribute("alt")
        assert f"{total_usd} in all" in alt, (after, alt)


class TestAwsCliInTheBrowser:
    def test_aws_cells_answer_from_the_sandbox(self, lab_url, page):
        """Lesson 00 in JupyterLab: its !aws cell lists the sandbox's images as the CLI prints
        them, and its %aws cell shows the CLI's own error, not a traceback."""
        lesson = ROOT / "notebooks" / "00-welcome.ipynb"
        open_and_run_all(page, lab_url, f"{lesson.stem}-aws", lesson.name, code_cell_count(lesson))
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


class TestErrorBoxInTheBrowser:
    """A learner's two kinds of mistake, run in JupyterLab: each shows as labkit.explain's short
    box (AWS's code and message as sent, the lab's explanation beside it), not as a traceback."""

    def test_error_boxes_are_short_and_explained(self, lab_url, page):
        open_and_run_all(page, lab_url, "error-box", ERRORS_NOTEBOOK, len(ERRORS_CELLS))
        cells = page.locator(".jp-Notebook .jp-CodeCell")
        refused, stopped = cells.nth(1), cells.nth(2)
        for cell in (refused, stopped):
            cell.locator(".labkit-error").wait_for(timeout=30_000)
        shot(page, "error-box-page")
        shot(refused.locator(".jp-Cell-outputWrapper"), "error-box-ClientError")
        shot(stopped.locator(".jp-Cell-outputWrapper"), "error-box-ParamValidationError")

        # AWS refused the copy: its code and message exactly as sent, the call, the explanation.
        box = refused.locator(".labkit-error")
        assert box.count() == 1
        shown = box.inner_text()
        assert "Error from AWS: copy_image() (as learner in eu-west-1) was refused" in shown
        source_id = re.search(r"ami-[0-9a-f]{17}", shown)[0]
        assert f"InvalidAMIID.NotFound: The image id '[{source_id}]' does not exist" in shown
        assert "What it means here: CopyImage runs in the destination Region" in shown
        assert "What to look at: It is in us-east-1: check SourceRegion" in shown

        # botocore stopped the image before sending it: its report, and what NoDevice takes.
        box = stopped.locator(".labkit-error")
        assert box.count() == 1
        shown = box.inner_text()
        assert "Error before sending: botocore stopped create_image()" in shown
        assert "nothing was sent" in shown
        assert (
            "ParamValidationError: Invalid type for parameter BlockDeviceMappings[0].NoDevice, "
            "value: True, type: <class 'bool'>, valid types: <class 'str'>"
        ) in shown
        assert "What it means here: NoDevice takes an empty string, not True" in shown

        for cell, error in ((refused, "ClientError"), (stopped, "ParamValidationError")):
            # What the learner reads: the box and the error's one line, no wall of frames.
            visible = cell.locator(".jp-OutputArea").inner_text()
            assert "Traceback" not in visible, visible
            assert not re.search(r"File .*botocore|botocore/client\.py|site-packages", visible)
            assert len([line for line in visible.splitlines() if line.strip()]) <= 12, visible
            assert cell.locator("[data-mime-type='application/vnd.jupyter.stderr']").count() <= 1
            # The full traceback is one click away, in the box.
            summary = cell.locator(".labkit-error details summary")
            assert "The full traceback" in summary.inner_text()
            full = cell.locator(".labkit-error details pre")
            assert not full.is_visible()
            summary.click()
            full.wait_for(state="visible", timeout=10_000)
            traceback = full.inner_text()
            assert "botocore" in traceback and f"{error}: " in traceback
            assert "_make_api_call" in traceback
        shot(page, "error-box-tracebacks-open")

        found = serious(axe(page, ".labkit-error"))
        assert not found, f"axe found, in the error boxes:\n{explain(found)}"


def tab_to(page, widget: int, selector: str, key: str = "Tab", presses: int = 40) -> None:
    """Press Tab (or Shift+Tab) until the focus is on ``selector`` inside the widget-th widget
    (no press if it is there already); the control must show where the focus is."""
    for press in range(presses + 1):
        if press:  # the first look is where the focus already is
            page.keyboard.press(key)
        if page.evaluate(
            """([index, selector]) => {
                const widget = document.querySelectorAll(
                    '.jp-OutputArea-output .jupyter-widgets.amilab-widget')[index];
                const focused = document.activeElement;
                return !!focused && widget.contains(focused) && focused.matches(selector);
            }""",
            [widget, selector],
        ):
            assert_focus_visible(page)
            return
    focused = page.evaluate("() => document.activeElement?.outerHTML.slice(0, 200)")
    pytest.fail(f"{presses} × {key} never reached {selector} in widget {widget}; at {focused}")


def assert_focus_visible(page) -> None:
    """The focused control draws a focus ring (an outline), so a sighted keyboard user sees it."""
    ring = page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return [s.outlineStyle, s.outlineWidth]; }"""
    )
    if ring[0] == "none" or ring[1] == "0px":
        rules = page.evaluate(
            """() => { const el = document.activeElement, found = [];
                for (const sheet of document.styleSheets) {
                    let rules; try { rules = sheet.cssRules; } catch (e) { continue; }
                    for (const r of rules) {
                        if (!r.style || !(r.style.outlineStyle || r.style.outline)) continue;
                        try { if (el.matches(r.selectorText.replace(/:focus-visible/g, ':focus')))
                            found.push(r.cssText.slice(0, 200)); } catch (e) {}
                    }
                }
                return [el.outerHTML.slice(0, 150), found]; }"""
        )
        pytest.fail(f"no visible focus: outline {ring} on {rules[0]}; outline rules: {rules[1]}")


def accessible_name(page) -> str:
    """The focused control's name as a screen reader gets it (ARIA label or its <label>)."""
    return page.evaluate(
        """() => { const el = document.activeElement;
                   if (el.getAttribute('aria-label')) return el.getAttribute('aria-label');
                   if (el.labels && el.labels.length) return el.labels[0].textContent.trim();
                   return el.textContent.trim(); }"""
    )


class TestKeyboardOnly:
    """One widget of each kind, driven by the keyboard alone: Tab, Shift+Tab, Enter, Space and
    arrows, from the widget's first control to a saved change (or, for the read-only image
    browser and lineage, to what they show on a choice)."""

    def test_every_widget_by_keyboard(self, lab_url, page):
        open_and_run_all(page, lab_url, "keyboard", KEYBOARD_NOTEBOOK, len(KEYBOARD_CELLS))
        widgets = page.locator(".jp-OutputArea-output .jupyter-widgets.amilab-widget")
        widgets.nth(4).wait_for(timeout=30_000)
        browser, editor, wizard, explorer, lineage = (widgets.nth(n) for n in range(5))

        def start(widget) -> None:
            """Land on the widget's first control, as a Tab from the cell above would."""
            widget.scroll_into_view_if_needed()
            widget.locator("select, input, button, [tabindex='0']").first.focus()

        # Image browser: Tab to the list of images, Down arrow picks one, its details show.
        start(browser)
        tab_to(page, 0, ".amilab-list select")
        assert accessible_name(page) == "Images"
        page.keyboard.press("ArrowDown")
        browser.get_by_text("Launch permissions").wait_for(timeout=30_000)

        # Sharing editor: type an account, Enter on Add, Shift+Tab back, Space on Save changes.
        start(editor)
        tab_to(page, 1, "input[type='text']")
        assert accessible_name(page) == "AWS account ID"
        page.keyboard.type("333333333333")
        tab_to(page, 1, "button")
        assert accessible_name(page) == "Add account ID"
        page.keyboard.press("Enter")
        editor.locator("select option", has_text="333333333333").wait_for(timeout=30_000)
        tab_to(page, 1, "input[type='text']", key="Shift+Tab", presses=3)
        tab_to(page, 1, "button.mod-primary")
        assert accessible_name(page) == "Save changes"
        page.keyboard.press("Space")
        editor.locator(".amilab-message").get_by_text("Done: Saved.").wait_for(timeout=30_000)
        assert "333333333333" in editor.locator(".amilab-message").inner_text()
        shot(editor, "keyboard-SharingEditor-saved")

        # Copy wizard: Space ticks Copy tags, Enter on Copy AMI makes the copy.
        start(wizard)
        tab_to(page, 2, "input[type='checkbox']")
        assert accessible_name(page) == "Copy tags"
        page.keyboard.press("Space")
        tab_to(page, 2, "button.mod-primary")
        assert accessible_name(page) == "Copy AMI"
        page.keyboard.press("Enter")
        message = wizard.locator(".amilab-message")
        message.get_by_text(re.compile(r"^✔ Done: AWS answered: copying")).wait_for(timeout=30_000)
        assert re.search(r"to eu-west-1 as ami-[0-9a-f]{17}", message.inner_text())
        shot(wizard, "keyboard-CopyWizard-copied")

        # Cost explorer: Tab to the first slider (named after its label), arrows move it.
        start(explorer)
        tab_to(page, 3, "[role='slider']")
        assert accessible_name(page) == "Number of images"
        total = explorer.locator(".amilab-total")
        before = total.inner_text()
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        explorer.get_by_text(re.compile(r"^13 images ×")).wait_for(timeout=30_000)
        assert total.inner_text() != before

        # Lineage: Down arrow on "Family of" focuses the picture on one family; Enter on
        # "In words" opens the same in words.
        start(lineage)
        tab_to(page, 4, "select")
        assert accessible_name(page) == "Family of"
        page.keyboard.press("ArrowDown")
        page.wait_for_function(
            "(el) => el.selectedIndex > 0",
            arg=lineage.locator("select").element_handle(),
            timeout=30_000,
        )
        tab_to(page, 4, "summary")
        page.keyboard.press("Enter")
        assert lineage.locator("details").get_attribute("open") is not None
        assert lineage.locator("details li").count() >= 1
        shot(lineage, "keyboard-Lineage-in-words")

        # The same widgets, after all that, in JupyterLab's dark theme: still no serious finding
        # (colour contrast included), then back to the light theme.
        set_theme(page, "JupyterLab Dark", light=False)
        try:
            shot(page, "keyboard-dark-theme")
            found = serious(axe(page, COURSE_WIDGETS))
            assert not found, f"dark theme: axe found, in the widgets:\n{explain(found)}"
        finally:
            set_theme(page, "JupyterLab Light", light=True)


def set_theme(page, theme: str, light: bool) -> None:
    """Settings → Theme → ``theme``, by JupyterLab's menu; wait until the page has it."""
    page.get_by_role("menuitem", name="Settings", exact=True).click()
    page.locator(".lm-Menu-item", has=page.get_by_text("Theme", exact=True)).first.click()
    page.locator(".lm-Menu-item", has=page.get_by_text(theme, exact=True)).first.click()
    page.wait_for_function(
        "(light) => document.body.dataset.jpThemeLight === String(light)",
        arg=light,
        timeout=30_000,
    )
