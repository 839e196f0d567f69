"""What the browser tests share: Debian's Chromium, a local server's start-up, and axe-core.

Used by tests/test_browser.py (the widgets in JupyterLab), tests/test_site.py (the website) and
tests/test_make_lab.py (``make lab``'s server). Outside CI a test skips, saying why, when Chromium,
Playwright or axe-core is missing; in CI (``CI=true``, where .ci/run installs all three) it fails.

axe-core comes from the npm registry: ``npm install --no-save axe-core@4`` at the repository's
root gives ``node_modules/axe-core/axe.min.js`` (``AXE_CORE`` may name another copy).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "tests" / "screenshots"
IN_CI = os.environ.get("CI") == "true"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Settings a test's Jupyter server gets its own folders for (the learner's stay out of it).
JUPYTER_DIRS = (
    "JUPYTER_CONFIG_DIR",
    "JUPYTER_DATA_DIR",
    "JUPYTER_RUNTIME_DIR",
    "JUPYTERLAB_SETTINGS_DIR",
    "JUPYTERLAB_WORKSPACES_DIR",
)
AXE = Path(os.environ.get("AXE_CORE") or ROOT / "node_modules" / "axe-core" / "axe.min.js")
#: The rules WCAG 2.1 AA asks for (axe's tags); best practices are not counted.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: The impacts a test fails on.
SERIOUS = ("serious", "critical")


def missing(reason: str) -> None:
    """Skip outside CI; fail in CI, where .ci/run installs what the test needs."""
    if IN_CI:
        pytest.fail(reason + " (.ci/run installs it, so CI must have it)")
    pytest.skip(reason)


def require_chromium() -> None:
    if not CHROMIUM.exists():
        missing(
            f"Debian's chromium is not installed ({CHROMIUM} is missing): "
            "apt-get install -y --no-install-recommends chromium"
        )


def require_axe() -> Path:
    if not AXE.is_file():
        missing(f"axe-core is not installed ({AXE} is missing): npm install --no-save axe-core@4")
    return AXE


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium, driven by Playwright (no browser download)."""
    require_chromium()
    if IN_CI:
        from playwright import sync_api
    else:
        sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


def tail(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")[-4000:]


@contextlib.contextmanager
def running_server(
    command: list[str], *, cwd: Path, env: dict[str, str], log_path: Path, url: str, timeout: float
) -> Iterator[subprocess.Popen]:
    """Start a server, wait until ``url`` answers 200, and stop it afterwards."""
    log = log_path.open("wb")
    proc = subprocess.Popen(
        command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                pytest.fail(f"{command[0]} exited with {proc.returncode}:\n{tail(log_path)}")
            try:
                with urllib.request.urlopen(url, timeout=5) as answer:
                    if answer.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"{url} did not answer in {timeout} s:\n{tail(log_path)}")
            time.sleep(0.25)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def shot(target: Any, name: str) -> Path:
    """A screenshot of a page or element, to tests/screenshots/ (gitignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    target.screenshot(path=str(path))
    return path


# -- axe-core -------------------------------------------------------------------------------------


def axe_violations(page: Any, include: str | None = None) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A and AA violations on the page (or inside ``include``'s matches)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(require_axe()))
    return page.evaluate(
        """async ([include, tags]) => {
            const context = include ? {include: [[include]]} : document;
            const result = await axe.run(context, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200),
                                          summary: n.failureSummary}))}));
        }""",
        [include, WCAG_21_AA],
    )


def serious(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The violations a test fails on: serious or critical."""
    return [v for v in violations if v["impact"] in SERIOUS]


def explain(violations: list[dict[str, Any]]) -> str:
    """The violations as lines a reader can act on: rule, impact, where, and what is wrong."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['html']}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)
