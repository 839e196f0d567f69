"""Amazon Data Lifecycle Manager: the ``dlm`` service and its EBS-backed AMI policies.

AWS guide pages: "Automate backups with Amazon Data Lifecycle Manager"
(``ebs/latest/userguide/snapshot-lifecycle.html``), "Create an Amazon Data Lifecycle Manager
custom policy for EBS-backed AMIs" (``ebs/latest/userguide/ami-policy.html``: target
instances by tag, one to four schedules, a count- or age-based retain rule that deregisters old
AMIs and deletes their snapshots, a deprecate rule no longer than the retain rule, ``NoReboot``
true by default), and the ``dlm`` API reference (CreateLifecyclePolicy, GetLifecyclePolicies,
GetLifecyclePolicy, UpdateLifecyclePolicy, DeleteLifecyclePolicy, tags).

moto has no ``dlm`` service; ``routing.py`` sends its requests here. Policies live on each
account's EC2 backend for the Region (``backend.lab_dlm_policies``), so a sandbox reset clears
them. The sandbox runs ``IMAGE_MANAGEMENT`` policies with interval schedules on its clock
(``policy_runs.py``); snapshot and event-based policies, cron schedules and default policies
are refused with ``InvalidRequestException`` saying so (docs/fidelity.md).
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from labkit.seam.moto import ActionResult, BaseResponse, moto_core_utils

from .policy_schedules import start_schedules
from .routing import JsonServiceError
from .state import DLM_POLICIES

__all__ = ["LifecyclePolicyResponse", "check_policy_details", "holders", "policies"]

#: CreateRule intervals DLM accepts, in hours (API reference, CreateRule Interval).
INTERVALS = (1, 2, 3, 4, 6, 8, 12, 24)
MAX_SCHEDULES = 4
_ROLE_ARN = re.compile(r"^arn:aws(-[a-z]+)*:iam::\d{12}:role/[\w+=,.@/-]+$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_UNIT_DAYS = {"DAYS": 1, "WEEKS": 7, "MONTHS": 30, "YEARS": 365}


def _now() -> _dt.datetime:
    return moto_core_utils.utcnow()


#: The EC2 backends that have held policies, by (account, Region): every request looks here for
#: due runs, so it must stay small (a reset replaces the backends; stale ones are dropped).
_HOLDERS: dict[tuple[str, str], Any] = {}


def policies(backend: Any) -> dict[str, dict[str, Any]]:
    """The lifecycle policies of one account in one Region, by policy ID."""
    store = DLM_POLICIES.get(backend)
    if store is None:
        store = backend.lab_dlm_policies = {}
        _HOLDERS[(backend.account_id, backend.region_name)] = backend
    return store


def holders() -> list[Any]:
    """The current EC2 backends that hold policies (those of a reset sandbox are forgotten)."""
    from labkit.seam.moto import ec2_backends

    current = []
    for key, backend in list(_HOLDERS.items()):
        account = dict.get(ec2_backends, key[0])
        if account is None or dict.get(account, key[1]) is not backend:
            del _HOLDERS[key]
        else:
            current.append(backend)
    return current


def invalid(message: str, **fields: Any) -> JsonServiceError:
    """DLM's ``InvalidRequestException`` (HTTP 400)."""
    return JsonServiceError(
        "InvalidRequestException", message, 400, Code="InvalidRequest", **fields
    )


def period_days(rule: dict[str, Any]) -> int:
    """An age-based rule's period in days (months count 30 days, years 365)."""
    return int(rule["Interval"]) * _UNIT_DAYS[rule["IntervalUnit"]]


def _check_age_or_count(rule: dict[str, Any], name: str) -> str:
    count, interval, unit = rule.get("Count"), rule.get("Interval"), rule.get("IntervalUnit")
    if count is not None and (interval is not None or unit is not None):
        raise invalid(f"{name} takes Count or Interval and IntervalUnit, not both")
    if count is not None:
        if not 1 <= int(count) <= 1000:
            raise invalid(f"{name} Count must be between 1 and 1000")
        return "count"
    if interval is None or unit not in _UNIT_DAYS or int(interval) < 1:
        raise invalid(f"{name} needs Count, or Interval with IntervalUnit DAYS|WEEKS|MONTHS|YEARS")
    return "age"


def _check_schedule(schedule: dict[str, Any]) -> None:
    name = schedule.get("Name") or "schedule"
    create = schedule.get("CreateRule") or {}
    if create.get("CronExpression"):
        raise invalid(
            f"Schedule {name}: the sandbox runs Interval schedules only (CronExpression is not "
            "simulated)"
        )
    if create.get("Interval") not in INTERVALS or create.get("IntervalUnit") != "HOURS":
        raise invalid(
            f"Schedule {name}: CreateRule needs IntervalUnit HOURS and an Interval of "
            f"{', '.join(map(str, INTERVALS))}"
        )
    times = create.get("Times") or []
    if len(times) > 1 or not all(_TIME.match(t) for t in times):
        raise invalid(f"Schedule {name}: Times takes one start time, hh:mm in UTC")
    retain = schedule.get("RetainRule")
    if not retain:
        raise invalid(
            f"Schedule {name}: a RetainRule is required", RequiredParameters=["RetainRule"]
        )
    kind = _check_age_or_count(retain, "RetainRule")
    deprecate = schedule.get("DeprecateRule")
    if deprecate:
        if _check_age_or_count(deprecate, "DeprecateRule") != kind:
            raise invalid("DeprecateRule must be count-based or age-based as the RetainRule is")
        if kind == "count" and deprecate["Count"] > retain["Count"]:
            raise invalid("DeprecateRule Count cannot exceed the RetainRule Count")
        if kind == "age" and period_days(deprecate) > period_days(retain):
            raise invalid("DeprecateRule period cannot exceed the RetainRule period")
    for unsupported in ("CrossRegionCopyRules", "ShareRules", "ArchiveRule", "FastRestoreRule"):
        if schedule.get(unsupported):
            raise invalid(f"Schedule {name}: {unsupported} is not simulated by the sandbox")


def check_policy_details(details: Any) -> dict[str, Any]:
    """An IMAGE_MANAGEMENT policy's details as the sandbox can run them, or ``invalid``."""
    if not isinstance(details, dict):
        raise invalid("PolicyDetails is required", RequiredParameters=["PolicyDetails"])
    kind = details.get("PolicyType", "EBS_SNAPSHOT_MANAGEMENT")
    if kind != "IMAGE_MANAGEMENT":
        raise invalid(
            f"PolicyType {kind}: the sandbox runs IMAGE_MANAGEMENT (EBS-backed AMI) policies only"
        )
    if details.get("ResourceTypes") != ["INSTANCE"]:
        raise invalid("An IMAGE_MANAGEMENT policy targets ResourceTypes ['INSTANCE']")
    tags = details.get("TargetTags") or []
    if not tags or not all(t.get("Key") for t in tags):
        raise invalid("TargetTags must name at least one tag", RequiredParameters=["TargetTags"])
    schedules = details.get("Schedules") or []
    if not 1 <= len(schedules) <= MAX_SCHEDULES:
        raise invalid("A policy has one to four Schedules")
    names = [s.get("Name") for s in schedules]
    if len(set(names)) != len(names):
        raise invalid("Schedule names must be unique within a policy")
    for schedule in schedules:
        _check_schedule(schedule)
    return details


class LifecyclePolicyResponse(BaseResponse):
    """The ``dlm`` API (rest-json, as boto3's ``dlm`` client sends it)."""

    def __init__(self) -> None:
        super().__init__(service_name="dlm")
        self.automated_parameter_parsing = True

    @property
    def _backend(self) -> Any:
        from labkit.seam.moto import ec2_backends

        return ec2_backends[self.current_account][self.region]

    def _policy(self) -> dict[str, Any]:
        policy_id = self._get_param("PolicyId")
        policy = policies(self._backend).get(policy_id)
        if policy is None:
            raise JsonServiceError(
                "ResourceNotFoundException",
                f"Lifecycle policy {policy_id} does not exist",
                404,
                Code="ResourceNotFound",
                ResourceType="LifecyclePolicy",
                ResourceIds=[policy_id],
            )
        return policy

    def _checked_common(self, role: Any, state: Any, description: Any) -> None:
        if role is not None and not _ROLE_ARN.match(str(role)):
            raise invalid(f"ExecutionRoleArn '{role}' is not an IAM role ARN")
        if state is not None and state not in ("ENABLED", "DISABLED"):
            raise invalid("State must be ENABLED or DISABLED")
        if description is not None and not re.match(r"^[0-9A-Za-z _-]{0,500}$", description):
            raise invalid("Description: up to 500 letters, digits, spaces, - and _")

    def create_lifecycle_policy(self) -> ActionResult:
        from labkit.seam.moto import mock_random

        if self._get_param("DefaultPolicy"):
            raise invalid("Default policies are not simulated by the sandbox; give PolicyDetails")
        role, state = self._get_param("ExecutionRoleArn"), self._get_param("State")
        description = self._get_param("Description")
        self._checked_common(role, state, description)
        details = check_policy_details(self._get_param("PolicyDetails"))
        policy_id = "policy-" + mock_random.get_random_hex(17)
        now = _now()
        policy = {
            "PolicyId": policy_id,
            "Description": description,
            "State": state,
            "ExecutionRoleArn": role,
            "DateCreated": now,
            "DateModified": now,
            "PolicyDetails": details,
            "Tags": dict(self._get_param("Tags") or {}),
            "PolicyArn": f"arn:aws:dlm:{self.region}:{self.current_account}:policy/{policy_id}",
        }
        start_schedules(policy, now)
        policies(self._backend)[policy_id] = policy
        return ActionResult({"PolicyId": policy_id})

    def get_lifecycle_policy(self) -> ActionResult:
        policy = self._policy()
        answer = {k: v for k, v in policy.items() if not k.startswith("lab_")}
        answer["StatusMessage"] = policy.get("lab_error") or policy["State"]
        return ActionResult({"Policy": answer})

    def get_lifecycle_policies(self) -> ActionResult:
        wanted = self._get_param("PolicyIds") or []
        state = self._get_param("State")
        target_tags = self._get_param("TargetTags") or []
        found = []
        for policy in policies(self._backend).values():
            details = policy["PolicyDetails"]
            tags = [f"{t['Key']}={t.get('Value', '')}" for t in details.get("TargetTags", [])]
            if wanted and policy["PolicyId"] not in wanted:
                continue
            if state and policy["State"] != state:
                continue
            if target_tags and not set(target_tags) & set(tags):
                continue
            found.append(
                {
                    "PolicyId": policy["PolicyId"],
                    "Description": policy["Description"],
                    "State": policy["State"],
                    "Tags": policy["Tags"],
                    "PolicyType": details["PolicyType"],
                }
            )
        return ActionResult({"Policies": found})

    def update_lifecycle_policy(self) -> ActionResult:
        policy = self._policy()
        role, state = self._get_param("ExecutionRoleArn"), self._get_param("State")
        description = self._get_param("Description")
        self._checked_common(role, state, description)
        details = self._get_param("PolicyDetails")
        if details is not None:
            policy["PolicyDetails"] = check_policy_details(details)
        for name, value in (("ExecutionRoleArn", role), ("Description", description)):
            if value is not None:
                policy[name] = value
        now = _now()
        if details is not None or (state is not None and state != policy["State"]):
            start_schedules(policy, now)  # schedules start afresh from the change
        if state is not None:
            policy["State"] = state
        policy["DateModified"] = now
        return ActionResult({})

    def delete_lifecycle_policy(self) -> ActionResult:
        policies(self._backend).pop(self._policy()["PolicyId"])
        return ActionResult({})

    def _policy_by_arn(self) -> dict[str, Any]:
        arn = self._get_param("ResourceArn") or ""
        for policy in policies(self._backend).values():
            if policy["PolicyArn"] == arn:
                return policy
        raise JsonServiceError(
            "ResourceNotFoundException", f"Lifecycle policy {arn} does not exist", 404
        )

    def list_tags_for_resource(self) -> ActionResult:
        return ActionResult({"Tags": dict(self._policy_by_arn()["Tags"])})

    def tag_resource(self) -> ActionResult:
        self._policy_by_arn()["Tags"].update(self._get_param("Tags") or {})
        return ActionResult({})

    def untag_resource(self) -> ActionResult:
        tags = self._policy_by_arn()["Tags"]
        for key in self._get_param("TagKeys") or []:
            tags.pop(key, None)
        return ActionResult({})
