"""Recycle Bin retention rules: the ``rbin`` service, for AMIs (R27) and snapshots (R39).

AWS guide pages: recycle-bin ("Recycle Bin"), recycle-bin-concepts (Region-level and tag-level
rules, exclusion tags, which rule wins), recycle-bin-lock and recycle-bin-unlock (locking a
Region-level rule; the unlock delay of 7–30 days), and the ``rbin`` API reference.

moto has no ``rbin`` service; ``routing.py`` sends its requests here. Rules live on each
account's EC2 backend for the Region (``backend.lab_rbin_rules``), so a sandbox reset clears
them. Lock states move on the sandbox clock: an unlocked rule is ``pending_unlock`` until its
delay has passed, then ``unlocked``. ``recycle_bin.py`` (AMIs) and ``snapshot_recycle_bin.py``
ask :func:`matching_rule` which rule keeps a deleted resource.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from labkit.seam.moto import ActionResult, BaseResponse, moto_core_utils

from .patching import Patches
from .routing import JsonServiceError, route_service
from .state import RBIN_RULES

__all__ = ["RecycleBinResponse", "install", "keeping_rule", "matching_rule", "retention", "rules"]

#: Resource types the sandbox keeps; EBS_VOLUME rules (2025) are refused with a message saying so.
RESOURCE_TYPES = ("EBS_SNAPSHOT", "EC2_IMAGE")
#: The resource types of the rbin API's model (AWS's enum, in its order).
AWS_RESOURCE_TYPES = ("EBS_SNAPSHOT", "EC2_IMAGE", "EBS_VOLUME")
_RULE_FIELDS = (
    "Identifier",
    "Description",
    "ResourceType",
    "RetentionPeriod",
    "ResourceTags",
    "ExcludeResourceTags",
    "Status",
    "LockConfiguration",
    "LockState",
    "LockEndTime",
    "RuleArn",
)


def _now() -> _dt.datetime:
    return moto_core_utils.utcnow()


def rules(backend: Any) -> dict[str, dict[str, Any]]:
    """The retention rules of one account in one Region, by identifier (lock states brought up
    to the sandbox clock)."""
    store = RBIN_RULES.get(backend)
    if store is None:
        store = backend.lab_rbin_rules = {}
    now = _now()
    for rule in store.values():
        if rule["LockState"] == "pending_unlock" and rule["LockEndTime"] <= now:
            rule["LockState"], rule["LockEndTime"] = "unlocked", None
    return store


def retention(rule: dict[str, Any]) -> _dt.timedelta:
    """How long a rule keeps what it retains."""
    return _dt.timedelta(days=int(rule["RetentionPeriod"]["RetentionPeriodValue"]))


def matching_rule(backend: Any, resource_type: str, tags: dict[str, str]) -> dict[str, Any] | None:
    """R39: the rule that keeps a deleted resource with these tags, or None.

    A tag-level rule (``ResourceTags``) matches a resource carrying any one of its tags; a
    Region-level rule matches every resource without one of its ``ExcludeResourceTags``.
    Tag-level rules win over Region-level ones; among the winners the longest retention wins.
    """

    def has(tag: dict[str, str]) -> bool:
        key, value = tag.get("ResourceTagKey"), tag.get("ResourceTagValue")
        return key in tags and (not value or tags[key] == value)

    tag_level, region_level = [], []
    for rule in rules(backend).values():
        if rule["ResourceType"] != resource_type:
            continue
        if rule.get("ResourceTags"):
            if any(has(tag) for tag in rule["ResourceTags"]):
                tag_level.append(rule)
        elif not any(has(tag) for tag in rule.get("ExcludeResourceTags") or []):
            region_level.append(rule)
    winners = tag_level or region_level
    return max(winners, key=retention) if winners else None


def keeping_rule(
    account_id: str, region: str, resource_type: str, tags: dict[str, str]
) -> dict[str, Any] | None:
    """The rule that would keep a resource of one account and Region, deleted now with these
    tags (:func:`matching_rule` on that account's backend), or None."""
    from labkit.seam.moto import ec2_backends

    return matching_rule(ec2_backends[account_id][region], resource_type, tags)


def _error(kind: str, message: str, status: int = 400) -> JsonServiceError:
    return JsonServiceError(kind, message, status)


def _conflict(rule: dict[str, Any], action: str) -> JsonServiceError:
    state = rule["LockState"]
    extra = f" until {rule['LockEndTime']:%Y-%m-%dT%H:%M:%SZ}" if state == "pending_unlock" else ""
    return JsonServiceError(
        "ConflictException",
        f"The retention rule {rule['Identifier']} is {state}{extra} and cannot be {action}",
        409,
        Reason="INVALID_RULE_STATE",
    )


def _check_lock_configuration(config: Any) -> dict[str, Any]:
    delay = (config or {}).get("UnlockDelay") or {}
    value = delay.get("UnlockDelayValue")
    if delay.get("UnlockDelayUnit") != "DAYS" or not isinstance(value, int) or not 7 <= value <= 30:
        raise _error(
            "ValidationException",
            "LockConfiguration needs an UnlockDelay of 7 to 30 DAYS (UnlockDelayValue, "
            "UnlockDelayUnit)",
        )
    return {"UnlockDelay": {"UnlockDelayValue": value, "UnlockDelayUnit": "DAYS"}}


def _not_in_enum(value: Any, where: str, allowed: tuple[str, ...]) -> JsonServiceError:
    """AWS's own answer for a value outside an API enum (the JSON services' validation text)."""
    return _error(
        "ValidationException",
        f"1 validation error detected: Value '{value}' at '{where}' failed to satisfy "
        f"constraint: Member must satisfy enum value set: [{', '.join(allowed)}]",
    )


def _checked(rule: dict[str, Any]) -> dict[str, Any]:
    kind = rule.get("ResourceType")
    if kind not in (*RESOURCE_TYPES, "EBS_VOLUME"):
        raise _not_in_enum(kind, "resourceType", AWS_RESOURCE_TYPES)
    if kind not in RESOURCE_TYPES:  # AWS keeps volumes too; the sandbox has no deleted volumes
        raise _error(
            "ValidationException",
            f"ResourceType {kind!r}: the sandbox's Recycle Bin keeps EBS_SNAPSHOT and EC2_IMAGE",
        )
    period = rule.get("RetentionPeriod") or {}
    value = period.get("RetentionPeriodValue")
    if period.get("RetentionPeriodUnit") not in (None, "DAYS"):
        raise _not_in_enum(
            period["RetentionPeriodUnit"], "retentionPeriod.retentionPeriodUnit", ("DAYS",)
        )
    if period.get("RetentionPeriodUnit") != "DAYS" or not isinstance(value, int):
        raise _error(
            "ValidationException", "RetentionPeriod needs RetentionPeriodUnit DAYS and a value"
        )
    if not 1 <= value <= 365:
        raise _error("ValidationException", "RetentionPeriodValue must be between 1 and 365 days")
    if rule.get("ResourceTags") and rule.get("ExcludeResourceTags"):
        raise _error(
            "ValidationException",
            "A rule takes ResourceTags (tag-level) or ExcludeResourceTags (Region-level), not both",
        )
    if rule.get("LockConfiguration") and rule.get("ResourceTags"):
        raise _error("ValidationException", "Only Region-level retention rules can be locked")
    return rule


def _answer(rule: dict[str, Any], fields: tuple[str, ...] = _RULE_FIELDS) -> dict[str, Any]:
    return {k: rule[k] for k in fields if rule.get(k) not in (None, [])}


class RecycleBinResponse(BaseResponse):
    """The ``rbin`` API (rest-json, as boto3's ``rbin`` client sends it)."""

    def __init__(self) -> None:
        super().__init__(service_name="rbin")
        self.automated_parameter_parsing = True

    @property
    def _backend(self) -> Any:
        from labkit.seam.moto import ec2_backends

        return ec2_backends[self.current_account][self.region]

    def _rule(self) -> dict[str, Any]:
        identifier = self._get_param("Identifier")
        rule = rules(self._backend).get(identifier)
        if rule is None:
            raise _error(
                "ResourceNotFoundException", f"Retention rule {identifier} does not exist", 404
            )
        return rule

    def create_rule(self) -> ActionResult:
        from labkit.seam.moto import mock_random

        identifier = mock_random.get_random_string(length=11)
        lock = self._get_param("LockConfiguration")
        rule = _checked(
            {
                "Identifier": identifier,
                "Description": self._get_param("Description"),
                "ResourceType": self._get_param("ResourceType"),
                "RetentionPeriod": self._get_param("RetentionPeriod"),
                "ResourceTags": self._get_param("ResourceTags") or [],
                "ExcludeResourceTags": self._get_param("ExcludeResourceTags") or [],
                "Status": "available",
                "LockConfiguration": _check_lock_configuration(lock) if lock else None,
                "LockState": "locked" if lock else "unlocked",
                "LockEndTime": None,
                "RuleArn": f"arn:aws:rbin:{self.region}:{self.current_account}:rule/{identifier}",
            }
        )
        rules(self._backend)[identifier] = rule
        rule["lab_tags"] = {t["Key"]: t.get("Value", "") for t in self._get_param("Tags") or []}
        answer = _answer(rule)
        answer["Tags"] = self._get_param("Tags") or []
        return ActionResult(answer)

    def get_rule(self) -> ActionResult:
        return ActionResult(_answer(self._rule()))

    def update_rule(self) -> ActionResult:
        rule = self._rule()
        if rule["LockState"] != "unlocked":
            raise _conflict(rule, "modified")
        changed = dict(rule)
        for name in ("Description", "RetentionPeriod", "ResourceTags", "ExcludeResourceTags"):
            if self._get_param(name) is not None:
                changed[name] = self._get_param(name)
        kind = self._get_param("ResourceType")
        if kind is not None and kind != rule["ResourceType"]:
            raise _error("ValidationException", "A retention rule's ResourceType cannot change")
        rules(self._backend)[rule["Identifier"]] = _checked(changed)
        return ActionResult(_answer(changed))

    def delete_rule(self) -> ActionResult:
        rule = self._rule()
        if rule["LockState"] != "unlocked":
            raise _conflict(rule, "deleted")
        rules(self._backend).pop(rule["Identifier"])
        return ActionResult({})

    def lock_rule(self) -> ActionResult:
        """LockRule: Region-level rules only; re-locking during the unlock delay is allowed,
        and the delay chosen at the first lock cannot change (recycle-bin-unlock)."""
        rule = self._rule()
        config = _check_lock_configuration(self._get_param("LockConfiguration"))
        if rule.get("ResourceTags"):
            raise _error("ValidationException", "Only Region-level retention rules can be locked")
        if rule.get("LockConfiguration") not in (None, config):
            raise _error(
                "ValidationException",
                "The unlock delay of a retention rule cannot change after it was first locked",
            )
        rule.update(LockConfiguration=config, LockState="locked", LockEndTime=None)
        return ActionResult(_answer(rule, _RULE_FIELDS[:-2] + ("RuleArn",)))

    def unlock_rule(self) -> ActionResult:
        """UnlockRule: the rule stays unmodifiable for its unlock delay (sandbox clock)."""
        rule = self._rule()
        if rule["LockState"] == "locked":
            days = rule["LockConfiguration"]["UnlockDelay"]["UnlockDelayValue"]
            rule.update(LockState="pending_unlock", LockEndTime=_now() + _dt.timedelta(days=days))
        return ActionResult(_answer(rule))

    def list_rules(self) -> ActionResult:
        kind = self._get_param("ResourceType")
        state = self._get_param("LockState")
        wanted_tags = self._get_param("ResourceTags") or []
        listed = [
            _answer(rule, ("Identifier", "Description", "RetentionPeriod", "LockState", "RuleArn"))
            for rule in rules(self._backend).values()
            if rule["ResourceType"] == kind
            and (state is None or rule["LockState"] == state)
            and all(tag in rule.get("ResourceTags", []) for tag in wanted_tags)
        ]
        return ActionResult({"Rules": listed})

    def _rule_by_arn(self) -> dict[str, Any]:
        arn = self._get_param("ResourceArn") or ""
        for rule in rules(self._backend).values():
            if rule["RuleArn"] == arn:
                return rule
        raise _error("ResourceNotFoundException", f"Retention rule {arn} does not exist", 404)

    def list_tags_for_resource(self) -> ActionResult:
        tags = self._rule_by_arn().get("lab_tags", {})
        return ActionResult({"Tags": [{"Key": k, "Value": v} for k, v in tags.items()]})

    def tag_resource(self) -> ActionResult:
        rule = self._rule_by_arn()
        for tag in self._get_param("Tags") or []:
            rule.setdefault("lab_tags", {})[tag["Key"]] = tag.get("Value", "")
        return ActionResult({})

    def untag_resource(self) -> ActionResult:
        rule = self._rule_by_arn()
        for key in self._get_param("TagKeys") or []:
            rule.setdefault("lab_tags", {}).pop(key, None)
        return ActionResult({})


def install(patches: Patches) -> None:
    """Route the ``rbin`` service to the sandbox's retention rules."""
    route_service(patches, "rbin", RecycleBinResponse.dispatch)
