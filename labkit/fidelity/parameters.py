"""Public SSM parameters that name the latest base images point at the lab's catalogue.

AWS publishes the ID of each Region's newest image under public parameters such as
``/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64`` (the guide's
"Find the latest Amazon Linux AMI using Systems Manager"). moto answers them from its own
bundled IDs, which the sandbox does not register, so the lab answers from its catalogue.
"""

from __future__ import annotations

import datetime as _dt

from labkit.seam.moto import Parameter, ParameterDict

from ..catalog import catalog_images
from .patching import Patches
from .state import CATALOGUE_LOADED

__all__ = ["PUBLIC_PARAMETERS", "install"]

#: Public parameter names, by the catalogue key of the image they name.
PUBLIC_PARAMETERS: dict[str, tuple[str, ...]] = {
    "al2023-x86_64": (
        "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
        "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64",
    ),
    "al2023-arm64": (
        "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
        "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64",
    ),
    "ubuntu-24.04-x86_64": (
        "/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id",
    ),
    "windows-2022-base": ("/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base",),
}


def _load_catalogue_parameters(self: ParameterDict) -> None:
    """Fill this Region's public image parameters from the catalogue (once)."""
    if CATALOGUE_LOADED.get(self):
        return
    self.lab_catalogue_loaded = True
    for entry in catalog_images(self.region_name):
        created = _dt.datetime.fromisoformat(entry["creation_date"].replace("Z", "+00:00"))
        for name in PUBLIC_PARAMETERS.get(entry["key"], ()):
            self[name] = [
                Parameter(
                    account_id=self.account_id,
                    name=name,
                    value=entry["image_id"],
                    parameter_type="String",
                    description=None,
                    allowed_pattern=None,
                    keyid=None,
                    last_modified_date=created.timestamp(),
                    version=1,
                    data_type="aws:ec2:image",
                )
            ]


def _check_loading_status(self: ParameterDict, key: str) -> None:
    if str(key or "").startswith("/aws/service/"):
        _load_catalogue_parameters(self)


def install(patches: Patches) -> None:
    """Answer the public latest-image parameters with the catalogue's IDs."""
    patches.replace(ParameterDict, "_check_loading_status", _check_loading_status)
