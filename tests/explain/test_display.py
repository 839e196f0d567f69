"""labkit.explain.display: in a kernel, AWS's error as a short box with the lab's explanation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from labkit.explain import ErrorBox, Explanation, FailedCall
from tests.notebook_runner import current_env_kernel, shut_down

ROOT = Path(__file__).resolve().parents[2]
NOT_FOUND = "ami-0123456789abcdef0"


@pytest.fixture(scope="module")
def executed() -> list[nbformat.NotebookNode]:
    """A kernel runs a lab, a refused call, a call botocore stops, %tb, then stops the lab."""
    sources = [
        'from labkit import Lab\nlab = Lab("sandbox", quiet=True)\nec2 = lab.client("ec2")',
        f'ec2.describe_images(ImageIds=["{NOT_FOUND}"])',
        'ec2.describe_images(Name="al2023-*")',
        "%tb",
        'lab.install(ec2.run_instances(ImageId="ami-05b10e08d247fb927", InstanceType="t3.micro",'
        ' MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"], "nodejs")',
        "lab.stop()",
        "raise ValueError('plain errors are left alone')",
    ]
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    manager = current_env_kernel()
    try:
        NotebookClient(
            notebook,
            km=manager,
            timeout=120,
            allow_errors=True,
            resources={"metadata": {"path": ROOT}},
        ).execute()
    finally:
        shut_down(manager)
    return notebook.cells


def box_html(cell) -> str:
    shown = [o for o in cell.outputs if o.output_type == "display_data"]
    assert len(shown) == 1, cell.outputs
    return shown[0].data["text/html"]


def error_output(cell):
    (error,) = [o for o in cell.outputs if o.output_type == "error"]
    return error


class TestInAKernel:
    def test_client_error_shows_awss_text_and_the_explanation(self, executed):
        """A ClientError: one box with AWS's code and message as sent, and what it means here."""
        html = box_html(executed[1])
        message = f"The image id &#x27;[{NOT_FOUND}]&#x27; does not exist"
        assert "<code>InvalidAMIID.NotFound</code>: " + message in html
        assert "What it means here:" in html and "describe_images()" in html
        assert "<details><summary>The full traceback" in html

    def test_the_error_itself_is_unchanged(self, executed):
        """The cell still fails with the ClientError and AWS's own text, in one short line."""
        error = error_output(executed[1])
        assert error.ename == "ClientError"
        assert error.evalue == (
            "An error occurred (InvalidAMIID.NotFound) when calling the DescribeImages "
            f"operation: The image id '[{NOT_FOUND}]' does not exist"
        )
        assert len(error.traceback) == 1

    def test_param_validation_error_says_nothing_was_sent(self, executed):
        """A ParamValidationError: the box says botocore stopped it, and shows Filters."""
        html = box_html(executed[2])
        assert "Error before sending" in html and "nothing was sent" in html
        assert "Unknown parameter in input: &quot;Name&quot;" in html
        assert "Filters=[{&#x27;Name&#x27;: &#x27;name&#x27;" in html
        assert error_output(executed[2]).ename == "ParamValidationError"

    def test_tb_prints_the_full_traceback(self, executed):
        """%tb after the box prints the whole traceback, botocore's frames included."""
        text = "".join(
            o.get("text", "") + "".join(o.get("traceback", [])) for o in executed[3].outputs
        )
        assert "_make_api_call" in text and "ParamValidationError" in text

    def test_the_labs_own_refusal_is_a_short_box_too(self, executed):
        """lab.install with a package the lab does not know: a short box with the lab's message
        (the packages it knows), not labkit's traceback; the error is unchanged, in one line."""
        html = box_html(executed[4])
        assert "The lab refused lab.install(): nothing was installed" in html
        assert (
            "<code>ProvisioningError</code>: packages: unknown package &#x27;nodejs&#x27;" in html
        )
        assert "nodejs20" in html
        error = error_output(executed[4])
        assert error.ename == "ProvisioningError" and len(error.traceback) == 1

    def test_after_stop_errors_are_ipythons_own(self, executed):
        """Once the lab stops, a plain error shows IPython's usual traceback, no box."""
        cell = executed[6]
        assert not [o for o in cell.outputs if o.output_type == "display_data"]
        assert error_output(cell).ename == "ValueError"
        assert len(error_output(cell).traceback) > 1


class TestOutsideIPython:
    def test_install_changes_nothing_without_ipython(self):
        """In plain Python, starting a Lab installs no handler and leaves sys.excepthook alone."""
        code = (
            "import sys; hook = sys.excepthook\n"
            "from labkit import Lab; from labkit import explain\n"
            "lab = Lab('sandbox', quiet=True)\n"
            "print(explain.installed(), sys.excepthook is hook); lab.stop()"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
        )
        assert out.stdout.split() == ["False", "True"]


class TestErrorBox:
    def test_text_form_has_the_same_parts(self):
        """Without HTML (a terminal), the box is text with the same parts, %tb named."""
        from botocore.exceptions import ClientError

        error = ClientError({"Error": {"Code": "AuthFailure", "Message": "Not authorized"}}, "X")
        box = ErrorBox(
            error,
            FailedCall("ec2", "ModifyImageAttribute", {}, "us-east-1", "partner"),
            Explanation("It is not yours.", "Check the owner."),
        )
        text = repr(box)
        assert text.splitlines()[0] == (
            "Error from AWS: modify_image_attribute() (as partner in us-east-1) was refused"
        )
        assert "  AuthFailure: Not authorized" in text
        assert "What it means here: It is not yours." in text and "%tb" in text
