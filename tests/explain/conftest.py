"""A sandbox lab for the explanation tests, and a helper that catches an error with its call."""

from __future__ import annotations

import sys

import pytest
from botocore.exceptions import ClientError, ParamValidationError

from labkit import Lab
from labkit.explain import Explanation, explain, failed_call

AL2023 = "ami-05b10e08d247fb927"


@pytest.fixture(scope="module")
def lab():
    made = Lab("sandbox", quiet=True)
    yield made
    made.stop()


def caught(lab, action):
    """Run ``action``; return the AWS error it raised, the call, and the explanation."""
    try:
        action()
    except (ClientError, ParamValidationError) as error:
        call = failed_call(sys.exc_info()[2])
        return error, call, explain(error, call, lab)
    raise AssertionError("the action raised no AWS error")


def aws_code(error) -> str:
    return error.response["Error"]["Code"]


def assert_aws_text_untouched(error, explanation: Explanation | None) -> None:
    """The lab's words are beside the error, never inside AWS's message."""
    assert explanation is not None
    text = str(error)
    assert explanation.meaning not in text
    if explanation.next_step:
        assert explanation.next_step not in text
