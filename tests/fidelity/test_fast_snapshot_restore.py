"""R52: fast snapshot restore, per snapshot per Availability Zone, on the sandbox clock."""

from __future__ import annotations

from .conftest import error, give_partner
from .test_snapshot_recycle_bin import _snapshot

ZONES = ["us-east-1a", "us-east-1b"]


def _states(ec2) -> dict[tuple[str, str], str]:
    pairs = ec2.describe_fast_snapshot_restores()["FastSnapshotRestores"]
    return {(p["SnapshotId"], p["AvailabilityZone"]): p["State"] for p in pairs}


class TestFastSnapshotRestore:
    def test_R52_each_pair_moves_enabling_optimizing_enabled(self, sandbox):
        """R52: enabling → optimizing → enabled as the sandbox clock moves, per zone."""
        ec2 = sandbox.client("ec2")
        snapshot = _snapshot(sandbox)
        answer = ec2.enable_fast_snapshot_restores(
            AvailabilityZones=ZONES, SourceSnapshotIds=[snapshot]
        )
        assert [(s["AvailabilityZone"], s["State"]) for s in answer["Successful"]] == [
            ("us-east-1a", "enabling"),
            ("us-east-1b", "enabling"),
        ]
        assert answer["Unsuccessful"] == []
        sandbox.advance_clock(seconds=61)
        assert set(_states(ec2).values()) == {"optimizing"}
        sandbox.advance_clock(seconds=3600)
        assert set(_states(ec2).values()) == {"enabled"}
        pair = ec2.describe_fast_snapshot_restores()["FastSnapshotRestores"][0]
        assert pair["EnablingTime"] < pair["OptimizingTime"] < pair["EnabledTime"]

    def test_R52_disabling_then_disabled(self, sandbox):
        """R52: disabling a pair goes disabling → disabled; the other zone stays enabled."""
        ec2 = sandbox.client("ec2")
        snapshot = _snapshot(sandbox)
        ec2.enable_fast_snapshot_restores(AvailabilityZones=ZONES, SourceSnapshotIds=[snapshot])
        answer = ec2.disable_fast_snapshot_restores(
            AvailabilityZones=["us-east-1a"], SourceSnapshotIds=[snapshot]
        )
        assert answer["Successful"][0]["State"] == "disabling"
        sandbox.advance_clock(seconds=3700)
        assert _states(ec2) == {
            (snapshot, "us-east-1a"): "disabled",
            (snapshot, "us-east-1b"): "enabled",
        }
        filtered = ec2.describe_fast_snapshot_restores(
            Filters=[{"Name": "state", "Values": ["enabled"]}]
        )["FastSnapshotRestores"]
        assert [p["AvailabilityZone"] for p in filtered] == ["us-east-1b"]
        again = ec2.disable_fast_snapshot_restores(
            AvailabilityZones=["us-east-1a"], SourceSnapshotIds=[snapshot]
        )
        assert again["Successful"] == [] and again["Unsuccessful"][0]["SnapshotId"] == snapshot
        ec2.delete_snapshot(SnapshotId=snapshot)
        assert _states(ec2) == {}

    def test_R52_failures_are_items_not_errors(self, sandbox):
        """R52: an unknown snapshot or zone is an Unsuccessful item; the rest succeeds."""
        ec2 = sandbox.client("ec2")
        snapshot = _snapshot(sandbox)
        answer = ec2.enable_fast_snapshot_restores(
            AvailabilityZones=["us-east-1a", "us-east-1z"],
            SourceSnapshotIds=[snapshot, "snap-0123456789abcdef0"],
        )
        assert [s["AvailabilityZone"] for s in answer["Successful"]] == ["us-east-1a"]
        failed = {
            (u["SnapshotId"], e["AvailabilityZone"]): e["Error"]["Code"]
            for u in answer["Unsuccessful"]
            for e in u["FastSnapshotRestoreStateErrors"]
        }
        assert failed == {
            (snapshot, "us-east-1z"): "InvalidParameterValue",
            ("snap-0123456789abcdef0", "us-east-1a"): "InvalidSnapshot.NotFound",
            ("snap-0123456789abcdef0", "us-east-1z"): "InvalidSnapshot.NotFound",
        }

    def test_R52_at_most_five_snapshots_per_region(self, sandbox):
        """R52: a sixth snapshot is refused (as an Unsuccessful item)."""
        ec2 = sandbox.client("ec2")
        snapshots = [_snapshot(sandbox) for _ in range(6)]
        answer = ec2.enable_fast_snapshot_restores(
            AvailabilityZones=["us-east-1a"], SourceSnapshotIds=snapshots
        )
        assert len(answer["Successful"]) == 5
        sixth = answer["Unsuccessful"][0]
        assert sixth["SnapshotId"] == snapshots[5]
        code = sixth["FastSnapshotRestoreStateErrors"][0]["Error"]["Code"]
        assert code == "ResourceLimitExceeded"

    def test_R52_shared_snapshots_and_missing_zones(self, sandbox):
        """R52: a snapshot shared with the caller can be enabled; a zone must be named."""
        ec2, partner = sandbox.client("ec2"), sandbox.client("ec2", account="partner")
        snapshot = _snapshot(sandbox)
        before = partner.enable_fast_snapshot_restores(
            AvailabilityZones=["us-east-1a"], SourceSnapshotIds=[snapshot]
        )
        assert before["Successful"] == []
        give_partner(ec2, snapshot)
        after = partner.enable_fast_snapshot_restores(
            AvailabilityZones=["us-east-1a"], SourceSnapshotIds=[snapshot]
        )
        assert after["Successful"][0]["OwnerId"] == sandbox.account_id("learner")
        assert _states(ec2) == {}
        err = error(ec2.enable_fast_snapshot_restores, SourceSnapshotIds=[snapshot])
        assert err["Code"] == "MissingParameter"
