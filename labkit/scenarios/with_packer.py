"""Starting state of lesson 10: the capstone's keys, ready for Packer to bake with."""

from __future__ import annotations

from typing import Any

from .registry import scenario

__all__ = ["PACKER_KEY_ALIAS", "PACKER_REGIONS"]

#: The Regions lesson 10 releases to: where Packer builds, then where it copies.
PACKER_REGIONS = ("us-east-1", "us-west-2")
#: The alias of the learner's key in each of those Regions (as in the capstone).
PACKER_KEY_ALIAS = "alias/golden-images"

#: What EBS needs of another account's key to launch an image it encrypts (lesson 5).
_GRANTED = (
    "Decrypt",
    "DescribeKey",
    "CreateGrant",
    "ReEncryptFrom",
    "GenerateDataKey",
    "GenerateDataKeyWithoutPlaintext",
)


@scenario(
    "10-packer",
    "the catalogue's base images, and your key alias/golden-images in us-east-1 and us-west-2, "
    "granted to the partner",
)
def _baking_with_packer(sandbox: Any) -> dict[str, str]:
    from ..catalog import image_id

    ids = {"base_image": image_id("al2023-x86_64", sandbox.home_region)}
    partner = f"arn:aws:iam::{sandbox.account_id('partner')}:root"
    for region in PACKER_REGIONS:
        kms = sandbox.client("kms", region=region)
        key = kms.create_key(Description="golden images")["KeyMetadata"]
        kms.create_alias(AliasName=PACKER_KEY_ALIAS, TargetKeyId=key["KeyId"])
        kms.create_grant(KeyId=key["Arn"], GranteePrincipal=partner, Operations=list(_GRANTED))
        ids[f"key_{region.replace('-', '_')}"] = key["Arn"]
    return ids
