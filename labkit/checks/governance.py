"""Checks for lesson 09, Governing images: Allowed AMIs enforced, encryption by default with the
platform key, snapshots kept private, a lifecycle policy for the reports fleet, and a compliance
lock on audit evidence.

Each check reads the account's settings through the sandbox's own rules (``allowed_images``,
``ebs_defaults``) or its API (dlm, DescribeLockedSnapshots), so ✅ means the sandbox would act
as the exercise asks, whatever route the learner took.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from botocore.exceptions import ClientError

from ..accounts import ACCOUNTS
from ..catalog import image_id as catalog_image_id
from ..fidelity import allowed_images, ebs_defaults
from ..fidelity.images import find_image
from ..scenarios import AUDIT_SNAPSHOT, BACKUP_FLEETS, LOOKALIKE_IMAGES, PLATFORM_KEY
from . import exercise, fail
from ._lineage import describe_image, image_by_name, require_image_id

LESSON = "09-governance"
HOME = "us-east-1"
LEARNER = ACCOUNTS["learner"]
#: The reports fleet's tag, which exercise 9.4's policy must target (and nothing else).
REPORTS_TAG = {"Key": "AmiBackup", "Value": "reports"}


def _state_in_words(state: str) -> str:
    return {
        allowed_images.DISABLED: "disabled: every image can be found and launched",
        allowed_images.AUDIT_MODE: (
            "in audit mode: it marks what it would refuse (ImageAllowed), but refuses nothing"
        ),
    }.get(state, state)


# -- Exercise 9.1 -------------------------------------------------------------------------------


@exercise(
    "governance-allowed-amis",
    lesson=LESSON,
    title="Enforce Allowed AMIs in us-east-1: Amazon's images (and your own), nobody else's",
    hints=(
        "Whose images does your account launch? Look at ImageOwnerAlias in the audit-mode "
        "answer: the ones you want are all published under one alias.",
        "The criteria come first: replace_image_criteria_in_allowed_images_settings("
        "ImageCriteria=[{'ImageProviders': [...]}]). Your own images are always allowed.",
        "Then switch from reporting to refusing: enable_allowed_images_settings("
        "AllowedImagesSettingsState=...), with the state that enforces.",
        "ec2.replace_image_criteria_in_allowed_images_settings(ImageCriteria=[{'ImageProviders': "
        "['amazon']}]), then ec2.enable_allowed_images_settings("
        "AllowedImagesSettingsState='enabled').",
    ),
    solution=(
        "ec2.replace_image_criteria_in_allowed_images_settings(\n"
        "    ImageCriteria=[{'ImageProviders': ['amazon']}]\n"
        ")\n"
        "ec2.enable_allowed_images_settings(AllowedImagesSettingsState='enabled')"
    ),
)
def allowed_amis(sandbox: Any) -> str:
    settings = sandbox.client("ec2").get_allowed_images_settings()
    state = settings["State"]
    if state != allowed_images.ENABLED:
        fail(
            f"Allowed AMIs in {HOME} is {_state_in_words(state)}",
            "get_allowed_images_settings() shows the state and the criteria",
        )
    base = find_image(HOME, catalog_image_id("al2023-x86_64", HOME))
    if base is not None and not allowed_images.image_allowed(base, LEARNER, HOME):
        fail(
            f"Amazon's own Amazon Linux 2023 ({base.id}) is refused too: your fleets could not "
            "launch their base image",
            "which alias does Amazon publish under? (ImageOwnerAlias in describe_images)",
        )
    lookalike = find_image(HOME, LOOKALIKE_IMAGES[HOME])
    if lookalike is not None and allowed_images.image_allowed(lookalike, LEARNER, HOME):
        fail(
            f"the stranger's look-alike {lookalike.id} (owner {lookalike.owner_id}, no alias) "
            "is still allowed: one of your criteria lets it through",
            "a name can be faked; describe_images(ImageIds=[lab.ids['lookalike_image']]) shows "
            "what the criteria judge",
        )
    criteria = settings.get("ImageCriteria") or []
    for criterion in criteria:
        providers = criterion.get("ImageProviders") or []
        if not providers:
            fail(
                "a criterion names no image provider: it allows images of any owner whose "
                "names or codes match",
                "every criterion of this exercise names whose images it allows",
            )
        extra = sorted(set(providers) - {"amazon"})
        if extra:
            fail(
                f"your criteria also allow images of {', '.join(extra)}: the exercise allows "
                "Amazon's images only (your own are always allowed)",
                "get_allowed_images_settings()['ImageCriteria'] lists what you allowed",
            )
    return (
        f"Allowed AMIs is enabled in {HOME}: Amazon's images and your own can be found and "
        f"launched, and the stranger's look-alike {LOOKALIKE_IMAGES[HOME]} cannot."
    )


# -- Exercise 9.2 -------------------------------------------------------------------------------


def _platform_key_arn(sandbox: Any) -> str | None:
    kms = sandbox.client("kms")
    for alias in kms.list_aliases()["Aliases"]:
        if alias["AliasName"] == PLATFORM_KEY and alias.get("TargetKeyId"):
            return kms.describe_key(KeyId=alias["TargetKeyId"])["KeyMetadata"]["Arn"]
    return None


@exercise(
    "governance-encrypt-by-default",
    lesson=LESSON,
    title="Encrypt by default in us-east-1 with alias/ami-lab-platform, then copy legacy-app-v1",
    answers=("image_id",),
    hints=(
        "Two account settings of the Region are involved: is EBS encryption by default on, and "
        "which key is the default EBS key? get_… calls show both.",
        "enable_ebs_encryption_by_default() switches it on; modify_ebs_default_kms_key_id("
        "KmsKeyId=...) makes a key of yours the default.",
        "Then copy legacy-app-v1 (lab.ids['legacy_image']) with copy_image and no encryption "
        "parameters at all, and keep the new ImageId.",
        "ec2.enable_ebs_encryption_by_default(); ec2.modify_ebs_default_kms_key_id(KmsKeyId="
        "lab.ids['platform_key']); my_copy_id = ec2.copy_image(SourceImageId=lab.ids["
        "'legacy_image'], SourceRegion='us-east-1', Name='legacy-app-v1-encrypted')['ImageId']",
    ),
    solution=(
        "ec2.enable_ebs_encryption_by_default()\n"
        "ec2.modify_ebs_default_kms_key_id(KmsKeyId=lab.ids['platform_key'])\n"
        "my_copy_id = ec2.copy_image(\n"
        "    SourceImageId=lab.ids['legacy_image'],\n"
        "    SourceRegion='us-east-1',\n"
        "    Name='legacy-app-v1-encrypted',\n"
        ")['ImageId']"
    ),
)
def encrypt_by_default(sandbox: Any, image_id: Any) -> str:
    if not ebs_defaults.encryption_by_default(LEARNER, HOME):
        fail(
            f"EBS encryption by default is off in {HOME}: new volumes and copies there can "
            "still be unencrypted",
            "get_ebs_encryption_by_default() shows the setting",
        )
    platform = _platform_key_arn(sandbox)
    default = ebs_defaults.default_key_arn(LEARNER, HOME)
    if default != platform:
        fail(
            f"the default EBS key in {HOME} is {default}, not your key {PLATFORM_KEY}",
            "get_ebs_default_kms_key_id() shows which key EBS uses when none is named",
        )
    image_id = require_image_id(image_id, "my_copy_id")
    image = describe_image(sandbox, image_id)
    if image is None:
        fail(f"there is no image {image_id} in {HOME} that you can see")
    legacy = image_by_name(sandbox, "learner", "legacy-app-v1")
    legacy_id = legacy["ImageId"] if legacy else None
    if image_id == legacy_id:
        fail(
            f"{image_id} is legacy-app-v1 itself: an existing image never changes its encryption",
            "copy_image answers with the new image's ID",
        )
    if image.get("SourceImageId") != legacy_id:  # type: ignore[union-attr]
        fail(f"{image_id} is not a copy of legacy-app-v1 ({legacy_id})")
    ebs = [m["Ebs"] for m in image["BlockDeviceMappings"] if "Ebs" in m]  # type: ignore[index]
    plain = [e["SnapshotId"] for e in ebs if not e.get("Encrypted")]
    if plain:
        fail(
            f"{image_id} is not encrypted (snapshot {', '.join(plain)}): it was copied before "
            "encryption by default was on",
            "copy legacy-app-v1 again, now that the setting is on",
        )
    other = sorted({e.get("KmsKeyId") for e in ebs} - {platform})
    if other:
        fail(
            f"{image_id} is encrypted with {other[0]}, not with the default key {PLATFORM_KEY}: "
            "a key named in the request wins over the default",
            "copy it once more with no encryption parameters",
        )
    return (
        f"encryption by default is on in {HOME} with {PLATFORM_KEY} as the default key, and "
        f"{image_id}, copied from the unencrypted legacy-app-v1 without a word about "
        "encryption, came out encrypted with it."
    )


# -- Exercise 9.3 -------------------------------------------------------------------------------


@exercise(
    "governance-private-snapshots",
    lesson=LESSON,
    title="Make the old public snapshot private for good, and block public snapshots in us-east-1",
    hints=(
        "Which of the two blocking modes also hides snapshots that are already public?",
        "enable_snapshot_block_public_access(State=...) sets the mode; the snapshot's own "
        "createVolumePermission still names the group all until you remove it.",
        "modify_snapshot_attribute(SnapshotId=lab.ids['legacy_snapshot'], Attribute="
        "'createVolumePermission', OperationType=..., GroupNames=['all']) changes that.",
        "ec2.enable_snapshot_block_public_access(State='block-all-sharing'); "
        "ec2.modify_snapshot_attribute(SnapshotId=lab.ids['legacy_snapshot'], "
        "Attribute='createVolumePermission', OperationType='remove', GroupNames=['all'])",
    ),
    solution=(
        "ec2.enable_snapshot_block_public_access(State='block-all-sharing')\n"
        "ec2.modify_snapshot_attribute(\n"
        "    SnapshotId=lab.ids['legacy_snapshot'],\n"
        "    Attribute='createVolumePermission',\n"
        "    OperationType='remove',\n"
        "    GroupNames=['all'],\n"
        ")"
    ),
)
def private_snapshots(sandbox: Any) -> str:
    ec2 = sandbox.client("ec2")
    legacy = image_by_name(sandbox, "learner", "legacy-app-v1")
    snapshot_id = legacy["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"] if legacy else None
    state = ec2.get_snapshot_block_public_access_state()["State"]
    # What another account sees: the seller asks for the snapshot by its ID.
    seller = sandbox.client("ec2", account="seller")
    seen = bool(snapshot_id) and bool(
        seller.describe_snapshots(SnapshotIds=[snapshot_id])["Snapshots"]
    )
    if state == "unblocked":
        fail(
            f"block public access for snapshots is off in {HOME}: anyone here may still make a "
            "snapshot public",
            "get_snapshot_block_public_access_state() shows the mode",
        )
    if seen:
        fail(
            f"the old public snapshot {snapshot_id} of legacy-app-v1 is still visible to every "
            f"account (the seller finds it): {state} does not reach it",
            "one mode refuses new public shares only; the other reaches old ones too",
        )
    if state != "block-all-sharing":
        fail(
            f"block public access for snapshots is {state} in {HOME}: any other snapshot someone "
            "made public before (you may not know them all) stays public",
            "which mode treats old public snapshots as private?",
        )
    if snapshot_id:
        permissions = ec2.describe_snapshot_attribute(
            SnapshotId=snapshot_id, Attribute="createVolumePermission"
        )["CreateVolumePermissions"]
        if {"Group": "all"} in permissions:
            fail(
                f"{snapshot_id} is hidden for now, but its create volume permission still names "
                "everyone (the group all): relax the mode and it is public again",
                "describe_snapshot_attribute shows its createVolumePermission",
            )
    return (
        f"snapshots cannot be made public in {HOME} (block-all-sharing), and {snapshot_id} no "
        "longer names everyone: it stays private whatever the setting."
    )


# -- Exercise 9.4 -------------------------------------------------------------------------------


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
    return (
        f"{policy_id} images the reports fleet ({', '.join(reports)}) every 12 hours, deprecates "
        "each image at 7 days and retires it, snapshots and all, at 14."
    )


# -- Exercise 9.5 -------------------------------------------------------------------------------


def _as_utc(when: Any) -> _dt.datetime:
    if isinstance(when, str):
        when = _dt.datetime.fromisoformat(when.replace("Z", "+00:00"))
    return when.astimezone(_dt.timezone.utc) if when.tzinfo else when.replace(tzinfo=_dt.UTC)


@exercise(
    "governance-lock-evidence",
    lesson=LESSON,
    title="Lock the audit evidence so that nobody can delete it before 1 April 2026",
    hints=(
        "Which of the two lock modes stops everyone, including those allowed to unlock?",
        "lock_snapshot takes the snapshot, LockMode, and either LockDuration (days) or "
        "ExpirationDate; a date says 'until 1 April 2026' exactly.",
        "A cooling-off period (CoolOffPeriod, hours) lets you fix a mistake before the lock "
        "becomes final.",
        "ec2.lock_snapshot(SnapshotId=lab.ids['audit_snapshot'], LockMode='compliance', "
        "ExpirationDate='2026-04-01T00:00:00Z', CoolOffPeriod=24)",
    ),
    solution=(
        "ec2.lock_snapshot(\n"
        "    SnapshotId=lab.ids['audit_snapshot'],\n"
        "    LockMode='compliance',\n"
        "    ExpirationDate='2026-04-01T00:00:00Z',\n"
        "    CoolOffPeriod=24,\n"
        ")"
    ),
)
def lock_evidence(sandbox: Any) -> str:
    name, until = AUDIT_SNAPSHOT
    ec2 = sandbox.client("ec2")
    flt = [{"Name": "tag:Name", "Values": [name]}]
    found = ec2.describe_snapshots(OwnerIds=["self"], Filters=flt)["Snapshots"]
    if not found:
        fail(
            f"the audit evidence {name} is gone: it had to survive until {until}",
            "lab.reset() brings it back; a Recycle Bin rule would have kept it",
        )
    snapshot_id = found[0]["SnapshotId"]
    locks = ec2.describe_locked_snapshots(SnapshotIds=[snapshot_id])["Snapshots"]
    state = locks[0]["LockState"] if locks else None
    if state in (None, "expired"):
        fail(
            f"{name} ({snapshot_id}) is "
            + ("no longer locked (its lock has expired)" if state else "not locked")
            + ": anyone allowed to delete snapshots can delete it",
            "describe_locked_snapshots() lists the locks and their states",
        )
    if state == "governance":
        fail(
            f"{name} ({snapshot_id}) is locked in governance mode: anyone allowed to unlock "
            "snapshots can unlock it and delete it",
            "the two modes differ in who can remove the lock",
        )
    expires = _as_utc(locks[0]["LockExpiresOn"])
    deadline = _dt.datetime.fromisoformat(until).replace(tzinfo=_dt.UTC)
    if expires < deadline:
        fail(
            f"{name} ({snapshot_id}) is locked only until {expires:%Y-%m-%d %H:%M} UTC, before "
            f"{until}",
            "a compliance lock can still be made longer",
        )
    if expires >= deadline + _dt.timedelta(days=31):
        fail(
            f"{name} ({snapshot_id}) is locked until {expires:%Y-%m-%d}, long after {until}: a "
            "compliance lock cannot be shortened, and you pay for the snapshot all that time",
            "while the lock cools off it can still be changed; after that, lab.reset() starts over",
        )
    return (
        f"{name} ({snapshot_id}) is locked in compliance mode until {expires:%Y-%m-%d}: "
        "nobody, you included, can delete it before then."
    )
