"""labkit doctor's Packer check: its version where it is installed, a warning (not an error)
where it is missing or broken."""

from __future__ import annotations

from labkit.tools.doctor import OK, WARN, programs


class TestPacker:
    def test_present_gives_its_version(self, tmp_path, monkeypatch):
        """A Packer that answers: ok, with its version and path."""
        program = tmp_path / "packer"
        program.write_text("#!/bin/sh\necho 'Packer v1.11.2'\n")
        program.chmod(0o755)
        monkeypatch.setenv("AMILAB_PACKER", str(program))
        finding = programs.check_packer()
        assert (finding.name, finding.status, finding.detail) == (
            "packer",
            OK,
            f"1.11.2 ({program})",
        )

    def test_missing_is_a_warning_naming_lesson_10(self, tmp_path, monkeypatch):
        """No Packer: a warning that says only lesson 10 needs it, and how to install it."""
        monkeypatch.setenv("AMILAB_PACKER", str(tmp_path / "absent"))
        finding = programs.check_packer()
        assert finding.status == WARN
        assert finding.detail == (
            "not installed: only lesson 10 (Bake it with Packer) needs it; its checks say skipped"
        )
        assert "apt-get install packer" in finding.fix

    def test_a_program_that_does_not_answer_is_a_warning(self, tmp_path, monkeypatch):
        """Something called packer that prints no version."""
        program = tmp_path / "packer"
        program.write_text("#!/bin/sh\nexit 3\n")
        program.chmod(0o755)
        monkeypatch.setenv("AMILAB_PACKER", str(program))
        finding = programs.check_packer()
        assert (finding.status, finding.detail) == (
            WARN,
            f"{program} does not answer `packer version`",
        )
