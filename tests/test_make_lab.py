"""`make lab` starts a JupyterLab that serves the welcome lesson (run headless, on loopback)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WELCOME = "learner/00-welcome.ipynb"  # the learner edition, which scripts/lab.sh releases first
READY_TIMEOUT = 30  # seconds; a server is usually ready in about 2
JUPYTER_DIRS = (
    "JUPYTER_CONFIG_DIR",
    "JUPYTER_RUNTIME_DIR",
    "JUPYTERLAB_SETTINGS_DIR",
    "JUPYTERLAB_WORKSPACES_DIR",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
    log = (tmp_path / "lab.log").open("wb")
    proc = subprocess.Popen(
        ["bash", str(ROOT / "scripts/lab.sh"), *headless],
        cwd=tmp_path,  # the script must find the repository by itself
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + READY_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"JupyterLab exited with {proc.returncode}:\n{read_log(tmp_path)}")
            try:
                if get(f"{base}/api/status")[0] == 200:
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"JupyterLab not ready in {READY_TIMEOUT} s:\n{read_log(tmp_path)}")
            time.sleep(0.25)
        yield base, Path(env["JUPYTER_RUNTIME_DIR"])
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def read_log(tmp_path: Path) -> str:
    return (tmp_path / "lab.log").read_text(encoding="utf-8", errors="replace")[-4000:]


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
