"""What lesson 07's checks read from the sandbox: the learner's images and snapshots by name,
a fleet's running instances, what one of the lesson's images costs, and what is wrong with a
year's storage plan for the estate as it is."""

from __future__ import annotations

from typing import Any

from .. import pricing
from ..accounts import ACCOUNTS
from ..sandbox.provisioning import PACKAGE_SIZES_GIB, base_image_used_gib
from ..scenarios import LEDGER_SNAPSHOT, STORAGE_IMAGES
from . import fail

__all__ = [
    "bill_payers",
    "account_id_of",
    "monthly_cost",
    "own_images",
    "plan_problem",
    "running_instances",
    "tagged_snapshots",
    "usd_a_month",
]


def own_images(sandbox: Any, region: str, name: str) -> list[dict[str, Any]]:
    """The learner's registered images with this name in a Region."""
    ec2 = sandbox.client("ec2", region=region)
    flt = [{"Name": "name", "Values": [name]}]
    return ec2.describe_images(Owners=["self"], Filters=flt)["Images"]


def tagged_snapshots(sandbox: Any, region: str, name: str) -> list[dict[str, Any]]:
    """The learner's snapshots in a Region whose Name tag is ``name``."""
    ec2 = sandbox.client("ec2", region=region)
    flt = [{"Name": "tag:Name", "Values": [name]}]
    return ec2.describe_snapshots(OwnerIds=["self"], Filters=flt)["Snapshots"]


def running_instances(sandbox: Any, region: str, fleet: str, account: str) -> list[str]:
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


def monthly_cost(key: str) -> float:
    """What one of the lesson's images costs a month, from the data its scenario wrote."""
    region, _name, packages, data, _size = STORAGE_IMAGES[key]
    gib = base_image_used_gib("al2023") + sum(PACKAGE_SIZES_GIB[p] for p in packages) + data
    return pricing.storage_cost(gib, region)


def usd_a_month(amount: float) -> str:
    return pricing.format_usd(amount, per="month")


def plan_problem(sandbox: Any, plan: dict[str, Any], estate: Any = None) -> str | None:
    """What is wrong with a plan for the estate as it is now, or None.

    ``estate``: the estate as ``estate_from_sandbox`` reads it now, when the caller has read it
    (a read of four Regions is a third of the year-plan check); read here otherwise.
    """
    from ..estate import estate_from_sandbox

    if estate is None:
        estate = estate_from_sandbox(sandbox)
    ledger = {s["SnapshotId"] for s in tagged_snapshots(sandbox, "us-east-1", LEDGER_SNAPSHOT[0])}

    def protected(image: Any) -> bool:
        ec2 = sandbox.client("ec2", region=image.region)
        found = ec2.describe_images(ImageIds=[image.image_id])["Images"]
        return bool(found) and found[0].get("DeregistrationProtection", "disabled") != "disabled"

    keep = {i.image_id: i for i in estate.images if i.in_use or protected(i)}
    must_go = {i.image_id: i.name for i in estate.images if i.image_id not in keep}
    must_go.update({s.snapshot_id: "an orphaned snapshot" for s in estate.orphaned})
    for snapshot_id in ledger:
        must_go.pop(snapshot_id, None)
    remove = set(plan.get("remove") or ())
    known = {i.image_id for i in estate.images} | {s.snapshot_id for s in estate.orphaned}
    for item in sorted(remove | set(plan.get("archive") or ())):
        if item not in known:
            return (
                f"your plan names {item!r}, which is not an image or orphaned snapshot of yours now"
            )
    for item in sorted(remove):
        if item in keep:
            why = "a fleet runs it" if keep[item].in_use else "someone protected it"
            return f"your plan removes {keep[item].name} ({item}), but {why}"
        if item in ledger:
            return f"your plan removes the audit snapshot {item}, which must be kept until 2026"
    left = sorted(set(must_go) - remove)
    if left:
        return (
            f"your plan keeps {must_go[left[0]]} ({left[0]}) all year, though nothing runs it and "
            "nobody protected it"
        )
    when = plan.get("clean_up_after")
    if remove and (not isinstance(when, int) or when > 3):
        return f"your plan cleans up after {when!r} months; the exercise asks for 3 at the most"
    used = {s.snapshot_id for i in estate.images if i.image_id not in remove for s in i.snapshots}
    for item in sorted(set(plan.get("archive") or ())):
        if item in keep or item in used:
            return f"your plan archives {item}, which an image you keep launches from"
    return None


#: Exercise 7.1: the image the partner would launch and copy, and where its copy would go.
SHARED = "analytics"
COPY_TO = "us-west-2"


def bill_payers(sandbox: Any) -> dict[str, str]:
    """Who AWS bills for each charge, by the pricing rules (R12, R16): the account IDs."""
    from ..estate import estate_from_sandbox

    region, name = STORAGE_IMAGES[SHARED][:2]
    found = [i for i in estate_from_sandbox(sandbox).images if (i.region, i.name) == (region, name)]
    if not found:
        fail(f"your image {name} in {region} is gone", "lab.reset() starts the lesson over")
    image, partner = found[0], ACCOUNTS["partner"]
    copy = pricing.copy_cost(image, COPY_TO, copier=partner)
    return {
        "snapshots": image.owner_id,
        "instances": partner,
        "transfer": copy.transfer_payer,
        "copy storage": copy.payer,
    }


def account_id_of(answer: Any) -> str | None:
    """An account ID (digits, or as the console shows it, 1111-1111-1111), or a lab account's
    name ("partner"), as the ID; None for anything else."""
    text = str(answer).strip().lower()
    digits = text.replace("-", "").replace(" ", "")
    return ACCOUNTS.get(text, digits if digits in ACCOUNTS.values() else None)
