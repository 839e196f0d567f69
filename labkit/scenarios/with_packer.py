"""Starting state of lesson 10: the capstone's keys, ready for Packer to bake with, and a stranger's
look-alike of Amazon Linux that a careless base-image filter picks."""

from __future__ import annotations

from typing import Any

from .publishing import STRANGER_ACCOUNT, publish_image
from .registry import scenario
from .sharing_and_trust import TRUST_LOOKALIKE

__all__ = ["PACKER_KEY_ALIAS", "PACKER_LOOKALIKE", "PACKER_REGIONS"]

#: The Regions lesson 10 releases to: where Packer builds, then where it copies.
PACKER_REGIONS = ("us-east-1", "us-west-2")
#: The alias of the learner's key in each of those Regions (as in the capstone).
PACKER_KEY_ALIAS = "alias/golden-images"
#: The stranger's public image named like Amazon Linux 2023 x86_64, newer than Amazon's (the same
#: image as lesson 6's look-alike): what a filter that trusts the wrong owner builds from.
PACKER_LOOKALIKE = TRUST_LOOKALIKE

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
    "the catalogue's base images, a stranger's look-alike of Amazon Linux 2023 x86_64, and your "
    "key alias/golden-images in us-east-1 and us-west-2, granted to the partner",
)
def _baking_with_packer(sandbox: Any) -> dict[str, str]:
    from ..catalog import image_id

    ids = {"base_image": image_id("al2023-x86_64", sandbox.home_region)}
    publish_image(
        STRANGER_ACCOUNT,
        PACKER_LOOKALIKE,
        "al2023-ami-2023.6.20250301.0-kernel-6.1-x86_64",
        "2025-03-01T06:14:52",
        alias=None,
        deprecated="2027-03-01T06:14:00",
    )
    ids["lookalike_image"] = PACKER_LOOKALIKE
    partner = f"arn:aws:iam::{sandbox.account_id('partner')}:root"
    for region in PACKER_REGIONS:
        kms = sandbox.client("kms", region=region)
        key = kms.create_key(Description="golden images")["KeyMetadata"]
        kms.create_alias(AliasName=PACKER_KEY_ALIAS, TargetKeyId=key["KeyId"])
        kms.create_grant(KeyId=key["Arn"], GranteePrincipal=partner, Operations=list(_GRANTED))
        ids[f"key_{region.replace('-', '_')}"] = key["Arn"]
    return ids
