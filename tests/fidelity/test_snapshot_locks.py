"""R41–R43: EBS snapshot lock, governance and compliance modes, on the sandbox clock."""

from __future__ import annotations

from .conftest import error, make_image, snapshot_of
from .test_snapshot_recycle_bin import _snapshot


def _state(ec2, snapshot: str) -> str:
    return ec2.describe_locked_snapshots(SnapshotIds=[snapshot])["Snapshots"][0]["LockState"]


class TestGovernance:
    def test_R41_governance_lock_blocks_deletion_until_unlocked(self, sandbox):
        """R41: a governance lock takes effect at once; unlocking makes the snapshot deletable."""
        ec2 = sandbox.client("ec2")
        snapshot = _snapshot(sandbox)
        answer = ec2.lock_snapshot(SnapshotId=snapshot, LockMode="governance", LockDuration=30)
        assert answer["LockState"] == "governance" and answer["LockDuration"] == 30
        err = error(ec2.delete_snapshot, SnapshotId=snapshot)
        assert err["Code"] == "OperationNotPermitted"
        ec2.unlock_snapshot(SnapshotId=snapshot)
        assert ec2.describe_locked_snapshots(SnapshotIds=[snapshot])["Snapshots"] == []
        ec2.delete_snapshot(SnapshotId=snapshot)

    def test_R41_lock_expires_on_the_sandbox_clock(self, sandbox):
        """R41, R43: after its duration the lock is expired and no longer protects."""
        ec2 = sandbox.client("ec2")
        snapshot = _snapshot(sandbox)
        ec2.lock_snapshot(SnapshotId=snapshot, LockMode="governance", LockDuration=2)
        sandbox.advance_clock(days=2, seconds=1)
        assert _state(ec2, snapshot) == "expired"
        ec2.delete_snapshot(SnapshotId=snapshot)

    def test_R41_duration_or_expiration_date_not_both(self, sandbox):
        """R41: LockDuration or ExpirationDate, one of them; durations up to 36,500 days."""
        ec2 = sandbox.client("ec2")
        snapshot = _snapshot(sandbox)
        err = error(ec2.lock_snapshot, SnapshotId=snapshot, LockMode="governance")
        assert err["Code"] == "InvalidParameterCombination"
        later = sandbox.now().replace(year=2026)
        err = error(
            ec2.lock_snapshot,
            SnapshotId=snapshot,
            LockMode="governance",
            LockDuration=3,
            ExpirationDate=later,
        )
        assert err["Code"] == "InvalidParameterCombination"
        err = error(
            ec2.lock_snapshot, SnapshotId=snapshot, LockMode="governance", LockDuration=36501
        )
        assert err["Code"] == "InvalidParameterValue"
        err = error(
            ec2.lock_snapshot,
            SnapshotId=snapshot,
            LockMode="governance",
            LockDuration=3,
            CoolOffPeriod=2,
        )
        assert err["Code"] == "InvalidParameterCombination"
        locked = ec2.lock_snapshot(SnapshotId=snapshot, LockMode="governance", ExpirationDate=later)
        assert locked["LockExpiresOn"].year == 2026

    def test_R41_only_the_owner_locks(self, sandbox):
        """R41: another account's snapshot is not found."""
        snapshot = _snapshot(sandbox)
        partner = sandbox.client("ec2", account="partner")
        err = error(
            partner.lock_snapshot, SnapshotId=snapshot, LockMode="governance", LockDuration=1
        )
        assert err["Code"] == "InvalidSnapshot.NotFound"


class TestCompliance:
    def test_R42_cooling_off_then_compliance(self, sandbox):
        """R42: during the cooling-off period the lock can be removed; after it, not."""
        ec2 = sandbox.client("ec2")
        snapshot = _snapshot(sandbox)
        answer = ec2.lock_snapshot(
            SnapshotId=snapshot, LockMode="compliance", LockDuration=10, CoolOffPeriod=24
        )
        assert answer["LockState"] == "compliance-cooloff"
        assert "CoolOffPeriodExpiresOn" in answer
        ec2.unlock_snapshot(SnapshotId=snapshot)  # allowed while cooling off
        ec2.lock_snapshot(
            SnapshotId=snapshot, LockMode="compliance", LockDuration=10, CoolOffPeriod=1
        )
        sandbox.advance_clock(seconds=3601)
        assert _state(ec2, snapshot) == "compliance"
        assert error(ec2.unlock_snapshot, SnapshotId=snapshot)["Code"] == "OperationNotPermitted"
        assert error(ec2.delete_snapshot, SnapshotId=snapshot)["Code"] == "OperationNotPermitted"

    def test_R42_compliance_lock_can_only_grow(self, sandbox):
        """R42: in compliance only a longer duration; no governance, no new cooling-off."""
        ec2 = sandbox.client("ec2")
        snapshot = _snapshot(sandbox)
        ec2.lock_snapshot(SnapshotId=snapshot, LockMode="compliance", LockDuration=10)
        assert _state(ec2, snapshot) == "compliance"
        shorter = error(
            ec2.lock_snapshot, SnapshotId=snapshot, LockMode="compliance", LockDuration=5
        )
        assert shorter["Code"] == "OperationNotPermitted"
        governance = error(
            ec2.lock_snapshot, SnapshotId=snapshot, LockMode="governance", LockDuration=50
        )
        assert governance["Code"] == "OperationNotPermitted"
        cool = error(
            ec2.lock_snapshot,
            SnapshotId=snapshot,
            LockMode="compliance",
            LockDuration=50,
            CoolOffPeriod=2,
        )
        assert cool["Code"] == "InvalidParameterCombination"
        longer = ec2.lock_snapshot(SnapshotId=snapshot, LockMode="compliance", LockDuration=50)
        assert longer["LockDuration"] == 50
        listed = ec2.describe_locked_snapshots(
            Filters=[{"Name": "lock-state", "Values": ["compliance"]}]
        )["Snapshots"]
        assert [s["SnapshotId"] for s in listed] == [snapshot]


class TestLocksAndImages:
    def test_R43_image_with_locked_snapshots_can_be_deregistered(self, sandbox):
        """R43: an AMI's snapshots can be locked; the AMI still deregisters; they stay locked."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        snapshot = snapshot_of(ec2, image)
        ec2.lock_snapshot(SnapshotId=snapshot, LockMode="governance", LockDuration=5)
        answer = ec2.deregister_image(ImageId=image, DeleteAssociatedSnapshots=True)
        assert answer["DeleteSnapshotResults"] == [
            {"SnapshotId": snapshot, "ReturnCode": "client-error"}
        ]
        assert _state(ec2, snapshot) == "governance"
        assert error(ec2.delete_snapshot, SnapshotId=snapshot)["Code"] == "OperationNotPermitted"
