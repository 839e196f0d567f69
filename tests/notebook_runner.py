"""Run notebooks in a kernel of this very interpreter (never a stored or user kernelspec), sealed
if asked (real-looking AWS settings, and a guard in the kernel that records any way out), and read
what their check cells answered."""

from __future__ import annotations

import html
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpec
from nbclient import NotebookClient

#: The exercise ID a check cell names: ``lab.check("exercise-id", ...)``.
_CHECK_CALL = re.compile(r"""\blab\.check\(\s*(["'])(?P<id>[^"']+)\1""")
PASSED, NOT_YET = "✅", "❌"
#: A check that could not judge here (lesson 10's, where Packer is missing).
SKIPPED = "⏭️"
#: The verdict in words that follows each mark (a result never rests on the mark alone).
VERDICTS = {PASSED: "Passed", NOT_YET: "Not yet"}


def current_env_kernel() -> KernelManager:
    """A kernel manager that starts ipykernel with ``sys.executable``."""
    manager = KernelManager()
    manager._kernel_spec = KernelSpec(
        argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        display_name="AMI Lab tests",
        language="python",
    )
    return manager


def run_cells(
    cells: list, cwd: Path, timeout: int = 120, env: dict[str, str] | None = None
) -> nbformat.NotebookNode:
    """Execute the given cells, in order, in one fresh kernel; return the executed notebook.

    Args:
        env: the kernel's whole environment (this process's when omitted); see ``sealed_kernel``.
    """
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.from_dict(dict(c)) for c in cells]
    manager = current_env_kernel()
    client = NotebookClient(
        notebook, km=manager, timeout=timeout, resources={"metadata": {"path": cwd}}
    )
    try:
        client.execute(**({} if env is None else {"env": env}))
    finally:
        shut_down(manager)
    return notebook


def shut_down(manager: KernelManager) -> None:
    """Stop a kernel this module started. nbclient leaves running a kernel whose manager it was
    given: without this, each test's kernel lived (170-240 MB) until its pytest worker ended."""
    if manager.has_kernel:
        manager.shutdown_kernel(now=True)


# -- a sealed kernel ---------------------------------------------------------------------------

#: What a learner with a real AWS set-up has: keys and a profile in the environment, and the same
#: profile in credentials and config files (AWS's documented example keys).
MACHINE_AWS_SETTINGS = {
    "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
    "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "AWS_PROFILE": "production-admin",
    "AWS_DEFAULT_REGION": "eu-central-1",
}

# An IPython startup file: it runs in the kernel before any cell. An audit hook sees every socket
# operation Python makes, whichever library makes it (botocore, urllib3, requests…); ZMQ's kernel
# traffic is C, and loopback anyway. Each attempt is refused AND written to the log, because a
# library may swallow the refusal and retry; reads of the machine's AWS files are logged too.
_GUARD_STARTUP = r"""
def _amilab_kernel_guard():
    import json
    import os
    import sys

    log = os.environ["AMILAB_KERNEL_GUARD_LOG"]
    watched = {
        os.path.realpath(os.environ[name])
        for name in ("AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE")
        if os.environ.get(name)
    }

    def loopback(host):
        if isinstance(host, bytes):
            host = host.decode(errors="replace")
        text = str(host)
        return text in ("localhost", "::1", "") or text.startswith("127.")

    def record(what):
        with open(log, "a", encoding="utf-8") as file:
            file.write(json.dumps(what) + "\n")

    def hook(event, args):
        if event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
            address = args[1]
            if isinstance(address, tuple) and address and not loopback(address[0]):
                record(f"{event} {address!r}")
                raise ConnectionRefusedError(f"AMI Lab kernel guard: {event} {address!r}")
        elif event in (
            "socket.getaddrinfo",
            "socket.gethostbyname",
            "socket.gethostbyname_ex",
            "socket.gethostbyaddr",
        ):
            if args and args[0] is not None and not loopback(args[0]):
                record(f"{event} {args[0]!r}")
                raise ConnectionRefusedError(f"AMI Lab kernel guard: {event} {args[0]!r}")
        elif event == "open" and isinstance(args[0], (str, bytes)) and watched:
            path = os.fsdecode(args[0])
            if path != log and os.path.realpath(path) in watched:
                record(f"read {path} (the machine's own AWS settings)")

    sys.addaudithook(hook)
    open(log, "a").close()  # the log's existence says the guard was installed


_amilab_kernel_guard()
del _amilab_kernel_guard
"""


def sealed_kernel(folder: Path) -> dict[str, str]:
    """A kernel environment with the machine's AWS settings real-looking and a guard installed.

    The keys and profile are in the environment and in credentials and config files in
    ``folder``; ``folder/ipython`` holds the startup file that installs the guard in any kernel
    started with this environment. Read what the guard saw with ``kernel_leaks(folder)``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    key, secret = (
        MACHINE_AWS_SETTINGS["AWS_ACCESS_KEY_ID"],
        MACHINE_AWS_SETTINGS["AWS_SECRET_ACCESS_KEY"],
    )
    credentials, config = folder / "aws-credentials", folder / "aws-config"
    credentials.write_text(
        "".join(
            f"[{name}]\naws_access_key_id = {key}\naws_secret_access_key = {secret}\n"
            for name in ("default", "production-admin")
        )
    )
    config.write_text(
        "[default]\nregion = eu-central-1\n[profile production-admin]\nregion = eu-central-1\n"
    )
    startup = folder / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "00-amilab-kernel-guard.py").write_text(_GUARD_STARTUP)
    log = folder / "kernel-guard.log"  # made by the guard itself: a kernel without one has none
    log.unlink(missing_ok=True)
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "BOTO_"))},
        **MACHINE_AWS_SETTINGS,
        "AWS_SHARED_CREDENTIALS_FILE": str(credentials),
        "AWS_CONFIG_FILE": str(config),
        "IPYTHONDIR": str(folder / "ipython"),
        "AMILAB_KERNEL_GUARD_LOG": str(log),
    }


def kernel_leaks(folder: Path) -> list[str]:
    """Every way out the guard of a ``sealed_kernel(folder)`` kernel saw (refused or not)."""
    log = folder / "kernel-guard.log"
    if not log.exists():
        raise AssertionError(f"no kernel guard was installed with {folder} (it made no log)")
    return [json.loads(line) for line in log.read_text().splitlines() if line]


def run_sealed(cells: list, cwd: Path, folder: Path, timeout: int = 120) -> nbformat.NotebookNode:
    """``run_cells`` in a ``sealed_kernel(folder)``; fails if anything tried to leave the machine.

    Raises:
        AssertionError: naming every lookup, connection and AWS-file read the guard saw.
    """
    environment = sealed_kernel(folder)
    try:
        return run_cells(cells, cwd, timeout, env=environment)
    finally:
        leaks = kernel_leaks(folder)
        assert leaks == [], f"the notebook reached outside this machine: {leaks}"


@dataclass(frozen=True)
class CheckAnswer:
    """What one executed ``lab.check(...)`` cell showed."""

    exercise: str  # the ID the cell's source names
    mark: str | None  # ✅, ❌ or ⏭️ when the cell's result is that exercise's CheckResult, else None
    message: str  # the result's text (CheckResult's repr), or everything the cell showed

    def __str__(self) -> str:
        return f"lab.check({self.exercise!r}) showed {self.message!r}"


def check_answers(cells: list) -> list[CheckAnswer]:
    """The answer of every executed cell that calls ``lab.check(...)``, in order.

    A cell's answer has a mark only if its result reads as ``CheckResult`` shows itself, in text
    (``✅ exercise-id: Passed — …``) and in HTML (``✅ <b>exercise-id</b>: <b>Passed</b> — …``),
    mark and word agreeing, for the exercise the cell names; a traceback, a print or another
    exercise's result has none.
    """
    answers = []
    for cell in cells:
        named = _CHECK_CALL.search(cell.source) if cell.cell_type == "code" else None
        if named is None:
            continue
        exercise = named["id"]
        results = [o for o in cell.outputs if o.output_type == "execute_result"]
        text = results[-1].data.get("text/plain", "") if results else ""
        page = results[-1].data.get("text/html", "") if results else ""
        mark = None
        for candidate in (PASSED, NOT_YET, SKIPPED):
            if candidate == SKIPPED:
                shows_text = text.startswith(f"{candidate} {exercise}: skipped, ")
                shows_html = f"{candidate} <b>{html.escape(exercise)}</b>: skipped, " in page
            else:
                word = VERDICTS[candidate]
                shows_text = text.startswith(f"{candidate} {exercise}: {word} — ")
                shows_html = f"{candidate} <b>{html.escape(exercise)}</b>: <b>{word}</b> — " in page
            if shows_text and shows_html:
                mark = candidate
        answers.append(CheckAnswer(exercise, mark, text or _everything_shown(cell)))
    return answers


def _everything_shown(cell: nbformat.NotebookNode) -> str:
    shown = []
    for output in cell.outputs:
        if output.output_type == "stream":
            shown.append(output.text)
        elif output.output_type in ("execute_result", "display_data"):
            shown.append(output.data.get("text/plain", ""))
        elif output.output_type == "error":
            shown.append(f"{output.ename}: {output.evalue}")
    return "".join(shown)
