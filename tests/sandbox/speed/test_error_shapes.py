"""A service's error shapes, found from its model's JSON: the same list as botocore's own."""

from __future__ import annotations

import botocore.session
import pytest
from botocore.exceptions import ClientError
from botocore.model import ServiceModel

from labkit import Lab
from labkit.sandbox.speed import error_shapes

SERVICES = ("ec2", "kms", "sts", "ssm", "s3", "dlm", "rbin", "iam", "ce")
#: botocore's own property, taken when this module is collected (no sandbox runs then).
BOTOCORES_OWN = ServiceModel.__dict__["error_shapes"]


@pytest.fixture(scope="module")
def lab():
    lab = Lab("05-encryption", quiet=True)
    yield lab
    lab.sandbox.stop()


@pytest.mark.parametrize("service", SERVICES)
def test_the_same_error_shapes_as_botocores_own(service):
    data = botocore.session.get_session().get_service_data(service)
    motos_own = ServiceModel(data, service).error_shapes  # botocore's own (no sandbox runs)
    found = error_shapes.error_shapes(ServiceModel(data, service))

    assert [s.name for s in found] == [s.name for s in motos_own]
    assert [type(s) for s in found] == [type(s) for s in motos_own]
    assert [s.error_code for s in found] == [s.error_code for s in motos_own]
    assert all(a._shape_model is b._shape_model for a, b in zip(found, motos_own, strict=True))
    assert service == "ec2" or found  # EC2 models no errors; the others do


def test_installed_only_while_a_sandbox_runs():
    before = ServiceModel.__dict__["error_shapes"]
    assert before is BOTOCORES_OWN
    lab = Lab("00-welcome", quiet=True)
    try:
        installed = ServiceModel.__dict__["error_shapes"]
        assert installed is not before and installed._fget is error_shapes.error_shapes
    finally:
        lab.sandbox.stop()
    assert ServiceModel.__dict__["error_shapes"] is before


def _errors(lab):
    """Errors of EC2 (unmodelled) and KMS and SSM (modelled), as the learner's clients get them."""
    calls = [
        lambda: lab.client("ec2").describe_images(ImageIds=["ami-0000000000000000f"]),
        lambda: lab.client("ec2", region="eu-west-1").deregister_image(ImageId="ami-12345"),
        lambda: lab.client("kms").describe_key(KeyId="alias/no-such-key"),
        lambda: lab.client("ssm").get_parameter(Name="/no/such/parameter"),
    ]
    answers = []
    for call in calls:
        with pytest.raises(ClientError) as error:
            call()
        answer = dict(error.value.response)
        answer.pop("ResponseMetadata", None)
        answers.append((type(error.value).__name__, answer))
    return answers


def _fresh_models(lab):
    """Forget every error list and lookup computed so far, in moto's and the clients' models."""
    for service in ("ec2", "kms", "ssm"):
        model = lab.client(service).meta.service_model
        for name in ("error_shapes", "_error_code_cache"):
            model.__dict__.pop(name, None)
    from moto.core import utils as moto_utils

    for service in ("ec2", "kms", "ssm"):
        moto_model = moto_utils.get_service_model(service)
        for name in ("error_shapes", "_error_code_cache"):
            moto_model.__dict__.pop(name, None)


def test_errors_answer_the_same_as_with_botocores_own(lab, monkeypatch):
    _fresh_models(lab)
    found = _errors(lab)
    _fresh_models(lab)
    assert BOTOCORES_OWN._fget.__module__ == "botocore.model"
    monkeypatch.setattr(ServiceModel, "error_shapes", BOTOCORES_OWN)

    motos_own = _errors(lab)

    assert found == motos_own
    assert [kind for kind, _ in found][2:] == ["NotFoundException", "ParameterNotFound"]
