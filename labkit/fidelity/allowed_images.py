"""Allowed AMIs: an account's guard rail on which images it may find and use (R29–R32).

AWS guide pages: "Control the discovery and use of AMIs in Amazon EC2 with Allowed AMIs"
(AWSEC2/latest/UserGuide/ec2-allowed-amis.html: "How Allowed AMIs works", "Allowed AMIs
operations", "Limits"), "Manage the settings for Allowed AMIs" (manage-settings-allowed-amis.html,
"Find AMIs that are allowed"); API reference: EnableAllowedImagesSettings,
GetAllowedImagesSettings, ReplaceImageCriteriaInAllowedImagesSettings, ImageCriterionRequest,
DescribeImages (``ImageAllowed``, filter ``image-allowed``); the EC2 error table
(InvalidAMIID.NotFound: "doesn't meet your Allowed AMIs criteria").

The setting is per account and Region (``account_settings``): ``disabled`` at first,
``audit-mode`` (nothing hidden; DescribeImages says what enabling would do) or ``enabled``
(images that match no criterion are left out of DescribeImages and cannot be launched or
copied). The account's own images are always allowed. Criteria are evaluated on the sandbox
clock, so an image can age out of ``CreationDateCondition`` as days pass.
"""

from __future__ import annotations

import datetime as _dt
import fnmatch
import re
from typing import Any

from labkit.seam.moto import ActionResult, Ami, EC2Response, moto_core_utils

from .account_settings import region_settings
from .callers import current_caller
from .errors import AwsError, image_not_found, invalid_parameter
from .patching import Patches

__all__ = [
    "AUDIT_MODE",
    "DISABLED",
    "ENABLED",
    "describable",
    "image_allowed",
    "install",
    "require_allowed",
]

DISABLED, AUDIT_MODE, ENABLED = "disabled", "audit-mode", "enabled"

#: Image providers a criterion may name besides 12-digit account IDs (ec2-allowed-amis).
_ALIASES = ("amazon", "aws-marketplace", "aws-backup-vault")
_NONE = "none"
_ACCOUNT_ID = re.compile(r"^\d{12}$")
#: ec2-allowed-amis "Limits": criteria per Region, and values per parameter of one criterion.
_MAX_CRITERIA = 10
_MAX_VALUES = {"ImageProviders": 200, "ImageNames": 50, "MarketplaceProductCodes": 50}


def _days_since(when: Any) -> float | None:
    if when is None:
        return None
    if isinstance(when, str):
        when = _dt.datetime.fromisoformat(when.replace("Z", "+00:00"))
    now = moto_core_utils.utcnow()
    # Compare in UTC whichever of the two carries a time zone.
    when = when.astimezone(_dt.timezone.utc).replace(tzinfo=None) if when.tzinfo else when
    now = now.astimezone(_dt.timezone.utc).replace(tzinfo=None) if now.tzinfo else now
    return (now - when).total_seconds() / 86400


def _provider_matches(image: Ami, provider: str) -> bool:
    if provider in _ALIASES:
        return image.owner_alias == provider
    return provider == image.owner_id  # "none" names no other owner


def _criterion_matches(image: Ami, criterion: dict[str, Any]) -> bool:
    """R30: every parameter of a criterion must hold (AND); any value of one parameter (OR)."""
    providers = criterion.get("ImageProviders") or []
    if providers and not any(_provider_matches(image, p) for p in providers):
        return False
    names = criterion.get("ImageNames") or []
    if names and not any(fnmatch.fnmatchcase(image.name or "", n) for n in names):
        return False
    codes = criterion.get("MarketplaceProductCodes") or []
    if codes and not set(codes) & set(image.product_codes or ()):
        return False
    created = (criterion.get("CreationDateCondition") or {}).get("MaximumDaysSinceCreated")
    if created is not None:
        age = _days_since(image.creation_date)
        if age is None or age > int(created):
            return False
    deprecated = (criterion.get("DeprecationTimeCondition") or {}).get("MaximumDaysSinceDeprecated")
    if deprecated is not None:
        since = _days_since(getattr(image, "deprecation_time", None))
        if since is not None and since > int(deprecated):  # 0: no deprecated image at all
            return False
    # Watermark and scan-result conditions: the sandbox's images carry neither, so a criterion
    # that asks for them is never met.
    return not (criterion.get("ImageWatermarks") or criterion.get("ScanResultCondition"))


def image_allowed(image: Ami, account_id: str, region: str) -> bool:
    """R30–R32: does the image meet the account's criteria in a Region (own images always do)?"""
    if image.owner_id == account_id:
        return True
    criteria = region_settings(account_id, region).allowed_images_criteria
    return any(_criterion_matches(image, c) for c in criteria)


def require_allowed(image: Ami, account_id: str, region: str) -> None:
    """R31: while Allowed AMIs is ``enabled``, an image that is not allowed cannot be found.

    RunInstances and CopyImage call this; the error is ``InvalidAMIID.NotFound``, which the EC2
    error table documents for an AMI that "doesn't meet your Allowed AMIs criteria".
    """
    if region_settings(account_id, region).allowed_images_state != ENABLED:
        return
    if not image_allowed(image, account_id, region):
        raise image_not_found(image.id)


def _image_allowed_field(self: Ami) -> bool | None:
    """``ImageAllowed`` in DescribeImages: present only while Allowed AMIs is not disabled."""
    region = self.ec2_backend.region_name
    account = current_caller() or self.owner_id
    if region_settings(account, region).allowed_images_state == DISABLED:
        return None
    return image_allowed(self, account, region)


def describable(
    images: list[Ami], account_id: str, region: str, wanted: list[str] | None = None
) -> list[Ami]:
    """R31, R32: DescribeImages' images, less those not allowed while the setting is
    ``enabled``, and selected by the ``image-allowed`` filter (``wanted``) if given.

    While the setting is ``disabled`` no image carries ``ImageAllowed``, so the filter
    selects none (chosen: AWS documents the filter for audit mode).
    """
    state = region_settings(account_id, region).allowed_images_state
    if state == ENABLED:
        images = [i for i in images if image_allowed(i, account_id, region)]
    if wanted is not None:
        if state == DISABLED:
            return []
        values = {str(v).lower() for v in wanted}
        images = [i for i in images if str(image_allowed(i, account_id, region)).lower() in values]
    return images


def _check_criteria(criteria: Any) -> list[dict[str, Any]]:
    """R30: the criteria as given, if within AWS's limits (no code documented: chosen)."""
    if not isinstance(criteria, list):
        criteria = []
    if len(criteria) > _MAX_CRITERIA:
        raise invalid_parameter(
            f"The request has {len(criteria)} image criteria; the limit is {_MAX_CRITERIA}"
        )
    for criterion in criteria:
        for name, limit in _MAX_VALUES.items():
            values = criterion.get(name) or []
            if len(values) > limit:
                raise invalid_parameter(
                    f"An image criterion has {len(values)} {name}; the limit is {limit}"
                )
        for provider in criterion.get("ImageProviders") or []:
            if provider not in (*_ALIASES, _NONE) and not _ACCOUNT_ID.match(str(provider)):
                raise invalid_parameter(
                    f"Value ({provider}) for parameter ImageProviders is invalid. Valid values "
                    "are amazon, aws-marketplace, aws-backup-vault, none, or an AWS account ID"
                )
        if _NONE in (criterion.get("ImageProviders") or []) and (
            len(criteria) > 1 or len(criterion) > 1 or len(criterion["ImageProviders"]) > 1
        ):
            raise invalid_parameter(
                "When ImageProviders is none, no other image criteria can be specified"
            )
    return [dict(c) for c in criteria]


def _enable(self: EC2Response) -> ActionResult:
    state = self._get_param("AllowedImagesSettingsState")
    self.error_on_dryrun()
    if state not in (ENABLED, AUDIT_MODE):
        raise AwsError(
            "InvalidParameterValue",
            f"Value ({state}) for parameter AllowedImagesSettingsState is invalid. Valid "
            f"values are {ENABLED} and {AUDIT_MODE}",
        )
    region_settings(self.current_account, self.region).allowed_images_state = state
    return ActionResult({"AllowedImagesSettingsState": state})


def _disable(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    region_settings(self.current_account, self.region).allowed_images_state = DISABLED
    return ActionResult({"AllowedImagesSettingsState": DISABLED})


def _get(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    settings = region_settings(self.current_account, self.region)
    answer: dict[str, Any] = {"State": settings.allowed_images_state, "ManagedBy": "account"}
    if settings.allowed_images_criteria:
        answer["ImageCriteria"] = settings.allowed_images_criteria
    return ActionResult(answer)


def _replace_criteria(self: EC2Response) -> ActionResult:
    criteria = _check_criteria(self._get_param("ImageCriteria", []))
    self.error_on_dryrun()
    region_settings(self.current_account, self.region).allowed_images_criteria = criteria
    return ActionResult({"ReturnValue": True})


def install(patches: Patches) -> None:
    """Answer the Allowed AMIs settings and DescribeImages' ``ImageAllowed`` (DescribeImages
    calls :func:`describable`, launching and copying :func:`require_allowed`)."""
    patches.add(EC2Response, "enable_allowed_images_settings", _enable)
    patches.add(EC2Response, "disable_allowed_images_settings", _disable)
    patches.add(EC2Response, "get_allowed_images_settings", _get)
    patches.add(EC2Response, "replace_image_criteria_in_allowed_images_settings", _replace_criteria)
    patches.add(Ami, "ImageAllowed", property(_image_allowed_field))
