"""Read an account's image estate out of the sandbox, for the pure functions of ``labkit.pricing``.

Everything AWS reports to the account is read with its own boto3 clients, as a learner would read
it. Two things come from moto's objects instead: the data size of each snapshot and the date an
archived one went into the archive (not AWS fields), and which images other accounts' instances
run (no account can read that; see ``_launched_images``).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import Any

from ..fidelity.state import SNAPSHOT_RECYCLE_BIN
from ..pricing import Estate, ImageCost, SnapshotCharge

__all__ = ["estate_from_sandbox"]

#: Instance states that count as "in use": an instance launched from the image is up or coming up.
_IN_USE_STATES = ("pending", "running")


def estate_from_sandbox(
    sandbox: Any, account: str | Iterable[str] = "learner", *, regions: Iterable[str] | None = None
) -> Estate:
    """The images and snapshots an account owns in every lab Region, ready to price.

    Each image lists the snapshots in its block device mappings. Snapshots the account owns that
    no registered image uses (typically left behind by deregistering one) are the estate's
    ``orphaned``. An image is ``in_use`` when a pending or running instance in any lab account
    was launched from it; ``used_by`` names those accounts. (A real owner cannot see other
    accounts' instances: ask the accounts you share with before you clean up.)

    Snapshots are sized by the data written to their volume (``data_gib``, recorded by the
    sandbox's provisioning helper). A snapshot with no recorded data size falls back to its
    volume's size, marked ``sized_from="volume"``; that overstates the bill for a volume that is
    mostly empty.

    Args:
        sandbox: a running :class:`labkit.Sandbox`, or a :class:`labkit.Lab`.
        account: ``"learner"`` (default), ``"partner"``, ``"seller"``, a 12-digit ID, or several.
        regions: the Regions to read; every lab Region when omitted.

    Returns:
        An :class:`labkit.pricing.Estate` whose ``taken_at`` is the sandbox's time.
    """
    sandbox = getattr(sandbox, "sandbox", sandbox)  # a Lab holds its Sandbox
    names = [account] if isinstance(account, str) else list(account)
    regions = tuple(sandbox.regions if regions is None else regions)
    owner_ids = [sandbox.account_id(name) for name in names]
    users = _launched_images(sandbox, regions)
    images: list[ImageCost] = []
    orphaned: list[SnapshotCharge] = []
    for name, owner_id in zip(names, owner_ids, strict=True):
        for region in regions:
            found, left = _read_region(sandbox, name, owner_id, region, users)
            images += found
            orphaned += left
    return Estate(tuple(images), tuple(orphaned), taken_at=sandbox.now())


def _read_region(
    sandbox: Any,
    account: str,
    owner_id: str,
    region: str,
    users: dict[tuple[str, str], set[str]],
) -> tuple[list[ImageCost], list[SnapshotCharge]]:
    ec2 = sandbox.client("ec2", region, account)
    snapshots = _pages(ec2, "describe_snapshots", "Snapshots", OwnerIds=["self"])
    snapshots += _in_recycle_bin(ec2, owner_id, region)
    sizes = _data_sizes(owner_id, region)
    archived_at = _archive_times(owner_id, region)
    charges = {s["SnapshotId"]: _charge(s, region, owner_id, sizes, archived_at) for s in snapshots}
    images = []
    used: set[str] = set()
    for image in _pages(ec2, "describe_images", "Images", Owners=["self"]):
        ids = [m["Ebs"]["SnapshotId"] for m in image.get("BlockDeviceMappings", []) if _ebs(m)]
        used.update(ids)
        accounts = users.get((region, image["ImageId"]), set())
        images.append(
            ImageCost(
                image_id=image["ImageId"],
                name=image.get("Name", ""),
                region=region,
                owner_id=image["OwnerId"],
                snapshots=tuple(charges[i] for i in ids if i in charges),
                in_use=bool(accounts),
                used_by=tuple(sorted(accounts)),
            )
        )
    orphaned = [charge for sid, charge in charges.items() if sid not in used]
    return images, orphaned


def _in_recycle_bin(ec2: Any, owner_id: str, region: str) -> list[dict[str, Any]]:
    """Snapshots waiting in the Recycle Bin, shaped as DescribeSnapshots answers: AWS bills
    them at the normal snapshot rate until they are restored or leave the bin (R39)."""
    binned = ec2.list_snapshots_in_recycle_bin()["Snapshots"]
    if not binned:
        return []
    from labkit.seam.moto import ec2_backends

    kept = SNAPSHOT_RECYCLE_BIN.get(dict.get(ec2_backends[owner_id], region), {})
    found = []
    for entry in binned:
        snapshot = kept[entry["SnapshotId"]]["snapshot"]
        found.append(
            {"SnapshotId": snapshot.id, "OwnerId": owner_id, "VolumeSize": snapshot.volume.size}
        )
    return found


def _charge(
    snapshot: dict[str, Any],
    region: str,
    owner_id: str,
    sizes: dict[str, float],
    archived_at: dict[str, _dt.datetime],
) -> SnapshotCharge:
    sid = snapshot["SnapshotId"]
    data = sizes.get(sid)
    tier = _tier(snapshot)
    return SnapshotCharge(
        snapshot_id=sid,
        region=region,
        owner_id=snapshot.get("OwnerId", owner_id),
        data_gib=float(snapshot.get("VolumeSize", 0)) if data is None else data,
        tier=tier,
        archived_at=archived_at.get(sid) if tier == "archive" else None,
        sized_from="volume" if data is None else "data",
    )


def _tier(snapshot: dict[str, Any]) -> str:
    # Snapshots being restored from the archive are billed as archived until they are standard.
    return "archive" if snapshot.get("StorageTier") == "archive" else "standard"


def _ebs(mapping: dict[str, Any]) -> bool:
    return bool(mapping.get("Ebs", {}).get("SnapshotId"))


def _archive_times(owner_id: str, region: str) -> dict[str, _dt.datetime]:
    """When each archived snapshot went into the archive tier (not an AWS field).

    The archive family records it as ``snapshot.archived_at`` for the 90-day minimum. AWS's
    ``LastTieringStartTime`` cannot stand in for it: a restore starts a new tiering operation
    and resets it, although the snapshot stays archived (and billed as such) while it is
    restored.
    """
    return {
        sid: when
        for sid, snapshot in _moto_snapshots(owner_id, region).items()
        if (when := getattr(snapshot, "archived_at", None)) is not None
    }


def _data_sizes(owner_id: str, region: str) -> dict[str, float]:
    """Each snapshot's data size, where the sandbox recorded one (not an AWS field)."""
    sizes = {}
    for sid, snapshot in _moto_snapshots(owner_id, region).items():
        data = getattr(snapshot, "data_gib", None)
        if data is not None:
            sizes[sid] = float(data)
    return sizes


def _moto_snapshots(owner_id: str, region: str) -> dict[str, Any]:
    """The account's snapshots in a Region as moto keeps them (for what AWS does not report)."""
    from labkit.seam.moto import ec2_backends

    backend = dict.get(ec2_backends[owner_id], region)
    if backend is None:
        return {}
    binned = SNAPSHOT_RECYCLE_BIN.get(backend, {})
    return {**{sid: entry["snapshot"] for sid, entry in binned.items()}, **backend.snapshots}


def _launched_images(sandbox: Any, regions: tuple[str, ...]) -> dict[tuple[str, str], set[str]]:
    """(Region, image ID) → accounts with a pending or running instance launched from it.

    Read from moto's instances, as the data sizes are: no account can see another's instances,
    so this is what the lab knows, not what the learner could read. Asking each account in each
    Region (twelve DescribeInstances calls) was half of every estate read; the answer is the
    same (tests/sandbox/test_estate.py reads it both ways).
    """
    from labkit.seam.moto import ec2_backends

    users: dict[tuple[str, str], set[str]] = {}
    for account_id in sandbox.accounts.values():
        for region in regions:
            backend = dict.get(ec2_backends[account_id], region)
            if backend is None:
                continue
            for instance in backend.all_instances():
                if instance.state in _IN_USE_STATES:
                    users.setdefault((region, instance.image_id), set()).add(account_id)
    return users


def _pages(client: Any, operation: str, key: str, **kwargs: Any) -> list[dict[str, Any]]:
    if client.can_paginate(operation):
        pages = client.get_paginator(operation).paginate(**kwargs)
        return [item for page in pages for item in page[key]]
    return client.__getattribute__(operation)(**kwargs)[key]
