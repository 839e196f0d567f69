"""Tagging images and snapshots that other accounts share with you (R13).

AWS guide page: "Tag your Amazon EC2 resources" — tagging restrictions: public and shared
resources can be tagged, but the tags are available only to the account that added them, not
to the owner or the other accounts the resource is shared with. sharingamis-explicit says the
same of shared AMIs.

moto checks a tagged snapshot in the caller's own account only, so tagging a snapshot shared
with you failed (``InvalidSnapshot.NotFound`` with no message). Here a snapshot the caller may
see (its own, shared with it, or public) can be tagged; the tags go to the caller's account,
where ``sharing`` reads them for that account alone. Images already go through DescribeImages,
which sees shared images.
"""

from __future__ import annotations

from typing import Any

from moto.ec2.models import EC2Backend

from .images import backends_in_region
from .patching import Patches
from .visibility import can_create_volume
from .volumes import snapshot_not_found

__all__ = ["install", "require_visible_snapshot"]

_ORIGINAL_DO_RESOURCES_EXIST = EC2Backend.do_resources_exist


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
    """Let an account tag the snapshots it can see (its tags stay its own)."""
    patches.replace(EC2Backend, "do_resources_exist", _do_resources_exist)
