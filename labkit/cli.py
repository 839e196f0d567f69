"""The ``labkit`` command: ``release`` the learner edition, ``doctor``, ``progress``.

Run ``labkit --help`` (or ``python -m labkit --help``) for the subcommands.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

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
    from .progress import load_progress, progress

    try:
        shown = load_progress(args.load) if args.load else progress()
    except (ValueError, OSError) as error:
        print(f"labkit progress: error: {error}", file=sys.stderr)
        return 2
    print(shown)
    return 0


def _can_print(text: str) -> bool:
    try:
        text.encode(sys.stdout.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def parser() -> argparse.ArgumentParser:
    """The command line: one subcommand per job."""
    top = argparse.ArgumentParser(
        prog="labkit", description="AMI Lab's tools for learners and instructors."
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    release = commands.add_parser(
        "release",
        help="write the learner edition of the lessons",
        description="Write the learner edition of every notebook in SRC to DEST: solutions out, "
        "answer cells left as ..., checks and hints kept, outputs cleared. Files in DEST that have "
        "changed since the last release (a learner's work) are kept unless --force is given.",
    )
    release.add_argument("src", metavar="SRC", help="the instructor edition, e.g. notebooks")
    release.add_argument(
        "dest", metavar="DEST", help="where the learner edition goes, e.g. learner"
    )
    release.add_argument(
        "--force", action="store_true", help="replace files in DEST even if they were changed"
    )
    release.set_defaults(run=_release)

    doctor = commands.add_parser(
        "doctor",
        help="check this installation and say what to fix",
        description="Check Python, labkit, moto, boto3, JupyterLab, widgets, the kernel, "
        "matplotlib and the sandbox. Exits with 1 when something must be fixed.",
    )
    doctor.add_argument("--ascii", action="store_true", help="OK/WARN/FAIL instead of emoji")
    doctor.set_defaults(run=_doctor)

    progress = commands.add_parser(
        "progress",
        help="show which exercises you have done",
        description="Show the course map from your progress file (AMILAB_PROGRESS, else "
        "~/.amilab/progress.json); --load merges a downloaded progress file into it first.",
    )
    progress.add_argument("--load", metavar="FILE", help="a progress file to merge in first")
    progress.set_defaults(run=_progress)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``labkit`` with ``argv`` (the command line when None); return the exit status."""
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
