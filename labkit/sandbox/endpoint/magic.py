"""``%aws`` and ``%%aws``: the real AWS CLI in a notebook cell, against the running lab.

    %aws ec2 describe-images --owners self --query "Images[].Name"
    %aws --account partner ec2 describe-images --owners self
    %%aws --region eu-west-1
    ec2 describe-images --owners self
    ec2 describe-snapshots --owner-ids self

``--account`` (learner, partner, seller) is the lab's shortcut; ``--region`` and every other option
are the CLI's own. In a cell, each line is one command (a line ending in ``\\`` goes on). Output is
what the CLI prints; an error is the CLI's own message, never a Python traceback.
"""

from __future__ import annotations

import sys
from typing import Any

from ..running import active_sandbox
from .cli import cli_words, run_cli

__all__ = ["aws_magic", "register"]

_NOT_RUNNING = (
    "%aws needs a running lab: run the lesson's setup cell (lab = Lab(...)) first, then try again."
)


def _take_option(words: list[str], option: str) -> tuple[str | None, list[str]]:
    """Take ``--option VALUE`` (or ``--option=VALUE``) out of a command's words."""
    value, rest, index = None, [], 0
    while index < len(words):
        word = words[index]
        if word == option:
            if index + 1 >= len(words):
                raise ValueError(f"{option} needs a value")
            value = words[index + 1]
            index += 2
            continue
        if word.startswith(option + "="):
            value = word.split("=", 1)[1]
        else:
            rest.append(word)
        index += 1
    return value, rest


def _commands(line: str, cell: str | None) -> list[str]:
    """One command for ``%aws``; for ``%%aws``, the magic line's options before each cell line."""
    if cell is None:
        return [line]
    commands, pending = [], ""
    for raw in cell.splitlines():
        text = raw.strip()
        if text.endswith("\\"):
            pending += text[:-1] + " "
            continue
        text = (pending + text).strip()
        pending = ""
        if text and not text.startswith("#"):
            commands.append(f"{line} {text}")
    if pending.strip():
        commands.append(f"{line} {pending}")
    return commands


def aws_magic(line: str, cell: str | None = None) -> None:
    """Run AWS CLI commands against the running lab and print what the CLI prints."""
    sandbox = active_sandbox()
    if sandbox is None:
        print(_NOT_RUNNING, file=sys.stderr)
        return
    for command in _commands(line, cell):
        try:
            account, words = _take_option(cli_words(command), "--account")
            region, words = _take_option(words, "--region")  # checked: one of the lab's
            run = run_cli(sandbox, words, account=account, region=region)
        except (TypeError, ValueError) as error:
            print(f"%aws: {error}", file=sys.stderr)
            return
        sys.stdout.write(run.stdout)
        sys.stderr.write(run.stderr)
        if run.exit_code != 0:
            return  # as a shell script with `set -e`: the next command depends on this one


def register(ipython: Any) -> None:
    """Make ``%aws`` and ``%%aws`` available in an IPython shell (idempotent)."""
    ipython.register_magic_function(aws_magic, magic_kind="line_cell", magic_name="aws")
