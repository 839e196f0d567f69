"""Who may launch, read or copy an image, by the sandbox's own rules, for lessons 4, 5 and 8.

Like ``_keys``, these helpers ask the rules the sandbox enforces (``visibility.can_launch``,
``copying.storage_readable``, ``encryption.key_allows``) instead of keeping a second list, so a
check judges what the sandbox allows, not how the learner got there: a partner that can launch
an image through its OU *can* launch it. They also say, in words, every grant that reaches
further than the one account an exercise asks for.
"""

from __future__ import annotations

from ..accounts import ACCOUNTS, account_name
from ..fidelity import encryption as kms_rules
from ..fidelity.copying import storage_readable
from ..fidelity.images import find_image, image_snapshots
from ..fidelity.visibility import can_launch

__all__ = [
    "copy_blockers",
    "extra_grantees",
    "grantee_in_words",
    "key_users_beyond",
    "partner_can_launch",
    "removal",
]

#: An account the lab never names: if a key lets it in, it lets every AWS account in.
_ANY_ACCOUNT = "999999999999"


def grantee_in_words(permission: dict[str, str]) -> str:
    """One launch or create volume permission, in words.

    ``333333333333 (the seller)``, ``everyone (the group all)``, ``the OU arn:… (every account
    in it, now or later)``.
    """
    if "UserId" in permission:
        name = account_name(permission["UserId"])
        return f"{permission['UserId']} (the {name})" if name else permission["UserId"]
    if permission.get("Group") == "all":
        return "everyone (the group all)"
    if "OrganizationArn" in permission:
        return (
            f"the organization {permission['OrganizationArn']} (every account in it, now or later)"
        )
    if "OrganizationalUnitArn" in permission:
        return f"the OU {permission['OrganizationalUnitArn']} (every account in it, now or later)"
    return str(next(iter(permission.values()), ""))


def extra_grantees(permissions: list[dict[str, str]], account: str) -> list[dict[str, str]]:
    """The permissions that reach anyone but ``account`` (by its account ID)."""
    return [p for p in permissions if p != {"UserId": account}]


def removal(permissions: list[dict[str, str]]) -> str:
    """The permissions as a learner would type them in ``{'Remove': [...]}``."""
    return "[" + ", ".join(repr(p) for p in permissions) + "]"


def partner_can_launch(image_id: str, region: str, account: str) -> bool:
    """Whether the sandbox lets an account launch the image, by any route (ID, OU, org, all)."""
    image = find_image(region, image_id)
    return image is not None and can_launch(image, account)


def copy_blockers(image_id: str, region: str, account: str) -> list[str]:
    """The image's snapshots an account may not read, so that its CopyImage is refused (R14)."""
    image = find_image(region, image_id)
    if image is None:
        return []
    return [s.id for s in image_snapshots(image) if not storage_readable(image, s, account)]


def key_users_beyond(reference: str | None, owner: str, region: str, allowed: str) -> list[str]:
    """The accounts besides the key's owner and ``allowed`` that the key lets use it for EBS (any
    of the actions EBS needs, from a key policy statement or a grant), in words.

    ``["every AWS account (Principal '*')"]`` when it lets in an account nobody named.
    """
    key = kms_rules.find_key(reference, owner, region)
    if key is None:
        return []

    def uses(account: str) -> bool:
        return any(kms_rules.key_allows(key, account, a) for a in kms_rules.EBS_KEY_ACTIONS)

    if uses(_ANY_ACCOUNT):
        return ["every AWS account (a key policy statement with Principal '*')"]
    named = set(ACCOUNTS.values()) | set(kms_rules.accounts_named_by(key))
    others = sorted(named - {owner, allowed})
    return [f"{a} (the {account_name(a)})" if account_name(a) else a for a in others if uses(a)]
