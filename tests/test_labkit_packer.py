"""labkit.packer: finding Packer, reading its output, clear answers for bad input or no Packer."""

from __future__ import annotations

import pytest

from labkit import Lab, packer

OUTPUT = "\n".join(
    [
        "1796191507,,ui,say,==> amazon-ebs.golden: Launching a source AWS instance...",
        '1796191507,,ui,message,    amazon-ebs.golden: Adding tag: "Name": "Packer Builder"',
        "1796191507,amazon-ebs.golden,artifact-count,1",
        "1796191507,amazon-ebs.golden,artifact,0,id,"
        "us-east-1:ami-322e5437971354c7f%!(PACKER_COMMA)us-west-2:ami-c01a51c1e137324f3",
        "1796191507,,ui,say,Build 'amazon-ebs.golden' finished after 2 seconds.\\n",
    ]
)


@pytest.fixture
def lab():
    lab = Lab("10-packer", quiet=True)
    yield lab
    lab.stop()


class TestFindPacker:
    def test_amilab_packer_names_the_program(self, tmp_path, monkeypatch):
        """AMILAB_PACKER wins; a path that is no program means no Packer."""
        program = tmp_path / "packer"
        program.write_text("#!/bin/sh\necho 'Packer v9.9.9'\n")
        program.chmod(0o755)
        monkeypatch.setenv("AMILAB_PACKER", str(program))
        assert packer.find_packer() == str(program)
        assert packer.packer_version() == "9.9.9"
        monkeypatch.setenv("AMILAB_PACKER", str(tmp_path / "absent"))
        assert packer.find_packer() is None and packer.packer_version() is None


class TestReadOutput:
    def test_reads_the_images_and_the_words(self):
        """The artifact line gives an image ID by Region; ui lines are the output, unescaped."""
        run = packer.read_output(0, OUTPUT)
        assert run.ok
        assert run.images == {
            "us-east-1": "ami-322e5437971354c7f",
            "us-west-2": "ami-c01a51c1e137324f3",
        }
        assert run.output.splitlines() == [
            "==> amazon-ebs.golden: Launching a source AWS instance...",
            '    amazon-ebs.golden: Adding tag: "Name": "Packer Builder"',
            "Build 'amazon-ebs.golden' finished after 2 seconds.",
        ]

    def test_a_failed_build_keeps_packers_words(self):
        """Packer's error is the answer's output; no images, not ok."""
        run = packer.read_output(1, "1,,ui,error,Error: Cannot share AMI%!(PACKER_COMMA) sorry")
        assert (run.ok, run.images, run.output) == (False, {}, "Error: Cannot share AMI, sorry")


class TestBuild:
    def test_without_packer_the_answer_says_how_to_install_it(self, lab, monkeypatch, tmp_path):
        """No Packer: no exception; the answer is the install help, marked missing."""
        monkeypatch.setenv("AMILAB_PACKER", str(tmp_path / "absent"))
        run = packer.build(lab, 'source "amazon-ebs" "x" {}')
        assert (run.ok, run.missing, run.images) == (False, True, {})
        assert repr(run) == packer.INSTALL_HELP
        assert "apt-get install packer" in run.output and "conda-forge" in run.output

    @pytest.mark.parametrize(
        ("template", "variables", "error", "message"),
        [
            (None, {}, TypeError, r"template must be the template's text \(a str\), not NoneType"),
            ("  ", {}, ValueError, "template is empty"),
            ("x", {"partner": 2}, TypeError, "the variable partner must be a str, not int"),
        ],
    )
    def test_bad_input_gets_a_clear_message(self, lab, template, variables, error, message):
        """A template that is not text, an empty one, a variable that is not a string."""
        with pytest.raises(error, match=message):
            packer.build(lab, template, **variables)

    def test_a_stopped_lab_is_refused(self):
        """No endpoint to reach: say so."""
        stopped = Lab("10-packer", quiet=True)
        stopped.stop()
        with pytest.raises(ValueError, match="the lab is not serving"):
            packer.build(stopped, "x")

    def test_the_environment_is_the_labs_only(self, lab, tmp_path, monkeypatch):
        """Packer gets the lab's variables, a private HOME, no update check, and no machine
        AWS setting (no profile, no machine keys)."""
        monkeypatch.setenv("AWS_PROFILE", "production-admin")
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
        environment = packer.packer_environment(lab, "learner", tmp_path)
        assert environment["CHECKPOINT_DISABLE"] == "1"
        assert environment["HOME"] == str(tmp_path)
        assert "AWS_PROFILE" not in environment
        assert environment["AWS_ACCESS_KEY_ID"] == lab.environ()["AWS_ACCESS_KEY_ID"]
        assert environment["AWS_ENDPOINT_URL"] == lab.endpoint_url
