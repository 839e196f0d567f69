"""What an account may do with images and snapshots that others share with it (R38, R13).

AWS guide pages: "Cancel having an AMI shared with your AWS account"
(AWSEC2/latest/UserGuide/cancel-sharing-an-AMI.html; API reference:
CancelImageLaunchPermission), and "Tag your Amazon EC2 resources" — tag restrictions: public and
shared resources can be tagged, but the tags are available only to the account that added them
(sharingamis-explicit says the same of shared AMIs).

Leaving a share (R38): an account an AMI was shared with by account ID can remove itself from
the AMI's launch permissions; the AMI then leaves its listings and lookups, and only the owner
can share it again. It cannot leave a public AMI, or a share made with its organization or OU
(the page limits the action to AMIs shared with "your AWS account"). AWS documents no error
codes for those refusals; the sandbox's choices are below and in docs/fidelity.md.

Tagging (R13): moto checked a tagged snapshot in the caller's own account only, so tagging a
snapshot shared with you failed (``InvalidSnapshot.NotFound`` with no message). Here a snapshot
the caller may see (its own, shared with it, or public) can be tagged; the tags go to the
caller's account, where ``sharing`` reads them for that account alone. Images already go
through DescribeImages, which sees shared images.
"""

from __future__ import annotations

from typing import Any

from labkit.seam.moto import ActionResult, EC2Backend, EC2Response

from .errors import AwsError, image_not_found, missing_parameter
from .images import backends_in_region, check_image_id, find_image
from .patching import Patches
from .visibility import can_create_volume, can_launch
from .volumes import snapshot_not_found

__all__ = ["cancel_image_launch_permission", "install", "require_visible_snapshot"]

_ORIGINAL_DO_RESOURCES_EXIST = EC2Backend.do_resources_exist


def cancel_image_launch_permission(region: str, image_id: str, account_id: str) -> None:
    """R38: remove ``account_id``'s own launch permission from another account's image.

    Raises:
        AwsError: ``InvalidAMIID.Malformed``; ``InvalidAMIID.NotFound`` for an image the
            account cannot see; ``InvalidParameterValue`` (chosen) for its own image, or for
            one it sees only because it is public or shared with its organization or OU.
    """
    check_image_id(image_id)
    image = find_image(region, image_id)
    if image is None or not can_launch(image, account_id):
        raise image_not_found(image_id)
    if image.owner_id == account_id:
        raise AwsError(
            "InvalidParameterValue",
            f"Image {image_id} is owned by account {account_id}; only an account it is shared "
            "with can cancel its launch permission.",
        )
    own = {"UserId": account_id}
    if own not in image.launch_permissions:
        raise AwsError(
            "InvalidParameterValue",
            f"Image {image_id} is not shared with account {account_id} by account ID; a public "
            "image, or one shared with an organization or OU, can't be left.",
        )
    image.launch_permissions.remove(own)


def _cancel_image_launch_permission(self: EC2Response) -> ActionResult:
    image_id = self._get_param("ImageId")
    if not image_id:
        raise missing_parameter("ImageId")
    self.error_on_dryrun()
    cancel_image_launch_permission(self.region, image_id, self.current_account)
    return ActionResult({"Return": True})


def require_visible_snapshot(region: str, snapshot_id: str, account_id: str) -> None:
    """The snapshot exists in the Region and the account may see it, else ``NotFound``."""
    for backend in backends_in_region(region):
        snapshot = backend.snapshots.get(snapshot_id)
        if snapshot is not None and can_create_volume(snapshot, account_id):
            return
    raise snapshot_not_found(snapshot_id)


def _do_resources_exist(self: EC2Backend, resource_ids: list[str]) -> bool:
    """CreateTags' check that the resources exist, with snapshots seen across accounts."""
    backend: Any = self
    others = []
    for resource_id in resource_ids:
        if str(resource_id).startswith("snap-"):
            require_visible_snapshot(backend.region_name, resource_id, backend.account_id)
        else:
            others.append(resource_id)
    return _ORIGINAL_DO_RESOURCES_EXIST(self, others)


def install(patches: Patches) -> None:
    """Answer CancelImageLaunchPermission; let an account tag the snapshots it can see (its
    tags stay its own)."""
    patches.add(EC2Response, "cancel_image_launch_permission", _cancel_image_launch_permission)
    patches.replace(EC2Backend, "do_resources_exist", _do_resources_exist)
