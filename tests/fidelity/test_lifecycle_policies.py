"""Data Lifecycle Manager's API (the ``dlm`` service): policies read, listed, tagged, refused."""

from __future__ import annotations

from .conftest import error
from .test_policy_runs import ami_policy


class TestLifecyclePolicyApi:
    def test_policies_are_read_listed_tagged_and_deleted(self, sandbox):
        """GetLifecyclePolicy/GetLifecyclePolicies/tags/DeleteLifecyclePolicy as the API says."""
        dlm = sandbox.client("dlm")
        arguments = ami_policy({"Count": 2})
        arguments["Tags"] = {"team": "platform"}
        policy_id = dlm.create_lifecycle_policy(**arguments)["PolicyId"]
        policy = dlm.get_lifecycle_policy(PolicyId=policy_id)["Policy"]
        assert policy["State"] == "ENABLED"
        assert policy["PolicyDetails"]["PolicyType"] == "IMAGE_MANAGEMENT"
        arn = policy["PolicyArn"]
        listed = dlm.get_lifecycle_policies()["Policies"]
        assert [(p["PolicyId"], p["PolicyType"]) for p in listed] == [
            (policy_id, "IMAGE_MANAGEMENT")
        ]
        dlm.tag_resource(ResourceArn=arn, Tags={"env": "lab"})
        dlm.untag_resource(ResourceArn=arn, TagKeys=["team"])
        assert dlm.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"env": "lab"}
        dlm.delete_lifecycle_policy(PolicyId=policy_id)
        err = error(dlm.get_lifecycle_policy, PolicyId=policy_id)
        assert err["Code"] == "ResourceNotFoundException"
        assert sandbox.client("dlm", account="partner").get_lifecycle_policies()["Policies"] == []

    def test_bad_policies_are_invalid_requests(self, sandbox):
        """A bad interval, a deprecate rule longer than retention, or a snapshot policy."""
        dlm = sandbox.client("dlm")
        bad = ami_policy({"Count": 2})
        bad["PolicyDetails"]["Schedules"][0]["CreateRule"]["Interval"] = 5
        assert error(dlm.create_lifecycle_policy, **bad)["Code"] == "InvalidRequestException"
        longer = ami_policy({"Count": 2}, {"Count": 3})
        assert error(dlm.create_lifecycle_policy, **longer)["Code"] == "InvalidRequestException"
        snapshots = ami_policy({"Count": 2})
        snapshots["PolicyDetails"]["PolicyType"] = "EBS_SNAPSHOT_MANAGEMENT"
        snapshots["PolicyDetails"]["ResourceTypes"] = ["VOLUME"]
        err = error(dlm.create_lifecycle_policy, **snapshots)
        assert err["Code"] == "InvalidRequestException" and "IMAGE_MANAGEMENT" in err["Message"]
        no_details = {k: v for k, v in ami_policy({"Count": 2}).items() if k != "PolicyDetails"}
        err = error(dlm.create_lifecycle_policy, **no_details)
        assert err["Code"] == "InvalidRequestException"

    def test_a_reset_forgets_policies(self, sandbox):
        """After sandbox.reset() no policy is listed and none runs."""
        from .test_policy_runs import dlm_images, tagged_instance

        dlm = sandbox.client("dlm")
        dlm.create_lifecycle_policy(**ami_policy({"Count": 2}))
        sandbox.reset()
        tagged_instance(sandbox)
        sandbox.advance_clock(days=3)
        assert dlm.get_lifecycle_policies()["Policies"] == []
        assert dlm_images(sandbox.client("ec2")) == []
