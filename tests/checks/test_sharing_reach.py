"""Lesson 04's exercise 4.6: the contractor's share of billing-jobs-v2 taken back and the
partner's kept passes; the contractor still on, the partner taken off too, or a share wider
than the partner fails."""

from __future__ import annotations

import re

from check_helpers import PARTNER, SELLER, fails, launch, passes

from labkit.accounts import ORGANIZATIONAL_UNITS
from labkit.checks import get_exercise
from labkit.scenarios import CONTRACTOR_ACCOUNT

LESSON = "04-sharing"
CHECK = "sharing-take-back"
PARTNERS_OU = str(ORGANIZATIONAL_UNITS["partners"]["arn"])
#: A call written out in a tip: a name followed by "(".
CALL = re.compile(r"[A-Za-z_]\w*\(")


def permissions(lab, change: str, *grantees: dict) -> None:
    """Add or Remove launch permissions on billing-jobs-v2."""
    lab.client("ec2").modify_image_attribute(
        ImageId=lab.ids["jobs_image"], LaunchPermission={change: list(grantees)}
    )


def contractor_sees(lab) -> bool:
    """What the contractor's account would find: the sandbox's own rule, asked for that ID."""
    from labkit.checks._access import partner_can_launch

    return partner_can_launch(lab.ids["jobs_image"], "us-east-1", CONTRACTOR_ACCOUNT)


class TestTakeBack:
    def test_the_starting_state(self, lab):
        """The lesson starts with the partner and the contractor on billing-jobs-v2."""
        found = lab.client("ec2").describe_image_attribute(
            ImageId=lab.ids["jobs_image"], Attribute="launchPermission"
        )["LaunchPermissions"]
        assert sorted(p["UserId"] for p in found) == sorted([PARTNER, CONTRACTOR_ACCOUNT])
        assert lab.ids["contractor"] == CONTRACTOR_ACCOUNT
        assert contractor_sees(lab)

    def test_reference_answer_passes(self, lab):
        """The contractor's launch permission removed, the partner's kept: passes."""
        permissions(lab, "Remove", {"UserId": CONTRACTOR_ACCOUNT})
        result = passes(CHECK, lab.sandbox)
        assert result.message == (
            f"the contractor {CONTRACTOR_ACCOUNT} can no longer launch billing-jobs-v2 "
            f"({lab.ids['jobs_image']}); the partner {PARTNER} still can. Instances the "
            "contractor launched before keep running."
        )
        assert not contractor_sees(lab)
        launch(lab, lab.ids["jobs_image"], account="partner")  # the partner still launches it

    def test_the_registered_solution_passes(self, lab):
        """The solution lab.hint shows, run as given, passes."""
        exec(get_exercise(CHECK).solution, {"lab": lab, "ec2": lab.client("ec2")})
        passes(CHECK, lab.sandbox)

    def test_nothing_done(self, lab):
        """The starting state fails: the contractor may still launch it; the tip gives no call."""
        result = fails(CHECK, lab.sandbox)
        assert result.message == (
            f"the contractor {CONTRACTOR_ACCOUNT} may still launch billing-jobs-v2 "
            f"({lab.ids['jobs_image']}): its launch permission is still there"
        )
        assert not CALL.search(result.hint)

    def test_a_typo_in_the_id_taken_back(self, lab):
        """Taking back a mistyped ID succeeds silently (as AWS does): the ❌ says the contractor's
        permission is still there and points at comparing the IDs, with no call."""
        permissions(lab, "Remove", {"UserId": "555566667778"})
        result = fails(CHECK, lab.sandbox)
        assert result.message.startswith(f"the contractor {CONTRACTOR_ACCOUNT} may still launch")
        assert "compare the ID you gave with the one listed" in result.hint
        assert not CALL.search(result.hint)

    def test_both_taken_back(self, lab):
        """Everyone removed: the partner lost its share too, so it fails."""
        permissions(lab, "Remove", {"UserId": CONTRACTOR_ACCOUNT}, {"UserId": PARTNER})
        result = fails(CHECK, lab.sandbox)
        assert result.message == (
            f"the partner {PARTNER} can no longer launch billing-jobs-v2 "
            f"({lab.ids['jobs_image']}), and it still uses the image: only the contractor's "
            "share was to go"
        )
        assert not CALL.search(result.hint)

    def test_partner_moved_to_the_ou(self, lab):
        """The partner's own permission swapped for the OU: wider than the partner, fails."""
        permissions(lab, "Remove", {"UserId": CONTRACTOR_ACCOUNT}, {"UserId": PARTNER})
        permissions(lab, "Add", {"OrganizationalUnitArn": PARTNERS_OU})
        assert fails(CHECK, lab.sandbox).message.startswith(
            f"the partner {PARTNER} can no longer launch billing-jobs-v2"
        )

    def test_contractor_gone_but_seller_added(self, lab):
        """The contractor removed and the seller added: fails, naming the seller."""
        permissions(lab, "Remove", {"UserId": CONTRACTOR_ACCOUNT})
        permissions(lab, "Add", {"UserId": SELLER})
        result = fails(CHECK, lab.sandbox)
        assert result.message == (
            f"billing-jobs-v2 ({lab.ids['jobs_image']}) is shared with the partner, and also "
            "with 333333333333 (the seller): more than the partner alone"
        )
        assert not CALL.search(result.hint)

    def test_made_public(self, lab):
        """Public (block public access switched off first): the contractor can still launch it."""
        lab.client("ec2").disable_image_block_public_access()
        permissions(lab, "Remove", {"UserId": CONTRACTOR_ACCOUNT})
        permissions(lab, "Add", {"Group": "all"})
        assert contractor_sees(lab)
        assert fails(CHECK, lab.sandbox).message == (
            f"billing-jobs-v2 ({lab.ids['jobs_image']}) is public: the contractor, and every "
            "other AWS account, can launch it"
        )

    def test_image_deregistered(self, lab):
        """Deregistering the image is not taking a share back: fails, saying it is gone."""
        lab.client("ec2").deregister_image(ImageId=lab.ids["jobs_image"])
        assert fails(CHECK, lab.sandbox).message == (
            "your image billing-jobs-v2 is gone (deregistered?)"
        )

    def test_the_ladder_ends_with_the_call(self):
        """The last hint shows the call with the 'Remove' form."""
        last = get_exercise(CHECK).hints[-1]
        assert "modify_image_attribute(" in last and "'Remove'" in last
