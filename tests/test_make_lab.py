"""`make lab` starts a JupyterLab that serves the welcome lesson (run headless, on loopback)."""

from __future__ import annotations

import json
import os
import sys
import urllib.request
from pathlib import Path

import pytest
from browser_support import JUPYTER_DIRS, ROOT, free_port, running_server

WELCOME = "learner/00-welcome.ipynb"  # the learner edition, which scripts/lab.sh releases first
READY_TIMEOUT = 30  # seconds; a server is usually ready in about 2


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read()


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory):
    """Run scripts/lab.sh (what `make lab` runs) headless; yield its base URL and runtime dir."""
    if not (ROOT / "notebooks/00-welcome.ipynb").exists():
        pytest.skip("notebooks/00-welcome.ipynb is not written yet")
    tmp_path = tmp_path_factory.mktemp("lab")
    port = free_port()
    env = dict(os.environ, LAB_PYTHON=sys.executable)
    for var in JUPYTER_DIRS:  # keep the learner's own Jupyter settings out of the test
        env[var] = str(tmp_path / var.lower())
    headless = [
        "--no-browser",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        "--ServerApp.ip=127.0.0.1",
        "--IdentityProvider.token=",
    ]
    base = f"http://127.0.0.1:{port}"
    with running_server(
        ["bash", str(ROOT / "scripts/lab.sh"), *headless],
        cwd=tmp_path,  # the script must find the repository by itself
        env=env,
        log_path=tmp_path / "lab.log",
        url=f"{base}/api/status",
        timeout=READY_TIMEOUT,
    ):
        yield base, Path(env["JUPYTER_RUNTIME_DIR"])


class TestMakeLab:
    def test_serves_the_welcome_notebook(self, lab_server):
        """The server make lab starts returns the learner edition of 00-welcome as a notebook."""
        base, _ = lab_server
        status, body = get(f"{base}/api/contents/{WELCOME}")
        model = json.loads(body)
        assert status == 200
        assert model["type"] == "notebook"
        assert model["content"]["nbformat"] == 4
        assert model["content"]["cells"], "the welcome notebook has no cells"
        text = json.dumps(model["content"])
        assert "Learner edition" in text and "BEGIN SOLUTION" not in text

    def test_opens_the_browser_at_the_welcome_notebook(self, lab_server):
        """The page make lab opens in the browser redirects to the welcome notebook in the lab."""
        base, runtime_dir = lab_server
        # Jupyter Server writes the page it would open as jpserver-file-to-run-<pid>-open.html.
        (page,) = runtime_dir.glob("jpserver-file-to-run-*-open.html")
        url = f"{base}/lab/tree/{WELCOME}"
        assert url in page.read_text(encoding="utf-8")
        status, body = get(url)
        assert status == 200
        assert b"JupyterLab" in body
