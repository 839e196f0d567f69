"""Checks for lesson 07, Storage and pricing: say who pays for a shared and copied image, deprecate
the replaced image, restore a fleet's image from the Recycle Bin, remove the costliest unused image
without breaking a fleet, archive the audit snapshot, and plan a year of storage."""

from __future__ import annotations

from typing import Any

from .. import pricing
from ..accounts import ACCOUNTS
from ..scenarios import LEDGER_SNAPSHOT, STORAGE_FLEETS, STORAGE_IMAGES
from . import exercise, fail
from ._estate_reading import (
    account_id_of,
    bill_payers,
    monthly_cost,
    own_images,
    plan_problem,
    running_instances,
    tagged_snapshots,
    usd_a_month,
)

LESSON = "07-storage-and-pricing"
#: The exercise's answer: the costliest image that no instance runs and nobody protected.
TARGET = "ml_training"
PROTECTED = "reports_db"


# -- Exercise 7.1: who pays for a shared image that another account launches and copies --------

#: The charges exercise 7.1 asks about, in the order the lesson lists them.
CHARGES = ("snapshots", "instances", "transfer", "copy storage")


@exercise(
    "storage-whose-bill",
    lesson=LESSON,
    title="Say who pays for analytics-v7 when the partner launches it and copies it to us-west-2",
    answers=("payers",),
    hints=(
        "Who owns analytics-v7, and who would own the copy? Which charges stay with the image's "
        "owner, whoever uses the image, and which go to the account that launches or copies?",
        "Sharing never moves the owner's bill, and whoever owns a copy pays for its storage. For "
        "the transfer of a copy into another Region, the table in *Who pays* names one account, "
        "whoever makes the copy: which one?",
        "you, partner = lab.account_id('learner'), lab.account_id('partner')\n"
        "my_payers = {'snapshots': you, 'instances': partner, 'transfer': you, "
        "'copy storage': partner}",
    ),
    solution=(
        "you, partner = lab.account_id('learner'), lab.account_id('partner')\n"
        "my_payers = {\n"
        "    'snapshots': you,\n"
        "    'instances': partner,\n"
        "    'transfer': you,\n"
        "    'copy storage': partner,\n"
        "}"
    ),
)
def whose_bill(sandbox: Any, payers: Any) -> str:
    if not isinstance(payers, dict):
        found = "still ..." if payers is ... else f"{type(payers).__name__} {payers!r}"
        fail(
            f"expected my_payers to be a dict from each charge to an account ID, but it is {found}",
            f"a dict with the keys {', '.join(map(repr, CHARGES))}",
        )
    keys = {str(key).strip().lower(): value for key, value in payers.items()}
    missing = [charge for charge in CHARGES if charge not in keys]
    extra = sorted(set(keys) - set(CHARGES))
    if missing or extra:
        problems = []
        if missing:
            problems.append(f"has no key {' or '.join(map(repr, missing))}")
        if extra:
            problems.append(
                f"has {', '.join(map(repr, extra))}, which "
                f"{'is not a charge' if len(extra) == 1 else 'are not charges'} the exercise lists"
            )
        fail(
            f"my_payers {', and '.join(problems)}",
            f"one key per charge the exercise lists, spelled as it spells them: "
            f"{', '.join(map(repr, CHARGES))}",
        )
    truth = bill_payers(sandbox)
    names = {number: name for name, number in ACCOUNTS.items()}
    for charge in CHARGES:
        given = account_id_of(keys[charge])
        if given is None:
            fail(
                f"my_payers[{charge!r}] is {keys[charge]!r}, which is no account of the lab",
                "use the lab's account IDs (lab.account_id gives them) or the names of its "
                "accounts, 'learner' (you) and 'partner'",
            )
        if given != truth[charge]:
            fail(
                f"my_payers says the {names[given]} account ({given}) pays for the {charge}; "
                "AWS bills another account for it",
                "look again at the table in *Who pays*: which charges follow the image's owner, "
                "and which the account that launches or copies?",
            )
    return (
        "right: you pay analytics-v7's snapshots and the transfer of the partner's copy (the "
        "source's owner pays it); the partner pays its instances and its copy's storage. Sharing "
        "never moves your bill, and a copy adds a whole new one."
    )


# -- Exercise 7.2: deprecate the image a newer version replaces ------------------------------------

#: The image a newer version replaces (web-server-v3 replaces it): the one to deprecate.
REPLACED = "web_v2"


def _all_own_images(sandbox: Any) -> list[tuple[str, dict[str, Any]]]:
    """Every registered image of the learner's, with its Region, deprecated ones included."""
    from ..accounts import REGIONS

    return [
        (region, image)
        for region in REGIONS
        for image in sandbox.client("ec2", region=region).describe_images(
            Owners=["self"], IncludeDeprecated=True
        )["Images"]
    ]


@exercise(
    "storage-deprecate-replaced",
    lesson=LESSON,
    title="Deprecate the image that a newer version replaces, and no other",
    hints=(
        "Which of your images has a newer version that your fleets run instead?",
        "web-server-v3 replaced web-server-v2 in us-east-1. enable_image_deprecation takes the "
        "image and a DeprecateAt date (lab.now() plus a timedelta).",
        "ec2.enable_image_deprecation(ImageId=lab.ids['web_v2'], "
        "DeprecateAt=lab.now() + dt.timedelta(days=30))",
    ),
    solution=(
        "ec2.enable_image_deprecation(\n"
        "    ImageId=lab.ids['web_v2'], DeprecateAt=lab.now() + dt.timedelta(days=30)\n"
        ")"
    ),
)
def deprecate_replaced(sandbox: Any) -> str:
    replaced_region, replaced = STORAGE_IMAGES[REPLACED][:2]
    images = _all_own_images(sandbox)
    current = [
        (region, image)
        for region, image in images
        if image["Name"] != replaced and image.get("DeprecationTime")
    ]
    if current:
        region, image = current[0]
        fail(
            f"{image['Name']} in {region} ({image['ImageId']}) is deprecated, but no newer "
            "version replaces it: accounts you share it with stop finding it",
            "deprecate only what a newer version replaces; disable_image_deprecation takes a "
            "deprecation back",
        )
    found = [
        image for region, image in images if region == replaced_region and image["Name"] == replaced
    ]
    if not found:
        fail(
            f"{replaced} in {replaced_region} is no longer registered: the exercise keeps it, "
            "deprecated, for whoever still launches it by ID",
            "lab.reset() starts the lesson over",
        )
    when = found[0].get("DeprecationTime")
    if not when:
        fail(
            "none of your images is deprecated yet, though one of them has a newer version",
            "compare the names of your images: which one has a newer version?",
        )
    return (
        f"{replaced} ({found[0]['ImageId']}) is deprecated from {when}: after that, accounts you "
        "share it with no longer find it in their listings, and it still launches by ID. It "
        "still costs as much as before."
    )


# -- Exercise 7.3: undo a deregistration with the Recycle Bin --------------------------------------


@exercise(
    "storage-restore-from-bin",
    lesson=LESSON,
    title="Bring back the image the fleets run, from the Recycle Bin",
    hints=(
        "Which image did the clean-up take, and where is it now?",
        "list_images_in_recycle_bin shows what the bin keeps; restore_image_from_recycle_bin "
        "takes an ImageId.",
        "ec2.restore_image_from_recycle_bin(ImageId=lab.ids['web_v3'])",
    ),
    solution="ec2.restore_image_from_recycle_bin(ImageId=lab.ids['web_v3'])",
)
def restore_from_bin(sandbox: Any) -> str:
    region, name = STORAGE_IMAGES["web_v3"][:2]
    found = own_images(sandbox, region, name)
    if found:
        return (
            f"{name} ({found[0]['ImageId']}) is back, as it was: the fleets can launch from it "
            "again. Without the retention rule it would have been gone for good."
        )
    ec2 = sandbox.client("ec2", region=region)
    binned = [i for i in ec2.list_images_in_recycle_bin()["Images"] if i.get("Name") == name]
    if binned:
        fail(
            f"{name} ({binned[0]['ImageId']}) is still in the Recycle Bin: the fleets that run "
            "it cannot launch a new instance from it",
            "what can you do with an image in the Recycle Bin before its retention period ends?",
        )
    fail(
        f"{name} in {region} is gone, and not in the Recycle Bin either",
        "lab.reset() starts the lesson over",
    )
    return ""


# -- Exercise 7.4 ----------------------------------------------------------------------------------


@exercise(
    "storage-remove-costliest-unused",
    lesson=LESSON,
    title="Remove the costliest unused image, and its snapshots, without breaking a running fleet",
    hints=(
        "Which of your images does no instance run, which has someone protected, and what does "
        "each cost a month?",
        "estate_from_sandbox(lab) lists every image with in_use and its snapshots; "
        "pricing.image_monthly_cost prices one; describe_images shows DeregistrationProtection. "
        "Remove the dearest of what is left: deregister it, then delete its snapshots.",
        "lab.client('ec2', region='us-west-2').deregister_image(ImageId=lab.ids['ml_training'], "
        "DeleteAssociatedSnapshots=True)",
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
            (fleet, account, running_instances(sandbox, there, fleet, account))
            for fleet, there, image, _n, account in STORAGE_FLEETS
            if image == key
        ]
        if not own_images(sandbox, region, name):
            binned = sandbox.client("ec2", region=region).list_images_in_recycle_bin()["Images"]
            if any(i.get("Name") == name for i in binned):
                fail(
                    f"{name} in {region}, which the fleets run, is in the Recycle Bin",
                    "exercise 7.3 brings it back; then look again at what no instance runs",
                )
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
    if not own_images(sandbox, region, name):
        fail(
            f"{name} in {region} is gone, but it had deregistration protection: someone keeps "
            "it on purpose, and protection says so",
            "leave protected images out; lab.reset() brings the estate back",
        )
    region, name = STORAGE_IMAGES[TARGET][:2]
    cost = usd_a_month(monthly_cost(TARGET))
    if own_images(sandbox, region, name):
        fail(
            "the costliest image that no instance runs and nobody protected is still registered, "
            f"in one of your four Regions (it costs {cost})",
            "which images does no instance run, and what does each cost a month?",
        )
    left = [s["SnapshotId"] for s in tagged_snapshots(sandbox, region, name)]
    if left:
        fail(
            f"{name} is deregistered, but its snapshot{'s' * (len(left) > 1)} "
            f"{', '.join(left)} {'are' if len(left) > 1 else 'is'} still in {region}, billed "
            f"{cost}: deregistering alone saves nothing",
            "an image's snapshots are the second step of clean-up: look at your snapshots in "
            "that Region",
        )
    fleets = ", ".join(STORAGE_IMAGES[k][1] for k in fleet_images)
    return (
        f"{name} ({region}) and its snapshots are gone: {cost} saved. The fleets' images "
        f"({fleets}) and the protected {STORAGE_IMAGES[PROTECTED][1]} are untouched."
    )


# -- Exercise 7.5 ----------------------------------------------------------------------------------


@exercise(
    "storage-archive-ledger",
    lesson=LESSON,
    title="Move the audit snapshot ledger-db-2023-final to the archive tier",
    hints=(
        "The snapshot is lab.ids['ledger_snapshot'], in us-east-1; nobody reads it, and it must "
        "be kept until the end of 2026. Which storage tier suits it?",
        "modify_snapshot_tier moves a snapshot between tiers, with its SnapshotId and a "
        "StorageTier.",
        "ec2.modify_snapshot_tier(SnapshotId=lab.ids['ledger_snapshot'], StorageTier='archive')",
    ),
    solution=(
        "ec2.modify_snapshot_tier(SnapshotId=lab.ids['ledger_snapshot'], StorageTier='archive')"
    ),
)
def archive_ledger(sandbox: Any) -> str:
    name, data, _size, keep_until = LEDGER_SNAPSHOT
    found = tagged_snapshots(sandbox, "us-east-1", name)
    if not found:
        fail(
            f"the audit snapshot {name} is gone, but it must be kept until {keep_until} "
            "(its KeepUntil tag)",
            "lab.reset() brings it back; archive it instead of deleting it",
        )
    snapshot = found[0]
    standard = usd_a_month(pricing.storage_cost(data, "us-east-1"))
    archived = usd_a_month(pricing.storage_cost(data, "us-east-1", tier="archive"))
    tier = snapshot.get("StorageTier", "standard")
    if tier != "archive":
        fail(
            f"{name} ({snapshot['SnapshotId']}) is in the {tier} tier, billed {standard}; "
            f"archived it would cost {archived}",
            "which tier suits a snapshot that is kept for years and never read?",
        )
    return (
        f"{name} is archived: {archived} instead of {standard}. It will stay there for well "
        "over the 90-day minimum, and restoring it would take hours and cost a fee per GB."
    )


# -- Exercise 7.6: a year of storage, planned by the learner ---------------------------------------

_PLAN_KEYS = ("clean_up_after", "remove", "archive_after", "archive")


@exercise(
    "storage-year-plan",
    lesson=LESSON,
    title="Plan the next year of storage for your estate as it is now",
    answers=("plan", "year_usd"),
    hints=(
        "What is still unused and unprotected in your estate now, and what must stay?",
        "estate_from_sandbox(lab) reads the estate now; pricing.clean_up_candidates lists what no "
        "instance runs (leave out the protected image and the audit snapshot). Put the plan's "
        "options in a dict and pass it to pricing.project_monthly_costs(now, 12, **my_plan).",
        "now = estate_from_sandbox(lab)\n"
        "keep = {lab.ids['reports_db'], lab.ids['ledger_snapshot']}\n"
        "my_plan = {'clean_up_after': 0, "
        "'remove': [i for i in pricing.clean_up_candidates(now) if i not in keep]}\n"
        "my_year_usd = sum(pricing.project_monthly_costs(now, 12, **my_plan))",
    ),
    solution=(
        "now = estate_from_sandbox(lab)\n"
        "keep = {lab.ids['reports_db'], lab.ids['ledger_snapshot']}\n"
        "my_plan = {\n"
        "    'clean_up_after': 0,\n"
        "    'remove': [i for i in pricing.clean_up_candidates(now) if i not in keep],\n"
        "}\n"
        "my_year_usd = sum(pricing.project_monthly_costs(now, 12, **my_plan))"
    ),
)
def year_plan(sandbox: Any, plan: Any, year_usd: Any) -> str:
    from ..estate import estate_from_sandbox

    if not isinstance(plan, dict):
        found = "still ..." if plan is ... else f"{type(plan).__name__} {plan!r}"
        fail(
            "expected my_plan to be a dict of options for project_monthly_costs, but it is "
            + found,
            f"a dict whose keys are among {', '.join(_PLAN_KEYS)}",
        )
    unknown = sorted(set(plan) - set(_PLAN_KEYS))
    if unknown:
        fail(
            f"my_plan has {', '.join(map(repr, unknown))}, which is not a plan option",
            f"the options are {', '.join(_PLAN_KEYS)}",
        )
    estate = estate_from_sandbox(sandbox)  # read once: the sandbox does not change in a check
    problem = plan_problem(sandbox, plan, estate)
    if problem:
        fail(problem, "compare your plan with what no instance runs and nobody protected")
    try:
        year = sum(pricing.project_monthly_costs(estate, 12, **plan))
    except (TypeError, ValueError) as error:
        fail(f"project_monthly_costs refuses my_plan: {error}", "look at the values in my_plan")
        return ""
    as_is = sum(pricing.project_monthly_costs(estate, 12))
    if not isinstance(year_usd, (int, float)) or abs(year_usd - year) > 0.01:
        found = "still ..." if year_usd is ... else repr(year_usd)
        fail(
            f"my_year_usd is {found}, but your plan's twelve months add up to another amount",
            "add up the twelve months that project_monthly_costs gives for your plan",
        )
    return (
        f"your plan costs {pricing.format_usd(year)} over the year, against "
        f"{pricing.format_usd(as_is)} as is; what stays is the price of the images your fleets "
        "run and the ones kept on purpose."
    )
