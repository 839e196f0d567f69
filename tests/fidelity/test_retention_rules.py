"""R39: Recycle Bin retention rules (the ``rbin`` service): which rule wins, locks, tags."""

from __future__ import annotations

from .conftest import error

DAYS = "DAYS"


def _period(days: int) -> dict:
    return {"RetentionPeriodValue": days, "RetentionPeriodUnit": DAYS}


def _delay(days: int = 7) -> dict:
    return {"UnlockDelay": {"UnlockDelayValue": days, "UnlockDelayUnit": DAYS}}


class TestWhichRuleWins:
    def test_R39_tag_level_rule_wins_over_region_level(self, sandbox):
        """R39: a tag-level rule keeps a tagged snapshot for its period, even if a Region-level
        rule is longer."""
        from moto.ec2.models import ec2_backends

        from labkit.fidelity.retention_rules import matching_rule

        rbin = sandbox.client("rbin")
        rbin.create_rule(ResourceType="EBS_SNAPSHOT", RetentionPeriod=_period(90))
        tagged = rbin.create_rule(
            ResourceType="EBS_SNAPSHOT",
            RetentionPeriod=_period(3),
            ResourceTags=[{"ResourceTagKey": "env", "ResourceTagValue": "prod"}],
        )
        rbin.create_rule(
            ResourceType="EBS_SNAPSHOT",
            RetentionPeriod=_period(10),
            ResourceTags=[{"ResourceTagKey": "team"}],
        )
        backend = ec2_backends[sandbox.account_id()]["us-east-1"]
        assert matching_rule(backend, "EBS_SNAPSHOT", {"env": "prod"}) is not None
        assert (
            matching_rule(backend, "EBS_SNAPSHOT", {"env": "prod"})["Identifier"]
            == (tagged["Identifier"])
        )
        longest_tag_rule = matching_rule(backend, "EBS_SNAPSHOT", {"env": "prod", "team": "a"})
        assert longest_tag_rule["RetentionPeriod"]["RetentionPeriodValue"] == 10
        untagged = matching_rule(backend, "EBS_SNAPSHOT", {})
        assert untagged["RetentionPeriod"]["RetentionPeriodValue"] == 90
        assert matching_rule(backend, "EC2_IMAGE", {}) is None

    def test_R39_exclusion_tags_leave_a_resource_out(self, sandbox):
        """R39: a Region-level rule does not keep what carries one of its exclusion tags."""
        from moto.ec2.models import ec2_backends

        from labkit.fidelity.retention_rules import matching_rule

        sandbox.client("rbin").create_rule(
            ResourceType="EBS_SNAPSHOT",
            RetentionPeriod=_period(7),
            ExcludeResourceTags=[{"ResourceTagKey": "scratch", "ResourceTagValue": "yes"}],
        )
        backend = ec2_backends[sandbox.account_id()]["us-east-1"]
        assert matching_rule(backend, "EBS_SNAPSHOT", {"scratch": "yes"}) is None
        assert matching_rule(backend, "EBS_SNAPSHOT", {"scratch": "no"}) is not None


class TestLockedRules:
    def test_R39_locked_rule_cannot_change_until_its_unlock_delay_ends(self, sandbox):
        """R39 (recycle-bin-lock): locked and pending_unlock rules refuse changes; after the
        delay on the sandbox clock the rule is unlocked."""
        rbin = sandbox.client("rbin")
        rule = rbin.create_rule(ResourceType="EBS_SNAPSHOT", RetentionPeriod=_period(7))
        identifier = rule["Identifier"]
        locked = rbin.lock_rule(Identifier=identifier, LockConfiguration=_delay(7))
        assert locked["LockState"] == "locked"
        err = error(rbin.delete_rule, Identifier=identifier)
        assert err["Code"] == "ConflictException"
        err = error(rbin.update_rule, Identifier=identifier, RetentionPeriod=_period(30))
        assert err["Code"] == "ConflictException"
        unlocking = rbin.unlock_rule(Identifier=identifier)
        assert unlocking["LockState"] == "pending_unlock"
        assert "LockEndTime" in unlocking
        sandbox.advance_clock(days=6)
        assert error(rbin.delete_rule, Identifier=identifier)["Code"] == "ConflictException"
        sandbox.advance_clock(days=1, seconds=60)
        assert rbin.get_rule(Identifier=identifier)["LockState"] == "unlocked"
        rbin.update_rule(Identifier=identifier, RetentionPeriod=_period(30))
        rbin.delete_rule(Identifier=identifier)

    def test_R39_relock_during_the_delay_and_lock_at_creation(self, sandbox):
        """R39: a rule can be locked again during its delay, and created locked."""
        rbin = sandbox.client("rbin")
        rule = rbin.create_rule(
            ResourceType="EC2_IMAGE", RetentionPeriod=_period(7), LockConfiguration=_delay(10)
        )
        assert rule["LockState"] == "locked"
        rbin.unlock_rule(Identifier=rule["Identifier"])
        again = rbin.lock_rule(Identifier=rule["Identifier"], LockConfiguration=_delay(10))
        assert again["LockState"] == "locked"
        listed = rbin.list_rules(ResourceType="EC2_IMAGE", LockState="locked")["Rules"]
        assert [r["Identifier"] for r in listed] == [rule["Identifier"]]

    def test_R39_bad_locks_are_refused(self, sandbox):
        """R39: tag-level rules cannot be locked; the unlock delay is 7–30 days and fixed."""
        rbin = sandbox.client("rbin")
        tagged = rbin.create_rule(
            ResourceType="EBS_SNAPSHOT",
            RetentionPeriod=_period(7),
            ResourceTags=[{"ResourceTagKey": "env", "ResourceTagValue": "prod"}],
        )
        err = error(rbin.lock_rule, Identifier=tagged["Identifier"], LockConfiguration=_delay())
        assert err["Code"] == "ValidationException"
        rule = rbin.create_rule(ResourceType="EBS_SNAPSHOT", RetentionPeriod=_period(7))
        err = error(rbin.lock_rule, Identifier=rule["Identifier"], LockConfiguration=_delay(31))
        assert err["Code"] == "ValidationException"
        rbin.lock_rule(Identifier=rule["Identifier"], LockConfiguration=_delay(7))
        err = error(rbin.lock_rule, Identifier=rule["Identifier"], LockConfiguration=_delay(20))
        assert err["Code"] == "ValidationException"


class TestRuleTags:
    def test_R39_rule_tags_are_listed_added_and_removed(self, sandbox):
        """R39: TagResource, UntagResource and ListTagsForResource work on a rule's ARN."""
        rbin = sandbox.client("rbin")
        rule = rbin.create_rule(
            ResourceType="EBS_SNAPSHOT",
            RetentionPeriod=_period(7),
            Tags=[{"Key": "owner", "Value": "lab"}],
        )
        arn = rule["RuleArn"]
        rbin.tag_resource(ResourceArn=arn, Tags=[{"Key": "team", "Value": "ops"}])
        rbin.untag_resource(ResourceArn=arn, TagKeys=["owner"])
        assert rbin.list_tags_for_resource(ResourceArn=arn)["Tags"] == [
            {"Key": "team", "Value": "ops"}
        ]
        err = error(rbin.list_tags_for_resource, ResourceArn=arn + "x")
        assert err["Code"] == "ResourceNotFoundException"
