"""The ``labkit`` command: ``release`` the learner edition, ``doctor``, ``progress``, ``gradebook``.

Run ``labkit --help`` (or ``python -m labkit --help``) for the subcommands.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["main"]


def _release(args: argparse.Namespace) -> int:
    from .release import ReleaseError, release

    try:
        report = release(args.src, args.dest, force=args.force)
    except ReleaseError as error:
        print(f"labkit release: error: {error}", file=sys.stderr)
        return 2
    for line in report.lines():
        print(line)
    return 0


def _doctor(args: argparse.Namespace) -> int:
    from .doctor import ERROR, render, run

    findings = run()
    print(render(findings, ascii_only=args.ascii or not _can_print("✅⚠️❌")))
    return 1 if any(f.status == ERROR for f in findings) else 0


def _progress(args: argparse.Namespace) -> int:
    from ..progress import load_progress, progress

    try:
        shown = load_progress(args.load) if args.load else progress()
    except (ValueError, OSError) as error:
        print(f"labkit progress: error: {error}", file=sys.stderr)
        return 2
    print(shown)
    return 0


def _gradebook(args: argparse.Namespace) -> int:
    # The gradebook reads the exercises from source: this command never imports moto or boto3.
    from .gradebook import read_gradebook, write_csv, write_html

    book = read_gradebook(args.paths)
    for skipped in book.skipped:
        print(f"labkit gradebook: {skipped}", file=sys.stderr)
    written = []
    try:
        if args.csv:
            written.append(write_csv(book, args.csv))
        if args.html:
            written.append(write_html(book, args.html))
    except OSError as error:
        print(f"labkit gradebook: error: cannot write {error.filename}: {error.strerror}",
              file=sys.stderr)  # fmt: skip
        return 2
    total = len(book.exercises)
    for record in book.learners:
        print(f"{record.learner}: {len(book.passed(record))} of {total}")
    print(
        f"{len(book.learners)} learners, {len(book.skipped)} files skipped"
        + "".join(f"; wrote {path}" for path in written)
    )
    return 0 if book.learners else 1


def _can_print(text: str) -> bool:
    try:
        text.encode(sys.stdout.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


@dataclass(frozen=True)
class Subcommand:
    """One ``labkit`` subcommand: its name, what runs it, its help and its arguments."""

    name: str
    run: Callable[[argparse.Namespace], int]
    help: str
    description: str
    #: Each argument as ``add_argument`` takes it: (names, options).
    arguments: tuple[tuple[tuple[str, ...], dict[str, Any]], ...] = ()


def argument(*names: str, **options: Any) -> tuple[tuple[str, ...], dict[str, Any]]:
    """An argument of a subcommand, written as for ``ArgumentParser.add_argument``."""
    return names, options


#: The command line: one subcommand per job, in the order ``labkit --help`` lists them.
SUBCOMMANDS = (
    Subcommand(
        "release",
        _release,
        help="write the learner edition of the lessons",
        description="Write the learner edition of every notebook in SRC to DEST: solutions out, "
        "answer cells left as ..., checks and hints kept, outputs cleared. Files in DEST that have "
        "changed since the last release (a learner's work) are kept unless --force is given.",
        arguments=(
            argument("src", metavar="SRC", help="the instructor edition, e.g. notebooks"),
            argument("dest", metavar="DEST", help="where the learner edition goes, e.g. learner"),
            argument(
                "--force",
                action="store_true",
                help="replace files in DEST even if they were changed",
            ),
        ),
    ),
    Subcommand(
        "doctor",
        _doctor,
        help="check this installation and say what to fix",
        description="Check Python, labkit, moto, boto3, JupyterLab, widgets, the kernel, "
        "matplotlib and the sandbox. Exits with 1 when something must be fixed.",
        arguments=(argument("--ascii", action="store_true", help="OK/WARN/FAIL instead of emoji"),),
    ),
    Subcommand(
        "progress",
        _progress,
        help="show which exercises you have done",
        description="Show the course map from your progress file (AMILAB_PROGRESS, else "
        "~/.amilab/progress.json); --load merges a downloaded progress file into it first.",
        arguments=(argument("--load", metavar="FILE", help="a progress file to merge in first"),),
    ),
    Subcommand(
        "gradebook",
        _gradebook,
        help="collect a class's progress files into a CSV gradebook and an HTML chart",
        description="Read learners' progress files (each PATH a file, a learner's home, a folder "
        "of homes such as /home, or a folder of handed-in files) and write a CSV gradebook (one "
        "row a learner, one column an exercise, plus totals) and an HTML page with a chart. Files "
        "that are not AMI Lab progress, or look altered, are named and skipped. Exits with 1 when "
        "no learner's progress was found.",
        arguments=(
            argument("paths", metavar="PATH", nargs="+", help="progress files or folders"),
            argument("--csv", metavar="FILE", help="write the CSV gradebook here"),
            argument("--html", metavar="FILE", help="write the HTML page with the chart here"),
        ),
    ),
)


def parser() -> argparse.ArgumentParser:
    """The command line: one subcommand per job (``SUBCOMMANDS``)."""
    top = argparse.ArgumentParser(
        prog="labkit", description="AMI Lab's tools for learners and instructors."
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for subcommand in SUBCOMMANDS:
        command = commands.add_parser(
            subcommand.name, help=subcommand.help, description=subcommand.description
        )
        for names, options in subcommand.arguments:
            command.add_argument(*names, **options)
        command.set_defaults(run=subcommand.run)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``labkit`` with ``argv`` (the command line when None); return the exit status."""
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
