"""Data Lifecycle Manager: an EBS-backed AMI policy at work on the sandbox clock."""

from __future__ import annotations

import datetime as dt

from .conftest import LEARNER, base, launch

ROLE = f"arn:aws:iam::{LEARNER}:role/AWSDataLifecycleManagerDefaultRoleForAMIManagement"


def ami_policy(retain: dict, deprecate: dict | None = None, **schedule: object) -> dict:
    """CreateLifecyclePolicy arguments: daily AMIs at 10:00 UTC of instances tagged backup=daily."""
    rule = {
        "Name": "daily",
        "CreateRule": {"Interval": 24, "IntervalUnit": "HOURS", "Times": ["10:00"]},
        "RetainRule": retain,
        **schedule,
    }
    if deprecate:
        rule["DeprecateRule"] = deprecate
    return {
        "ExecutionRoleArn": ROLE,
        "Description": "daily AMIs",
        "State": "ENABLED",
        "PolicyDetails": {
            "PolicyType": "IMAGE_MANAGEMENT",
            "ResourceTypes": ["INSTANCE"],
            "TargetTags": [{"Key": "backup", "Value": "daily"}],
            "Schedules": [rule],
        },
    }


def tagged_instance(sandbox, value: str = "daily") -> str:
    ec2 = sandbox.client("ec2")
    instance = launch(ec2, base(sandbox))["InstanceId"]
    ec2.create_tags(Resources=[instance], Tags=[{"Key": "backup", "Value": value}])
    return instance


def dlm_images(ec2) -> list[dict]:
    found = ec2.describe_images(
        Owners=["self"], Filters=[{"Name": "tag:dlm:managed", "Values": ["true"]}]
    )["Images"]
    return sorted(found, key=lambda i: i["CreationDate"])


class TestAmiPolicyOnTheClock:
    def test_a_month_of_daily_amis_keeps_the_newest_seven(self, sandbox):
        """A daily policy that retains 7: after 30 days, 7 AMIs of the tagged instance only,
        one per day at 10:00, each tagged for the policy; older ones deregistered."""
        ec2, dlm = sandbox.client("ec2"), sandbox.client("dlm")
        instance = tagged_instance(sandbox)
        tagged_instance(sandbox, value="never")
        policy = dlm.create_lifecycle_policy(**ami_policy({"Count": 7}))["PolicyId"]
        assert dlm_images(ec2) == []
        sandbox.advance_clock(days=30)
        images = dlm_images(ec2)
        assert len(images) == 7
        assert {i["SourceInstanceId"] for i in images} == {instance}
        dates = [
            dt.datetime.fromisoformat(i["CreationDate"].replace("Z", "+00:00")) for i in images
        ]
        assert all(d.hour == 10 and d.minute == 0 for d in dates)
        assert [(b - a).days for a, b in zip(dates, dates[1:], strict=False)] == [1] * 6
        tags = {t["Key"]: t["Value"] for t in images[0]["Tags"]}
        assert tags["aws:dlm:lifecycle-policy-id"] == policy
        assert tags["aws:dlm:lifecycle-schedule-name"] == "daily"

    def test_days_one_by_one_give_the_same_picture(self, sandbox):
        """Advancing a day at a time: one new AMI per day until the retain count, then steady."""
        ec2, dlm = sandbox.client("ec2"), sandbox.client("dlm")
        tagged_instance(sandbox)
        dlm.create_lifecycle_policy(**ami_policy({"Count": 3}))
        counts = []
        for _ in range(5):
            sandbox.advance_clock(days=1)
            counts.append(len(dlm_images(ec2)))
        assert counts == [1, 2, 3, 3, 3]
        owned = ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]
        dlm_snapshots = [s for s in owned if "Created by CreateImage" in s.get("Description", "")]
        assert len(dlm_snapshots) == 3  # deregistered AMIs' snapshots were deleted

    def test_age_based_retention_and_deprecation(self, sandbox):
        """Keep AMIs 10 days, deprecate them after 5: older than 5 days carry DeprecationTime."""
        ec2, dlm = sandbox.client("ec2"), sandbox.client("dlm")
        tagged_instance(sandbox)
        dlm.create_lifecycle_policy(
            **ami_policy(
                {"Interval": 10, "IntervalUnit": "DAYS"}, {"Interval": 5, "IntervalUnit": "DAYS"}
            )
        )
        sandbox.advance_clock(days=20)
        images = ec2.describe_images(Owners=["self"], IncludeDeprecated=True)["Images"]
        assert len(images) == 10
        assert all("DeprecationTime" in i for i in images)
        now = sandbox.now()
        deprecated = [
            i
            for i in images
            if dt.datetime.fromisoformat(i["DeprecationTime"].replace("Z", "+00:00")) <= now
        ]
        assert len(deprecated) == 5

    def test_a_disabled_policy_does_nothing_until_enabled(self, sandbox):
        """A DISABLED policy makes no AMIs; enabled again, it starts from then."""
        ec2, dlm = sandbox.client("ec2"), sandbox.client("dlm")
        tagged_instance(sandbox)
        arguments = ami_policy({"Count": 5})
        arguments["State"] = "DISABLED"
        policy = dlm.create_lifecycle_policy(**arguments)["PolicyId"]
        sandbox.advance_clock(days=3)
        assert dlm_images(ec2) == []
        dlm.update_lifecycle_policy(PolicyId=policy, State="ENABLED")
        sandbox.advance_clock(days=2)
        assert len(dlm_images(ec2)) == 2


class TestTargets:
    def test_an_instance_tagged_later_is_imaged_from_then_on(self, sandbox):
        """Runs before the instance was tagged made nothing of it; later runs do."""
        ec2, dlm = sandbox.client("ec2"), sandbox.client("dlm")
        dlm.create_lifecycle_policy(**ami_policy({"Count": 5}))
        sandbox.advance_clock(days=2)
        tagged_instance(sandbox)
        sandbox.advance_clock(days=2)
        assert len(dlm_images(ec2)) == 2


class TestPoliciesAndTheRestOfTheSandbox:
    def test_retired_amis_go_to_the_recycle_bin_and_protected_ones_stay(self, sandbox):
        """Retention deregisters through the sandbox's DeregisterImage, at the run's time: an
        EC2_IMAGE retention rule keeps the retired AMI restorable, a protected AMI stays."""
        ec2, dlm = sandbox.client("ec2"), sandbox.client("dlm")
        sandbox.client("rbin").create_rule(
            ResourceType="EC2_IMAGE",
            RetentionPeriod={"RetentionPeriodValue": 30, "RetentionPeriodUnit": "DAYS"},
        )
        tagged_instance(sandbox)
        dlm.create_lifecycle_policy(**ami_policy({"Count": 2}))
        sandbox.advance_clock(days=1)
        first = dlm_images(ec2)[0]["ImageId"]
        ec2.enable_image_deregistration_protection(ImageId=first)
        sandbox.advance_clock(days=3)  # runs on 4, 5 and 6 March at 10:00 (the first: 3 March)
        kept = dlm_images(ec2)
        assert kept[0]["ImageId"] == first and len(kept) == 3  # the protected one stays
        binned = ec2.list_images_in_recycle_bin()["Images"]
        assert [i["Name"][-16:] for i in binned] == ["2025-03-04T10-00"]
        entered = binned[0]["RecycleBinEnterTime"].astimezone(dt.timezone.utc)
        assert entered == dt.datetime(2025, 3, 6, 10, tzinfo=dt.timezone.utc)  # retired then
