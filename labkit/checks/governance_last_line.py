"""Checks for lesson 09, Governing images, the last line against a deletion (exercises 9.8–9.9):
Recycle Bin rules that keep deregistered images and their snapshots, and a compliance lock on the
audit evidence.

The Recycle Bin check asks the sandbox's own rule (``retention_rules.keeping_rule``: which rule
would keep this resource, deleted now) for each of the learner's images and their snapshots; the
lock check reads DescribeLockedSnapshots on the sandbox clock.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from ..fidelity.retention_rules import keeping_rule, retention
from ..scenarios import AUDIT_DESCRIPTION, AUDIT_SNAPSHOT
from . import exercise, fail
from ._lineage import own_tags, snapshot_ids, tags_in_words
from .governance import HOME, LEARNER, LESSON

#: How long exercise 9.8 keeps a deregistered image restorable.
BIN_DAYS = 30


# -- Exercise 9.8 -------------------------------------------------------------------------------


def _kept_days(resource_type: str, tags: dict[str, str]) -> int:
    """Days the sandbox's Recycle Bin would keep such a resource of the learner's, deleted now
    in us-east-1 (0: deleted for good at once)."""
    rule = keeping_rule(LEARNER, HOME, resource_type, tags)
    return retention(rule).days if rule else 0


def _tags(resource: dict[str, Any]) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in resource.get("Tags", [])}


@exercise(
    "governance-bin-images",
    lesson=LESSON,
    title="Keep every image deregistered in us-east-1 restorable for 30 days, its snapshots "
    "at least as long",
    hints=(
        "The rule of the worked example keeps snapshots. What keeps the image itself, and for "
        "how long would its snapshots wait beside it?",
        "A retention rule keeps one resource type (ResourceType); a rule without ResourceTags "
        "is Region-level and covers every resource of that type.",
        "rbin.create_rule, as in the worked example, once for images (EC2_IMAGE) and once more "
        "for snapshots, both for 30 days.",
        "for resource_type in ('EC2_IMAGE', 'EBS_SNAPSHOT'): rbin.create_rule(ResourceType="
        "resource_type, RetentionPeriod={'RetentionPeriodValue': 30, 'RetentionPeriodUnit': "
        "'DAYS'}, Description='deregistered images and their snapshots, 30 days')",
    ),
    solution=(
        "for resource_type in ('EC2_IMAGE', 'EBS_SNAPSHOT'):\n"
        "    rbin.create_rule(\n"
        "        ResourceType=resource_type,\n"
        "        RetentionPeriod={'RetentionPeriodValue': 30, 'RetentionPeriodUnit': 'DAYS'},\n"
        "        Description='deregistered images and their snapshots, 30 days',\n"
        "    )"
    ),
)
def bin_images(sandbox: Any) -> str:
    ec2 = sandbox.client("ec2")
    image_days = _kept_days("EC2_IMAGE", {})
    if not image_days:
        fail(
            f"an image deregistered in {HOME} is gone at once: no retention rule there keeps "
            "images",
            "a retention rule keeps one resource type; which type is an image?",
        )
    if image_days < BIN_DAYS:
        fail(
            f"a deregistered image in {HOME} stays in the Recycle Bin {image_days} days, not "
            f"{BIN_DAYS}",
            "the rule's RetentionPeriod says how long",
        )
    images = ec2.describe_images(Owners=["self"], IncludeDeprecated=True)["Images"]
    for image in images:
        tags = _tags(image)
        if _kept_days("EC2_IMAGE", tags) < BIN_DAYS:
            fail(
                f"{image.get('Name')} ({image['ImageId']}), tagged "
                f"{tags_in_words(own_tags(image))}, would not stay {BIN_DAYS} days in the "
                "Recycle Bin: a rule leaves it out",
                "a Region-level rule covers every image but those its ExcludeResourceTags name",
            )
    snapshots = [s for image in images for s in snapshot_ids(image)]
    own = ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]
    found = [s for s in own if s["SnapshotId"] in snapshots]
    for snapshot in [{}, *found]:
        days = _kept_days("EBS_SNAPSHOT", _tags(snapshot))
        if days < image_days:
            which = f"the snapshot {snapshot['SnapshotId']}" if snapshot else "their snapshots"
            fail(
                f"deregistered images stay {image_days} days in the Recycle Bin, but {which} "
                + (
                    f"only {days}: an image restored after day {days} has nothing left to "
                    "launch from"
                    if days
                    else "not at all: a restored image would have nothing to launch from"
                ),
                "the worked example's rule keeps snapshots 14 days; each resource type has its "
                "own rules",
            )
    return (
        f"an image deregistered in {HOME} stays restorable in the Recycle Bin for {image_days} "
        "days, and its snapshots at least as long: restored, it can launch."
    )


# -- Exercise 9.9 -------------------------------------------------------------------------------


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
        "ExpirationDate='2026-04-01T00:00:00Z', CoolOffPeriod=24) (if it was deleted first, "
        "restore_snapshot_from_recycle_bin brings it back before you lock it)",
    ),
    solution=(
        "evidence = lab.ids['audit_snapshot']\n"
        "binned = ec2.list_snapshots_in_recycle_bin()['Snapshots']\n"
        "if evidence in [s['SnapshotId'] for s in binned]:  # deleted before it was locked\n"
        "    ec2.restore_snapshot_from_recycle_bin(SnapshotId=evidence)\n"
        "ec2.lock_snapshot(\n"
        "    SnapshotId=evidence,\n"
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
        binned = [
            s["SnapshotId"]
            for s in ec2.list_snapshots_in_recycle_bin()["Snapshots"]
            if s.get("Description") == AUDIT_DESCRIPTION
        ]
        if binned:
            fail(
                f"the audit evidence {name} ({binned[0]}) was deleted before anyone locked it: "
                f"it waits in the Recycle Bin, and had to survive until {until}",
                "a snapshot in the Recycle Bin can come back (the Recycle Bin section shows how); "
                "then lock it",
            )
        fail(
            f"the audit evidence {name} is gone: it had to survive until {until}",
            "starting the lesson over (lab.reset) brings it back; a Recycle Bin rule would have "
            "kept it",
        )
    snapshot_id = found[0]["SnapshotId"]
    locks = ec2.describe_locked_snapshots(SnapshotIds=[snapshot_id])["Snapshots"]
    state = locks[0]["LockState"] if locks else None
    deadline = _dt.datetime.fromisoformat(until).replace(tzinfo=_dt.UTC)
    now = _as_utc(sandbox.now())
    if state in (None, "expired") and now >= deadline:
        fail(
            f"{name} ({snapshot_id}) is "
            + ("no longer locked" if state else "not locked")
            + f", and the sandbox's clock already reads {now:%Y-%m-%d}, past {until}: the "
            "clock was advanced beyond the date the auditors needed",
            "a lock can only run until a date still to come: starting the lesson over "
            "(lab.reset) turns the clock back",
        )
    if state in (None, "expired"):
        fail(
            f"{name} ({snapshot_id}) is "
            + ("no longer locked (its lock has expired)" if state else "not locked")
            + ": anyone allowed to delete snapshots can delete it",
            "describe_locked_snapshots lists the locks and their states",
        )
    if state == "governance":
        fail(
            f"{name} ({snapshot_id}) is locked in governance mode: anyone allowed to unlock "
            "snapshots can unlock it and delete it",
            "the two modes differ in who can remove the lock",
        )
    expires = _as_utc(locks[0]["LockExpiresOn"])
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
            "while the lock cools off it can still be changed; after that, lab.reset starts over",
        )
    return (
        f"{name} ({snapshot_id}) is locked in compliance mode until {expires:%Y-%m-%d}: "
        "nobody, you included, can delete it before then."
    )
