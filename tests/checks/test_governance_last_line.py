"""Lesson 09's last line against a deletion (9.8–9.9): Recycle Bin rules for images and their
snapshots, and the compliance lock on the audit evidence. The reference answers pass, typical
wrong states fail with their message, and a ❌'s tip points without giving the call."""

from __future__ import annotations

import re

from check_helpers import fails, passes

from labkit.checks import get_exercise

LESSON = "09-governance"
BIN = "governance-bin-images"
LOCK = "governance-lock-evidence"
#: A call written out in a tip: a name followed by "(".
CALL = re.compile(r"[A-Za-z_]\w*\(")


def rule(lab, resource_type, days, **extra):
    return lab.client("rbin").create_rule(
        ResourceType=resource_type,
        RetentionPeriod={"RetentionPeriodValue": days, "RetentionPeriodUnit": "DAYS"},
        **extra,
    )["Identifier"]


class TestBinImages:
    def test_reference_answer_passes(self, lab):
        """Region-level rules: images 30 days, snapshots 30 days."""
        rule(lab, "EC2_IMAGE", 30)
        rule(lab, "EBS_SNAPSHOT", 30)
        assert passes(BIN, lab.sandbox).message == (
            "an image deregistered in us-east-1 stays restorable in the Recycle Bin for 30 "
            "days, and its snapshots at least as long: restored, it can launch."
        )

    def test_the_lesson_snapshot_rule_updated_passes(self, lab):
        """The worked 14-day snapshot rule made 30 days long serves as well as a new one."""
        snapshots = rule(lab, "EBS_SNAPSHOT", 14)
        rule(lab, "EC2_IMAGE", 30)
        lab.client("rbin").update_rule(
            Identifier=snapshots,
            RetentionPeriod={"RetentionPeriodValue": 30, "RetentionPeriodUnit": "DAYS"},
        )
        passes(BIN, lab.sandbox)

    def test_nothing_done(self, lab):
        result = fails(BIN, lab.sandbox)
        assert result.message == (
            "an image deregistered in us-east-1 is gone at once: no retention rule there keeps "
            "images"
        )
        assert not CALL.search(result.hint)

    def test_snapshots_only(self, lab):
        """The worked example's rule alone keeps snapshots, not images."""
        rule(lab, "EBS_SNAPSHOT", 14)
        assert "no retention rule there keeps images" in fails(BIN, lab.sandbox).message

    def test_too_short(self, lab):
        rule(lab, "EC2_IMAGE", 7)
        rule(lab, "EBS_SNAPSHOT", 30)
        assert fails(BIN, lab.sandbox).message == (
            "a deregistered image in us-east-1 stays in the Recycle Bin 7 days, not 30"
        )

    def test_snapshots_shorter_than_images(self, lab):
        """Images 30 days, snapshots the worked example's 14: restored late, nothing to launch."""
        rule(lab, "EBS_SNAPSHOT", 14)
        rule(lab, "EC2_IMAGE", 30)
        result = fails(BIN, lab.sandbox)
        assert result.message == (
            "deregistered images stay 30 days in the Recycle Bin, but their snapshots only 14: "
            "an image restored after day 14 has nothing left to launch from"
        )
        assert not CALL.search(result.hint)

    def test_snapshots_not_kept_at_all(self, lab):
        rule(lab, "EC2_IMAGE", 30)
        assert fails(BIN, lab.sandbox).message == (
            "deregistered images stay 30 days in the Recycle Bin, but their snapshots not at "
            "all: a restored image would have nothing to launch from"
        )

    def test_tag_level_rule_misses_untagged_images(self, lab):
        """A rule for images tagged AmiBackup=daily leaves every other image out."""
        tags = [{"ResourceTagKey": "AmiBackup", "ResourceTagValue": "daily"}]
        rule(lab, "EC2_IMAGE", 30, ResourceTags=tags)
        rule(lab, "EBS_SNAPSHOT", 30)
        assert "no retention rule there keeps images" in fails(BIN, lab.sandbox).message

    def test_an_image_excluded(self, lab):
        """A Region-level rule that excludes a tag the learner's images carry leaves them out."""
        ec2 = lab.client("ec2")
        ec2.create_tags(Resources=[lab.ids["legacy_image"]], Tags=[{"Key": "Keep", "Value": "no"}])
        excluded = [{"ResourceTagKey": "Keep", "ResourceTagValue": "no"}]
        rule(lab, "EC2_IMAGE", 30, ExcludeResourceTags=excluded)
        rule(lab, "EBS_SNAPSHOT", 30)
        result = fails(BIN, lab.sandbox)
        assert result.message == (
            f"legacy-app-v1 ({lab.ids['legacy_image']}), tagged Keep=no, would not stay 30 days "
            "in the Recycle Bin: a rule leaves it out"
        )

    def test_the_ladder_ends_with_the_call(self):
        hints = get_exercise(BIN).hints
        assert CALL.search(hints[-1])
        assert not any("EC2_IMAGE" in hint and "create_rule(" in hint for hint in hints[:-1])


def lock(lab, **params):
    lab.client("ec2").lock_snapshot(SnapshotId=lab.ids["audit_snapshot"], **params)


class TestLockEvidence:
    def test_reference_answer_passes(self, lab):
        """Compliance until 1 April 2026, with a day to cool off."""
        lock(lab, LockMode="compliance", ExpirationDate="2026-04-01T00:00:00Z", CoolOffPeriod=24)
        assert passes(LOCK, lab.sandbox).message == (
            f"audit-2024-evidence ({lab.ids['audit_snapshot']}) is locked in compliance mode "
            "until 2026-04-01: nobody, you included, can delete it before then."
        )

    def test_compliance_by_duration_passes(self, lab):
        """A duration in days that reaches the date works too (3 March 2025 + 394 days)."""
        lock(lab, LockMode="compliance", LockDuration=394)
        passes(LOCK, lab.sandbox)

    def test_not_locked(self, lab):
        snapshot = lab.ids["audit_snapshot"]
        assert fails(LOCK, lab.sandbox).message == (
            f"audit-2024-evidence ({snapshot}) is not locked: anyone allowed to delete "
            "snapshots can delete it"
        )

    def test_governance_mode(self, lab):
        """Governance can be lifted by whoever may unlock."""
        lock(lab, LockMode="governance", ExpirationDate="2026-04-01T00:00:00Z")
        snapshot = lab.ids["audit_snapshot"]
        assert fails(LOCK, lab.sandbox).message == (
            f"audit-2024-evidence ({snapshot}) is locked in governance mode: anyone allowed to "
            "unlock snapshots can unlock it and delete it"
        )

    def test_too_short(self, lab):
        lock(lab, LockMode="compliance", LockDuration=365)
        snapshot = lab.ids["audit_snapshot"]
        assert fails(LOCK, lab.sandbox).message == (
            f"audit-2024-evidence ({snapshot}) is locked only until 2026-03-03 09:00 UTC, before "
            "2026-04-01"
        )

    def test_far_too_long(self, lab):
        """A century of compliance cannot be undone: over-broad, and named."""
        lock(lab, LockMode="compliance", LockDuration=36500)
        snapshot = lab.ids["audit_snapshot"]
        assert fails(LOCK, lab.sandbox).message == (
            f"audit-2024-evidence ({snapshot}) is locked until 2125-02-07, long after 2026-04-01: "
            "a compliance lock cannot be shortened, and you pay for the snapshot all that time"
        )

    def test_lock_expired(self, lab):
        """A year and a half later a lock that was long enough has expired (the check reads the
        clock)."""
        lock(lab, LockMode="compliance", ExpirationDate="2026-04-01T00:00:00Z")
        lab.advance_clock(days=400)
        snapshot = lab.ids["audit_snapshot"]
        result = fails(LOCK, lab.sandbox)
        assert result.message == (
            f"audit-2024-evidence ({snapshot}) is no longer locked, and the sandbox's clock "
            "already reads 2026-04-07, past 2026-04-01: the clock was advanced beyond the date "
            "the auditors needed"
        )
        assert not CALL.search(result.hint)

    def test_clock_advanced_too_far_before_locking(self, lab):
        """The clock moved past the date first (a month of DLM runs, far too many times over):
        the ❌ says that the date is gone, not only "not locked"."""
        lab.advance_clock(days=400)
        snapshot = lab.ids["audit_snapshot"]
        result = fails(LOCK, lab.sandbox)
        assert result.message.startswith(
            f"audit-2024-evidence ({snapshot}) is not locked, and the sandbox's clock already "
            "reads 2026-04-07, past 2026-04-01"
        )
        assert "lab.reset" in result.hint

    def test_lock_expired_before_the_date(self, lab):
        """A lock that ran out before the date still says only that it expired."""
        lock(lab, LockMode="compliance", LockDuration=30)
        lab.advance_clock(days=40)
        snapshot = lab.ids["audit_snapshot"]
        assert fails(LOCK, lab.sandbox).message == (
            f"audit-2024-evidence ({snapshot}) is no longer locked (its lock has expired): "
            "anyone allowed to delete snapshots can delete it"
        )

    def test_deleted_before_it_was_locked(self, lab):
        """Deleted under the lesson's snapshot rule: the check says it waits in the bin."""
        rule(lab, "EBS_SNAPSHOT", 14)
        snapshot = lab.ids["audit_snapshot"]
        lab.client("ec2").delete_snapshot(SnapshotId=snapshot)
        result = fails(LOCK, lab.sandbox)
        assert result.message == (
            f"the audit evidence audit-2024-evidence ({snapshot}) was deleted before anyone "
            "locked it: it waits in the Recycle Bin, and had to survive until 2026-04-01"
        )
        assert not CALL.search(result.hint)

    def test_the_solution_restores_it_first(self, lab):
        """lab.hint's solution works from that state too: it restores, then locks."""
        rule(lab, "EBS_SNAPSHOT", 14)
        lab.client("ec2").delete_snapshot(SnapshotId=lab.ids["audit_snapshot"])
        exec(get_exercise(LOCK).solution, {"lab": lab, "ec2": lab.client("ec2")})
        passes(LOCK, lab.sandbox)
