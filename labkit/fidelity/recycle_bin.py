"""The Recycle Bin for AMIs: retention rules keep deregistered images restorable (R27).

AWS guide pages: recycle-bin ("Recycle Bin"), recycle-bin-working-with-amis ("Recover deleted
AMIs from the Recycle Bin"), and the ``rbin`` API reference.

moto has no ``rbin`` service, so the sandbox adds a small one: retention rules for EC2_IMAGE
(CreateRule, GetRule, ListRules, UpdateRule, DeleteRule, rule tags) and EC2's
ListImagesInRecycleBin and RestoreImageFromRecycleBin. Rules and the bin live on each account's
EC2 backend for the Region (``backend.lab_rbin_rules``, ``backend.lab_recycle_bin``), so a
sandbox reset clears them. DeregisterImage (``lifecycle.py``) hands images to :func:`retain`.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

import moto.backend_index
import moto.backends
import moto.core.utils
from moto.core.exceptions import JsonRESTError
from moto.core.responses import ActionResult, BaseResponse
from moto.ec2.models.amis import Ami, AmiBackend
from moto.ec2.responses import EC2Response

from .errors import AwsError, missing_parameter
from .images import check_image_id
from .patching import Patches

__all__ = ["RecycleBinResponse", "binned", "install", "retain"]

_RULE_TYPES = ("EC2_IMAGE",)


class _RbinError(JsonRESTError):
    def __init__(self, error_type: str, message: str, status: int = 400) -> None:
        super().__init__(error_type, message)
        self.code = status


def binned(backend: Any) -> dict[str, dict[str, Any]]:
    """Images of this account and Region in the Recycle Bin: ID → image, enter and exit times.

    Images whose retention has ended on the sandbox clock leave the bin for good first.
    """
    store = getattr(backend, "lab_recycle_bin", None)
    if store is None:
        store = backend.lab_recycle_bin = {}
    now = moto.core.utils.utcnow()
    for image_id in [i for i, e in store.items() if e["exit"] <= now]:
        store.pop(image_id)
        backend.deleted_amis.append(image_id)
    return store


def _rules(backend: Any) -> dict[str, dict[str, Any]]:
    rules = getattr(backend, "lab_rbin_rules", None)
    if rules is None:
        rules = backend.lab_rbin_rules = {}
    return rules


def _retention(rule: dict[str, Any]) -> _dt.timedelta:
    return _dt.timedelta(days=int(rule["RetentionPeriod"]["RetentionPeriodValue"]))


def _matching_rule(backend: Any, image: Ami) -> dict[str, Any] | None:
    """The retention rule that keeps a deregistered image: the longest of those that match."""
    tags = dict(image.ec2_backend.tags.get(image.id, {}))  # the owner's own tags

    def has(tag: dict[str, str]) -> bool:
        key, value = tag.get("ResourceTagKey"), tag.get("ResourceTagValue")
        return key in tags and (not value or tags[key] == value)

    matches = []
    for rule in _rules(backend).values():
        if rule["ResourceType"] != "EC2_IMAGE":
            continue
        if rule.get("ResourceTags"):
            if any(has(tag) for tag in rule["ResourceTags"]):
                matches.append(rule)
        elif not any(has(tag) for tag in rule.get("ExcludeResourceTags") or []):
            matches.append(rule)
    return max(matches, key=_retention) if matches else None


def retain(backend: Any, image: Ami) -> bool:
    """Put a just-deregistered image in the bin if a retention rule matches it.

    Returns:
        True if a rule keeps the image (until the rule's retention period ends).
    """
    rule = _matching_rule(backend, image)
    if rule is None:
        return False
    now = moto.core.utils.utcnow()
    binned(backend)[image.id] = {"image": image, "enter": now, "exit": now + _retention(rule)}
    return True


def _rule_answer(rule: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in rule.items() if v not in (None, []) and not k.startswith("lab_")}


class RecycleBinResponse(BaseResponse):
    """The ``rbin`` API for EC2_IMAGE retention rules (rest-json, as boto3's ``rbin`` client)."""

    def __init__(self) -> None:
        super().__init__(service_name="rbin")
        self.automated_parameter_parsing = True

    @property
    def _backend(self) -> Any:
        from moto.ec2.models import ec2_backends

        return ec2_backends[self.current_account][self.region]

    def _rule(self) -> dict[str, Any]:
        identifier = self._get_param("Identifier")
        rule = _rules(self._backend).get(identifier)
        if rule is None:
            raise _RbinError(
                "ResourceNotFoundException", f"Retention rule {identifier} does not exist", 404
            )
        return rule

    def _checked(self, rule: dict[str, Any]) -> dict[str, Any]:
        kind = rule.get("ResourceType")
        if kind not in _RULE_TYPES:
            raise _RbinError(
                "ValidationException",
                f"ResourceType {kind!r}: the sandbox's Recycle Bin keeps EC2_IMAGE (AMIs) only",
            )
        period = rule.get("RetentionPeriod") or {}
        value = period.get("RetentionPeriodValue")
        if period.get("RetentionPeriodUnit") != "DAYS" or not isinstance(value, int):
            raise _RbinError(
                "ValidationException", "RetentionPeriod needs RetentionPeriodUnit DAYS and a value"
            )
        if not 1 <= value <= 365:
            raise _RbinError(
                "ValidationException", "RetentionPeriodValue must be between 1 and 365 days"
            )
        if rule.get("ResourceTags") and rule.get("ExcludeResourceTags"):
            raise _RbinError(
                "ValidationException",
                "A rule takes ResourceTags (tag-level) or ExcludeResourceTags (Region-level), "
                "not both",
            )
        return rule

    def create_rule(self) -> ActionResult:
        from moto.moto_api._internal import mock_random

        identifier = mock_random.get_random_string(length=11)
        rule = self._checked(
            {
                "Identifier": identifier,
                "Description": self._get_param("Description"),
                "ResourceType": self._get_param("ResourceType"),
                "RetentionPeriod": self._get_param("RetentionPeriod"),
                "ResourceTags": self._get_param("ResourceTags") or [],
                "ExcludeResourceTags": self._get_param("ExcludeResourceTags") or [],
                "Status": "available",
                "LockState": "unlocked",
                "RuleArn": f"arn:aws:rbin:{self.region}:{self.current_account}:rule/{identifier}",
            }
        )
        _rules(self._backend)[identifier] = rule
        rule["lab_tags"] = {t["Key"]: t.get("Value", "") for t in self._get_param("Tags") or []}
        answer = _rule_answer(rule)
        answer["Tags"] = self._get_param("Tags") or []
        return ActionResult(answer)

    def get_rule(self) -> ActionResult:
        return ActionResult(_rule_answer(self._rule()))

    def update_rule(self) -> ActionResult:
        rule = dict(self._rule())
        for name in ("Description", "ResourceType", "RetentionPeriod"):
            if self._get_param(name) is not None:
                rule[name] = self._get_param(name)
        for name in ("ResourceTags", "ExcludeResourceTags"):
            if self._get_param(name) is not None:
                rule[name] = self._get_param(name)
        _rules(self._backend)[rule["Identifier"]] = self._checked(rule)
        return ActionResult(_rule_answer(rule))

    def delete_rule(self) -> ActionResult:
        _rules(self._backend).pop(self._rule()["Identifier"])
        return ActionResult({})

    def _rule_by_arn(self) -> dict[str, Any]:
        arn = self._get_param("ResourceArn") or ""
        for rule in _rules(self._backend).values():
            if rule["RuleArn"] == arn:
                return rule
        raise _RbinError("ResourceNotFoundException", f"Retention rule {arn} does not exist", 404)

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

    def lock_rule(self) -> ActionResult:
        raise _RbinError(
            "ValidationException", "The sandbox does not simulate locked retention rules"
        )

    unlock_rule = lock_rule

    def list_rules(self) -> ActionResult:
        kind = self._get_param("ResourceType")
        rules = [
            {
                k: rule.get(k)
                for k in ("Identifier", "Description", "RetentionPeriod", "LockState", "RuleArn")
                if rule.get(k) is not None
            }
            for rule in _rules(self._backend).values()
            if rule["ResourceType"] == kind
        ]
        return ActionResult({"Rules": rules})


class _RecycleBinService:
    """What moto's request router needs from a backend: the URLs it answers."""

    urls = {r"https?://rbin\.(.+)\.amazonaws\.com/.*": RecycleBinResponse.dispatch}


_RBIN_URL = ("rbin", re.compile(r"https?://rbin\.(.+)\.amazonaws\.com"))
_ORIGINAL_GET_BACKEND = moto.backends.get_backend


def _get_backend(name: str) -> Any:
    if name == "rbin":
        return {"global": _RecycleBinService()}
    return _ORIGINAL_GET_BACKEND(name)  # type: ignore[call-overload]


def list_images_in_recycle_bin(self: AmiBackend, image_ids: list[str]) -> list[dict[str, Any]]:
    """ListImagesInRecycleBin: the caller's deregistered images that a rule still keeps."""
    entries = binned(self)
    return [
        {
            "ImageId": image_id,
            "Name": entry["image"].name,
            "Description": entry["image"].description,
            "RecycleBinEnterTime": entry["enter"],
            "RecycleBinExitTime": entry["exit"],
        }
        for image_id, entry in entries.items()
        if not image_ids or image_id in image_ids
    ]


def restore_image_from_recycle_bin(self: AmiBackend, image_id: str) -> None:
    """RestoreImageFromRecycleBin: the image is registered again, as it was."""
    backend: Any = self
    if not image_id:
        raise missing_parameter("ImageId")
    check_image_id(image_id)
    entry = binned(backend).pop(image_id, None)
    if entry is None:
        raise AwsError(
            "InvalidAMIID.NotFound",
            f"The image id '[{image_id}]' does not exist",
        )
    image = entry["image"]
    image.state = "available"
    backend.amis[image_id] = image


def _list_recycle_bin_response(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    images = self.ec2_backend.list_images_in_recycle_bin(self._get_param("ImageIds", []))
    return ActionResult({"Images": images})


def _restore_from_recycle_bin_response(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    self.ec2_backend.restore_image_from_recycle_bin(self._get_param("ImageId"))
    return ActionResult({"Return": True})


def install(patches: Patches) -> None:
    """Add the ``rbin`` service to moto's routing, and EC2's Recycle Bin actions for images."""
    patches.replace(moto.backends, "get_backend", _get_backend)
    patches.replace(
        moto.backend_index,
        "backend_url_patterns",
        [*moto.backend_index.backend_url_patterns, _RBIN_URL],
    )
    patches.add(AmiBackend, "list_images_in_recycle_bin", list_images_in_recycle_bin)
    patches.add(AmiBackend, "restore_image_from_recycle_bin", restore_image_from_recycle_bin)
    patches.add(EC2Response, "list_images_in_recycle_bin", _list_recycle_bin_response)
    patches.add(EC2Response, "restore_image_from_recycle_bin", _restore_from_recycle_bin_response)
