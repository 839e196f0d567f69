"""Leaving a share: an account takes itself off an AMI's launch permissions (R38).

AWS guide page: "Cancel having an AMI shared with your AWS account"
(AWSEC2/latest/UserGuide/cancel-sharing-an-AMI.html); API reference:
CancelImageLaunchPermission.

An account an AMI was shared with by account ID can remove itself from the AMI's launch
permissions; the AMI then leaves its listings and lookups, and only the owner can share it
again. It cannot leave a public AMI, or a share made with its organization or OU (the page
limits the action to AMIs "shared with your AWS account" by ID). AWS documents no error codes
for those refusals; the sandbox's choices are below and in docs/fidelity.md.
"""

from __future__ import annotations

from moto.core.responses import ActionResult
from moto.ec2.responses import EC2Response

from .errors import AwsError, image_not_found, missing_parameter
from .images import check_image_id, find_image
from .patching import Patches
from .visibility import can_launch

__all__ = ["cancel_image_launch_permission", "install"]


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


def install(patches: Patches) -> None:
    """Answer CancelImageLaunchPermission."""
    patches.replace(EC2Response, "cancel_image_launch_permission", _cancel_image_launch_permission)
