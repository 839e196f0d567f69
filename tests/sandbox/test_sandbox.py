"""The Sandbox contract: accounts, Regions, clients, determinism, life cycle, reset."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import botocore.client
import pytest
from botocore.exceptions import ClientError

from labkit import Sandbox, SandboxError
from labkit.catalog import image_id

AL2023 = "al2023-x86_64"


def launch(ec2, image: str) -> str:
    reservation = ec2.run_instances(ImageId=image, InstanceType="t3.micro", MinCount=1, MaxCount=1)
    return reservation["Instances"][0]["InstanceId"]


class TestAccounts:
    def test_named_accounts_have_fixed_ids(self, sandbox):
        """learner, partner and seller have their documented 12-digit IDs."""
        assert sandbox.account_id() == "111111111111"
        assert sandbox.account_id("partner") == "222222222222"
        assert sandbox.account_id("seller") == "333333333333"

    def test_unknown_account_is_a_clear_error(self, sandbox):
        """An account name the lab does not have names the ones it has."""
        with pytest.raises(ValueError, match="'learner', 'partner', 'seller'"):
            sandbox.client("ec2", account="prod")

    def test_each_client_acts_as_its_account(self, sandbox):
        """STS answers with the account the client was made for."""
        for name in ("learner", "partner", "seller"):
            identity = sandbox.client("sts", account=name).get_caller_identity()
            assert identity["Account"] == sandbox.account_id(name)

    def test_accounts_do_not_see_each_others_instances(self, sandbox):
        """An instance the learner launches is invisible to the partner."""
        launch(sandbox.client("ec2"), image_id(AL2023, "us-east-1"))
        partner = sandbox.client("ec2", account="partner")
        assert partner.describe_instances()["Reservations"] == []
        assert len(sandbox.client("ec2").describe_instances()["Reservations"]) == 1


class TestRegions:
    def test_four_lab_regions(self, sandbox):
        """The lab simulates at least the four Regions its lessons use."""
        assert {"us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"} <= set(sandbox.regions)

    def test_client_region(self, sandbox):
        """A client made for a Region talks to that Region."""
        ec2 = sandbox.client("ec2", region="eu-west-1", account="partner")
        assert ec2.meta.region_name == "eu-west-1"

    def test_unknown_region_is_a_clear_error(self, sandbox):
        """A Region the lab does not simulate is named in the error."""
        with pytest.raises(ValueError, match="'mars-north-1' is not one of them"):
            sandbox.client("ec2", region="mars-north-1")

    def test_catalogue_in_every_region(self, sandbox):
        """Every lab Region has Amazon Linux 2023 with its own ID."""
        ids = set()
        for region in sandbox.regions:
            images = sandbox.client("ec2", region=region).describe_images(Owners=["amazon"])
            names = [i["Name"] for i in images["Images"]]
            assert any(n.startswith("al2023-ami-") for n in names), region
            ids.add(image_id(AL2023, region))
        assert len(ids) == len(sandbox.regions)


class TestClients:
    def test_real_boto3_client(self, sandbox):
        """sb.client returns a botocore client, not a stand-in."""
        assert isinstance(sandbox.client("ec2"), botocore.client.BaseClient)

    def test_clients_are_cached(self, sandbox):
        """Asking twice for the same client gives the same object."""
        assert sandbox.client("ec2") is sandbox.client("ec2", region="us-east-1")
        assert sandbox.client("ec2") is not sandbox.client("ec2", account="partner")

    def test_client_after_stop_refuses(self):
        """A client of a stopped sandbox raises a clear error instead of reaching AWS."""
        with Sandbox() as sb:
            ec2 = sb.client("ec2")
        with pytest.raises(SandboxError, match="sandbox that has stopped"):
            ec2.describe_images(Owners=["self"])

    def test_client_needs_a_running_sandbox(self):
        """Asking a stopped sandbox for a client is a clear error."""
        with pytest.raises(SandboxError, match="not running"):
            Sandbox().client("ec2")


class TestLifeCycle:
    def test_many_sandboxes_in_a_row_start_clean(self):
        """Each new sandbox starts without what the previous one made."""
        for _ in range(3):
            with Sandbox() as sb:
                ec2 = sb.client("ec2")
                assert ec2.describe_instances()["Reservations"] == []
                launch(ec2, image_id(AL2023, "us-east-1"))

    def test_starting_a_sandbox_stops_the_running_one(self):
        """Only one sandbox runs at a time: starting a second stops the first."""
        first = Sandbox().start()
        second = Sandbox().start()
        try:
            assert not first.running and second.running
        finally:
            second.stop()

    def test_new_image_is_pending_then_available(self, sandbox):
        """A new image reports pending first, then available."""
        ec2 = sandbox.client("ec2")
        instance = launch(ec2, image_id(AL2023, "us-east-1"))
        image = ec2.create_image(InstanceId=instance, Name="web-v1")["ImageId"]
        states = [ec2.describe_images(ImageIds=[image])["Images"][0]["State"] for _ in range(2)]
        assert states == ["pending", "available"]

    def test_waiter_returns_quickly(self, sandbox):
        """image_available returns within a second in the sandbox."""
        ec2 = sandbox.client("ec2")
        instance = launch(ec2, image_id(AL2023, "us-east-1"))
        image = ec2.create_image(InstanceId=instance, Name="web-v1")["ImageId"]
        started = time.perf_counter()
        ec2.get_waiter("image_available").wait(ImageIds=[image])
        assert time.perf_counter() - started < 1.0
        assert ec2.describe_images(ImageIds=[image])["Images"][0]["State"] == "available"

    def test_new_snapshot_is_pending_then_completed(self, sandbox):
        """A new snapshot reports pending first, then completed."""
        ec2 = sandbox.client("ec2")
        volume = ec2.create_volume(Size=8, AvailabilityZone="us-east-1a")["VolumeId"]
        snapshot = ec2.create_snapshot(VolumeId=volume)["SnapshotId"]
        states = [
            ec2.describe_snapshots(SnapshotIds=[snapshot])["Snapshots"][0]["State"]
            for _ in range(2)
        ]
        assert states == ["pending", "completed"]

    def test_reset_returns_to_the_starting_state(self, sandbox):
        """reset() forgets what was made and gives the same IDs again."""
        ec2 = sandbox.client("ec2")
        first = launch(ec2, image_id(AL2023, "us-east-1"))
        sandbox.reset()
        assert launch(sandbox.client("ec2"), image_id(AL2023, "us-east-1")) == first
        sandbox.reset()
        assert ec2.describe_instances()["Reservations"] == []

    def test_setup_builds_the_starting_state(self):
        """A setup function runs on start and again on reset."""
        calls = []
        with Sandbox(setup=lambda sb: calls.append(sb.account_id())) as sb:
            sb.reset()
        assert calls == ["111111111111", "111111111111"]


SCRIPT = """
import json
from labkit import Sandbox
with Sandbox() as sb:
    ec2 = sb.client("ec2")
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    r = ec2.run_instances(ImageId=image, InstanceType="t3.micro", MinCount=2, MaxCount=2)
    ids = [i["InstanceId"] for i in r["Instances"]]
    ids.append(ec2.create_image(InstanceId=ids[0], Name="web-v1")["ImageId"])
    vol = ec2.create_volume(Size=8, AvailabilityZone="us-east-1a")["VolumeId"]
    ids += [vol, ec2.create_snapshot(VolumeId=vol)["SnapshotId"]]
    ids.append(sb.client("ec2", region="eu-west-1", account="partner").create_security_group(
        GroupName="web", Description="web")["GroupId"])
print(json.dumps(ids))
"""


class TestDeterminism:
    def test_same_ids_in_two_processes(self):
        """The same calls give the same IDs in separate processes, whatever the hash seed."""
        root = Path(__file__).resolve().parents[2]
        outputs = []
        for seed in ("1", "4242"):
            env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(root))
            done = subprocess.run(
                [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True
            )
            outputs.append(json.loads(done.stdout.strip().splitlines()[-1]))
        assert outputs[0] == outputs[1]
        assert all(isinstance(i, str) and "-" in i for i in outputs[0])


NETWORK_IDS = """
import json
from labkit import Lab

def network(sb):
    found = {}
    for account in ("learner", "partner"):
        ec2 = sb.client("ec2", region="eu-west-1", account=account)
        found[account] = [
            ec2.describe_vpcs()["Vpcs"][0]["VpcId"],
            sorted(s["SubnetId"] for s in ec2.describe_subnets()["Subnets"]),
            [g["GroupId"] for g in ec2.describe_security_groups()["SecurityGroups"]],
        ]
    return found

lab = Lab("04-sharing", quiet=True)  # a starting state that draws IDs before any reset
first = network(lab.sandbox)
lab.reset()
after_reset = network(lab.sandbox)
second = network(Lab("04-sharing", quiet=True).sandbox)
print(json.dumps([first, after_reset, second]))
"""


class TestDefaultNetworks:
    def test_first_start_reset_and_a_second_sandbox_give_the_same_network_ids(self):
        """Default VPCs, subnets and security groups keep their IDs across starts and resets.

        (moto's reset re-creates them before the lab seeds its IDs: they used to move.)
        """
        root = Path(__file__).resolve().parents[2]
        env = dict(os.environ, PYTHONPATH=str(root))
        done = subprocess.run(
            [sys.executable, "-c", NETWORK_IDS], env=env, capture_output=True, text=True, check=True
        )
        first, after_reset, second = json.loads(done.stdout.strip().splitlines()[-1])
        assert first == after_reset == second
        assert first["learner"][0] != first["partner"][0]

    def test_only_the_lab_accounts_get_default_vpcs(self, sandbox):
        """The catalogue owners' backends hold images only; every lab account keeps its VPC."""
        from labkit.accounts import ACCOUNTS, REGIONS
        from labkit.catalog import catalog_owners
        from labkit.seam.moto import EC2Backend, ec2_backends

        for region in REGIONS:
            for owner in catalog_owners():
                assert ec2_backends[owner][region].vpcs == {}
            for number in ACCOUNTS.values():
                assert ec2_backends[number][region].get_default_vpc() is not None
        assert EC2Backend.create_default_vpc.__module__ == "moto.ec2.models.vpcs"  # undone

    def test_amazon_images_still_launch_in_the_learners_default_vpc(self, sandbox):
        ec2 = sandbox.client("ec2")
        instance = launch(ec2, image_id(AL2023, "us-east-1"))
        found = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]
        default = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"]
        assert found["VpcId"] == default[0]["VpcId"]


class TestErrors:
    def test_unknown_instance_is_an_aws_error(self, sandbox):
        """A wrong instance ID comes back as ClientError with AWS's code."""
        with pytest.raises(ClientError) as error:
            sandbox.client("ec2").create_image(InstanceId="i-0123456789abcdef0", Name="web-v1")
        assert error.value.response["Error"]["Code"] == "InvalidInstanceID.NotFound"

    def test_malformed_image_id_is_an_aws_error(self, sandbox):
        """A malformed image ID comes back as InvalidAMIID.Malformed."""
        with pytest.raises(ClientError) as error:
            sandbox.client("ec2").describe_images(ImageIds=["ami-xyz"])
        assert error.value.response["Error"]["Code"] == "InvalidAMIID.Malformed"


class TestSnapshotsOfImages:
    def test_snapshots_complete_with_their_image(self, sandbox):
        """Once an image is available, its snapshots report completed."""
        ec2 = sandbox.client("ec2")
        instance = launch(ec2, image_id(AL2023, "us-east-1"))
        image = ec2.create_image(InstanceId=instance, Name="web-v1")["ImageId"]
        ec2.get_waiter("image_available").wait(ImageIds=[image])
        mapping = ec2.describe_images(ImageIds=[image])["Images"][0]["BlockDeviceMappings"]
        snapshot_ids = [m["Ebs"]["SnapshotId"] for m in mapping if "Ebs" in m]
        snapshots = ec2.describe_snapshots(SnapshotIds=snapshot_ids)["Snapshots"]
        assert snapshots and all(s["State"] == "completed" for s in snapshots)

    def test_full_snapshot_size_is_the_data_written(self, sandbox):
        """FullSnapshotSizeInBytes reports the data written, not the volume size."""
        ec2 = sandbox.client("ec2")
        instance = launch(ec2, image_id(AL2023, "us-east-1"))
        image = ec2.create_image(InstanceId=instance, Name="web-v1")["ImageId"]
        mapping = ec2.describe_images(ImageIds=[image])["Images"][0]["BlockDeviceMappings"]
        snapshot_id = mapping[0]["Ebs"]["SnapshotId"]
        snapshot = ec2.describe_snapshots(SnapshotIds=[snapshot_id])["Snapshots"][0]
        assert 0 < snapshot["FullSnapshotSizeInBytes"] < snapshot["VolumeSize"] * 1024**3
