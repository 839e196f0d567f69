"""R36, R37: block public access for EBS snapshots, per account and Region."""

from __future__ import annotations

from .conftest import PARTNER, error, make_image, share

ZONE = "us-east-1a"


def own_snapshot(ec2) -> str:
    made = ec2.create_volume(AvailabilityZone=ZONE, Size=4)["VolumeId"]
    snapshot = ec2.create_snapshot(VolumeId=made)["SnapshotId"]
    ec2.get_waiter("snapshot_completed").wait(SnapshotIds=[snapshot])
    return snapshot


def make_public(ec2, snapshot: str) -> None:
    ec2.modify_snapshot_attribute(
        SnapshotId=snapshot,
        Attribute="createVolumePermission",
        OperationType="add",
        GroupNames=["all"],
    )


def seen_by_partner(sandbox, snapshot: str) -> bool:
    partner = sandbox.client("ec2", account="partner")
    return bool(
        partner.describe_snapshots(Filters=[{"Name": "snapshot-id", "Values": [snapshot]}])[
            "Snapshots"
        ]
    )


class TestR36Settings:
    def test_R36_starts_unblocked_modes_and_disable(self, sandbox):
        """Unblocked at first; Enable takes the two blocking modes; Disable unblocks."""
        ec2 = sandbox.client("ec2")
        answer = ec2.get_snapshot_block_public_access_state()
        assert (answer["State"], answer["ManagedBy"]) == ("unblocked", "account")
        for state in ("block-new-sharing", "block-all-sharing"):
            assert ec2.enable_snapshot_block_public_access(State=state)["State"] == state
            assert ec2.get_snapshot_block_public_access_state()["State"] == state
        refused = error(ec2.enable_snapshot_block_public_access, State="unblocked")
        assert refused["Code"] == "InvalidParameterValue"
        assert ec2.disable_snapshot_block_public_access()["State"] == "unblocked"
        assert ec2.get_snapshot_block_public_access_state()["State"] == "unblocked"

    def test_R36_per_region_and_reset(self, sandbox):
        """Another Region is not affected; a reset sandbox is unblocked again."""
        sandbox.client("ec2").enable_snapshot_block_public_access(State="block-all-sharing")
        west = sandbox.client("ec2", region="us-west-2")
        assert west.get_snapshot_block_public_access_state()["State"] == "unblocked"
        sandbox.reset()
        state = sandbox.client("ec2").get_snapshot_block_public_access_state()["State"]
        assert state == "unblocked"


class TestR37Effects:
    def test_R37_either_mode_refuses_making_a_snapshot_public(self, sandbox):
        """Adding group all is refused in both modes; sharing with an account still works."""
        ec2 = sandbox.client("ec2")
        snapshot = own_snapshot(ec2)
        for state in ("block-new-sharing", "block-all-sharing"):
            ec2.enable_snapshot_block_public_access(State=state)
            assert error(make_public, ec2, snapshot)["Code"] == "OperationNotPermitted"
        ec2.modify_snapshot_attribute(
            SnapshotId=snapshot,
            Attribute="createVolumePermission",
            OperationType="add",
            UserIds=[PARTNER],
        )
        permissions = ec2.describe_snapshot_attribute(
            SnapshotId=snapshot, Attribute="createVolumePermission"
        )["CreateVolumePermissions"]
        assert permissions == [{"UserId": PARTNER}]

    def test_R37_block_new_sharing_keeps_public_snapshots_public(self, sandbox):
        """A snapshot already public stays public under block-new-sharing."""
        ec2 = sandbox.client("ec2")
        snapshot = own_snapshot(ec2)
        make_public(ec2, snapshot)
        ec2.enable_snapshot_block_public_access(State="block-new-sharing")
        assert seen_by_partner(sandbox, snapshot)

    def test_R37_block_all_sharing_makes_public_snapshots_private_until_relaxed(self, sandbox):
        """Under block-all-sharing others cannot see or use it; the attribute still lists all."""
        ec2 = sandbox.client("ec2")
        snapshot = own_snapshot(ec2)
        make_public(ec2, snapshot)
        ec2.enable_snapshot_block_public_access(State="block-all-sharing")
        assert not seen_by_partner(sandbox, snapshot)
        partner = sandbox.client("ec2", account="partner")
        refused = error(partner.create_volume, AvailabilityZone=ZONE, SnapshotId=snapshot)
        assert refused["Code"] == "InvalidSnapshot.NotFound"
        permissions = ec2.describe_snapshot_attribute(
            SnapshotId=snapshot, Attribute="createVolumePermission"
        )["CreateVolumePermissions"]
        assert permissions == [{"Group": "all"}]
        ec2.enable_snapshot_block_public_access(State="block-new-sharing")
        assert seen_by_partner(sandbox, snapshot)

    def test_R37_images_are_not_affected(self, sandbox):
        """Snapshot block public access does not stop sharing or launching an AMI."""
        ec2 = sandbox.client("ec2")
        ec2.enable_snapshot_block_public_access(State="block-all-sharing")
        image = make_image(sandbox)
        share(sandbox, image)
        partner = sandbox.client("ec2", account="partner")
        launched = partner.run_instances(ImageId=image, MinCount=1, MaxCount=1)
        assert launched["Instances"][0]["ImageId"] == image

    def test_R37_only_the_owners_setting_counts(self, sandbox):
        """The partner blocking all sharing does not hide the learner's public snapshot."""
        ec2 = sandbox.client("ec2")
        snapshot = own_snapshot(ec2)
        make_public(ec2, snapshot)
        partner = sandbox.client("ec2", account="partner")
        partner.enable_snapshot_block_public_access(State="block-all-sharing")
        assert seen_by_partner(sandbox, snapshot)
