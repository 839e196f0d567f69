"""Lesson 09's checks of images over time (9.5–9.7): the reports fleet's lifecycle policy, the
CI images traced back to where they came from, and fast snapshot restore moved to the fleet's
zones. The reference answers pass, typical wrong states fail with their message, and a ❌'s tip
points without giving the call."""

from __future__ import annotations

import re

from check_helpers import fails, passes

from labkit.checks import get_exercise

LESSON = "09-governance"
POLICY = "governance-lifecycle-policy"
ORIGIN = "governance-trace-origin"
FAST = "governance-fast-restore"
ROLE = "arn:aws:iam::111111111111:role/AWSDataLifecycleManagerDefaultRoleForAMIManagement"
TRUSTED, SUSPECT = "ci-runner-2024-06", "ci-runner-2024-09"
#: A call written out in a tip: a name followed by "(".
CALL = re.compile(r"[A-Za-z_]\w*\(")


def policy(lab, *, tags=None, every=12, retain=None, deprecate=None, state="ENABLED"):
    schedule = {
        "Name": "twice-daily",
        "CreateRule": {"Interval": every, "IntervalUnit": "HOURS"},
        "RetainRule": retain or {"Interval": 14, "IntervalUnit": "DAYS"},
    }
    if deprecate is not False:
        schedule["DeprecateRule"] = deprecate or {"Interval": 7, "IntervalUnit": "DAYS"}
    return lab.client("dlm").create_lifecycle_policy(
        ExecutionRoleArn=ROLE,
        Description="reports every 12 hours",
        State=state,
        PolicyDetails={
            "PolicyType": "IMAGE_MANAGEMENT",
            "ResourceTypes": ["INSTANCE"],
            "TargetTags": tags or [{"Key": "AmiBackup", "Value": "reports"}],
            "Schedules": [schedule],
        },
    )["PolicyId"]


class TestLifecyclePolicy:
    def test_reference_answer_passes(self, lab):
        """12 hours, deprecate at 7 days, retire at 14, for the reports fleet alone."""
        found = policy(lab)
        assert passes(POLICY, lab.sandbox, policy_id=found).message == (
            f"{found} images the reports fleet ({lab.ids['reports_1']}) every 12 hours, "
            "deprecates each image at 7 days and retires it, snapshots and all, at 14."
        )

    def test_weeks_are_days_too(self, lab):
        """Two weeks and one week are 14 and 7 days."""
        found = policy(
            lab,
            retain={"Interval": 2, "IntervalUnit": "WEEKS"},
            deprecate={"Interval": 1, "IntervalUnit": "WEEKS"},
        )
        passes(POLICY, lab.sandbox, policy_id=found)

    def test_still_passes_a_month_later(self, lab):
        """The check judges the policy, not the clock: a month of runs changes nothing."""
        found = policy(lab)
        lab.advance_clock(days=30)
        passes(POLICY, lab.sandbox, policy_id=found)

    def test_every_fleet_targeted(self, lab):
        """Targeting the web fleet's tag too images instances that are not the reports fleet."""
        tags = [
            {"Key": "AmiBackup", "Value": "reports"},
            {"Key": "AmiBackup", "Value": "daily"},
        ]
        found = policy(lab, tags=tags)
        web = ", ".join(sorted([lab.ids["web_1"], lab.ids["web_2"]]))
        assert fails(POLICY, lab.sandbox, policy_id=found).message == (
            f"{found} also images {web}, which are not the reports fleet: their images would "
            "pile up under this policy's rules"
        )

    def test_wrong_tag(self, lab):
        """The web fleet's tag misses the reports fleet."""
        found = policy(lab, tags=[{"Key": "AmiBackup", "Value": "daily"}])
        assert fails(POLICY, lab.sandbox, policy_id=found).message == (
            f"{found} does not reach the reports fleet ({lab.ids['reports_1']}): no instance of "
            "it carries one of the policy's target tags"
        )

    def test_count_instead_of_age(self, lab):
        """Keeping a count of images is the other kind of rule."""
        found = policy(lab, retain={"Count": 28}, deprecate={"Count": 14})
        assert fails(POLICY, lab.sandbox, policy_id=found).message == (
            f"{found} keeps the newest 28 images, a count: the exercise keeps images by their age"
        )

    def test_never_deprecates(self, lab):
        found = policy(lab, deprecate=False)
        assert fails(POLICY, lab.sandbox, policy_id=found).message == (
            f"{found} never deprecates: for 14 days every image looks current to whoever searches"
        )

    def test_disabled(self, lab):
        found = policy(lab, state="DISABLED")
        assert fails(POLICY, lab.sandbox, policy_id=found).message == (
            f"{found} is DISABLED: a policy that is not enabled makes nothing"
        )

    def test_daily(self, lab):
        found = policy(lab, every=24)
        assert fails(POLICY, lab.sandbox, policy_id=found).message == (
            f"{found} makes an image every 24 hours, not every 12"
        )

    def test_the_instance_by_its_name(self, lab):
        """Name=reports-1 reaches today's fleet only: the fleet's own tag is wanted."""
        found = policy(lab, tags=[{"Key": "Name", "Value": "reports-1"}])
        result = fails(POLICY, lab.sandbox, policy_id=found)
        assert result.message == (
            f"{found} finds the reports fleet by Name=reports-1, a tag of its instance, not the "
            "fleet's: an instance that joins the fleet tomorrow would never be imaged"
        )
        assert not CALL.search(result.hint)

    def test_an_earlier_try_still_enabled(self, lab):
        """A first, wrong policy left enabled beside the right one images the fleet twice."""
        first = policy(lab, retain={"Count": 28}, deprecate={"Count": 14})
        found = policy(lab)
        result = fails(POLICY, lab.sandbox, policy_id=found)
        assert result.message == (
            f"{found} is right, but {first}, also enabled, images the reports fleet too: each "
            "instance would get images from both (a policy you tried before keeps running until "
            "it is deleted)"
        )
        assert not CALL.search(result.hint)
        lab.client("dlm").delete_lifecycle_policy(PolicyId=first)
        passes(POLICY, lab.sandbox, policy_id=found)

    def test_the_web_fleets_policy_beside_it_is_fine(self, lab):
        """The lesson's own policy for the web fleet reaches no reports instance."""
        policy(lab, tags=[{"Key": "AmiBackup", "Value": "daily"}], every=24)
        passes(POLICY, lab.sandbox, policy_id=policy(lab))

    def test_not_an_id(self, lab):
        assert fails(POLICY, lab.sandbox, policy_id={"PolicyId": "x"}).message == (
            "expected a policy ID, a string starting with 'policy-', but found {'PolicyId': 'x'}"
        )


def ci_images(lab):
    """The CI images in us-west-2, by name: their IDs."""
    west = lab.client("ec2", region="us-west-2")
    named = [{"Name": "name", "Values": [TRUSTED, SUSPECT]}]
    return {i["Name"]: i["ImageId"] for i in west.describe_images(Filters=named)["Images"]}


def chain(lab, image_id):
    west = lab.client("ec2", region="us-west-2")
    return [e["ImageId"] for e in west.get_image_ancestry(ImageId=image_id)["ImageAncestryEntries"]]


def deregister(lab, name):
    lab.client("ec2", region="us-west-2").deregister_image(ImageId=ci_images(lab)[name])


def tag_origin(lab, value, name=TRUSTED):
    lab.client("ec2", region="us-west-2").create_tags(
        Resources=[ci_images(lab)[name]], Tags=[{"Key": "Origin", "Value": value}]
    )


class TestTraceOrigin:
    def test_the_scenario_chains(self, lab):
        """The trusted image starts at Amazon's Amazon Linux, the suspect at the look-alike."""
        images = ci_images(lab)
        assert chain(lab, images[TRUSTED])[-1] == lab.ids["base_image"]
        assert chain(lab, images[SUSPECT])[-1] == lab.ids["lookalike_image"]

    def test_reference_answer_passes(self, lab):
        """The suspect deregistered; the other tagged with Amazon's image, its root."""
        trusted = ci_images(lab)[TRUSTED]
        deregister(lab, SUSPECT)
        tag_origin(lab, lab.ids["base_image"])
        assert passes(ORIGIN, lab.sandbox).message == (
            f"{SUSPECT} is gone from us-west-2, and {TRUSTED} ({trusted}) says where it comes "
            f"from: Origin={lab.ids['base_image']}, Amazon's image at the start of its chain."
        )

    def test_nothing_done(self, lab):
        """Before anything is done, the ❌ does not say which image is the stranger's: finding
        that out is the exercise."""
        result = fails(ORIGIN, lab.sandbox)
        assert result.message == (
            "both CI images are still registered in us-west-2, and neither carries an Origin "
            "tag: one of them descends from an image you would never launch"
        )
        assert SUSPECT not in result.message and TRUSTED not in result.message
        assert lab.ids["lookalike_image"] not in result.message
        assert not CALL.search(result.hint)

    def test_the_wrong_one_tagged(self, lab):
        """Once the learner has chosen, the ❌ names the image from a stranger's still there."""
        suspect = ci_images(lab)[SUSPECT]
        tag_origin(lab, lab.ids["lookalike_image"], name=SUSPECT)
        assert fails(ORIGIN, lab.sandbox).message == (
            f"{SUSPECT} ({suspect}) is still registered in us-west-2, and its chain starts at "
            f"{lab.ids['lookalike_image']}, an image no verified provider publishes: whatever "
            "runs from it runs a stranger's software"
        )

    def test_the_wrong_one_deregistered(self, lab):
        """Deregistering the image made from Amazon Linux leaves the suspect running."""
        deregister(lab, TRUSTED)
        assert "is still registered" in fails(ORIGIN, lab.sandbox).message

    def test_both_deregistered(self, lab):
        deregister(lab, SUSPECT)
        deregister(lab, TRUSTED)
        result = fails(ORIGIN, lab.sandbox)
        assert result.message == (
            f"{TRUSTED} is gone from us-west-2, but its chain starts at Amazon's own image: it "
            "was the one to keep"
        )
        assert not CALL.search(result.hint)

    def test_a_new_copy_brings_it_back(self, lab):
        """The tip after both are gone works: a new copy of the parent, same name, passes."""
        parent = chain(lab, ci_images(lab)[TRUSTED])[1]
        deregister(lab, SUSPECT)
        deregister(lab, TRUSTED)
        lab.client("ec2", region="us-west-2").copy_image(
            SourceImageId=parent, SourceRegion="us-east-1", Name=TRUSTED
        )
        tag_origin(lab, lab.ids["base_image"])
        passes(ORIGIN, lab.sandbox)

    def test_untagged(self, lab):
        deregister(lab, SUSPECT)
        trusted = ci_images(lab)[TRUSTED]
        result = fails(ORIGIN, lab.sandbox)
        assert result.message == (
            f"{TRUSTED} ({trusted}) carries no Origin tag: the next person to wonder will have "
            "to trace it again"
        )

    def test_tagged_with_its_parent(self, lab):
        """The parent (the image in us-east-1 it was copied from) is not where the chain starts."""
        parent = chain(lab, ci_images(lab)[TRUSTED])[1]
        deregister(lab, SUSPECT)
        tag_origin(lab, parent)
        result = fails(ORIGIN, lab.sandbox)
        assert result.message == (
            f"{TRUSTED}'s Origin tag says {parent}, which is not the image its chain starts from"
        )
        assert not CALL.search(result.hint)

    def test_the_ladder_ends_with_the_call(self):
        hints = get_exercise(ORIGIN).hints
        assert CALL.search(hints[-1])
        assert not any("ImageOwnerAlias') ==" in hint for hint in hints[:-1])


def web_v2_snapshot(lab):
    image = lab.client("ec2").describe_images(ImageIds=[lab.ids["web_v2"]])["Images"][0]
    return image["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]


def fast(lab, verb, *zones, snapshot=None):
    call = getattr(lab.client("ec2"), f"{verb}_fast_snapshot_restores")
    call(AvailabilityZones=list(zones), SourceSnapshotIds=[snapshot or web_v2_snapshot(lab)])


def lesson_state(lab):
    """What the lesson's worked cell leaves: on in us-east-1a, ten minutes on."""
    fast(lab, "enable", "us-east-1a")
    lab.advance_clock(seconds=600)


class TestFastRestore:
    def test_reference_answer_passes(self, lab):
        """On in us-east-1b and us-east-1c, off in us-east-1a."""
        lesson_state(lab)
        fast(lab, "enable", "us-east-1b", "us-east-1c")
        fast(lab, "disable", "us-east-1a")
        snapshot = web_v2_snapshot(lab)
        assert passes(FAST, lab.sandbox).message == (
            f"volumes of web-server-v2's snapshot ({snapshot}) start full-speed in us-east-1b "
            "and us-east-1c, and no other zone or snapshot is billed for it."
        )

    def test_still_passes_once_optimized(self, lab):
        """Hours later the pairs are enabled, the old one disabled: still ✅."""
        lesson_state(lab)
        fast(lab, "enable", "us-east-1b", "us-east-1c")
        fast(lab, "disable", "us-east-1a")
        lab.advance_clock(days=1)
        passes(FAST, lab.sandbox)

    def test_only_the_lesson_cell(self, lab):
        lesson_state(lab)
        snapshot = web_v2_snapshot(lab)
        result = fails(FAST, lab.sandbox)
        assert result.message == (
            f"fast snapshot restore for web-server-v2's snapshot ({snapshot}) is not on in "
            "us-east-1b and us-east-1c: the fleet's new volumes there still start slow"
        )
        assert not CALL.search(result.hint)

    def test_one_zone_missing(self, lab):
        lesson_state(lab)
        fast(lab, "enable", "us-east-1b")
        fast(lab, "disable", "us-east-1a")
        assert "is not on in us-east-1c:" in fails(FAST, lab.sandbox).message

    def test_the_old_zone_left_on(self, lab):
        """Turned on where the fleet is, but still billed where it left."""
        lesson_state(lab)
        fast(lab, "enable", "us-east-1b", "us-east-1c")
        snapshot = web_v2_snapshot(lab)
        result = fails(FAST, lab.sandbox)
        assert result.message == (
            f"fast snapshot restore is still on for {snapshot} in us-east-1a, where no fleet "
            "scales out: each pair is billed for every hour it stays on"
        )
        assert not CALL.search(result.hint)

    def test_another_snapshot_on(self, lab):
        """Another image's snapshot left on is billed too."""
        fast(lab, "enable", "us-east-1b", "us-east-1c")
        fast(lab, "enable", "us-east-1b", snapshot=lab.ids["legacy_snapshot"])
        assert f"still on for {lab.ids['legacy_snapshot']} in us-east-1b" in (
            fails(FAST, lab.sandbox).message
        )

    def test_the_ladder_ends_with_the_call(self):
        hints = get_exercise(FAST).hints
        assert CALL.search(hints[-1])
        assert not any(CALL.search(hint) for hint in hints[:-1])
