"""Checks for lesson 08, the capstone: a golden-image pipeline, step by step and as a whole.

Each step's check runs its pieces of the pipeline (``_pipeline``: ``BAKE_V1`` and so on);
``capstone`` scores the whole ``PIPELINE`` on the final state, out of eleven, naming each missing
piece.
"""

from __future__ import annotations

from typing import Any

from . import exercise, fail
from ._pipeline import (
    BAKE_V1,
    CLEAN_UP_V1,
    COPY_V1,
    DEPRECATE_V1,
    KEY_ALIAS,
    LAUNCH_V1,
    RELEASE_V2,
    SHARE_V1,
    keys,
    score,
    step,
)

LESSON = "08-capstone"

# -- the exercises ------------------------------------------------------------------------------

_KEYS = (
    "keys = {}\n"
    "for region in REGIONS:\n"
    "    kms = lab.client('kms', region=region)\n"
    "    key = kms.create_key(Description='golden images')['KeyMetadata']\n"
    "    kms.create_alias(AliasName='alias/golden-images', TargetKeyId=key['KeyId'])\n"
    "    keys[region] = key['Arn']"
)
_BAKE = (
    "def bake(name, *packages):\n"
    "    root = {'Encrypted': True, 'KmsKeyId': keys['us-east-1'], 'DeleteOnTermination': True}\n"
    "    builder = ec2.run_instances(\n"
    "        ImageId=lab.ids['base_image'], InstanceType='t3.micro', MinCount=1, MaxCount=1,\n"
    "        BlockDeviceMappings=[{'DeviceName': '/dev/xvda', 'Ebs': root}],\n"
    "    )['Instances'][0]['InstanceId']\n"
    "    lab.install(builder, *packages)\n"
    "    image_id = ec2.create_image(InstanceId=builder, Name=name)['ImageId']\n"
    "    ec2.get_waiter('image_available').wait(ImageIds=[image_id])\n"
    "    ec2.terminate_instances(InstanceIds=[builder])\n"
    "    return image_id\n\n"
    "v1 = {'us-east-1': bake('golden-v1', 'nginx')}"
)
_COPY = (
    "def copy_to_regions(name, image_id):\n"
    "    release = {'us-east-1': image_id}\n"
    "    for region in REGIONS[1:]:\n"
    "        there = lab.client('ec2', region=region)\n"
    "        release[region] = there.copy_image(\n"
    "            SourceRegion='us-east-1', SourceImageId=image_id, Name=name,\n"
    "            Encrypted=True, KmsKeyId=keys[region],\n"
    "        )['ImageId']\n"
    "        there.get_waiter('image_available').wait(ImageIds=[release[region]])\n"
    "    return release\n\n"
    "v1 = copy_to_regions('golden-v1', v1['us-east-1'])"
)
_SHARE = (
    "for region in REGIONS:\n"
    "    lab.client('kms', region=region).create_grant(\n"
    "        KeyId=keys[region], GranteePrincipal=f'arn:aws:iam::{partner_id}:root',\n"
    "        Operations=['Decrypt', 'DescribeKey', 'CreateGrant', 'ReEncryptFrom',\n"
    "                    'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext'],\n"
    "    )\n\n"
    "def share(release):\n"
    "    for region, image_id in release.items():\n"
    "        lab.client('ec2', region=region).modify_image_attribute(\n"
    "            ImageId=image_id, LaunchPermission={'Add': [{'UserId': partner_id}]}\n"
    "        )\n\n"
    "share(v1)"
)
_LAUNCH = (
    "partner_ec2.run_instances(\n"
    "    ImageId=v1['us-east-1'], InstanceType='t3.micro', MinCount=1, MaxCount=1\n"
    ")"
)
_RELEASE = (
    "v2 = copy_to_regions('golden-v2', bake('golden-v2', 'nginx', 'amazon-cloudwatch-agent'))\n"
    "share(v2)\n"
    "partner_eu = lab.client('ec2', region='eu-west-1', account='partner')\n"
    "partner_eu.run_instances(ImageId=v2['eu-west-1'], InstanceType='t3.micro', MinCount=1, "
    "MaxCount=1)"
)
_DEPRECATE = (
    "for region, image_id in v1.items():\n"
    "    lab.client('ec2', region=region).enable_image_deprecation(\n"
    "        ImageId=image_id, DeprecateAt=lab.now() + dt.timedelta(days=1)\n"
    "    )"
)
_CLEAN_UP = (
    "ec2.enable_image_deregistration_protection(ImageId=v1['us-east-1'])\n"
    "for region in ['us-west-2', 'eu-west-1']:\n"
    "    lab.client('ec2', region=region).deregister_image(\n"
    "        ImageId=v1[region], DeleteAssociatedSnapshots=True\n"
    "    )"
)


@exercise(
    "capstone-keys",
    lesson=LESSON,
    title=f"A customer managed key {KEY_ALIAS} in us-east-1, us-west-2 and eu-west-1",
    hints=(
        "Where does a KMS key work: in every Region, or in one? How many keys does the pipeline "
        "need, then?",
        "With each Region's KMS client (lab.client('kms', region=...)): create_key, then "
        f"create_alias with AliasName '{KEY_ALIAS}' and the new key's KeyId; keep each key's Arn "
        "in keys[region].",
        _KEYS,
    ),
    solution=_KEYS,
)
def capstone_keys(sandbox: Any) -> str:
    return step(sandbox, keys)


@exercise(
    "capstone-bake-v1",
    lesson=LESSON,
    title="Bake golden-v1 in us-east-1: Amazon Linux 2023 with nginx, encrypted with your key",
    hints=(
        "Lesson 2's recipe: what are its steps, and which one decides how the image's snapshot "
        "is encrypted?",
        "Launch the builder from lab.ids['base_image'] with a block device mapping for "
        "/dev/xvda whose Ebs has Encrypted True and your us-east-1 key; lab.install, "
        "create_image, the image_available waiter, terminate_instances.",
        _BAKE,
    ),
    solution=_BAKE,
)
def capstone_bake_v1(sandbox: Any) -> str:
    return step(sandbox, *BAKE_V1)


@exercise(
    "capstone-copy-v1",
    lesson=LESSON,
    title="Copy golden-v1 to us-west-2 and eu-west-1, encrypted with your key in each",
    hints=(
        "Which Region's client makes a copy, and which Region's key can encrypt it?",
        "copy_image with the destination Region's client (lesson 3), Encrypted=True and that "
        "Region's key from keys (lesson 5); wait for each copy.",
        _COPY,
    ),
    solution=_COPY,
)
def capstone_copy_v1(sandbox: Any) -> str:
    return step(sandbox, *COPY_V1)


@exercise(
    "capstone-share-v1",
    lesson=LESSON,
    title="Share golden-v1 and your keys with the partner, in all three Regions",
    hints=(
        "What does the partner's launch of an encrypted image need, in each Region?",
        "A grant on each Region's key for the partner's root with the six operations EBS needs "
        "(lesson 5), and a launch permission on each Region's image (lesson 4).",
        _SHARE,
    ),
    solution=_SHARE,
)
def capstone_share_v1(sandbox: Any) -> str:
    return step(sandbox, *SHARE_V1)


@exercise(
    "capstone-partner-launch",
    lesson=LESSON,
    title="As the partner, launch an instance from golden-v1 in us-east-1",
    hints=(
        "Whose client launches the partner's instance, and in which Region?",
        "partner_ec2 is the partner's client in us-east-1; run_instances with golden-v1's "
        "us-east-1 ID.",
        _LAUNCH,
    ),
    solution=_LAUNCH,
)
def capstone_partner_launch(sandbox: Any) -> str:
    return step(sandbox, *LAUNCH_V1)


@exercise(
    "capstone-release-v2",
    lesson=LESSON,
    title="Release golden-v2 (nginx and the CloudWatch agent): baked, copied, shared, launched",
    hints=(
        "Which of your functions make a release, and what does the partner need that it does not "
        "have yet?",
        "bake, then copy_to_regions, then share (your keys are shared already); the partner "
        "launches with its eu-west-1 client, lab.client('ec2', region='eu-west-1', "
        "account='partner').",
        _RELEASE,
    ),
    solution=_RELEASE,
)
def capstone_release_v2(sandbox: Any) -> str:
    return step(sandbox, *RELEASE_V2)


@exercise(
    "capstone-deprecate-v1",
    lesson=LESSON,
    title="Deprecate golden-v1 in every Region, from tomorrow",
    hints=(
        "Where is golden-v1, and by whose clock is 'tomorrow'?",
        "enable_image_deprecation with each Region's client, DeprecateAt one day after lab.now().",
        _DEPRECATE,
    ),
    solution=_DEPRECATE,
)
def capstone_deprecate_v1(sandbox: Any) -> str:
    return step(sandbox, *DEPRECATE_V1)


@exercise(
    "capstone-clean-up-v1",
    lesson=LESSON,
    title="Clean golden-v1 up safely: remove the unused copies, protect the one the partner runs",
    hints=(
        "Where was golden-v1 ever launched (LastLaunchedTime), and who still runs it?",
        "Where nobody launches it: deregister with its snapshots (lesson 7). Where the partner "
        "runs it: keep it, shared, with deregistration protection.",
        _CLEAN_UP,
    ),
    solution=_CLEAN_UP,
)
def capstone_clean_up_v1(sandbox: Any) -> str:
    return step(sandbox, *CLEAN_UP_V1)


@exercise(
    "capstone",
    lesson=LESSON,
    title="The whole golden-image pipeline, scored",
    hints=(
        "The message lists every piece, ✅ or ❌; start with the first ❌.",
        "Each step above has its own check: run it again to see the details of what is missing.",
    ),
    solution="\n\n".join(
        (
            _KEYS,
            _BAKE,
            _COPY,
            _SHARE,
            _LAUNCH,
            _RELEASE,
            _DEPRECATE,
            "lab.advance_clock(days=1)",
            _CLEAN_UP,
        )
    ),
)
def capstone(sandbox: Any) -> str:
    points, results = score(sandbox)
    parts = [f"✅ {r.name}" if r.ok else f"❌ {r.name}: {r.detail}" for r in results]
    message = f"{points}/{len(results)} · " + " · ".join(parts)
    missing = [r for r in results if not r.ok]
    if missing:
        fail(message, missing[0].hint)
    return message
