"""Block public access for AMIs (R18): a switch per account and Region, on in new accounts.

AWS guide page: "Block public access for AMIs" (block-public-access-to-amis). While it is on,
ModifyImageAttribute refuses to make an image public (``sharing.py`` asks
``image_block_public_access_state``); switching it on leaves images already public as they are.
"""

from __future__ import annotations

from labkit.seam.moto import ActionResult, EC2Response, ec2_backends

from .errors import AwsError
from .patching import Patches
from .state import IMAGE_BLOCK_PUBLIC_ACCESS

__all__ = ["BLOCK_NEW_SHARING", "UNBLOCKED", "image_block_public_access_state", "install"]

BLOCK_NEW_SHARING = "block-new-sharing"
UNBLOCKED = "unblocked"


def image_block_public_access_state(account_id: str, region: str) -> str:
    """R18: ``block-new-sharing`` or ``unblocked`` for one account and Region.

    New accounts start with block public access on ("Default settings" of
    block-public-access-to-amis); the lab's accounts are new.
    """
    backend = ec2_backends[account_id][region]
    return IMAGE_BLOCK_PUBLIC_ACCESS.get(backend, BLOCK_NEW_SHARING)


def _set_block_public_access(account_id: str, region: str, state: str) -> None:
    ec2_backends[account_id][region].lab_image_block_public_access = state


def _get_image_block_public_access_state(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    state = image_block_public_access_state(self.current_account, self.region)
    return ActionResult({"ImageBlockPublicAccessState": state, "ManagedBy": "account"})


def _enable_image_block_public_access(self: EC2Response) -> ActionResult:
    state = self._get_param("ImageBlockPublicAccessState")
    self.error_on_dryrun()
    if state != BLOCK_NEW_SHARING:
        raise AwsError(
            "InvalidParameterValue",
            f"Value ({state}) for parameter ImageBlockPublicAccessState is invalid: the only "
            f"valid value is {BLOCK_NEW_SHARING}",
        )
    # Existing public images stay public; only new public sharing is blocked.
    _set_block_public_access(self.current_account, self.region, BLOCK_NEW_SHARING)
    return ActionResult({"ImageBlockPublicAccessState": BLOCK_NEW_SHARING})


def _disable_image_block_public_access(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    _set_block_public_access(self.current_account, self.region, UNBLOCKED)
    return ActionResult({"ImageBlockPublicAccessState": UNBLOCKED})


def install(patches: Patches) -> None:
    """Apply R18: Get, Enable and DisableImageBlockPublicAccess, per account and Region."""
    patches.add(
        EC2Response, "get_image_block_public_access_state", _get_image_block_public_access_state
    )
    patches.add(EC2Response, "enable_image_block_public_access", _enable_image_block_public_access)
    patches.add(
        EC2Response, "disable_image_block_public_access", _disable_image_block_public_access
    )
