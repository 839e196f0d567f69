"""Who lives in the sandbox: the lab's accounts, its organization, and the Regions it simulates."""

from __future__ import annotations

__all__ = [
    "ACCOUNTS",
    "HOME_REGION",
    "ORGANIZATION_ARN",
    "ORGANIZATIONAL_UNITS",
    "REGIONS",
    "account_name",
    "memberships",
]

#: The three accounts a learner works with, by name.
ACCOUNTS: dict[str, str] = {
    "learner": "111111111111",
    "partner": "222222222222",
    "seller": "333333333333",
}

#: The Regions the sandbox simulates; the first is where clients go unless told otherwise.
REGIONS: tuple[str, ...] = ("us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2")
HOME_REGION = REGIONS[0]

#: The learner's AWS Organization: the learner is its management account, the partner a member.
ORGANIZATION_ID = "o-a1b2c3d4e5"
ORGANIZATION_ARN = f"arn:aws:organizations::{ACCOUNTS['learner']}:organization/{ORGANIZATION_ID}"

#: Organizational units of that organization, by name: ARN and member accounts.
ORGANIZATIONAL_UNITS: dict[str, dict[str, object]] = {
    "partners": {
        "arn": (
            f"arn:aws:organizations::{ACCOUNTS['learner']}:ou/{ORGANIZATION_ID}/ou-a1b2-partners1"
        ),
        "accounts": (ACCOUNTS["partner"],),
    },
}


def account_name(account_id: str) -> str | None:
    """The lab name of an account ID (``"222222222222"`` → ``"partner"``), or None."""
    for name, number in ACCOUNTS.items():
        if number == account_id:
            return name
    return None


def memberships(account_id: str) -> set[str]:
    """The organization and OU ARNs an account belongs to (for org-wide sharing)."""
    arns: set[str] = set()
    if account_id in (ACCOUNTS["learner"], ACCOUNTS["partner"]):
        arns.add(ORGANIZATION_ARN)
    for unit in ORGANIZATIONAL_UNITS.values():
        if account_id in unit["accounts"]:  # type: ignore[operator]
            arns.add(str(unit["arn"]))
    return arns
