"""New images and snapshots start ``pending`` and become ready once they have been seen.

AWS takes minutes to build an image; the sandbox shows the same states without the wait:
the first DescribeImages (or DescribeSnapshots) answer that includes a new resource reports
it ``pending``, every later one ``available`` (``completed`` for snapshots).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from labkit.seam.moto import Ami, Snapshot

from .errors import AwsError
from .images import image_snapshots
from .patching import Patches
from .state import PENDING_READS

__all__ = ["install", "mark_ready", "settle", "after_answer", "require_completed"]

_ORIGINAL_AMI_INIT = Ami.__init__
_ORIGINAL_SNAPSHOT_INIT = Snapshot.__init__


def _ami_init(self: Ami, *args: Any, **kwargs: Any) -> None:
    _ORIGINAL_AMI_INIT(self, *args, **kwargs)
    self.state = "pending"
    self.lab_pending_reads = 1


def _snapshot_init(self: Snapshot, *args: Any, **kwargs: Any) -> None:
    _ORIGINAL_SNAPSHOT_INIT(self, *args, **kwargs)
    self.status = "pending"
    self.lab_pending_reads = 1


def mark_ready(resource: Ami | Snapshot) -> None:
    """Make an image ``available`` (a snapshot ``completed``) at once, as catalogue images are."""
    resource.lab_pending_reads = 0
    if isinstance(resource, Ami):
        resource.state = "available"
    else:
        resource.status = "completed"


def settle(resources: Iterable[Ami | Snapshot]) -> None:
    """Before answering: resources already reported once as pending are now ready.

    An image is available only once its snapshots are complete (creating-an-ami-ebs), so an
    image that becomes ready completes its snapshots, and a snapshot of an available image is
    complete.
    """
    for resource in resources:
        if not _is_pending(resource):
            continue
        if PENDING_READS.get(resource) == 0 or _image_is_ready(resource):
            mark_ready(resource)
            if isinstance(resource, Ami):
                for snapshot in image_snapshots(resource):
                    if _is_pending(snapshot):
                        mark_ready(snapshot)


def require_completed(snapshot: Snapshot, wording: str | None = None) -> None:
    """A snapshot must be ``completed`` before it backs a volume, an image or a copy.

    ebs-copy-snapshot: "You can copy any accessible snapshots that have a completed status";
    CreateVolume and RegisterImage refuse a pending snapshot too. The snapshot is settled
    first, so one already reported pending has completed by now.

    Args:
        snapshot: the snapshot to be used.
        wording: the refusal, when the action has AWS's own (CreateVolume); the sandbox adds
            nothing to it (how to wait is the lessons' to say).

    Raises:
        AwsError: ``IncorrectState`` for a snapshot that is still pending.
    """
    settle([snapshot])
    if snapshot.status == "completed":
        return
    message = wording or f"Snapshot '{snapshot.id}' is {snapshot.status}, not 'completed'"
    raise AwsError("IncorrectState", f"{message}.")


def _image_is_ready(resource: Ami | Snapshot) -> bool:
    """True for a snapshot made for an image that is already available."""
    if isinstance(resource, Ami) or not resource.from_ami:
        return False
    image = resource.ec2_backend.amis.get(resource.from_ami)
    return image is not None and image.state == "available"


def after_answer(resources: Iterable[Ami | Snapshot]) -> None:
    """After answering: pending resources in this answer have now been seen once."""
    for resource in resources:
        if _is_pending(resource) and PENDING_READS.get(resource) > 0:
            resource.lab_pending_reads -= 1


def _is_pending(resource: Ami | Snapshot) -> bool:
    state = resource.state if isinstance(resource, Ami) else resource.status
    return state == "pending"


def install(patches: Patches) -> None:
    """New images and snapshots are born pending; snapshots report their state and progress."""
    patches.replace(Ami, "__init__", _ami_init)
    patches.replace(Snapshot, "__init__", _snapshot_init)
    patches.add(Snapshot, "State", property(lambda self: self.status))
    patches.add(
        Snapshot, "Progress", property(lambda self: "0%" if self.status == "pending" else "100%")
    )
