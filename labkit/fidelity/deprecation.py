"""Deprecation: owner-only, on a date, with AWS's two-year default for public images (R26).

AWS guide page: ami-deprecate ("Deprecate an Amazon EC2 AMI": only the owner deprecates;
``DeprecateAt`` is rounded to the minute, cannot be in the past and is at most 10 years ahead;
a public image deprecates two years after creation unless set earlier, and to cancel or move it
later the image must be made private), and the EnableImageDeprecation API reference.

State: ``image.deprecation_time`` (a property over ``_lab_deprecation_time`` that applies the
public default). Other accounts' listings leave deprecated images out (``visibility.py``).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from labkit.seam.moto import ActionResult, Ami, AmiBackend, EC2Response, moto_core_utils

from .errors import invalid_parameter, missing_parameter
from .lifecycle import owned_image
from .patching import Patches
from .rendering import aws_time

__all__ = ["MAX_DEPRECATION_YEARS", "PUBLIC_DEPRECATION_YEARS", "install"]

#: Public images deprecate two years after creation unless set earlier (ami-deprecate, Note).
PUBLIC_DEPRECATION_YEARS = 2
#: DeprecateAt may be at most ten years ahead (EnableImageDeprecation API reference).
MAX_DEPRECATION_YEARS = 10


def _now() -> _dt.datetime:
    return moto_core_utils.utcnow()


def _years_later(when: _dt.datetime, years: int) -> _dt.datetime:
    try:
        return when.replace(year=when.year + years)
    except ValueError:  # 29 February
        return when.replace(year=when.year + years, day=28)


def _get_deprecation_time(self: Ami) -> _dt.datetime | None:
    """R26: the set deprecation time; public images deprecate two years after creation at most."""
    explicit = self.__dict__.get("_lab_deprecation_time")
    if not self.is_public or self.creation_date is None:
        return explicit
    default = _years_later(self.creation_date, PUBLIC_DEPRECATION_YEARS)
    return explicit if explicit is not None and explicit < default else default


def _set_deprecation_time(self: Ami, when: _dt.datetime | None) -> None:
    self.__dict__["_lab_deprecation_time"] = when


def _round_to_minute(when: _dt.datetime) -> _dt.datetime:
    when = when.astimezone(_dt.timezone.utc).replace(tzinfo=None) if when.tzinfo else when
    rounded = when.replace(second=0, microsecond=0)
    if when.second >= 30:
        rounded += _dt.timedelta(minutes=1)
    return rounded


def enable_image_deprecation(self: AmiBackend, image_id: str, deprecate_at: Any) -> None:
    """EnableImageDeprecation: owner only; rounded to the minute; not in the past; ≤ 10 years
    ahead, or ≤ two years after creation for a public image (ami-deprecate)."""
    image = owned_image(self, image_id, "deprecate")
    if deprecate_at is None or deprecate_at == "":
        raise missing_parameter("DeprecateAt")
    if isinstance(deprecate_at, str):
        try:
            deprecate_at = _dt.datetime.fromisoformat(deprecate_at.replace("Z", "+00:00"))
        except ValueError:
            raise invalid_parameter(
                f"DeprecateAt '{deprecate_at}' is not a date and time"
            ) from None
    when = _round_to_minute(deprecate_at)
    now = _now()
    if when < now.replace(second=0, microsecond=0):
        raise invalid_parameter(f"DeprecateAt {aws_time(when)} is in the past")
    if image.is_public:
        limit = _years_later(image.creation_date, PUBLIC_DEPRECATION_YEARS)
        if when > limit:
            raise invalid_parameter(
                f"The deprecation time of public image {image_id} cannot be later than "
                f"{aws_time(limit)}, two years after its creation"
            )
    elif when > _years_later(now, MAX_DEPRECATION_YEARS):
        raise invalid_parameter(
            f"DeprecateAt {aws_time(when)} is more than {MAX_DEPRECATION_YEARS} years from now"
        )
    image.deprecation_time = when


def disable_image_deprecation(self: AmiBackend, image_id: str) -> None:
    """DisableImageDeprecation: owner only; a public image keeps its two-year default."""
    image = owned_image(self, image_id, "change the deprecation of")
    if image.is_public:
        raise invalid_parameter(f"The deprecation of public image {image_id} cannot be cancelled")
    image.deprecation_time = None


def _enable_deprecation_response(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    self.ec2_backend.enable_image_deprecation(
        self._get_param("ImageId"), self._get_param("DeprecateAt")
    )
    return ActionResult({"Return": True})


def _disable_deprecation_response(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    self.ec2_backend.disable_image_deprecation(self._get_param("ImageId"))
    return ActionResult({"Return": True})


def install(patches: Patches) -> None:
    """R26: deprecation dates, and Enable/DisableImageDeprecation."""
    patches.add(Ami, "deprecation_time", property(_get_deprecation_time, _set_deprecation_time))
    patches.add(AmiBackend, "enable_image_deprecation", enable_image_deprecation)
    patches.add(AmiBackend, "disable_image_deprecation", disable_image_deprecation)
    patches.add(EC2Response, "enable_image_deprecation", _enable_deprecation_response)
    patches.add(EC2Response, "disable_image_deprecation", _disable_deprecation_response)
