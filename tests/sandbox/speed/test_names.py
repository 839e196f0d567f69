"""Twin tests: botocore's event aliases and operation names, remembered, are botocore's own."""

from __future__ import annotations

import boto3
import botocore
import botocore.hooks
from botocore.utils import EVENT_ALIASES

from labkit.sandbox.speed import names
from labkit.sandbox.speed.loading import shared_loader

#: Event names a session and a client emit or register, with and without aliases.
EVENTS = [
    "before-call.ec2.DescribeImages",
    "creating-client-class.ec2",
    "before-parameter-build.s3.PutObject",
    "service-data-loaded.api.sagemaker",
    "before-call.api.mediatailor.ListChannels",
    "provide-client-params.runtime.sagemaker.InvokeEndpoint",
    "needs-retry",
]


def test_remembered_aliases_are_botocores_own():
    emitter = botocore.hooks.EventAliaser(botocore.hooks.HierarchicalEmitter())
    for event in EVENTS * 2:  # the second time from memory
        assert names._alias_event_name(emitter, event) == names._ORIGINAL_ALIAS(emitter, event)


def test_an_emitter_with_other_aliases_is_not_served_from_memory():
    emitter = botocore.hooks.EventAliaser(botocore.hooks.HierarchicalEmitter(), {"ec2": "compute"})
    assert names._alias_event_name(emitter, "before-call.ec2.DescribeImages") == (
        "before-call.compute.DescribeImages"
    )
    assert EVENT_ALIASES.get("ec2") is None  # botocore's own table is untouched


def test_operation_names_are_what_xform_name_works_out():
    known = names.operation_names(shared_loader())
    assert known[("DescribeImages", "_")] == "describe_images"
    assert known[("DescribeImages", "-")] == "describe-images"
    for (operation, sep), name in known.items():
        assert name == botocore.xform_name(operation, sep)


def test_while_a_sandbox_runs_clients_have_the_same_methods(sandbox):
    plain = boto3.Session(
        region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y"
    ).client("ec2")
    assert sorted(dir(sandbox.client("ec2"))) == sorted(dir(plain))


def test_the_alias_memory_is_off_once_the_sandbox_stops(sandbox):
    assert botocore.hooks.EventAliaser._alias_event_name is names._alias_event_name
    sandbox.stop()
    assert botocore.hooks.EventAliaser._alias_event_name is names._ORIGINAL_ALIAS


def test_a_service_this_botocore_lacks_is_left_out(monkeypatch):
    monkeypatch.setattr(names, "LAB_SERVICES", ("ec2", "no-such-service"))
    known = names.operation_names(shared_loader())
    assert known[("DescribeImages", "_")] == "describe_images"
