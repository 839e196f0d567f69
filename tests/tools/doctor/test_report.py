"""labkit.tools.doctor.report: the findings as a table, the fixes, and a verdict."""

from __future__ import annotations

from labkit.tools.doctor import ERROR, OK, WARN, Finding, render


class TestRender:
    def test_render_lists_findings_then_fixes(self):
        """The table has a line per check, then the fixes, then the verdict."""
        findings = [
            Finding("moto", ERROR, "5.1.0 installed", "pip install 'moto==5.2.5'"),
            Finding("Python", OK, "3.11.7"),
            Finding("matplotlib", WARN, "MPLBACKEND=TkAgg", "unset MPLBACKEND"),
        ]
        text = render(findings)
        assert "❌ moto        5.1.0 installed" in text
        assert "✅ Python      3.11.7" in text
        assert text.index("To fix:") < text.index("❌ moto: pip install 'moto==5.2.5'")
        assert text.endswith("1 error(s), 1 warning(s): fix the errors before class.")

    def test_render_without_emoji(self):
        """ascii_only spells the marks for terminals that cannot show emoji."""
        text = render([Finding("Python", OK, "3.11.7")], ascii_only=True)
        assert "OK   Python  3.11.7" in text and text.endswith("the course is ready.")

    def test_warnings_only_is_ready(self):
        """Warnings but no errors: ready, with the count of warnings."""
        text = render([Finding("matplotlib", WARN, "MPLBACKEND=TkAgg", "unset MPLBACKEND")])
        assert text.endswith("Ready, with 1 warning(s).")
