"""The year-plan check reads the estate once and hands it to ``plan_problem``: the twin test of
that speed-up asks ``plan_problem`` both ways, about right and wrong plans, and gets the same."""

from __future__ import annotations

import pytest
from test_storage_and_pricing import plan_now

from labkit.checks._estate_reading import plan_problem
from labkit.estate import estate_from_sandbox

LESSON = "07-storage-and-pricing"


def plans(lab) -> dict[str, dict]:
    reference = plan_now(lab)["plan"]
    return {
        "reference": reference,
        "keeps an unused image": plan_now(lab, keep_extra=(reference["remove"][0],))["plan"],
        "removes the protected image": {
            **reference,
            "remove": [*reference["remove"], lab.ids["reports_db"]],
        },
        "removes the audit snapshot": {
            **reference,
            "remove": [*reference["remove"], lab.ids["ledger_snapshot"]],
        },
        "names something unknown": {"remove": ["ami-00000000000000000"]},
        "empty": {},
    }


@pytest.mark.parametrize(
    "name",
    [
        "reference",
        "keeps an unused image",
        "removes the protected image",
        "removes the audit snapshot",
        "names something unknown",
        "empty",
    ],
)
def test_same_answer_with_the_estate_given(lab, name):
    plan = plans(lab)[name]
    given = plan_problem(lab.sandbox, plan, estate_from_sandbox(lab))
    assert given == plan_problem(lab.sandbox, plan)
    assert (given is None) == (name == "reference")
