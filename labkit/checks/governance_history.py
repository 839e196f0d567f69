"""Checks for lesson 09, Governing images, images over time (exercises 9.5–9.7): a lifecycle
policy for the reports fleet, the undocumented CI images traced back to where they came from, and
fast snapshot restore moved to the zones the web fleet scales out in.

The policy is read through the sandbox's dlm API; the images' chains through its own
GetImageAncestry, so ✅ means the chain the sandbox records, not what the learner wrote down;
fast snapshot restore through DescribeFastSnapshotRestores on the sandbox clock.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ..fidelity.ancestry import VERIFIED_PROVIDERS
from ..scenarios import BACKUP_FLEETS, CI_REGION, CI_RUNNERS
from . import exercise, fail
from ._lineage import image_by_name, own_tags, snapshot_ids
from .governance import HOME, LESSON

#: The reports fleet's tag, which exercise 9.5's policy must target (and nothing else).
REPORTS_TAG = {"Key": "AmiBackup", "Value": "reports"}
#: The tag exercise 9.6 puts on the CI image it keeps: the ID of the image its chain starts from.
ORIGIN_TAG = "Origin"
#: The CI image made from Amazon Linux (to keep and tag), and the one made from the look-alike.
TRUSTED = next(name for name, origin in CI_RUNNERS.items() if origin == "amazon")
SUSPECT = next(name for name, origin in CI_RUNNERS.items() if origin != "amazon")


# -- Exercise 9.5 -------------------------------------------------------------------------------


def _reports_instances(sandbox: Any) -> list[str]:
    names = [name for name, tag in BACKUP_FLEETS.values() if tag == REPORTS_TAG["Value"]]
    flt = [{"Name": "tag:Name", "Values": names}]
    found = sandbox.client("ec2").describe_instances(Filters=flt)["Reservations"]
    return sorted(i["InstanceId"] for r in found for i in r["Instances"])


def _targeted(sandbox: Any, target_tags: list[dict[str, str]]) -> list[str]:
    """The running instances a policy's target tags reach (any one tag)."""
    ec2 = sandbox.client("ec2")
    found: set[str] = set()
    for tag in target_tags:
        flt = [
            {"Name": f"tag:{tag['Key']}", "Values": [tag["Value"]]},
            {"Name": "instance-state-name", "Values": ["pending", "running", "stopped"]},
        ]
        for reservation in ec2.describe_instances(Filters=flt)["Reservations"]:
            found |= {i["InstanceId"] for i in reservation["Instances"]}
    return sorted(found)


def _tags_in_words(tags: list[dict[str, str]]) -> str:
    return ", ".join(f"{t['Key']}={t['Value']}" for t in tags)


def _other_policies_reaching(sandbox: Any, policy_id: str, instances: list[str]) -> list[str]:
    """The other enabled AMI policies whose target tags reach one of these instances."""
    dlm = sandbox.client("dlm")
    found = []
    for summary in dlm.get_lifecycle_policies(State="ENABLED")["Policies"]:
        other = summary["PolicyId"]
        if other == policy_id or summary.get("PolicyType") not in (None, "IMAGE_MANAGEMENT"):
            continue
        details = dlm.get_lifecycle_policy(PolicyId=other)["Policy"]["PolicyDetails"]
        if set(_targeted(sandbox, details.get("TargetTags") or [])) & set(instances):
            found.append(other)
    return sorted(found)


def _days(rule: dict[str, Any]) -> int | None:
    unit = {"DAYS": 1, "WEEKS": 7, "MONTHS": 30, "YEARS": 365}.get(rule.get("IntervalUnit", ""))
    return int(rule["Interval"]) * unit if unit and rule.get("Interval") else None


@exercise(
    "governance-lifecycle-policy",
    lesson=LESSON,
    title="A lifecycle policy for the reports fleet: every 12 hours, deprecate at 7 days, "
    "retire at 14",
    answers=("policy_id",),
    hints=(
        "Which instances? The reports fleet carries its own AmiBackup tag: describe_instances "
        "shows it. Target that tag alone.",
        "This time the rules are by age, not by count: RetainRule and DeprecateRule take "
        "Interval and IntervalUnit.",
        "Start from the lesson's create_lifecycle_policy call: change TargetTags, the schedule's "
        "Interval, and the two rules.",
        "dlm.create_lifecycle_policy(ExecutionRoleArn=role, Description='reports every 12 "
        "hours', State='ENABLED', PolicyDetails={'PolicyType': 'IMAGE_MANAGEMENT', "
        "'ResourceTypes': ['INSTANCE'], 'TargetTags': [{'Key': 'AmiBackup', 'Value': "
        "'reports'}], 'Schedules': [{'Name': 'twice-daily', 'CreateRule': {'Interval': 12, "
        "'IntervalUnit': 'HOURS'}, 'RetainRule': {'Interval': 14, 'IntervalUnit': 'DAYS'}, "
        "'DeprecateRule': {'Interval': 7, 'IntervalUnit': 'DAYS'}}]})['PolicyId']",
    ),
    solution=(
        "my_policy_id = dlm.create_lifecycle_policy(\n"
        "    ExecutionRoleArn=role,\n"
        "    Description='reports every 12 hours',\n"
        "    State='ENABLED',\n"
        "    PolicyDetails={\n"
        "        'PolicyType': 'IMAGE_MANAGEMENT',\n"
        "        'ResourceTypes': ['INSTANCE'],\n"
        "        'TargetTags': [{'Key': 'AmiBackup', 'Value': 'reports'}],\n"
        "        'Schedules': [{\n"
        "            'Name': 'twice-daily',\n"
        "            'CreateRule': {'Interval': 12, 'IntervalUnit': 'HOURS'},\n"
        "            'RetainRule': {'Interval': 14, 'IntervalUnit': 'DAYS'},\n"
        "            'DeprecateRule': {'Interval': 7, 'IntervalUnit': 'DAYS'},\n"
        "        }],\n"
        "    },\n"
        ")['PolicyId']"
    ),
)
def lifecycle_policy(sandbox: Any, policy_id: Any) -> str:
    if policy_id is ...:
        fail("my_policy_id is still ... ; replace it with the PolicyId of your policy")
    if not isinstance(policy_id, str) or not policy_id.startswith("policy-"):
        fail(
            f"expected a policy ID, a string starting with 'policy-', but found {policy_id!r}",
            "take the 'PolicyId' field of create_lifecycle_policy's answer",
        )
    try:
        policy = sandbox.client("dlm").get_lifecycle_policy(PolicyId=policy_id)["Policy"]
    except ClientError:
        fail(f"there is no lifecycle policy {policy_id} in {HOME}")
    if policy["State"] != "ENABLED":
        fail(
            f"{policy_id} is {policy['State']}: a policy that is not enabled makes nothing",
            "get_lifecycle_policy shows its State",
        )
    details = policy["PolicyDetails"]
    if details.get("PolicyType") != "IMAGE_MANAGEMENT":
        fail(f"{policy_id} is a {details.get('PolicyType')} policy, not an AMI policy")
    reports = _reports_instances(sandbox)
    targeted = _targeted(sandbox, details.get("TargetTags") or [])
    if not set(reports) <= set(targeted):
        fail(
            f"{policy_id} does not reach the reports fleet ({', '.join(reports)}): no instance "
            "of it carries one of the policy's target tags",
            "compare the policy's TargetTags with the tags of the reports instances",
        )
    extra = sorted(set(targeted) - set(reports))
    if extra:
        fail(
            f"{policy_id} also images {', '.join(extra)}, which are not the reports fleet: "
            "their images would pile up under this policy's rules",
            "a policy images every instance that carries any one of its target tags",
        )
    if REPORTS_TAG not in (details.get("TargetTags") or []):
        fail(
            f"{policy_id} finds the reports fleet by {_tags_in_words(details['TargetTags'])}, "
            "a tag of its instance, not the fleet's: an instance that joins the fleet tomorrow "
            "would never be imaged",
            "the fleets carry tags of their own (describe_instances shows every tag)",
        )
    schedules = details.get("Schedules") or []
    if len(schedules) != 1:
        fail(f"{policy_id} has {len(schedules)} schedules; the exercise asks for one")
    schedule = schedules[0]
    every = int(schedule["CreateRule"].get("Interval", 0))
    if every != 12:
        fail(
            f"{policy_id} makes an image every {every} hours, not every 12",
            "the schedule's CreateRule says how often",
        )
    retain, deprecate = schedule.get("RetainRule") or {}, schedule.get("DeprecateRule") or {}
    if "Count" in retain:
        fail(
            f"{policy_id} keeps the newest {retain['Count']} images, a count: the exercise "
            "keeps images by their age",
            "RetainRule and DeprecateRule can be a count or an age",
        )
    if _days(retain) != 14:
        fail(f"{policy_id} retires images after {_days(retain)} days, not 14")
    if not deprecate:
        fail(
            f"{policy_id} never deprecates: for 14 days every image looks current to whoever "
            "searches",
            "a schedule can hold a DeprecateRule beside its RetainRule",
        )
    if _days(deprecate) != 7:
        fail(f"{policy_id} deprecates images after {_days(deprecate)} days, not 7")
    twins = _other_policies_reaching(sandbox, policy_id, reports)
    if twins:
        fail(
            f"{policy_id} is right, but {', '.join(twins)}, also enabled, images the reports "
            "fleet too: each instance would get images from both (a policy you tried before "
            "keeps running until it is deleted)",
            "get_lifecycle_policies lists every policy of the Region",
        )
    return (
        f"{policy_id} images the reports fleet ({', '.join(reports)}) every 12 hours, deprecates "
        "each image at 7 days and retires it, snapshots and all, at 14."
    )


# -- Exercise 9.6 -------------------------------------------------------------------------------


def _ci_images(sandbox: Any) -> dict[str, dict[str, Any]]:
    """The learner's CI images still registered in us-west-2, by name."""
    west = sandbox.client("ec2", region=CI_REGION)
    named = [{"Name": "name", "Values": list(CI_RUNNERS)}]
    images = west.describe_images(Owners=["self"], Filters=named, IncludeDeprecated=True)
    return {image["Name"]: image for image in images["Images"]}


def _root(sandbox: Any, image_id: str) -> dict[str, Any]:
    """The last entry of the image's ancestry, as the sandbox answers GetImageAncestry."""
    west = sandbox.client("ec2", region=CI_REGION)
    return west.get_image_ancestry(ImageId=image_id)["ImageAncestryEntries"][-1]


@exercise(
    "governance-trace-origin",
    lesson=LESSON,
    title="Deregister the CI image that descends from the stranger's look-alike; tag the other "
    "with the image its chain starts from",
    hints=(
        "Where does each image's chain start? An image made from a stranger's image is a "
        "stranger's image, whatever its name says.",
        "get_image_ancestry, asked in us-west-2, lists an image's chain: the image first, its "
        "root last. ImageOwnerAlias says who published the root (the look-alike has none).",
        "Deregister the image whose root is not Amazon's (deregister_image, as in lesson 3); tag "
        "the other (create_tags) with the Key 'Origin' and its root's ImageId as the Value.",
        "For each image of describe_images(Owners=['self'], Filters=[{'Name': 'name', 'Values': "
        "['ci-runner-*']}]) in us-west-2: root = west.get_image_ancestry(ImageId=...)"
        "['ImageAncestryEntries'][-1]; if root.get('ImageOwnerAlias') == 'amazon': "
        "west.create_tags(Resources=[...], Tags=[{'Key': 'Origin', 'Value': root['ImageId']}]), "
        "else west.deregister_image(ImageId=...).",
    ),
    solution=(
        "named = [{'Name': 'name', 'Values': ['ci-runner-*']}]\n"
        "for image in west.describe_images(Owners=['self'], Filters=named)['Images']:\n"
        "    chain = west.get_image_ancestry(ImageId=image['ImageId'])['ImageAncestryEntries']\n"
        "    root = chain[-1]\n"
        "    if root.get('ImageOwnerAlias') == 'amazon':\n"
        "        origin = [{'Key': 'Origin', 'Value': root['ImageId']}]\n"
        "        west.create_tags(Resources=[image['ImageId']], Tags=origin)\n"
        "    else:\n"
        "        west.deregister_image(ImageId=image['ImageId'])"
    ),
)
def trace_origin(sandbox: Any) -> str:
    found = _ci_images(sandbox)
    untouched = len(found) == len(CI_RUNNERS) and not any(
        ORIGIN_TAG in own_tags(image) for image in found.values()
    )
    if untouched:
        # Which one descends from a stranger's image is the exercise: not told before it is done.
        fail(
            f"both CI images are still registered in {CI_REGION}, and neither carries an "
            f"{ORIGIN_TAG} tag: one of them descends from an image you would never launch",
            "the last entry of an image's ancestry is where its chain starts: who published it?",
        )
    for name, image in sorted(found.items()):
        root = _root(sandbox, image["ImageId"])
        if root.get("ImageOwnerAlias") not in VERIFIED_PROVIDERS:
            fail(
                f"{name} ({image['ImageId']}) is still registered in {CI_REGION}, and its chain "
                f"starts at {root['ImageId']}, an image no verified provider publishes: whatever "
                "runs from it runs a stranger's software",
                "the last entry of an image's ancestry is where its chain starts: who published "
                "it?",
            )
    if TRUSTED not in found:
        fail(
            f"{TRUSTED} is gone from {CI_REGION}, but its chain starts at Amazon's own image: "
            "it was the one to keep",
            f"its parent in {HOME} is still there: a new copy of it under the same name "
            "brings it back",
        )
    image = found[TRUSTED]
    root = _root(sandbox, image["ImageId"])["ImageId"]
    origin = own_tags(image).get(ORIGIN_TAG)
    if origin is None:
        fail(
            f"{TRUSTED} ({image['ImageId']}) carries no {ORIGIN_TAG} tag: the next person to "
            "wonder will have to trace it again",
            f"tag the image you keep, in {CI_REGION}, with the key {ORIGIN_TAG}",
        )
    if origin != root:
        fail(
            f"{TRUSTED}'s {ORIGIN_TAG} tag says {origin}, which is not the image its chain "
            "starts from",
            "an image's ancestry lists the image itself first and its root last",
        )
    return (
        f"{SUSPECT} is gone from {CI_REGION}, and {TRUSTED} ({image['ImageId']}) says where it "
        f"comes from: {ORIGIN_TAG}={root}, Amazon's image at the start of its chain."
    )


# -- Exercise 9.7 -------------------------------------------------------------------------------

#: The zones the web fleet scales out in now (exercise 9.7), and the one it left.
FLEET_ZONES = ("us-east-1b", "us-east-1c")
#: States in which a snapshot-and-zone pair is on, and billed.
_ON = ("enabling", "optimizing", "enabled")


@exercise(
    "governance-fast-restore",
    lesson=LESSON,
    title="Fast snapshot restore for web-server-v2 in us-east-1b and us-east-1c, and nowhere else",
    hints=(
        "Fast snapshot restore is on or off per snapshot and per Availability Zone, and each "
        "pair that is on is billed by the hour. Which pairs should be on now?",
        "describe_fast_snapshot_restores lists the pairs and their states; the lesson's cell "
        "turned one on in us-east-1a.",
        "enable_fast_snapshot_restores for the two new zones, disable_fast_snapshot_restores "
        "for us-east-1a; both take AvailabilityZones and SourceSnapshotIds.",
        "ec2.enable_fast_snapshot_restores(AvailabilityZones=['us-east-1b', 'us-east-1c'], "
        "SourceSnapshotIds=[web_v2_snapshot]); ec2.disable_fast_snapshot_restores("
        "AvailabilityZones=['us-east-1a'], SourceSnapshotIds=[web_v2_snapshot])",
    ),
    solution=(
        "zones = ['us-east-1b', 'us-east-1c']\n"
        "ec2.enable_fast_snapshot_restores(\n"
        "    AvailabilityZones=zones, SourceSnapshotIds=[web_v2_snapshot]\n"
        ")\n"
        "ec2.disable_fast_snapshot_restores(\n"
        "    AvailabilityZones=['us-east-1a'], SourceSnapshotIds=[web_v2_snapshot]\n"
        ")"
    ),
)
def fast_restore(sandbox: Any) -> str:
    ec2 = sandbox.client("ec2")
    web_v2 = image_by_name(sandbox, "learner", "web-server-v2")
    if web_v2 is None:
        fail(
            f"there is no image web-server-v2 of yours in {HOME}: its fleet has nothing to "
            "scale out from",
            "starting the lesson over (lab.reset) brings it back",
        )
    snapshot = snapshot_ids(web_v2)[0]
    pairs = ec2.describe_fast_snapshot_restores()["FastSnapshotRestores"]
    on = {(p["SnapshotId"], p["AvailabilityZone"]) for p in pairs if p["State"] in _ON}
    missing = [zone for zone in FLEET_ZONES if (snapshot, zone) not in on]
    if missing:
        fail(
            f"fast snapshot restore for web-server-v2's snapshot ({snapshot}) is not on in "
            f"{' and '.join(missing)}: the fleet's new volumes there still start slow",
            "it is turned on per snapshot and per Availability Zone",
        )
    extra = sorted(on - {(snapshot, zone) for zone in FLEET_ZONES})
    if extra:
        named = ", ".join(f"{s} in {zone}" for s, zone in extra)
        fail(
            f"fast snapshot restore is still on for {named}, where no fleet scales out: each "
            "pair is billed for every hour it stays on",
            "the call that turns it on has a twin that turns it off",
        )
    return (
        f"volumes of web-server-v2's snapshot ({snapshot}) start full-speed in "
        f"{' and '.join(FLEET_ZONES)}, and no other zone or snapshot is billed for it."
    )
