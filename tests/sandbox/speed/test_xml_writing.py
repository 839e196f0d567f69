"""moto's XML written in one pass: the same bytes as xmltodict's own writer, or xmltodict's."""

from __future__ import annotations

import pytest
import xmltodict

from labkit import Lab
from labkit.sandbox.speed import xml_writing

ORIGINAL = xml_writing._ORIGINAL_UNPARSE
#: The ways moto calls xmltodict.unparse (moto/core/serialize.py), and pretty-printing.
OPTIONS = [
    {"full_document": True, "short_empty_elements": True, "pretty": False},
    {"full_document": True, "short_empty_elements": False, "pretty": False},
    {"full_document": False, "short_empty_elements": True, "pretty": False},
    {"full_document": True, "short_empty_elements": True, "pretty": True},
    {"full_document": False, "short_empty_elements": False, "pretty": True},
    {},
]

DOCUMENTS = [
    {"DescribeImagesResponse": {"@xmlns": "http://ec2.amazonaws.com/doc/2016-11-15/"}},
    {"R": {"requestId": "x", "imagesSet": {"item": [{"imageId": "ami-1"}, {"imageId": "ami-2"}]}}},
    {"R": {"empty": [], "none": None, "blank": "", "zero": 0, "no": False, "yes": True}},
    {"R": {"text": "a < b & c > d", "quote": '"it\'s"', "tabs": "a\tb\nc\r"}},
    {"R": {"@a": 'say "hi"', "@b": "it's", "@c": "both \" and '", "@d": None, "@e": 3}},
    {"R": {"@lang": "en", "#text": "hello", "child": "x"}},
    {"R": {"#text": None, "x": {"#text": ""}}},
    {"R": {"bytes": b"caf\xc3\xa9", "bad": b"\xff", "float": 1.5, "big": 10**20}},
    {"R": {"nested": [[1, 2]], "tuple": ("a", "b"), "list": ["a", None, {"k": "v"}]}},
    {"R": {"item": [{}, {"x": []}, {"y": [None]}]}},
    {"R": {"deep": {"a": {"b": {"c": {"d": "é ünicode ✓"}}}}}},
    {"R": [{"a": 1}]},
    {"R": []},
    {"A": 1, "B": 2},  # two roots: an error for a full document
    {"R": [1, 2]},  # two roots in a list
    {},  # no root
    {"R": {"#comment": "a note", "x": 1}},
    {"R": {"bad name": 1}},
    {"R": {"<bad>": 1}},
    {"R": {1: "a number as a name"}},
    lambda: {"R": {"gen": (i for i in range(2))}},  # one-shot: made afresh for each writer
    {"R": {"set": {1}}},
    {"R": {"@xmlns": {"": "urn:a", "b": "urn:b"}}},
]


def _both(document, options):
    """(xmltodict's answer or error, the one-pass writer's answer or error)."""
    results = []
    for write in (ORIGINAL, xml_writing.unparse):
        try:
            results.append(("ok", write(document() if callable(document) else document, **options)))
        except Exception as error:  # noqa: BLE001 - both must raise alike
            results.append(("error", type(error), str(error)))
    return results


@pytest.mark.parametrize("options", OPTIONS)
@pytest.mark.parametrize("document", DOCUMENTS)
def test_the_same_bytes_or_the_same_error_as_xmltodict(document, options):
    theirs, ours = _both(document, options)
    assert ours == theirs


def test_other_options_and_outputs_go_to_xmltodict(monkeypatch):
    calls = []
    monkeypatch.setattr(xml_writing, "_ORIGINAL_UNPARSE", lambda *a, **k: calls.append(k) or "x")
    assert xml_writing.unparse({"R": 1}, attr_prefix="$") == "x"
    assert xml_writing.unparse({"R": 1}, output=object()) == "x"
    assert xml_writing.unparse({"R": 1}, None, "latin-1") == "x"  # encoding, by position
    assert xml_writing.unparse({"R": 1}, full_document=True) != "x"
    assert len(calls) == 3


@pytest.fixture(scope="module")
def lab():
    lab = Lab("07-storage-and-pricing", quiet=True)
    yield lab
    lab.sandbox.stop()


def test_every_answer_of_a_lesson_is_the_same_bytes(lab, monkeypatch):
    """Twin test on what moto really writes: EC2's images, snapshots, instances and errors,
    S3's buckets, STS's identity; each written by both writers."""
    written = []

    def recording(document, output=None, **options):
        written.append((document, options))
        return xml_writing.unparse(document, output, **options)

    monkeypatch.setattr(xmltodict, "unparse", recording)
    ec2 = lab.client("ec2")
    ec2.describe_images(Owners=["self", "amazon"], IncludeDeprecated=True)
    ec2.describe_snapshots(OwnerIds=["self"])
    ec2.describe_instances()
    ec2.describe_image_attribute(ImageId=lab.ids["web_v3"], Attribute="launchPermission")
    lab.client("s3").list_buckets()
    lab.client("sts").get_caller_identity()
    with pytest.raises(Exception, match="InvalidAMIID"):
        ec2.describe_images(ImageIds=["ami-00000000000000000"])

    assert len(written) >= 7
    for document, options in written:
        assert xml_writing._document(document, **options) == ORIGINAL(document, **options)


def test_the_one_pass_writer_is_installed_while_a_sandbox_runs(lab):
    assert xmltodict.unparse is xml_writing.unparse
