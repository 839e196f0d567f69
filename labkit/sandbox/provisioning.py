"""Customising an instance in the sandbox: the stand-in for logging in and installing software.

The sandbox runs no software, so ``install_software`` records what would be on the disk: the
packages go on the instance's root volume (``volume.lab_installed``) and the data written on it
grows by their size (``volume.lab_data_gib``). Snapshots keep both, so the customisation travels:
an image made from the instance, and every instance launched from that image, show the same
record. A learner sees it with plain boto3 as the tag ``amilab:installed`` on the instance and on
images made from it (a sandbox convention: on AWS you would log in and look).

Data written matters for cost: EBS snapshots are incremental and billed by the blocks written,
not by the volume size (EBSSnapshots, "How incremental snapshots work"), so each snapshot's
``data_gib`` is the GiB written on its volume when it was taken.

>>> lab.install(instance_id, "postgresql16", "postgis")     # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

from .. import _valid
from ..accounts import REGIONS
from ..catalog import BASE_IMAGE_USED_GIB, INSTALLED_TAG, base_image_used_gib

__all__ = [
    "BASE_IMAGE_USED_GIB",
    "PACKAGE_SIZES_GIB",
    "ProvisioningError",
    "base_image_used_gib",
    "install_software",
]

#: Roughly how many GiB each package adds once installed, with what it pulls in. ILLUSTRATIVE:
#: plausible figures for teaching what makes an image bigger, not measurements.
PACKAGE_SIZES_GIB: dict[str, float] = {
    "postgresql16": 0.25,
    "postgis": 0.45,
    "pgadmin4": 0.6,
    "nginx": 0.05,
    "httpd": 0.05,
    "nodejs20": 0.2,
    "python3.12": 0.15,
    "docker": 0.4,
    "java-21-amazon-corretto": 0.35,
    "git": 0.05,
    "amazon-cloudwatch-agent": 0.1,
    "cuda-toolkit-12": 4.5,
}


class ProvisioningError(ValueError):
    """An install that cannot happen: unknown package, no such instance, or no room on the disk."""


def _where(target: Any, region: str | None, account: str) -> tuple[str, str]:
    """The account ID and Region an install targets, from a Lab, a Sandbox or a boto3 client."""
    sandbox = getattr(target, "sandbox", target)
    if hasattr(sandbox, "account_id") and hasattr(sandbox, "home_region"):
        return sandbox.account_id(account), region or sandbox.home_region
    meta = getattr(target, "meta", None)
    if meta is not None and getattr(meta, "service_model", None) is not None:
        from labkit.seam.moto import get_account_id_from

        credentials = target._request_signer._credentials
        return get_account_id_from(credentials.access_key), region or meta.region_name
    raise TypeError(
        "target: install_software needs the Lab, its sandbox, or a boto3 EC2 client from "
        "lab.client('ec2')"
    )


def install_software(
    target: Any,
    instance_id: str,
    *packages: str,
    region: str | None = None,
    account: str = "learner",
) -> dict[str, Any]:
    """Install packages on a running instance's root volume (as ``sudo dnf install`` would).

    Args:
        target: the ``Lab``, its ``Sandbox``, or a boto3 EC2 client of the sandbox.
        instance_id: the instance to customise.
        *packages: package names from ``PACKAGE_SIZES_GIB`` (a list of them is read the same).
        region: the instance's Region (default: the client's, or the home Region).
        account: the lab account that owns the instance (ignored for a client).

    Returns:
        ``InstanceId``, ``VolumeId`` (the root volume), ``Installed`` (everything on it now),
        ``AddedGiB`` and ``DataGiB`` (GiB written on the volume).

    Raises:
        ProvisioningError: for an unknown package (the message lists the known ones), an
            instance that does not exist or is not running, or a volume too small.
    """
    from labkit.seam.moto import ec2_backends

    from ..fidelity.volumes import installed_software, volume_data_gib

    _valid.require_text("instance_id", instance_id)
    # A list is read as its packages: lab.install(id, ["git", "nginx"]) is a natural first try.
    packages = tuple(
        name
        for given in packages
        for name in (given if isinstance(given, list | tuple) else [given])
    )
    if not packages:
        raise ProvisioningError("packages: name at least one package to install")
    unknown = [p for p in packages if not isinstance(p, str) or p not in PACKAGE_SIZES_GIB]
    if unknown:
        raise ProvisioningError(
            f"packages: unknown package {', '.join(_valid.shown(p) for p in unknown)}; the lab "
            f"knows {', '.join(sorted(PACKAGE_SIZES_GIB))}"
        )
    if region is not None:
        _valid.choice("region", region, REGIONS)
    account_id, where = _where(target, region, account)
    backend = ec2_backends[account_id][where]
    instance = next((i for i in backend.all_instances() if i.id == instance_id), None)
    if instance is None:
        raise ProvisioningError(
            f"instance_id: there is no instance {_valid.shown(instance_id)} in account "
            f"{account_id}, Region {where}"
        )
    if instance.state != "running":
        raise ProvisioningError(
            f"{instance_id} is {instance.state}; software can only be installed on a running "
            "instance (start it first)"
        )
    block = dict(instance.get_block_device_mapping).get(instance.root_device_name)
    volume = backend.volumes.get(block.volume_id) if block is not None else None
    if volume is None:
        raise ProvisioningError(f"{instance_id} has no root volume to install onto")
    present = list(installed_software(volume))
    new = [p for p in dict.fromkeys(packages) if p not in present]
    added = round(sum(PACKAGE_SIZES_GIB[p] for p in new), 2)
    used = volume_data_gib(volume)
    if used + added > volume.size:
        raise ProvisioningError(
            f"Not enough space: the root volume {volume.id} is {volume.size} GiB with "
            f"{used:g} GiB used, and these packages need {added:g} GiB more. Grow the volume "
            "(ec2.modify_volume) or launch with a bigger root volume"
        )
    volume.lab_installed = tuple(present + new)
    volume.lab_data_gib = round(used + added, 2)
    instance.add_tag(INSTALLED_TAG, ",".join(volume.lab_installed))
    return {
        "InstanceId": instance_id,
        "VolumeId": volume.id,
        "Installed": list(volume.lab_installed),
        "AddedGiB": added,
        "DataGiB": volume.lab_data_gib,
    }
