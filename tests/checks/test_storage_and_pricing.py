"""Lesson 07's checks: the reference answers pass, typical wrong states fail with their message."""

from __future__ import annotations

import re

import pytest
from check_helpers import PARTNER, fails, passes, snapshots_of

LESSON = "07-storage-and-pricing"
REMOVE = "storage-remove-costliest-unused"
ARCHIVE = "storage-archive-ledger"
WHOSE_BILL = "storage-whose-bill"
LEARNER = "111111111111"
#: Exercise 7.1's answer: who AWS bills for each charge (R12, R16), written out here.
PAYERS = {"snapshots": LEARNER, "instances": PARTNER, "transfer": LEARNER, "copy storage": PARTNER}


def remove(lab, key: str, region: str, *, delete_snapshots: bool = True) -> list[str]:
    """Deregister one of the lesson's images (by its lab.ids name); its snapshots."""
    ec2 = lab.client("ec2", region=region)
    snapshots = snapshots_of(lab, lab.ids[key], region)
    ec2.deregister_image(ImageId=lab.ids[key])
    if delete_snapshots:
        for snapshot in snapshots:
            ec2.delete_snapshot(SnapshotId=snapshot)
    return snapshots


def analytics_fleet(lab) -> list[str]:
    """The analytics fleet's instances in eu-west-1, which run analytics-v7."""
    flt = [{"Name": "tag:Fleet", "Values": ["analytics"]}]
    reservations = lab.client("ec2", region="eu-west-1").describe_instances(Filters=flt)
    return [i["InstanceId"] for r in reservations["Reservations"] for i in r["Instances"]]


class TestWhoseBill:
    def test_reference_answer_passes(self, lab):
        """The owner pays the snapshots and the copy's transfer; the partner the rest."""
        assert passes(WHOSE_BILL, lab.sandbox, payers=PAYERS).message.startswith(
            "right: you pay analytics-v7's snapshots and the transfer of the partner's copy"
        )

    def test_account_names_pass_as_well_as_ids(self, lab):
        names = {LEARNER: "learner", PARTNER: "partner"}
        passes(WHOSE_BILL, lab.sandbox, payers={k: names.get(v, v) for k, v in PAYERS.items()})

    @pytest.mark.parametrize("charge", sorted(PAYERS))
    def test_each_wrong_payer_fails_naming_the_charge(self, lab, charge):
        """Any one charge given to the other account fails, naming that charge only."""
        other = LEARNER if PAYERS[charge] == PARTNER else PARTNER
        result = fails(WHOSE_BILL, lab.sandbox, payers={**PAYERS, charge: other})
        assert result.message.endswith(
            f"({other}) pays for the {charge}; AWS bills another account for it"
        )

    def test_the_copier_paying_the_transfer_fails(self, lab):
        """The older rule (the copier pays the transfer) is the mistake the lesson warns about."""
        result = fails(WHOSE_BILL, lab.sandbox, payers={**PAYERS, "transfer": PARTNER})
        assert result.message == (
            f"my_payers says the partner account ({PARTNER}) pays for the transfer; AWS bills "
            "another account for it"
        )
        assert "*Who pays*" in result.hint and not re.search(r"[A-Za-z_]\w*\(", result.hint)

    def test_no_answer_yet(self, lab):
        result = fails(WHOSE_BILL, lab.sandbox)
        assert result.message == (
            "expected my_payers to be a dict from each charge to an account ID, but it is still ..."
        )

    def test_missing_charge(self, lab):
        payers = {k: v for k, v in PAYERS.items() if k != "copy storage"}
        assert fails(WHOSE_BILL, lab.sandbox, payers=payers).message == (
            "my_payers has no key 'copy storage'"
        )

    def test_misspelt_charge(self, lab):
        """'copy_storage' for 'copy storage': the ❌ names the key given and the key missing."""
        payers = {k: v for k, v in PAYERS.items() if k != "copy storage"}
        result = fails(WHOSE_BILL, lab.sandbox, payers={**payers, "copy_storage": PARTNER})
        assert result.message == (
            "my_payers has no key 'copy storage', and has 'copy_storage', which is not a charge "
            "the exercise lists"
        )

    def test_ids_as_the_console_shows_them_pass(self, lab):
        """1111-1111-1111, as the console's account menu shows an ID, is read as the ID."""
        dashed = {k: "-".join([v[:4], v[4:8], v[8:]]) for k, v in PAYERS.items()}
        passes(WHOSE_BILL, lab.sandbox, payers=dashed)

    def test_not_an_account(self, lab):
        result = fails(WHOSE_BILL, lab.sandbox, payers={**PAYERS, "instances": "the partner"})
        assert result.message == (
            "my_payers['instances'] is 'the partner', which is no account of the lab"
        )

    def test_the_image_gone(self, lab):
        """Without analytics-v7 there is nothing to bill: the check says so."""
        remove(lab, "analytics", "eu-west-1")
        assert fails(WHOSE_BILL, lab.sandbox, payers=PAYERS).message == (
            "your image analytics-v7 in eu-west-1 is gone"
        )


class TestRemoveCostliestUnused:
    def test_reference_answer_passes(self, lab):
        """ml-training-v1 deregistered and its snapshots deleted passes."""
        remove(lab, "ml_training", "us-west-2")
        assert passes(REMOVE, lab.sandbox).message == (
            "ml-training-v1 (us-west-2) and its snapshots are gone: $3.33/month saved. The "
            "fleets' images (analytics-v7, web-server-v3) and the protected reports-db-v4 are "
            "untouched."
        )

    def test_deregister_with_delete_associated_snapshots_passes(self, lab):
        """DeregisterImage with DeleteAssociatedSnapshots=True is a complete clean-up too."""
        lab.client("ec2", region="us-west-2").deregister_image(
            ImageId=lab.ids["ml_training"], DeleteAssociatedSnapshots=True
        )
        passes(REMOVE, lab.sandbox)

    def test_nothing_done(self, lab):
        """With nothing removed, the check says the costliest unused image is still there."""
        assert fails(REMOVE, lab.sandbox).message == (
            "the costliest image that no instance runs and nobody protected is still "
            "registered, in one of your four Regions (it costs $3.33/month)"
        )

    def test_snapshots_left_behind(self, lab):
        """Deregistering only: the snapshots are named, still billed."""
        left = remove(lab, "ml_training", "us-west-2", delete_snapshots=False)
        assert fails(REMOVE, lab.sandbox).message == (
            f"ml-training-v1 is deregistered, but its snapshots {', '.join(left)} are still "
            "in us-west-2, billed $3.33/month: deregistering alone saves nothing"
        )

    def test_costliest_image_in_use_removed(self, lab):
        """Removing analytics-v7, the dearest image but a fleet's, breaks the fleet."""
        remove(lab, "analytics", "eu-west-1")
        (instance,) = analytics_fleet(lab)
        assert fails(REMOVE, lab.sandbox).message == (
            f"analytics-v7 in eu-west-1 is gone, but the fleets still run 1 instance from it "
            f"({instance}): the next instance they launch (scaling out, replacing a failed one) "
            "would fail"
        )

    def test_protected_image_removed(self, lab):
        """Switching protection off to remove reports-db-v4 fails."""
        lab.client("ec2").disable_image_deregistration_protection(ImageId=lab.ids["reports_db"])
        remove(lab, "reports_db", "us-east-1")
        assert fails(REMOVE, lab.sandbox).message == (
            "reports-db-v4 in us-east-1 is gone, but it had deregistration protection: someone "
            "keeps it on purpose, and protection says so"
        )

    def test_fleet_stopped(self, lab):
        """Terminating a fleet to make its image look unused fails, naming the fleet."""
        ec2 = lab.client("ec2", region="eu-west-1")
        ec2.terminate_instances(InstanceIds=analytics_fleet(lab))
        assert fails(REMOVE, lab.sandbox).message == (
            "the analytics fleet (learner account, eu-west-1) no longer runs: its instances from "
            "analytics-v7 were stopped or terminated"
        )


class TestArchiveLedger:
    def test_reference_answer_passes(self, lab):
        """The ledger snapshot in the archive tier passes."""
        lab.client("ec2").modify_snapshot_tier(
            SnapshotId=lab.ids["ledger_snapshot"], StorageTier="archive"
        )
        assert passes(ARCHIVE, lab.sandbox).message.startswith(
            "ledger-db-2023-final is archived: $0.50/month instead of $2.00/month."
        )

    def test_still_standard(self, lab):
        """Not archived: the message gives both monthly prices."""
        assert fails(ARCHIVE, lab.sandbox).message == (
            f"ledger-db-2023-final ({lab.ids['ledger_snapshot']}) is in the standard tier, "
            "billed $2.00/month; archived it would cost $0.50/month"
        )

    def test_another_snapshot_archived(self, lab):
        """Archiving a different (orphaned) snapshot leaves the ledger standard."""
        (orphan, *_) = remove(lab, "ml_training", "us-west-2", delete_snapshots=False)
        lab.client("ec2", region="us-west-2").modify_snapshot_tier(
            SnapshotId=orphan, StorageTier="archive"
        )
        assert "is in the standard tier" in fails(ARCHIVE, lab.sandbox).message

    def test_deleted(self, lab):
        """Deleting the audit snapshot fails: it has to be kept."""
        lab.client("ec2").delete_snapshot(SnapshotId=lab.ids["ledger_snapshot"])
        assert fails(ARCHIVE, lab.sandbox).message == (
            "the audit snapshot ledger-db-2023-final is gone, but it must be kept until "
            "2026-12-31 (its KeepUntil tag)"
        )


DEPRECATE = "storage-deprecate-replaced"
RESTORE = "storage-restore-from-bin"
PLAN = "storage-year-plan"


def deprecate(lab, key: str, region: str = "us-east-1") -> None:
    """Deprecate one of the lesson's images 30 days from now by the sandbox's clock."""
    import datetime as dt

    lab.client("ec2", region=region).enable_image_deprecation(
        ImageId=lab.ids[key], DeprecateAt=lab.now() + dt.timedelta(days=30)
    )


class TestDeprecateReplaced:
    def test_reference_answer_passes(self, lab):
        """web-server-v2 deprecated, nothing else: passes."""
        deprecate(lab, "web_v2")
        assert passes(DEPRECATE, lab.sandbox).message.startswith(
            f"web-server-v2 ({lab.ids['web_v2']}) is deprecated from 2025-04-"
        )

    def test_nothing_deprecated(self, lab):
        """With nothing deprecated, the check says one image has a newer version, not which."""
        result = fails(DEPRECATE, lab.sandbox)
        assert result.message == (
            "none of your images is deprecated yet, though one of them has a newer version"
        )
        assert "web-server-v2" not in result.hint

    def test_current_image_deprecated_too(self, lab):
        """Deprecating web-server-v3, which the fleets run and nothing replaces, fails."""
        deprecate(lab, "web_v2")
        deprecate(lab, "web_v3")
        assert fails(DEPRECATE, lab.sandbox).message == (
            f"web-server-v3 in us-east-1 ({lab.ids['web_v3']}) is deprecated, but no newer "
            "version replaces it: accounts you share it with stop finding it"
        )

    def test_replaced_image_removed(self, lab):
        """Deregistering web-server-v2 instead of deprecating it fails."""
        remove(lab, "web_v2", "us-east-1")
        assert fails(DEPRECATE, lab.sandbox).message.startswith(
            "web-server-v2 in us-east-1 is no longer registered"
        )


def binned_web_v3(lab) -> None:
    """The lesson's state before exercise 7.3: a rule, and web-server-v3 deregistered into it."""
    lab.client("rbin").create_rule(
        ResourceType="EC2_IMAGE",
        RetentionPeriod={"RetentionPeriodValue": 7, "RetentionPeriodUnit": "DAYS"},
    )
    lab.client("ec2").deregister_image(ImageId=lab.ids["web_v3"])


class TestRestoreFromBin:
    def test_reference_answer_passes(self, lab):
        """web-server-v3 restored from the bin passes."""
        binned_web_v3(lab)
        lab.client("ec2").restore_image_from_recycle_bin(ImageId=lab.ids["web_v3"])
        passes(RESTORE, lab.sandbox)

    def test_still_in_the_bin(self, lab):
        """Left in the bin: the check says so, and asks what the bin allows."""
        binned_web_v3(lab)
        result = fails(RESTORE, lab.sandbox)
        assert result.message == (
            f"web-server-v3 ({lab.ids['web_v3']}) is still in the Recycle Bin: the fleets that "
            "run it cannot launch a new instance from it"
        )
        assert "restore_image_from_recycle_bin" not in result.hint

    def test_gone_for_good(self, lab):
        """Deregistered with no rule: gone, and not in the bin."""
        lab.client("ec2").deregister_image(ImageId=lab.ids["web_v3"])
        assert fails(RESTORE, lab.sandbox).message == (
            "web-server-v3 in us-east-1 is gone, and not in the Recycle Bin either"
        )


def plan_now(lab, *, keep_extra: tuple[str, ...] = (), clean_up_after: int = 0) -> dict:
    """The reference plan for the estate now, and its year's total."""
    from labkit import pricing
    from labkit.estate import estate_from_sandbox

    now = estate_from_sandbox(lab)
    keep = {lab.ids["reports_db"], lab.ids["ledger_snapshot"], *keep_extra}
    plan = {
        "clean_up_after": clean_up_after,
        "remove": [i for i in pricing.clean_up_candidates(now) if i not in keep],
    }
    return {"plan": plan, "year_usd": sum(pricing.project_monthly_costs(now, 12, **plan))}


class TestYearPlan:
    def test_reference_answer_passes(self, lab):
        """Removing every unused, unprotected image now, with the right total, passes."""
        assert passes(PLAN, lab.sandbox, **plan_now(lab)).message.startswith("your plan costs")

    def test_clean_up_in_three_months_passes(self, lab):
        """The learner chooses when: three months is allowed."""
        passes(PLAN, lab.sandbox, **plan_now(lab, clean_up_after=3))

    def test_too_late(self, lab):
        """Six months is more than the exercise allows."""
        assert fails(PLAN, lab.sandbox, **plan_now(lab, clean_up_after=6)).message == (
            "your plan cleans up after 6 months; the exercise asks for 3 at the most"
        )

    def test_removes_the_protected_image(self, lab):
        """A plan that removes reports-db-v4 fails: someone protected it."""
        answers = plan_now(lab)
        answers["plan"]["remove"].append(lab.ids["reports_db"])
        assert fails(PLAN, lab.sandbox, **answers).message == (
            f"your plan removes reports-db-v4 ({lab.ids['reports_db']}), but someone protected it"
        )

    def test_keeps_an_unused_image(self, lab):
        """A plan that keeps ml-training-v1 all year fails, naming it."""
        answers = plan_now(lab, keep_extra=(lab.ids["ml_training"],))
        assert fails(PLAN, lab.sandbox, **answers).message == (
            f"your plan keeps ml-training-v1 ({lab.ids['ml_training']}) all year, though nothing "
            "runs it and nobody protected it"
        )

    def test_archives_a_fleet_image(self, lab):
        """Archiving the web fleet's image is not possible: an image you keep launches from it."""
        answers = plan_now(lab)
        answers["plan"] |= {"archive_after": 0, "archive": [lab.ids["web_v3"]]}
        assert fails(PLAN, lab.sandbox, **answers).message == (
            f"your plan archives {lab.ids['web_v3']}, which an image you keep launches from"
        )

    def test_wrong_total(self, lab):
        """A total that is not the plan's twelve months fails."""
        answers = plan_now(lab) | {"year_usd": 1.0}
        assert fails(PLAN, lab.sandbox, **answers).message == (
            "my_year_usd is 1.0, but your plan's twelve months add up to another amount"
        )

    def test_not_a_plan(self, lab):
        """An unknown option fails, naming it."""
        answers = plan_now(lab)
        answers["plan"]["delete"] = []
        assert fails(PLAN, lab.sandbox, **answers).message == (
            "my_plan has 'delete', which is not a plan option"
        )

    def test_names_something_that_is_not_there(self, lab):
        """An ID that is not in the estate now fails, naming it (not a broken check)."""
        answers = plan_now(lab)
        answers["plan"]["remove"].append("ami-00000000000000000")
        assert fails(PLAN, lab.sandbox, **answers).message == (
            "your plan names 'ami-00000000000000000', which is not an image or orphaned snapshot "
            "of yours now"
        )

    def test_options_the_projection_refuses(self, lab):
        """A value project_monthly_costs refuses fails with its message, not as a broken check."""
        answers = plan_now(lab)
        answers["plan"] |= {"archive_after": -1, "archive": []}
        result = fails(PLAN, lab.sandbox, **answers)
        assert result.message.startswith("project_monthly_costs refuses my_plan: ")


class TestRemoveCostliestWithTheFleetImageInTheBin:
    def test_fleet_image_in_the_bin(self, lab):
        """Before 7.3 is done, 7.4 says the fleet's image is in the bin, not that it is gone."""
        binned_web_v3(lab)
        assert fails(REMOVE, lab.sandbox).message == (
            "web-server-v3 in us-east-1, which the fleets run, is in the Recycle Bin"
        )
