"""EC2 Fast Launch for Windows AMIs: Enable/DisableFastLaunch, DescribeFastLaunchImages.

AWS guide page: win-ami-config-fast-launch ("Configure EC2 Fast Launch settings for your
Windows Server AMI": Windows AMIs only, owned by the caller; EC2 keeps a number of
pre-provisioned snapshots, 5 by default; at least 6 parallel launches), and the EnableFastLaunch,
DisableFastLaunch and DescribeFastLaunchImages API reference (states ``enabling`` → ``enabled``,
``disabling``; ``ResourceType`` ``snapshot``).

The setting is ``image.lab_fast_launch`` on the owner's AMI. The sandbox runs no instances to
pre-provision snapshots: ``enabling`` lasts 10 sandbox minutes, then ``enabled``; ``disabling``
lasts 10 minutes, then the image is no longer listed. A Linux AMI is refused with
``UnsupportedOperation`` (AWS documents the rule, not the code; chosen).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from labkit.seam.moto import ActionResult, EC2Response, moto_core_utils

from .errors import AwsError, invalid_parameter
from .images import backends_in_region
from .lifecycle import owned_image
from .patching import Patches
from .state import FAST_LAUNCH

__all__ = ["fast_launch_state", "install"]

SETTLING = _dt.timedelta(minutes=10)
DEFAULT_SNAPSHOTS = 5
MIN_PARALLEL_LAUNCHES = 6


def _now() -> _dt.datetime:
    return moto_core_utils.utcnow()


def fast_launch_state(image: Any) -> str | None:
    """The image's Fast Launch state now, or None when it is off."""
    setting = FAST_LAUNCH.get(image)
    if setting is None:
        return None
    settled = _now() >= setting["StateTransitionTime"] + SETTLING
    if setting["lab_disabling"]:
        if settled:
            image.lab_fast_launch = None
            return None
        return "disabling"
    return "enabled" if settled else "enabling"


def _answer(image: Any) -> dict[str, Any]:
    state = fast_launch_state(image)
    setting = image.lab_fast_launch or {}
    answer = {k: v for k, v in setting.items() if not k.startswith("lab_") and v is not None}
    reason = "Client.UserInitiated" if state in ("enabling", "disabling") else "Launched"
    answer.update(ImageId=image.id, OwnerId=image.owner_id, State=state or "disabling")
    answer["StateTransitionReason"] = reason
    return answer


def _windows_image(backend: Any, image_id: Any, action: str) -> Any:
    image = owned_image(backend, image_id, action)
    if (image.platform or "").lower() != "windows":
        raise AwsError(
            "UnsupportedOperation",
            f"EC2 Fast Launch is supported for Windows AMIs only; {image.id} is "
            f"{getattr(image, 'platform_details', None) or 'Linux/UNIX'}",
        )
    return image


def enable_fast_launch(backend: Any, params: dict[str, Any]) -> dict[str, Any]:
    """EnableFastLaunch on the caller's Windows AMI (also changes the settings of one)."""
    image = _windows_image(backend, params.get("ImageId"), "enable Fast Launch for")
    kind = params.get("ResourceType") or "snapshot"
    if kind != "snapshot":
        raise invalid_parameter(f"ResourceType '{kind}' is not valid; use snapshot")
    parallel = int(params.get("MaxParallelLaunches") or MIN_PARALLEL_LAUNCHES)
    if parallel < MIN_PARALLEL_LAUNCHES:
        raise invalid_parameter("MaxParallelLaunches must be at least 6")
    count = int((params.get("SnapshotConfiguration") or {}).get("TargetResourceCount") or 0)
    image.lab_fast_launch = {
        "ResourceType": kind,
        "SnapshotConfiguration": {"TargetResourceCount": count or DEFAULT_SNAPSHOTS},
        "LaunchTemplate": params.get("LaunchTemplate"),
        "MaxParallelLaunches": parallel,
        "StateTransitionTime": _now(),
        "lab_disabling": False,
    }
    return _answer(image)


def disable_fast_launch(backend: Any, image_id: Any) -> dict[str, Any]:
    """DisableFastLaunch: the image stops being Fast Launch enabled (after ``disabling``)."""
    image = _windows_image(backend, image_id, "disable Fast Launch for")
    if fast_launch_state(image) is None:
        raise AwsError("IncorrectState", f"EC2 Fast Launch is not enabled for {image.id}")
    image.lab_fast_launch.update(StateTransitionTime=_now(), lab_disabling=True)
    return _answer(image)


def describe_fast_launch_images(backend: Any, image_ids: list, filters: list) -> list[dict]:
    """DescribeFastLaunchImages: the caller's Fast Launch enabled images."""
    found = []
    for other in backends_in_region(backend.region_name):
        for image in list(other.amis.values()):
            if image.owner_id == backend.account_id and fast_launch_state(image) is not None:
                found.append(_answer(image))
    if image_ids:
        found = [item for item in found if item["ImageId"] in image_ids]
    fields = {"resource-type": "ResourceType", "owner-id": "OwnerId", "state": "State"}
    for entry in filters:
        field = fields.get(entry.get("Name", ""))
        if field is None:
            raise invalid_parameter(f"The filter '{entry.get('Name')}' is invalid")
        found = [item for item in found if item[field] in entry.get("Values", [])]
    return found


def _enable_response(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    names = ("ImageId", "ResourceType", "SnapshotConfiguration", "LaunchTemplate")
    params = {name: self._get_param(name) for name in names}
    params["MaxParallelLaunches"] = self._get_param("MaxParallelLaunches")
    return ActionResult(enable_fast_launch(self.ec2_backend, params))


def _disable_response(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    return ActionResult(disable_fast_launch(self.ec2_backend, self._get_param("ImageId")))


def _describe_response(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    images = describe_fast_launch_images(
        self.ec2_backend, self._get_param("ImageIds", []), self._get_param("Filters", [])
    )
    return ActionResult({"FastLaunchImages": images})


def install(patches: Patches) -> None:
    """EnableFastLaunch, DisableFastLaunch and DescribeFastLaunchImages."""
    patches.add(EC2Response, "enable_fast_launch", _enable_response)
    patches.add(EC2Response, "disable_fast_launch", _disable_response)
    patches.add(EC2Response, "describe_fast_launch_images", _describe_response)
