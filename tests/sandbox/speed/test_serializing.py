"""moto's serializer answers exactly as before with the lab's remembering picker."""

from __future__ import annotations

import pytest
import xmltodict
from moto.core import serialize

from labkit import Lab
from labkit.sandbox.speed import serializing


@pytest.fixture(scope="module")
def lab():
    lab = Lab("07-storage-and-pricing", quiet=True)
    yield lab
    lab.sandbox.stop()


def _answers(lab):
    """Responses of many shapes: images, snapshots, volumes, instances, attributes, KMS, SSM."""
    ec2 = lab.client("ec2")
    image = lab.ids["web_v3"]
    calls = [
        lambda: ec2.describe_images(Owners=["self", "amazon"], IncludeDeprecated=True),
        lambda: ec2.describe_snapshots(OwnerIds=["self"]),
        lambda: ec2.describe_volumes(),
        lambda: ec2.describe_instances(),
        lambda: ec2.describe_image_attribute(ImageId=image, Attribute="launchPermission"),
        lambda: ec2.describe_security_groups(),
        lambda: ec2.describe_vpcs(),
        lambda: ec2.describe_regions(),
        lambda: lab.client("kms").list_keys(),
        lambda: lab.client("ssm").get_parameters_by_path(
            Path="/aws/service/ami-amazon-linux-latest"
        ),
    ]
    answers = []
    for call in calls:
        answer = call()
        answer.pop("ResponseMetadata", None)
        answers.append(answer)
    return answers


def test_the_remembering_picker_is_installed_while_a_sandbox_runs(lab):
    assert serialize.AttributePicker.__call__ is serializing._pick
    assert xmltodict._validate_name is serializing._validate_name


def test_responses_are_the_same_as_with_motos_own_picker(lab, monkeypatch):
    remembered = _answers(lab)
    again = _answers(lab)  # now from what was remembered
    monkeypatch.setattr(serialize.AttributePicker, "__call__", serializing._ORIGINAL_PICK)

    motos_own = _answers(lab)

    assert remembered == again == motos_own


def test_a_new_shape_under_the_same_id_is_worked_out_again():
    class Context:
        def __init__(self, obj, key, shape):
            self.obj, self.key, self.shape, self.key_path = obj, key, shape, "Op"

    class Shape:
        def __init__(self, name):
            self.name, self.type_name, self.serialization = name, "string", {}

    picker = serialize.XFormedAttributePicker()
    first = Shape("First")
    assert serializing._pick(picker, Context({"ImageId": "ami-1"}, "ImageId", first)) == "ami-1"
    key = next(k for k in serializing._aliases if k[3] == id(first))
    serializing._aliases[key] = (object(), None, None, ("Wrong",))  # as if id() were reused

    assert serializing._pick(picker, Context({"ImageId": "ami-2"}, "ImageId", first)) == "ami-2"


def test_xml_names_are_still_checked(lab):
    assert xmltodict._validate_name is serializing._validate_name
    xmltodict.unparse({"Image": {"ImageId": "ami-1"}})  # good names, twice: once remembered
    xmltodict.unparse({"Image": {"ImageId": "ami-1"}})

    for bad in ("Bad Name", "a<b", 'q"', "?pi"):
        with pytest.raises(ValueError):
            xmltodict.unparse({bad: "x"})
        with pytest.raises(ValueError):  # and again: a bad name is never remembered as good
            xmltodict.unparse({bad: "x"})
