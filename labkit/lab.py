"""``Lab``: the notebook's one setup call — a sandbox in a lesson's starting state, with checks."""

from __future__ import annotations

import datetime as _dt
import html
import re
import sys
import threading
from collections.abc import Callable
from typing import Any

from . import _valid, explain, quick_matplotlib, widgets
from .accounts import ACCOUNTS, HOME_REGION, REGIONS
from .checks import CheckResult, get_exercise, run_check
from .progress import record_hint, record_pass
from .sandbox.sandbox import Sandbox, active_sandbox
from .scenarios import get_scenario

#: Lessons whose setup cell imports what their widgets share (ipywidgets: about 50 ms), so that the
#: lesson's first widget cell stays within 100 ms: those that show a widget and whose setup cell
#: has room within its 600 ms. Not 07-storage-and-pricing: its setup cell (four Regions of
#: images) is already near 600 ms (see READIED_LATER). tests/test_lab_warm_up.py holds
#: this list to the notebooks.
WIDGETS_READIED = frozenset({"01-why-amis", "03-copy-across-regions", "04-sharing", "10-packer"})

#: What a lesson's later cells need that its setup cell starts loading in the background when it
#: ends (in a notebook only), so that they do not wait for it: while the learner reads, the kernel
#: is idle; in Run All the thread shares the time of the cells in between. "matplotlib" is the
#: lessons that draw (labkit.plots, the CostExplorer's picture; about 0.25 s); "ipywidgets" where
#: the setup cell had no room for it. tests/test_lab_warm_up.py holds this to the notebooks.
READIED_LATER = {
    "01-why-amis": ("matplotlib",),
    "03-copy-across-regions": ("matplotlib",),
    "07-storage-and-pricing": ("matplotlib", "ipywidgets"),
}
_LATER: dict[str, Callable[[], object]] = {
    "matplotlib": quick_matplotlib.ready_to_draw,
    "ipywidgets": widgets.import_shared,
}

__all__ = ["Lab"]


class Lab:
    """A lesson's sandbox: real boto3 clients, the lesson's starting state, and its checks.

    Args:
        lesson: the lesson's name, such as ``"04-sharing"`` (``"sandbox"`` for a clean one).
        quiet: do not print the one-line summary.

    Raises:
        ValueError: for a lesson the lab does not have (the message lists the lessons).
    """

    def __init__(self, lesson: str = "sandbox", *, quiet: bool = False) -> None:
        if not isinstance(lesson, str) or len(lesson) > 100:
            raise ValueError(
                f"Lab takes a lesson's name, such as '00-welcome', not {_valid.shown(lesson)}"
            )
        _valid.flag("quiet", quiet)
        self.lesson = lesson
        self._scenario = get_scenario(lesson)
        self.ids: dict[str, str] = {}
        self._hints_shown: dict[str, int] = {}
        self.sandbox = Sandbox(setup=self._build).start()
        self.sandbox.serve()  # `!aws` and any other program reach the sandbox (labkit/endpoint)
        _load_aws_magic()
        explain.install(self)  # AWS's errors with the lab's explanation beside them (IPython only)
        if lesson in WIDGETS_READIED:
            widgets.import_shared()
        ipython = _ipython()
        if lesson in READIED_LATER and ipython is not None:
            steps = [_LATER[step] for step in READIED_LATER[lesson]]
            _when_this_cell_ends(ipython, lambda: import_in_background(steps))
        if ipython is not None:
            _ready_endpoint_before_programs(ipython)
        if not quiet:
            _show(self)

    def _build(self, sandbox: Sandbox) -> None:
        self.ids = dict(self._scenario.build(sandbox))

    # -- the sandbox, in the console's words ----------------------------------------------------

    def client(self, service: str, region: str | None = None, account: str = "learner") -> Any:
        """A real boto3 client for a lab account and Region; nothing leaves this machine."""
        return self.sandbox.client(service, region=region, account=account)

    def account_id(self, account: str = "learner") -> str:
        """The 12-digit ID of ``"learner"``, ``"partner"`` or ``"seller"``."""
        return self.sandbox.account_id(account)

    def advance_clock(self, seconds: float = 0, *, days: float = 0) -> _dt.datetime:
        """Move the sandbox's time forward (deprecation dates arrive, storage accrues)."""
        return self.sandbox.advance_clock(seconds, days=days)

    def now(self) -> _dt.datetime:
        """The sandbox's current time."""
        return self.sandbox.now()

    def serve(self, port: int | None = None) -> str:
        """The URL where the AWS CLI and other tools reach this lab (it serves from the start)."""
        return self.sandbox.serve(port)

    @property
    def endpoint_url(self) -> str | None:
        """Where the lab serves AWS's API on this machine (127.0.0.1), or None once stopped."""
        return self.sandbox.endpoint_url

    def environ(self, account: str = "learner", region: str | None = None) -> dict[str, str]:
        """The environment variables a program needs to act as a lab account (docs/endpoint.md)."""
        return self.sandbox.environ(account, region)

    def aws(self, command: str, *, account: str | None = None, region: str | None = None) -> Any:
        """Run an AWS CLI command against the lab and return the JSON it prints, parsed.

        ``lab.aws("ec2 describe-images --owners self")`` is ``aws ec2 describe-images --owners
        self`` on a command line. Raises ``AwsCliError`` (the CLI's own message) if it fails.
        """
        from .sandbox.endpoint.cli import aws_json

        return aws_json(self.sandbox, command, account=account, region=region)

    def install(
        self, instance_id: str, *packages: str, region: str | None = None, account: str = "learner"
    ) -> dict[str, Any]:
        """Install software on a running instance (the sandbox's stand-in for logging in)."""
        from .sandbox.provisioning import install_software

        return install_software(self, instance_id, *packages, region=region, account=account)

    def reset(self) -> None:
        """Start the lesson over: everything you made is gone, the starting state is back."""
        if not self.sandbox.running:
            self.sandbox.start()
            self.sandbox.serve()
            explain.install(self)
        else:
            self.sandbox.reset()

    def stop(self) -> None:
        """Stop the sandbox (starting another Lab also stops this one)."""
        self.sandbox.stop()
        explain.uninstall(self)

    # -- exercises -----------------------------------------------------------------------------

    def check(self, exercise: str, **answers: Any) -> CheckResult:
        """Check an exercise against the sandbox's state (and any answers it asks for)."""
        if not self.sandbox.running:
            return CheckResult(
                exercise, False, "the sandbox has stopped", "run the lesson's setup cell again"
            )
        result = run_check(exercise, self.sandbox, **answers)
        if result.passed:
            record_pass(result.exercise)  # never raises: an unwritable file only warns, once
        return result

    def hint(self, exercise: str) -> HintText:
        """The next hint for an exercise; after the last hint, the solution."""
        try:
            item = get_exercise(exercise)
        except KeyError as error:
            return HintText(str(error.args[0]))
        shown = self._hints_shown.get(exercise, 0)
        self._hints_shown[exercise] = shown + 1
        record_hint(item.id)  # never raises: like a pass, an unwritable file only warns, once
        if shown < len(item.hints):
            return HintText(f"Hint {shown + 1} of {len(item.hints)}: {item.hints[shown]}")
        return HintText(f"Solution:\n{item.solution}", code=True)

    # -- display -------------------------------------------------------------------------------

    def summary(self) -> str:
        """One line: the lesson, its starting state, the accounts and Regions."""
        accounts = ", ".join(f"{name} {number}" for name, number in ACCOUNTS.items())
        regions = ", ".join(f"{r} (home)" if r == HOME_REGION else r for r in REGIONS)
        return (
            f"Lab {self.lesson} ready: {self._scenario.summary}. Accounts: {accounts}. "
            f"Regions: {regions}. Offline sandbox: nothing leaves this machine."
        )

    def __repr__(self) -> str:
        return f"<Lab {self.lesson} ({'running' if self.sandbox.running else 'stopped'})>"


class HintText(str):
    """A hint or a solution, shown as text (a solution as code)."""

    def __new__(cls, text: str, code: bool = False) -> HintText:
        obj = super().__new__(cls, text)
        obj.code = code
        return obj

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        if self.code:
            head, _, body = str(self).partition("\n")
            return f"<b>{html.escape(head)}</b><pre>{html.escape(body)}</pre>"
        # The words say what it is ("Hint 1 of 3: …"); the bulb is decoration (and not in every
        # font), so a screen reader skips it. Text in the theme's colour: AA in light and dark.
        return f'<span aria-hidden="true">💡</span> {html.escape(str(self))}'


def import_in_background(imports: list[Callable[[], object]]) -> threading.Thread:
    """Run ``imports`` one by one in a daemon thread; one that fails is left for the cell that
    needs it, which then raises the error itself."""

    def run() -> None:
        for do_import in imports:
            try:
                do_import()
            except Exception:  # noqa: S112 - the cell that uses it raises it where it is seen
                continue

    thread = threading.Thread(target=run, name="amilab-imports", daemon=True)
    thread.start()
    return thread


def _when_this_cell_ends(ipython: Any, action: Callable[[], object]) -> None:
    """Run ``action`` once, when the running cell ends (IPython's ``post_run_cell`` event)."""

    def once(*_: object) -> None:
        ipython.events.unregister("post_run_cell", once)
        action()

    ipython.events.register("post_run_cell", once)


#: A cell that runs a program at the lab's endpoint: ``!aws``, ``%aws``, ``%%aws``, or Packer.
_RUNS_A_PROGRAM = re.compile(r"^\s*(?:!|%{1,2})\s*aws\b|\bpacker\.", re.MULTILINE)


def _ready_endpoint_before_programs(ipython: Any) -> None:
    """When a cell that runs a program starts, make the endpoint's moto application (Flask,
    about 30 ms) in a thread, while the program starts (the AWS CLI takes 0.4 s before its
    first request): the setup cell does not wait for it, and neither does the program. A program
    started otherwise makes it at its first request (EndpointServer.prepare)."""
    if _before_a_program_cell not in ipython.events.callbacks["pre_run_cell"]:
        ipython.events.register("pre_run_cell", _before_a_program_cell)


def _before_a_program_cell(info: Any) -> None:
    if _RUNS_A_PROGRAM.search(getattr(info, "raw_cell", None) or ""):
        sandbox = active_sandbox()
        if sandbox is not None:
            import_in_background([sandbox.prepare_endpoint])


def _ipython() -> Any:
    """The running IPython shell (a notebook's), or None; IPython is not imported for it."""
    shell = sys.modules.get("IPython")
    get_ipython = getattr(shell, "get_ipython", None)
    return get_ipython() if get_ipython is not None else None


def _load_aws_magic() -> None:
    """In IPython (a notebook), make ``%aws`` available, as ``%load_ext labkit`` would."""
    ipython = _ipython()
    if ipython is not None:
        from .sandbox.endpoint.magic import register

        register(ipython)


def _show(lab: Lab) -> None:
    print(lab.summary())
