"""Checks for lesson 07, Storage and pricing: remove the costliest unused image without breaking a
fleet, and move the audit snapshot to the archive tier."""

from __future__ import annotations

from typing import Any

from .. import pricing
from ..sandbox.provisioning import PACKAGE_SIZES_GIB, base_image_used_gib
from ..scenarios import LEDGER_SNAPSHOT, STORAGE_FLEETS, STORAGE_IMAGES
from . import exercise, fail

LESSON = "07-storage-and-pricing"
#: The exercise's answer: the costliest image that no instance runs and nobody protected.
TARGET = "ml_training"
PROTECTED = "reports_db"


def _own_images(sandbox: Any, region: str, name: str) -> list[dict[str, Any]]:
    """The learner's registered images with this name in a Region."""
    ec2 = sandbox.client("ec2", region=region)
    flt = [{"Name": "name", "Values": [name]}]
    return ec2.describe_images(Owners=["self"], Filters=flt)["Images"]


def _tagged_snapshots(sandbox: Any, region: str, name: str) -> list[dict[str, Any]]:
    """The learner's snapshots in a Region whose Name tag is ``name``."""
    ec2 = sandbox.client("ec2", region=region)
    flt = [{"Name": "tag:Name", "Values": [name]}]
    return ec2.describe_snapshots(OwnerIds=["self"], Filters=flt)["Snapshots"]


def _running(sandbox: Any, region: str, fleet: str, account: str) -> list[str]:
    """IDs of a fleet's pending or running instances."""
    ec2 = sandbox.client("ec2", region=region, account=account)
    flt = [
        {"Name": "tag:Fleet", "Values": [fleet]},
        {"Name": "instance-state-name", "Values": ["pending", "running"]},
    ]
    return [
        i["InstanceId"]
        for r in ec2.describe_instances(Filters=flt)["Reservations"]
        for i in r["Instances"]
    ]


def _monthly(key: str) -> float:
    """What one of the lesson's images costs a month, from the data its scenario wrote."""
    region, _name, packages, data, _size = STORAGE_IMAGES[key]
    gib = base_image_used_gib("al2023") + sum(PACKAGE_SIZES_GIB[p] for p in packages) + data
    return pricing.storage_cost(gib, region)


def _usd(amount: float) -> str:
    return pricing.format_usd(amount, per="month")


# -- Exercise 7.1 -------------------------------------------------------------------------------


@exercise(
    "storage-remove-costliest-unused",
    lesson=LESSON,
    title="Remove the costliest unused image, and its snapshots, without breaking a running fleet",
    hints=(
        "estate = estate_from_sandbox(lab) reads every image of yours in every Region; "
        "pricing.image_monthly_cost(image) prices one.",
        "Keep the images with in_use False. Leave out the protected one: describe_images shows "
        "DeregistrationProtection, and someone turned it on for a reason.",
        "Of what is left, take the dearest. In its Region: note its snapshot IDs, "
        "deregister_image, then delete_snapshot each one "
        "(or deregister_image(..., DeleteAssociatedSnapshots=True)).",
    ),
    solution=(
        "estate = estate_from_sandbox(lab)\n"
        "def protected(image):\n"
        "    ec2_there = lab.client('ec2', region=image.region)\n"
        "    found = ec2_there.describe_images(ImageIds=[image.image_id])['Images'][0]\n"
        "    return found['DeregistrationProtection'] != 'disabled'\n"
        "candidates = [i for i in estate.images if not i.in_use and not protected(i)]\n"
        "target = max(candidates, key=pricing.image_monthly_cost)\n"
        "ec2_there = lab.client('ec2', region=target.region)\n"
        "ec2_there.deregister_image(ImageId=target.image_id)\n"
        "for snapshot in target.snapshots:\n"
        "    ec2_there.delete_snapshot(SnapshotId=snapshot.snapshot_id)"
    ),
)
def remove_costliest_unused(sandbox: Any) -> str:
    fleet_images = sorted({key for _fleet, _region, key, _n, _account in STORAGE_FLEETS})
    for key in fleet_images:
        region, name = STORAGE_IMAGES[key][:2]
        users = [
            (fleet, account, _running(sandbox, there, fleet, account))
            for fleet, there, image, _n, account in STORAGE_FLEETS
            if image == key
        ]
        if not _own_images(sandbox, region, name):
            running = sorted(i for _f, _a, ids in users for i in ids)
            fail(
                f"{name} in {region} is gone, but the fleets still run "
                f"{len(running)} instance{'s' * (len(running) != 1)} from it "
                f"({', '.join(running)}): the next instance they launch (scaling out, replacing "
                "a failed one) would fail",
                "lab.reset() brings the estate back; remove only an image no instance runs from",
            )
        stopped = [(fleet, account) for fleet, account, ids in users if not ids]
        if stopped:
            fleet, account = stopped[0]
            fail(
                f"the {fleet} fleet ({account} account, {region}) no longer runs: its instances "
                f"from {name} were stopped or terminated",
                "an image a fleet uses stays; do not stop a fleet to make its image look unused "
                "(lab.reset() starts over)",
            )
    region, name = STORAGE_IMAGES[PROTECTED][:2]
    if not _own_images(sandbox, region, name):
        fail(
            f"{name} in {region} is gone, but it had deregistration protection: someone keeps "
            "it on purpose, and protection says so",
            "leave protected images out; lab.reset() brings the estate back",
        )
    region, name = STORAGE_IMAGES[TARGET][:2]
    cost = _usd(_monthly(TARGET))
    if _own_images(sandbox, region, name):
        fail(
            "the costliest image that no instance runs and nobody protected is still registered, "
            f"in one of your four Regions (it costs {cost})",
            "price every image with pricing.monthly_cost_by_image(estate_from_sandbox(lab)) "
            "and keep those with in_use False",
        )
    left = [s["SnapshotId"] for s in _tagged_snapshots(sandbox, region, name)]
    if left:
        fail(
            f"{name} is deregistered, but its snapshot{'s' * (len(left) > 1)} "
            f"{', '.join(left)} {'are' if len(left) > 1 else 'is'} still in {region}, billed "
            f"{cost}: deregistering alone saves nothing",
            f"delete each one with lab.client('ec2', region='{region}').delete_snapshot("
            "SnapshotId=...)",
        )
    fleets = ", ".join(STORAGE_IMAGES[k][1] for k in fleet_images)
    return (
        f"{name} ({region}) and its snapshots are gone: {cost} saved. The fleets' images "
        f"({fleets}) and the protected {STORAGE_IMAGES[PROTECTED][1]} are untouched."
    )


# -- Exercise 7.2 -------------------------------------------------------------------------------


@exercise(
    "storage-archive-ledger",
    lesson=LESSON,
    title="Move the audit snapshot ledger-db-2023-final to the archive tier",
    hints=(
        "The snapshot is lab.ids['ledger_snapshot'], in us-east-1; nobody reads it, and it must "
        "be kept until the end of 2026.",
        "modify_snapshot_tier moves a snapshot between tiers; StorageTier='archive'.",
    ),
    solution=(
        "ec2.modify_snapshot_tier(SnapshotId=lab.ids['ledger_snapshot'], StorageTier='archive')"
    ),
)
def archive_ledger(sandbox: Any) -> str:
    name, data, _size, keep_until = LEDGER_SNAPSHOT
    found = _tagged_snapshots(sandbox, "us-east-1", name)
    if not found:
        fail(
            f"the audit snapshot {name} is gone, but it must be kept until {keep_until} "
            "(its KeepUntil tag)",
            "lab.reset() brings it back; archive it instead of deleting it",
        )
    snapshot = found[0]
    standard = _usd(pricing.storage_cost(data, "us-east-1"))
    archived = _usd(pricing.storage_cost(data, "us-east-1", tier="archive"))
    tier = snapshot.get("StorageTier", "standard")
    if tier != "archive":
        fail(
            f"{name} ({snapshot['SnapshotId']}) is in the {tier} tier, billed {standard}; "
            f"archived it would cost {archived}",
            "ec2.modify_snapshot_tier(SnapshotId=lab.ids['ledger_snapshot'], "
            "StorageTier='archive')",
        )
    return (
        f"{name} is archived: {archived} instead of {standard}. It will stay there for well "
        "over the 90-day minimum, and restoring it would take hours and cost a fee per GB."
    )
