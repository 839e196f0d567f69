"""A real JupyterHub on loopback, and learners who use it through its REST API and kernels.

Shared by tests/test_hub.py (three learners, checked) and benchmarks/hub_load.py (many, timed).
The hub is the ``jupyterhub`` package with the npm ``configurable-http-proxy``, a
``DummyAuthenticator`` and a ``SimpleLocalProcessSpawner`` whose homes are folders under a temporary
directory; each learner's server starts with ``deploy/bin/amilab-start`` (nbgitpuller, then the
learner edition), exactly as on a real hub. Everything listens on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil  # a dependency of ipykernel
import websocket  # websocket-client, a dependency of jupyter_server

ROOT = Path(__file__).resolve().parents[1]
START = ROOT / "deploy" / "bin" / "amilab-start"
LESSONS = "ami-lab"  # the learner edition's folder in each home (deploy/bin/amilab-update)


class HubError(RuntimeError):
    """The hub, a server or a kernel did not do what was asked."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def proxy_command() -> str | None:
    """The configurable-http-proxy executable, or None when it is not installed."""
    return shutil.which("configurable-http-proxy")


def course_repository(folder: Path) -> Path:
    """A git repository holding this course's notebooks, as an instructor's would (branch main).

    The hub's learners pull it with nbgitpuller from a local path: no network.
    """
    folder.mkdir(parents=True)
    shutil.copytree(ROOT / "notebooks", folder / "notebooks", ignore=shutil.ignore_patterns(".*"))
    git(folder, "init", "-q", "-b", "main")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "The course")
    return folder


def git(folder: Path, *args: str) -> str:
    identity = ["-c", "user.name=AMI Lab test", "-c", "user.email=test@amilab.invalid"]
    done = subprocess.run(
        ["git", *identity, *args], cwd=folder, capture_output=True, text=True, check=True
    )
    return done.stdout


HUB_CONFIG = """\
c = get_config()  # noqa
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.JupyterHub.db_url = "sqlite:///{folder}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{folder}/cookie_secret"
c.JupyterHub.pid_file = "{folder}/jupyterhub.pid"
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = "{homes}/{{username}}"
c.Spawner.cmd = [{start!r}]
c.Spawner.args = {args!r}
c.Spawner.environment = {environment!r}
c.Spawner.default_url = "/lab/tree/{lessons}/00-welcome.ipynb"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.JupyterHub.services = [
    {{"name": "amilab-admin", "api_token": {token!r}}},
    {{"name": "idle-culler", "command": [{python!r}, "-m", "jupyterhub_idle_culler",
                                         "--timeout=3600", "--cull-every=600"]}},
]
c.JupyterHub.load_roles = [
    {{"name": "amilab-admin", "services": ["amilab-admin"],
      "scopes": ["admin:users", "admin:servers", "tokens", "list:users", "read:users",
                 "list:services", "read:services"]}},
    {{"name": "idle-culler", "services": ["idle-culler"],
      "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]}},
]
"""


@dataclass
class Hub:
    """A running JupyterHub: ``Hub.start(folder, course)``, then ``stop()``."""

    folder: Path
    homes: Path
    url: str
    token: str
    process: subprocess.Popen
    log: Path
    users: dict[str, str] = field(default_factory=dict)  # name -> the user's own API token

    @classmethod
    def start(cls, folder: Path, course: Path, *, ready_seconds: float = 60) -> Hub:
        proxy = proxy_command()
        if proxy is None:
            raise HubError("configurable-http-proxy is not installed (npm install -g ...)")
        folder.mkdir(parents=True, exist_ok=True)
        homes = folder / "homes"
        homes.mkdir(exist_ok=True)
        port, token = free_port(), secrets.token_hex(16)
        environment = {
            "AMILAB_REPO": str(course),
            "AMILAB_REF": "main",
            "AMILAB_PYTHON": sys.executable,
            "MPLBACKEND": "Agg",
        }
        config = HUB_CONFIG.format(
            port=port,
            hub_port=free_port(),
            proxy_api_port=free_port(),
            proxy=proxy,
            folder=folder,
            homes=homes,
            start=str(START),
            args=["--allow-root"] if os.geteuid() == 0 else [],
            environment=environment,
            lessons=LESSONS,
            token=token,
            python=sys.executable,
        )
        (folder / "jupyterhub_config.py").write_text(config, encoding="utf-8")
        log = folder / "jupyterhub.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AMILAB_", "JUPYTER"))}
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(folder / "jupyterhub_config.py")],
            cwd=folder,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        hub = cls(folder, homes, f"http://127.0.0.1:{port}", token, process, log)
        deadline = time.monotonic() + ready_seconds
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise HubError(f"JupyterHub exited ({process.returncode}):\n{hub.log_tail()}")
            try:
                hub.api("GET", "/hub/api/")
                return hub
            except (OSError, HubError):
                time.sleep(0.3)
        hub.stop()
        raise HubError(f"JupyterHub was not ready in {ready_seconds} s:\n{hub.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        """Stop the hub, which stops its proxy and every server it started (all at once); then
        end any of them still running (a server runs in a process session of its own)."""
        try:
            started = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            started = []
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        for process in started:
            try:
                process.kill()
            except psutil.NoSuchProcess:
                pass

    # -- the REST API ---------------------------------------------------------------------------

    def api(self, method: str, path: str, body: Any = None, token: str | None = None) -> Any:
        """Call the hub (or, with a user's token, that user's server); the answer as JSON."""
        request = urllib.request.Request(
            self.url + path,
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {token or self.token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                text = response.read().decode()
        except urllib.error.HTTPError as error:
            raise HubError(f"{method} {path}: HTTP {error.code} {error.read()[:300]!r}") from None
        return json.loads(text) if text.strip() else None

    def add_user(self, name: str) -> str:
        """Create ``name`` and a token of their own; return the token."""
        self.api("POST", f"/hub/api/users/{name}")
        token = self.api("POST", f"/hub/api/users/{name}/tokens", {"note": "amilab test"})["token"]
        self.users[name] = token
        return token

    def request_server(self, name: str) -> None:
        """Ask for ``name``'s server (as the user); the hub starts it in the background."""
        try:
            self.api("POST", f"/hub/api/users/{name}/server", token=self.users[name])
        except HubError as error:
            if "HTTP 400" not in str(error):  # 400: already running
                raise

    def start_server(self, name: str, timeout: float = 120) -> None:
        """Start ``name``'s server (if not asked yet) and wait until the hub says it is ready."""
        self.request_server(name)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = self.api("GET", f"/hub/api/users/{name}")
            server = (model.get("servers") or {}).get("")
            if server and server.get("ready"):
                return
            time.sleep(0.3)
        raise HubError(f"{name}'s server was not ready in {timeout} s:\n{self.log_tail()}")

    def home(self, name: str) -> Path:
        return self.homes / name


class Kernel:
    """One kernel in a learner's server, driven over the server's websocket as JupyterLab does."""

    def __init__(self, hub: Hub, user: str, token: str | None = None) -> None:
        self.hub, self.user = hub, user
        self.token = token or hub.users[user]
        model = hub.api("POST", f"/user/{user}/api/kernels", {"name": "python3"}, self.token)
        self.id = model["id"]
        self.session = uuid.uuid4().hex
        address = (
            hub.url.replace("http://", "ws://") + f"/user/{user}/api/kernels/{self.id}/channels"
        )
        self.socket = websocket.create_connection(
            address, header=[f"Authorization: token {self.token}"], timeout=120
        )

    def execute(self, code: str, timeout: float = 120) -> dict[str, Any]:
        """Run ``code``; return its status, text output, error and seconds until the reply."""
        message_id = uuid.uuid4().hex
        self.socket.send(
            json.dumps(
                {
                    "header": {
                        "msg_id": message_id,
                        "msg_type": "execute_request",
                        "username": self.user,
                        "session": self.session,
                        "version": "5.3",
                        "date": "",
                    },
                    "parent_header": {},
                    "metadata": {},
                    "content": {
                        "code": code,
                        "silent": False,
                        "store_history": True,
                        "user_expressions": {},
                        "allow_stdin": False,
                        "stop_on_error": True,
                    },
                    "channel": "shell",
                    "buffers": [],
                }
            )
        )
        started = time.perf_counter()
        result: dict[str, Any] = {"status": None, "text": [], "error": None, "seconds": None}
        idle = False
        deadline = time.monotonic() + timeout
        while (result["status"] is None or not idle) and time.monotonic() < deadline:
            message = json.loads(self.socket.recv())
            if message.get("parent_header", {}).get("msg_id") != message_id:
                continue
            kind, content = message["msg_type"], message["content"]
            if kind == "execute_reply":
                result["status"] = content["status"]
                result["seconds"] = time.perf_counter() - started
            elif kind == "stream":
                result["text"].append(content["text"])
            elif kind in ("execute_result", "display_data"):
                result["text"].append(content.get("data", {}).get("text/plain", ""))
            elif kind == "error":
                result["error"] = f"{content['ename']}: {content['evalue']}"
            elif kind == "status" and content["execution_state"] == "idle":
                idle = True
        if result["status"] is None:
            raise HubError(f"{self.user}: no reply in {timeout} s to {code[:60]!r}")
        result["text"] = "".join(result["text"])
        return result

    def close(self) -> None:
        try:
            self.socket.close()
        finally:
            try:
                self.hub.api("DELETE", f"/user/{self.user}/api/kernels/{self.id}", token=self.token)
            except (OSError, HubError):
                pass


def read_notebook(hub: Hub, user: str, path: str) -> dict[str, Any]:
    """A notebook from the user's server, through its contents API."""
    return hub.api("GET", f"/user/{user}/api/contents/{path}?content=1", token=hub.users[user])[
        "content"
    ]


def code_cells(notebook: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    """(cell id, source, tags) of each code cell, in order."""
    return [
        (cell.get("id", ""), "".join(cell["source"]), cell.get("metadata", {}).get("tags", []))
        for cell in notebook["cells"]
        if cell["cell_type"] == "code"
    ]
