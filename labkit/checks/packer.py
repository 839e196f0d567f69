"""Checks for lesson 10: a build from the right base image, the golden image baked with Packer and
shared with an OU, and a build that deprecates itself.

The checks read the images in the sandbox, not the template: a build with current Packer's
``ami_ou_arns`` and ``deprecate_at`` passes as well as one finished with boto3. Where Packer is
missing and the exercise is not done, they answer "skipped" (neither ✅ nor ❌).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..accounts import ORGANIZATIONAL_UNITS
from ..accounts import REGIONS as LAB_REGIONS
from ..catalog import image_id as catalog_image_id
from ..fidelity import encryption as kms_rules
from . import exercise, fail, skip
from ._access import grantee_in_words, partner_can_launch

LESSON = "10-packer"
REGIONS = ("us-east-1", "us-west-2")
HOME = REGIONS[0]
PARTNERS_OU = str(ORGANIZATIONAL_UNITS["partners"]["arn"])
#: The base image exercise 10.1 should build from: the newest Amazon Linux 2023 for x86_64 that
#: Amazon owns, by its catalogue key.
BASE_IMAGE_KEY = "al2023-x86_64"
#: How long after it is made the release candidate should deprecate (exercise 10.3).
DEPRECATE_AFTER = dt.timedelta(days=90)

#: What a Packer check answers where Packer is missing (and the exercise is not done yet).
NEEDS_PACKER = "needs Packer, which is not installed here (the lesson's first Packer cell says how)"

_BASE_SOLUTION = (
    'template_dev = WIKI_TEMPLATE.replace(\'"137112412989", "444455556666"\', \'"amazon"\')\n'
    "run_dev = packer.build(lab, template_dev)"
)
_OU_SOLUTION = (
    "template_v2 = without(TEMPLATE, 'ami_users').replace('golden-v1', 'golden-v2')\n"
    "run_v2 = packer.build(lab, template_v2, partner=partner_id)\n"
    "for region, image_id in run_v2.images.items():\n"
    "    lab.client('ec2', region=region).modify_image_attribute(\n"
    "        ImageId=image_id,\n"
    "        LaunchPermission={'Add': [{'OrganizationalUnitArn': PARTNERS_OU}]},\n"
    "    )"
)
_DEPRECATE_SOLUTION = (
    "template_rc = without(TEMPLATE, 'ami_regions', 'region_kms_key_ids', 'ami_users')\n"
    "template_rc = template_rc.replace('golden-v1', 'golden-rc')\n"
    "run_rc = packer.build(lab, template_rc, partner=partner_id)\n"
    "for image_id in run_rc.images.values():\n"
    "    ec2.enable_image_deprecation(\n"
    "        ImageId=image_id, DeprecateAt=lab.now() + dt.timedelta(days=90)\n"
    "    )"
)


def _packer_missing() -> bool:
    from ..packer import find_packer

    return find_packer() is None


def _needs_packer(check: Any) -> Any:
    """Answer "skipped" instead of ❌ where Packer is missing; a done exercise still passes."""

    def judged(sandbox: Any, **answers: Any) -> str:
        from . import Verdict

        try:
            return check(sandbox, **answers)
        except Verdict:
            if _packer_missing():
                skip(NEEDS_PACKER)
            raise

    judged.__name__ = check.__name__
    judged.__doc__ = check.__doc__
    return judged


def _own_image(sandbox: Any, region: str, name: str) -> dict[str, Any]:
    images = (
        sandbox.client("ec2", region=region)
        .describe_images(Owners=["self"], Filters=[{"Name": "name", "Values": [name]}])
        .get("Images", [])
    )
    if not images and region != HOME:
        fail(
            f"expected an image of yours named {name} in {region}, found none",
            "look at ami_regions in your template: the Regions Packer copies the image to",
        )
    if not images:
        elsewhere = [
            other
            for other in LAB_REGIONS
            if other != region
            and sandbox.client("ec2", region=other).describe_images(
                Owners=["self"], Filters=[{"Name": "name", "Values": [name]}]
            )["Images"]
        ]
        fail(
            f"expected an image of yours named {name} in {region}, found none"
            + (f" (you have one in {', '.join(elsewhere)})" if elsewhere else ""),
            "look at region in your template"
            if elsewhere
            else "build it with packer.build(...) and read what Packer printed",
        )
    return images[0]


def _key_problem(sandbox: Any, image: dict[str, Any], region: str, partner: str) -> str | None:
    """What is wrong with the keys of the image's snapshots, in words, or None."""
    learner = sandbox.account_id("learner")
    for mapping in image.get("BlockDeviceMappings", []):
        ebs = mapping.get("Ebs") or {}
        if "SnapshotId" not in ebs:
            continue
        if not ebs.get("Encrypted"):
            return f"its snapshot {ebs['SnapshotId']} is not encrypted"
        key = kms_rules.find_key(ebs.get("KmsKeyId"), learner, region)
        if key is None or kms_rules.is_aws_managed(key):
            return (
                f"its snapshot {ebs['SnapshotId']} is encrypted with aws/ebs, which no other "
                "account may use"
            )
        if not all(kms_rules.key_allows(key, partner, a) for a in kms_rules.EBS_KEY_ACTIONS):
            return f"the partner may not use the key {ebs.get('KmsKeyId')} that encrypts it"
    return None


@exercise(
    "packer-base-image",
    lesson=LESSON,
    title="golden-dev baked with Packer from the newest Amazon Linux 2023 that Amazon owns",
    hints=(
        "Which of the two owners in WIKI_TEMPLATE's source_ami_filter would you trust to publish "
        "Amazon Linux, and how did lesson 1 tell a trusted owner?",
        "Look at the candidates cell's output: each owner's images, their CreationDate and "
        "ImageOwnerAlias. most_recent takes the newest of all the owners together.",
        "Keep only Amazon in owners: template_dev = WIKI_TEMPLATE.replace("
        '\'"137112412989", "444455556666"\', \'"amazon"\'), then '
        "run_dev = packer.build(lab, template_dev).",
    ),
    solution=_BASE_SOLUTION,
)
@_needs_packer
def packer_base_image(sandbox: Any) -> str:
    image = _own_image(sandbox, HOME, "golden-dev")
    image_id = image["ImageId"]
    ec2 = sandbox.client("ec2", region=HOME)
    entries = ec2.get_image_ancestry(ImageId=image_id)["ImageAncestryEntries"]
    root = entries[-1]
    if root.get("SourceImageId") and root.get("ImageOwnerAlias") is None:
        fail(
            f"golden-dev ({image_id}): its ancestry stops at {root['SourceImageId']}, an image "
            "no longer registered, so its base image cannot be told",
            "build it as WIKI_TEMPLATE does, without encrypt_boot: Packer deregisters its first "
            "image when it makes an encrypted copy",
        )
    if root["ImageId"] == image_id:
        fail(
            f"golden-dev ({image_id}) was registered, not made from an instance: it has no base "
            "image",
            "build it with packer.build(lab, your template), from WIKI_TEMPLATE",
        )
    base = root["ImageId"]
    newest = catalog_image_id(BASE_IMAGE_KEY, HOME)
    if base == newest:
        return (
            f"golden-dev was baked from {base}, the newest Amazon Linux 2023 for x86_64 that "
            "Amazon owns"
        )
    about = ec2.describe_images(ImageIds=[base])["Images"][0]
    name, owner = about.get("Name", "?"), about["OwnerId"]
    alias = about.get("ImageOwnerAlias")
    if alias != "amazon":
        fail(
            f"golden-dev ({image_id}) was baked from {base}, {name}, which belongs to {owner}, "
            f"{'with the alias ' + alias if alias else 'an account with no verified alias'}: "
            "a look-alike of Amazon Linux, not Amazon's image",
            "look at owners in your template's source_ami_filter: which owner is Amazon's?",
        )
    newest_name = ec2.describe_images(ImageIds=[newest])["Images"][0]["Name"]
    if name.startswith("al2023-ami-2023.") and name.endswith("-x86_64"):
        fail(
            f"golden-dev ({image_id}) was baked from {base}, {name}: Amazon's, but not the newest "
            f"Amazon Linux 2023; {newest}, {newest_name}, is newer",
            "look at most_recent and the name filter in your template's source_ami_filter",
        )
    fail(
        f"golden-dev ({image_id}) was baked from {base}, {name}: Amazon's, but not Amazon Linux "
        f"2023 for x86_64 ({newest_name})",
        "look at the name filter in your template's source_ami_filter",
    )


@exercise(
    "packer-ou-share",
    lesson=LESSON,
    title="golden-v2 baked with Packer: encrypted with your key in each Region, shared with the "
    "partners OU",
    hints=(
        "Which Regions must golden-v2 be in, and which key works in each of them? "
        "Look at kms_key_id and region_kms_key_ids in TEMPLATE.",
        "Sharing with an OU is a launch permission with an OrganizationalUnitArn, not a UserId: "
        "without(TEMPLATE, 'ami_users') is a template that shares with nobody.",
        "After the build, packer.build's answer has .images, an image ID by Region: in each "
        "Region, add the launch permission {'OrganizationalUnitArn': PARTNERS_OU}.",
    ),
    solution=_OU_SOLUTION,
)
@_needs_packer
def packer_ou_share(sandbox: Any) -> str:
    partner = sandbox.account_id("partner")
    for region in REGIONS:
        image = _own_image(sandbox, region, "golden-v2")
        image_id = image["ImageId"]
        problem = _key_problem(sandbox, image, region, partner)
        if problem:
            fail(
                f"golden-v2 in {region} ({image_id}): {problem}",
                "look at kms_key_id and region_kms_key_ids in your template",
            )
        permissions = (
            sandbox.client("ec2", region=region)
            .describe_image_attribute(ImageId=image_id, Attribute="launchPermission")
            .get("LaunchPermissions", [])
        )
        if {"OrganizationalUnitArn": PARTNERS_OU} not in permissions:
            shared = ", ".join(grantee_in_words(p) for p in permissions) or "nobody"
            fail(
                f"golden-v2 in {region} ({image_id}) is not shared with the partners OU "
                f"{PARTNERS_OU}; it is shared with {shared}"
            )
        extra = [p for p in permissions if p != {"OrganizationalUnitArn": PARTNERS_OU}]
        if extra:
            fail(
                f"golden-v2 in {region} ({image_id}) is shared with more than the partners OU: "
                + ", ".join(grantee_in_words(p) for p in extra)
            )
        if not partner_can_launch(image_id, region, partner):
            fail(f"the partner cannot launch golden-v2 in {region} ({image_id})")
    return (
        "golden-v2 is in us-east-1 and us-west-2, encrypted with your key in each, and every "
        "account of the partners OU may launch it"
    )


@exercise(
    "packer-deprecate",
    lesson=LESSON,
    title="golden-rc baked with Packer in us-east-1, deprecating 90 days after it was made",
    hints=(
        "What does a release candidate need that golden-v1 has not? A date after which nobody "
        "new finds it.",
        "Build golden-rc in us-east-1 only, shared with nobody: without(TEMPLATE, ...) can drop "
        "ami_regions, region_kms_key_ids and ami_users.",
        "Packer 1.6 has no deprecate_at: after the build, call ec2.enable_image_deprecation with "
        "the image's ID and lab.now() + dt.timedelta(days=90).",
    ),
    solution=_DEPRECATE_SOLUTION,
)
@_needs_packer
def packer_deprecate(sandbox: Any) -> str:
    image = _own_image(sandbox, "us-east-1", "golden-rc")
    image_id = image["ImageId"]
    if not image.get("DeprecationTime"):
        fail(
            f"golden-rc ({image_id}) has no deprecation time",
            "after which date should nobody start new servers from a release candidate?",
        )
    made = _parse(image["CreationDate"])
    deprecated = _parse(image["DeprecationTime"])
    days = (deprecated - made) / dt.timedelta(days=1)
    if abs(days - DEPRECATE_AFTER.days) > 1:
        fail(
            f"golden-rc ({image_id}) deprecates {days:.0f} days after it was made, on "
            f"{deprecated:%Y-%m-%d}; expected {DEPRECATE_AFTER.days} days",
            "count from lab.now(), the sandbox's clock",
        )
    elsewhere = [
        region
        for region in REGIONS[1:]
        if sandbox.client("ec2", region=region).describe_images(
            Owners=["self"], Filters=[{"Name": "name", "Values": ["golden-rc"]}]
        )["Images"]
    ]
    if elsewhere:
        fail(
            f"golden-rc was also copied to {', '.join(elsewhere)}: a release candidate is built "
            "in us-east-1 only",
            "look at ami_regions in your template",
        )
    permissions = (
        sandbox.client("ec2", region=HOME)
        .describe_image_attribute(ImageId=image_id, Attribute="launchPermission")
        .get("LaunchPermissions", [])
    )
    if permissions:
        fail(
            f"golden-rc ({image_id}) is shared with "
            f"{', '.join(grantee_in_words(p) for p in permissions)}: a release candidate is "
            "shared with nobody",
            "look at ami_users in your template",
        )
    return f"golden-rc deprecates on {deprecated:%Y-%m-%d}, 90 days after it was made"


def _parse(stamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
