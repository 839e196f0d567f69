"""labkit.packer: finding Packer, reading its output, clear answers for bad input or no Packer."""

from __future__ import annotations

import socket

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
        # Undone before the lab stops: a plain setenv is undone after it (monkeypatch is set up
        # before the lab by an autouse fixture), which would put the lab's key back for good.
        with monkeypatch.context() as machine:
            machine.setenv("AWS_PROFILE", "production-admin")
            machine.setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
            environment = packer.packer_environment(lab, "learner", tmp_path)
        assert environment["CHECKPOINT_DISABLE"] == "1"
        assert environment["HOME"] == str(tmp_path)
        assert "AWS_PROFILE" not in environment
        assert environment["AWS_ACCESS_KEY_ID"] == lab.environ()["AWS_ACCESS_KEY_ID"]
        assert environment["AWS_ENDPOINT_URL"] == lab.endpoint_url


def ui_error(text: str) -> str:
    """One ``ui,error`` line of ``packer build -machine-readable``, escaped as Packer does."""
    return "1,,ui,error," + text.replace(",", "%!(PACKER_COMMA)").replace("\n", "\\n")


#: What Packer 1.6.6 prints for ``owners = ["amazon]`` (an unclosed quote): one error per line
#: after it (three here), then the real one.
_SPLIT = (
    "Error: Invalid multi-line string\n\n  on template.pkr.hcl line {n}:\n  {n}:     owners\n\n"
    "Quoted strings may not be split over multiple lines.\n\n"
)
TYPO = ui_error(
    "".join(_SPLIT.format(n=n) for n in (11, 12, 13))
    + "Error: Missing item separator\n\n  on template.pkr.hcl line 11:\n\n"
    "Expected a comma to mark the beginning of the next item.\n"
)


class TestFailedBuildInWords:
    def test_an_error_repeated_after_a_typo_is_shown_once(self):
        """The first error of each kind stays, with the line to look at; the copies are counted."""
        run = packer.read_output(1, TYPO)
        assert run.output.count("Error: Invalid multi-line string") == 1
        assert "on template.pkr.hcl line 11:" in run.output
        assert "line 12" not in run.output and "line 13" not in run.output
        assert "Error: Missing item separator" in run.output
        assert "(and 2 more errors like the ones above, on the lines after them" in run.output

    def test_a_template_typo_is_explained_without_the_fix(self):
        """What it means (Packer could not read it), where to look (the first error's line)."""
        run = packer.read_output(1, TYPO)
        assert run.output.endswith(
            "What it means here: Packer could not read the template: a quote, a bracket or a "
            "brace is missing or extra.\n"
            "What to look at: The line the first error names (on template.pkr.hcl line …); the "
            "errors after it often follow from that one."
        )

    @pytest.mark.parametrize(
        ("packer_says", "meaning"),
        [
            (
                "==> amazon-ebs.golden: Error: AMI Name: 'golden-v2' is used by an existing AMI: "
                "ami-5cf3cb79bb4b21eac",
                "Image names are unique per account and Region, and ami-5cf3cb79bb4b21eac "
                "already has this name",
            ),
            ('Error: Unset variable "partner"', "declares a variable partner with no default"),
            (
                'A "partner" variable was passed in the command line but was not found',
                "packer.build was given partner=..., but the template declares no variable",
            ),
            ("==> amazon-ebs.dev: No AMI was found matching filters: {", "source_ami_filter"),
            (
                'An argument named "ami_ou_arns" is not expected here.',
                "This Packer does not know the setting ami_ou_arns",
            ),
            (
                'Invalid attribute item value "arn:aws:organizations::1:ou/o-1/ou-1" for userId '
                "item type.",
                "ami_users takes account IDs only",
            ),
            (
                "InvalidParameterValue: The architecture 'x86_64' of the specified instance type "
                "does not match the architecture 'arm64' of the specified AMI.",
                "for arm64 processors",
            ),
        ],
    )
    def test_known_failures_say_what_they_mean(self, packer_says, meaning):
        """Packer's words stay as they are; the lab's explanation follows them."""
        run = packer.read_output(1, ui_error(packer_says))
        words, _, explanation = run.output.partition("\n\nWhat it means here: ")
        assert words == packer_says
        assert meaning in explanation and "\nWhat to look at: " in explanation

    def test_a_failed_build_is_marked_in_a_notebook(self):
        """In HTML: a failed build says so first, Packer's words in a block, the lab's apart."""
        page = packer.read_output(1, TYPO)._repr_html_()
        assert page.startswith('<div class="amilab-packer-failed"')
        assert "<strong>Packer: the build failed.</strong><pre>Error: Invalid multi-line" in page
        assert "<strong>What it means here:</strong> Packer could not read the template" in page
        assert "<strong>What to look at:</strong> The line the first error names" in page
        assert "What it means here" not in page.split("</pre>")[0]

    def test_a_good_build_is_left_as_packer_said_it(self):
        assert "What it means here" not in packer.read_output(0, OUTPUT).output

    def test_a_missing_region_says_the_build_made_nothing_there(self):
        """run.images['us-east-1'] after a failed build: a KeyError that says why."""
        run = packer.read_output(1, ui_error('Error: Unset variable "partner"'))
        with pytest.raises(KeyError, match="this build made no image in us-east-1"):
            run.images["us-east-1"]


POINTED = """
variable "endpoint" {
  type = string
}
source "amazon-ebs" "golden" {
  region = "us-east-1"
  tags = { Name = "x" }
  custom_endpoint_ec2 = var.endpoint  # the lab
}
"""


class TestOnlyTheLab:
    @pytest.mark.parametrize(
        ("template", "unpointed"),
        [
            (POINTED, []),
            (POINTED.replace("var.endpoint", '"http://127.0.0.1:4000/"'), []),
            (POINTED.replace("var.endpoint", '"${var.endpoint}"'), []),
            (
                POINTED.replace("  custom_endpoint_ec2", "  # custom_endpoint_ec2"),
                ["amazon-ebs.golden"],
            ),
            (
                POINTED.replace("var.endpoint", '"https://ec2.us-east-1.amazonaws.com"'),
                ["amazon-ebs.golden"],
            ),
            (
                POINTED + 'source "amazon-ebs" "second" {\n  region = "us-west-2"\n}\n',
                ["amazon-ebs.second"],
            ),
        ],
        ids=["var", "the-url", "interpolated", "commented-out", "aws", "one-of-two"],
    )
    def test_every_amazon_source_must_name_the_lab(self, template, unpointed):
        assert packer.unpointed_sources(template, "http://127.0.0.1:4000") == unpointed

    def test_a_template_for_aws_itself_is_not_run(self, lab, tmp_path, monkeypatch):
        """Without custom_endpoint_ec2 Packer would call AWS: it is not even started, and the
        answer says which source and which line."""
        called = tmp_path / "called"
        program = tmp_path / "packer"
        program.write_text(f"#!/bin/sh\ntouch {called}\n")
        program.chmod(0o755)
        monkeypatch.setenv("AMILAB_PACKER", str(program))
        template = POINTED.replace("  custom_endpoint_ec2 = var.endpoint  # the lab\n", "")
        run = packer.build(lab, template)
        assert not run.ok and not called.exists()
        assert run.output.startswith(
            "Not built: the source amazon-ebs.golden has no line custom_endpoint_ec2 = "
            "var.endpoint, so Packer would call AWS's own endpoints instead of the lab."
        )

    def test_any_other_host_goes_to_a_dead_end(self, lab, tmp_path):
        """Every HTTP(S) proxy variable names one loopback address that refuses connections."""
        environment = packer.packer_environment(
            lab, "learner", tmp_path, proxy="http://127.0.0.1:9"
        )
        for name in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"):
            assert environment[name] == "http://127.0.0.1:9"
        with packer._dead_end() as proxy:
            port = int(proxy.rsplit(":", 1)[1])
            with pytest.raises(ConnectionRefusedError):
                socket.create_connection(("127.0.0.1", port), timeout=5)
