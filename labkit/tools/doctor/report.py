"""What a doctor check found (:class:`Finding`), and the report ``labkit doctor`` prints."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ERROR", "OK", "WARN", "Finding", "render"]

OK, WARN, ERROR = "ok", "warn", "error"


@dataclass(frozen=True)
class Finding:
    """The result of one check: what was found and, unless all is well, how to fix it."""

    name: str
    status: str
    detail: str
    fix: str = ""


def render(findings: list[Finding], *, ascii_only: bool = False) -> str:
    """The findings as a table, then what to fix, then a one-line verdict."""
    marks = (
        {OK: "OK  ", WARN: "WARN", ERROR: "FAIL"}
        if ascii_only
        else {OK: "✅", WARN: "⚠️ ", ERROR: "❌"}
    )
    width = max(len(f.name) for f in findings)
    lines = ["AMI Lab doctor", ""]
    lines += [f"{marks[f.status]} {f.name.ljust(width)}  {f.detail}" for f in findings]
    todo = [f for f in findings if f.status != OK and f.fix]
    if todo:
        lines += ["", "To fix:"]
        lines += [f"{marks[f.status]} {f.name}: {f.fix}" for f in todo]
    errors = sum(f.status == ERROR for f in findings)
    warnings = sum(f.status == WARN for f in findings)
    lines.append("")
    if errors:
        lines.append(f"{errors} error(s), {warnings} warning(s): fix the errors before class.")
    elif warnings:
        lines.append(f"Ready, with {warnings} warning(s).")
    else:
        lines.append("All good: the course is ready.")
    return "\n".join(lines)
