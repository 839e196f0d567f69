"""moto's serializer answers exactly as before with the lab's remembering picker."""

from __future__ import annotations

from types import SimpleNamespace

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
    assert serialize.ResponseSerializer.get_value is serializing._get_value
    assert xmltodict._validate_name is serializing._validate_name


def test_responses_are_the_same_as_with_motos_own_picker(lab, monkeypatch):
    remembered = _answers(lab)
    again = _answers(lab)  # now from what was remembered
    monkeypatch.setattr(serialize.AttributePicker, "__call__", serializing._ORIGINAL_PICK)

    motos_own = _answers(lab)

    assert remembered == again == motos_own


def test_responses_are_the_same_as_with_motos_own_get_value(lab, monkeypatch):
    """Twin test of the serializer's direct look-up (names remembered, no context built)."""
    direct = _answers(lab)
    monkeypatch.setattr(serialize.ResponseSerializer, "get_value", serializing._ORIGINAL_GET_VALUE)

    assert direct == _answers(lab)


class _Serializer:
    """What ``get_value`` reads of a serializer: its picker and the path written so far."""

    def __init__(self, picker):
        self._value_picker, self.path = picker, ["Op", "Item"]
        self.operation_model = SimpleNamespace(service_model=None)


class _Shape:
    def __init__(self, name):
        self.name, self.type_name, self.serialization = name, "string", {}


class _Image:
    def __init__(self, **attributes):
        self.__dict__.update(attributes)


@pytest.mark.parametrize(
    "obj",
    [
        {"ImageId": "ami-1"},  # looked up by item
        {"image_id": "ami-2"},  # by item, under its snake_case name
        _Image(image_id="ami-3"),  # by attribute
        _Image(name="web"),  # absent: None
        {"Other": 1},
    ],
)
def test_direct_look_up_matches_moto_s_for_items_attributes_and_absent_fields(obj, monkeypatch):
    picker = serialize.XFormedAttributePicker()
    shape = _Shape("ImageId")
    serializer = _Serializer(picker)
    monkeypatch.setattr(serialize.AttributePicker, "__call__", serializing._pick)
    first = serializing._get_value(serializer, obj, "ImageId", shape)  # worked out, remembered
    again = serializing._get_value(serializer, obj, "ImageId", shape)  # looked up directly

    assert first == again == serializing._ORIGINAL_GET_VALUE(serializer, obj, "ImageId", shape)


def test_direct_look_up_applies_the_services_transformer(monkeypatch):
    picker = serialize.XFormedAttributePicker(response_transformers={"Item.State": str.upper})
    serializer = _Serializer(picker)
    shape = _Shape("State")
    monkeypatch.setattr(serialize.AttributePicker, "__call__", serializing._pick)
    serializing._get_value(serializer, {"State": "available"}, "State", shape)

    assert serializing._get_value(serializer, {"State": "available"}, "State", shape) == "AVAILABLE"


def test_another_picker_gets_moto_s_own_look_up():
    class Picker(serialize.DefaultAttributePicker):
        def __call__(self, context):
            return "from the picker"

    serializer = _Serializer(Picker())
    assert serializing._get_value(serializer, {}, "ImageId", _Shape("ImageId")) == "from the picker"


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
