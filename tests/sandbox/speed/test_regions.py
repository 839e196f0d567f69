"""The Region lister answers moto's two questions exactly as a real boto3 session does."""

from __future__ import annotations

import boto3
import pytest

from labkit.sandbox.speed import regions
from labkit.sandbox.speed.loading import shared_loader
from labkit.sandbox.speed.regions import RegionLister


def region_lister():
    return regions.region_lister(shared_loader())


#: Every service the lab's sandbox makes backends for, and a few it does not.
SERVICES = ("ec2", "sts", "kms", "s3", "ssm", "dlm", "rbin", "iam", "config", "organizations")


@pytest.fixture(scope="module")
def real():
    return boto3.Session()


def test_the_same_partitions_as_a_session(real):
    assert region_lister().get_available_partitions() == real.get_available_partitions()


@pytest.mark.parametrize("service", SERVICES)
def test_the_same_regions_as_a_session_in_every_partition(real, service):
    lister = region_lister()
    for partition in real.get_available_partitions():
        for non_regional in (False, True):
            assert lister.get_available_regions(
                service, partition, non_regional
            ) == real.get_available_regions(service, partition, non_regional)


def test_an_unknown_service_has_no_regions_as_with_a_session(real):
    assert region_lister().get_available_regions("no-such-service") == []
    assert real.get_available_regions("no-such-service") == []


def test_anything_else_goes_to_one_real_session_made_when_first_asked():
    made = []

    def make():
        made.append(boto3.Session())
        return made[-1]

    lister = RegionLister(shared_loader(), make)
    lister.get_available_regions("ec2")
    assert made == []
    assert "ec2" in lister.get_available_services()
    assert lister.get_available_services() and len(made) == 1


def test_while_moto_loads_argument_less_sessions_are_the_lister():
    make = regions.sessions_while_loading(region_lister())
    boto3.Session = make
    try:
        assert make() is make() is region_lister()
        assert isinstance(make(region_name="eu-west-1"), regions._original_session_class)
    finally:
        boto3.Session = regions._original_session_class


def test_after_loading_sessions_are_made_as_usual():
    make = regions.sessions_while_loading(region_lister())  # as bound in moto's module

    assert make() is not make()
    assert isinstance(make(), regions._original_session_class)


def test_moto_backends_list_regions_through_the_lister_only_while_a_sandbox_runs(sandbox):
    from labkit.seam.moto import AccountSpecificBackend

    assert AccountSpecificBackend.get_session() is region_lister()
    sandbox.stop()
    assert AccountSpecificBackend.get_session() is not region_lister()
