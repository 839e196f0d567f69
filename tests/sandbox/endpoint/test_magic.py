"""%aws and %%aws: the CLI's output and errors in a cell, never a traceback."""

from __future__ import annotations

import pytest

from labkit.sandbox.endpoint.magic import aws_magic, register


class TestLineMagic:
    def test_output_as_the_cli_prints_it(self, served, capsys):
        """`%aws ec2 describe-images --owners amazon --query ...` prints the CLI's JSON."""
        aws_magic('ec2 describe-images --owners amazon --query "Images[0].Name"')
        out, err = capsys.readouterr()
        assert out == '"al2023-ami-2023.6.20250218.2-kernel-6.1-x86_64"\n' and err == ""

    def test_an_aws_error_reads_as_the_clis_own(self, served, capsys):
        """No traceback: the CLI's `An error occurred (...) when calling ...` line."""
        aws_magic("ec2 describe-images --image-ids ami-0123456789abcdef0")
        out, err = capsys.readouterr()
        assert out == ""
        assert "An error occurred (InvalidAMIID.NotFound) when calling the DescribeImages" in err
        assert "Traceback" not in err

    def test_a_malformed_command_gives_the_usage_error(self, served, capsys):
        """`%aws ec2 describe-imagez` gives the CLI's usage error."""
        aws_magic("ec2 describe-imagez")
        err = capsys.readouterr().err
        assert "Invalid choice" in err and "describe-images" in err and "Traceback" not in err

    @pytest.mark.parametrize(
        "line, account",
        [
            ("--account partner sts get-caller-identity --query Account", "222222222222"),
            ("sts get-caller-identity --account=seller --query Account", "333333333333"),
            ("sts get-caller-identity --query Account", "111111111111"),
        ],
    )
    def test_the_account_shortcut(self, served, capsys, line, account):
        """--account NAME (anywhere, or --account=NAME) acts as that lab account."""
        aws_magic(line)
        assert capsys.readouterr().out.strip() == f'"{account}"'

    @pytest.mark.parametrize(
        "line, message",
        [
            ("--account root sts get-caller-identity", "account must be one of"),
            ("--region us-east-2 ec2 describe-images", "The lab simulates the Regions"),
            ("sts get-caller-identity --account", "--account needs a value"),
            ("", "empty"),
        ],
    )
    def test_bad_shortcuts_say_what_is_wrong(self, served, capsys, line, message):
        """An account or Region the lab lacks is one clear line, and nothing runs."""
        aws_magic(line)
        out, err = capsys.readouterr()
        assert out == "" and err.startswith("%aws: ") and message in err

    def test_without_a_running_lab(self, capsys):
        """Before the setup cell, %aws says to run it."""
        aws_magic("sts get-caller-identity")
        assert "run the lesson's setup cell" in capsys.readouterr().err


class TestCellMagic:
    def test_each_line_is_a_command_with_the_magic_lines_options(self, served, capsys):
        """Comments and blank lines are skipped; a trailing backslash continues a line."""
        aws_magic(
            "--region eu-west-1",
            "# who and where\n"
            "sts get-caller-identity --query Account\n"
            "\n"
            "ec2 describe-images --owners amazon \\\n"
            "    --query 'length(Images)'\n",
        )
        out = capsys.readouterr().out.split()
        expected = served.client("ec2", region="eu-west-1").describe_images(Owners=["amazon"])
        assert out == ['"111111111111"', str(len(expected["Images"]))]

    def test_it_stops_at_the_first_failure(self, served, capsys):
        """Like a script with `set -e`: a later command may depend on the failed one."""
        aws_magic(
            "", "ec2 describe-images --image-ids ami-0123456789abcdef0\nsts get-caller-identity"
        )
        out, err = capsys.readouterr()
        assert out == "" and "InvalidAMIID.NotFound" in err


def test_register_makes_a_line_and_cell_magic():
    """register() adds `aws` as a line and cell magic to an IPython shell."""
    calls = []

    class Shell:
        def register_magic_function(self, func, magic_kind, magic_name):
            calls.append((func, magic_kind, magic_name))

    register(Shell())
    assert calls == [(aws_magic, "line_cell", "aws")]


def test_load_ext_labkit_in_a_real_ipython_shell(served, capsys):
    """`%load_ext labkit`, then `%aws` in a cell of IPython's own shell."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "labkit")
    result = shell.run_cell("%aws sts get-caller-identity --query Account")
    assert result.success
    assert capsys.readouterr().out.strip().endswith('"111111111111"')
