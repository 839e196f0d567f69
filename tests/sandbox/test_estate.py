"""The estate's "in use" reading: from moto's instances, the same answer as asking each account.

``estate_from_sandbox`` reads which images have a pending or running instance from moto's
instances (no account could read another's); before, it asked every account in every Region with
DescribeInstances. Both ways must agree, in every lesson's starting state and as instances
start, stop and end.
"""

from __future__ import annotations

from typing import Any

import pytest

from labkit import Lab
from labkit.catalog import image_id
from labkit.sandbox.estate import _IN_USE_STATES, _launched_images, estate_from_sandbox
from labkit.scenarios import scenarios


def launched_images_asking_each_account(sandbox: Any, regions: tuple[str, ...]) -> dict:
    """The reference: each account's own DescribeInstances, in each Region."""
    users: dict[tuple[str, str], set[str]] = {}
    state = [{"Name": "instance-state-name", "Values": list(_IN_USE_STATES)}]
    for name, account_id in sandbox.accounts.items():
        for region in regions:
            ec2 = sandbox.client("ec2", region, name)
            for page in ec2.get_paginator("describe_instances").paginate(Filters=state):
                for reservation in page["Reservations"]:
                    for instance in reservation["Instances"]:
                        users.setdefault((region, instance["ImageId"]), set()).add(account_id)
    return users


def both_ways(lab: Lab) -> tuple[dict, dict]:
    regions = tuple(lab.sandbox.regions)
    return _launched_images(lab.sandbox, regions), launched_images_asking_each_account(
        lab.sandbox, regions
    )


@pytest.mark.parametrize("lesson", sorted(scenarios()))
def test_every_starting_state(lesson):
    lab = Lab(lesson, quiet=True)
    try:
        read, asked = both_ways(lab)
        assert read == asked
    finally:
        lab.stop()


def test_as_instances_start_stop_and_end():
    lab = Lab("sandbox", quiet=True)
    try:
        base = image_id("al2023-x86_64", "us-east-1")
        launched = {}
        for account, region in [("learner", "us-east-1"), ("partner", "eu-west-1")]:
            ec2 = lab.client("ec2", region=region, account=account)
            run = ec2.run_instances(
                ImageId=image_id("al2023-x86_64", region),
                InstanceType="t3.micro",
                MinCount=2,
                MaxCount=2,
            )
            launched[account] = (ec2, [i["InstanceId"] for i in run["Instances"]])
        read, asked = both_ways(lab)
        assert read == asked
        assert read[("us-east-1", base)] == {lab.account_id("learner")}
        ec2, (first, second) = launched["learner"]
        ec2.stop_instances(InstanceIds=[first])
        assert both_ways(lab)[0] == both_ways(lab)[1]
        ec2.terminate_instances(InstanceIds=[second])
        read, asked = both_ways(lab)
        assert read == asked
        assert ("us-east-1", base) not in read
        assert estate_from_sandbox(lab, "partner").orphaned == ()
    finally:
        lab.stop()
