"""The real AWS CLI (the ``awscli`` package), run in the kernel's process against the endpoint.

``run_cli`` is what ``%aws`` and ``lab.aws(...)`` use: the CLI's own driver, given the words a
learner would type after ``aws``, with the endpoint's settings in the environment. Its output and
its errors are the CLI's own (``An error occurred (InvalidAMIID.NotFound) when calling ...``); a
usage error is the CLI's usage message. Nothing here raises a traceback at the learner.
"""

from __future__ import annotations

import io
import json
import shlex
import sys
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from typing import Any

from ...accounts import ACCOUNTS, REGIONS

__all__ = ["AwsCliError", "CliRun", "aws_json", "cli_words", "run_cli"]


@dataclass(frozen=True)
class CliRun:
    """What one AWS CLI command did: its exit code and what it printed."""

    exit_code: int
    stdout: str
    stderr: str


class AwsCliError(RuntimeError):
    """An AWS CLI command that failed; the message is what the CLI printed."""

    def __init__(self, run: CliRun) -> None:
        super().__init__(run.stderr.strip() or f"the AWS CLI exited with code {run.exit_code}")
        self.run = run
        self.exit_code = run.exit_code

    def _render_traceback_(self) -> list[str]:
        """In IPython: the CLI's message, as the CLI shows it, not a Python traceback."""
        return str(self).splitlines()


def cli_words(command: str | Sequence[str], *, name: str = "command") -> list[str]:
    """The words of a CLI command given as one string or a list (a leading ``aws`` dropped).

    Raises:
        TypeError: for anything but a string or a list of strings.
        ValueError: for an empty command or unbalanced quotes.
    """
    if isinstance(command, str):
        try:
            words = shlex.split(command)
        except ValueError as error:
            raise ValueError(f"{name} {command!r} cannot be read: {error}") from None
    elif isinstance(command, (list, tuple)) and all(isinstance(w, str) for w in command):
        words = list(command)
    else:
        raise TypeError(
            f"{name} is an AWS CLI command such as 'ec2 describe-images --owners self', "
            f"not {command!r}"
        )
    if words[:1] == ["aws"]:
        words = words[1:]
    if not words:
        raise ValueError(
            f"{name} is empty: say which command to run, such as 'ec2 describe-images'"
        )
    return words


def _options(account: str | None, region: str | None) -> list[str]:
    """The CLI options that make a command act as a lab account, in a Region."""
    options = []
    if account is not None:
        if not isinstance(account, str) or account not in ACCOUNTS:
            raise ValueError(
                f"account must be one of {', '.join(map(repr, ACCOUNTS))}, not {account!r}"
            )
        options += ["--profile", account]  # the lab's credentials file has one per account
    if region is not None:
        if not isinstance(region, str) or region not in REGIONS:
            raise ValueError(
                f"The lab simulates the Regions {', '.join(REGIONS)}; region={region!r} is not one"
            )
        options += ["--region", region]
    return options


def run_cli(
    sandbox: Any,
    command: str | Sequence[str],
    *,
    account: str | None = None,
    region: str | None = None,
    capture: bool = True,
) -> CliRun:
    """Run one AWS CLI command against the sandbox's endpoint, in this process.

    Args:
        sandbox: a running sandbox (served first if it is not yet).
        command: what follows ``aws`` on a command line.
        account: act as this lab account (default: the learner).
        region: in this lab Region (default: the home Region, or ``--region`` in the command).
        capture: keep the output in the result; otherwise print it as the CLI does.

    Raises:
        SandboxError: if the sandbox is not running.
        TypeError, ValueError: for a command, account or Region the lab cannot run.
    """
    words = _options(account, region) + cli_words(command)
    sandbox.serve()  # the CLI talks to the endpoint, as `!aws` does
    from awscli.clidriver import create_clidriver

    out, err = io.StringIO(), io.StringIO()
    with ExitStack() as redirected:
        if capture:
            redirected.enter_context(redirect_stdout(out))
            redirected.enter_context(redirect_stderr(err))
        argv, sys.argv = sys.argv, ["aws", *words]  # argparse names the program after argv[0]
        redirected.callback(setattr, sys, "argv", argv)
        if "help" in words:
            redirected.enter_context(_help_as_text())
        try:
            code = create_clidriver().main(words) or 0  # help returns None
        except SystemExit as exit:  # argparse's usage errors
            code = exit.code if isinstance(exit.code, int) else 2
    return CliRun(code, out.getvalue(), err.getvalue())


@contextmanager
def _help_as_text() -> Iterator[None]:
    """``aws ... help`` as plain text in the cell, not a man page piped to ``less`` on the
    kernel's terminal (where the CLI would send it). Only while the help command runs."""
    import awscli.help

    class TextHelp(awscli.help.WindowsHelpRenderer):
        def _send_output_to_pager(self, output: bytes) -> None:
            sys.stdout.write(output.decode("utf-8") + "\n")

    original = awscli.help.get_renderer
    awscli.help.get_renderer = TextHelp
    try:
        yield
    finally:
        awscli.help.get_renderer = original


def aws_json(
    sandbox: Any,
    command: str | Sequence[str],
    *,
    account: str | None = None,
    region: str | None = None,
) -> Any:
    """The parsed JSON a CLI command prints (None when it prints nothing).

    Raises:
        AwsCliError: when the command fails; its message is the CLI's.
    """
    words = cli_words(command)
    run = run_cli(sandbox, [*words, "--output", "json"], account=account, region=region)
    if run.exit_code != 0:
        raise AwsCliError(run)
    return json.loads(run.stdout) if run.stdout.strip() else None
