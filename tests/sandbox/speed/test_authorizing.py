"""moto's request count kept without importing IAM: the same answers and count as moto's own."""

from __future__ import annotations

import subprocess
import sys

import pytest
from botocore.exceptions import ClientError
from moto import settings as moto_settings
from moto.core.authorization import ActionAuthenticatorMixin

from labkit import Lab

_METHOD = "_authenticate_and_authorize_normal_action"


@pytest.fixture(scope="module")
def lab():
    lab = Lab("04-sharing", quiet=True)
    yield lab
    lab.sandbox.stop()


def _answers(lab):
    """Answers and errors of several services, and how many requests moto counted for them."""
    ec2, partner = lab.client("ec2"), lab.client("ec2", account="partner")
    calls = [
        lambda: ec2.describe_images(Owners=["self"]),
        lambda: partner.describe_images(ImageIds=[lab.ids["web_image"]]),
        lambda: ec2.describe_image_attribute(
            ImageId=lab.ids["web_image"], Attribute="launchPermission"
        ),
        lambda: ec2.describe_images(ImageIds=["ami-0000000000000000f"]),
        lambda: ec2.deregister_image(ImageId="ami-12345"),
        lambda: lab.client("kms").list_keys(),
        lambda: lab.client("ssm").get_parameters_by_path(Path="/aws/service/no-such-path"),
    ]
    answers = []
    before = ActionAuthenticatorMixin.request_count
    for call in calls:
        try:
            answer = call()
        except ClientError as error:
            answer = error.response
        answer.pop("ResponseMetadata", None)
        answers.append(answer)
    return answers, ActionAuthenticatorMixin.request_count - before


def test_the_counting_method_is_installed_only_while_a_sandbox_runs():
    motos_own = ActionAuthenticatorMixin.__dict__[_METHOD]
    lab = Lab("00-welcome", quiet=True)
    try:
        installed = ActionAuthenticatorMixin.__dict__[_METHOD]
        assert installed is not motos_own and installed.__wrapped__ is motos_own
    finally:
        lab.sandbox.stop()
    assert ActionAuthenticatorMixin.__dict__[_METHOD] is motos_own


def test_answers_and_the_request_count_are_the_same_as_with_motos_own(lab, monkeypatch):
    counted = _answers(lab)
    fast = getattr(ActionAuthenticatorMixin, _METHOD)
    monkeypatch.setattr(ActionAuthenticatorMixin, _METHOD, fast.__wrapped__)

    motos_own = _answers(lab)

    assert counted == motos_own
    assert counted[1] >= 6  # at least one count per call (moto counts every request)


def _refusal(lab):
    """What moto does with a request once its authorization is on (it looks the caller up in IAM,
    where the lab's roles are not: an error either way; the point is that it is the same)."""
    try:
        lab.client("ec2").describe_images(Owners=["self"])
    except Exception as error:  # noqa: BLE001 - whatever moto raises, compared below
        return type(error), str(error)
    return None


def test_with_authorization_on_moto_checks_the_request_as_before(lab, monkeypatch):
    monkeypatch.setattr(moto_settings, "INITIAL_NO_AUTH_ACTION_COUNT", 0)
    fast = _refusal(lab)
    monkeypatch.setattr(
        ActionAuthenticatorMixin, _METHOD, getattr(ActionAuthenticatorMixin, _METHOD).__wrapped__
    )

    motos_own = _refusal(lab)

    assert fast is not None and fast == motos_own


def test_a_lesson_and_its_first_requests_import_neither_iam_checks_nor_s3():
    script = (
        "import sys\n"
        "from labkit import Lab\n"
        "lab = Lab('00-welcome', quiet=True)\n"
        "lab.client('ec2').describe_images(Owners=['self'])\n"
        "print(sorted(m for m in ('moto.iam.access_control', 'moto.s3.models') "
        "if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip().splitlines()[-1] == "[]"
