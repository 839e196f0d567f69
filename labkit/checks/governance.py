"""Checks for lesson 09, Governing images, its guard rails (exercises 9.1–9.4): Allowed AMIs
enforced, encryption by default with the platform key, snapshots kept private, and IMDSv2 as the
account's default. ``governance_history`` checks 9.5–9.7 (lifecycle policy, ancestry, fast
snapshot restore), ``governance_last_line`` 9.8–9.9 (the Recycle Bin, a compliance lock).

Each check reads the account's settings through the sandbox's own rules (``allowed_images``,
``ebs_defaults``, ``instance_defaults``), so ✅ means the sandbox would act as the exercise asks,
whatever route the learner took.
"""

from __future__ import annotations

from typing import Any

from ..accounts import ACCOUNTS, REGIONS
from ..catalog import catalog_images
from ..catalog import image_id as catalog_image_id
from ..fidelity import allowed_images, ebs_defaults
from ..fidelity.images import find_image
from ..fidelity.instance_defaults import launch_metadata_options
from ..scenarios import LOOKALIKE_IMAGES, PLATFORM_KEY
from . import exercise, fail
from ._lineage import describe_image, image_by_name, require_image_id

LESSON = "09-governance"
HOME = "us-east-1"
LEARNER = ACCOUNTS["learner"]
#: The hop limit exercise 9.4 asks for: one hop more than the instance, for its containers.
HOP_LIMIT = 2


def _amazon_accounts() -> set[str]:
    """The accounts Amazon publishes its images from (ImageOwnerAlias ``amazon``)."""
    return {i["owner_id"] for i in catalog_images(HOME) if i.get("owner_alias") == "amazon"}


def _state_in_words(state: str) -> str:
    return {
        allowed_images.DISABLED: "disabled: every image can be found and launched",
        allowed_images.AUDIT_MODE: (
            "in audit mode: it marks what it would refuse (ImageAllowed), but refuses nothing"
        ),
    }.get(state, state)


# -- Exercise 9.1 -------------------------------------------------------------------------------


@exercise(
    "governance-allowed-amis",
    lesson=LESSON,
    title="Enforce Allowed AMIs in us-east-1: Amazon's images (and your own), nobody else's",
    hints=(
        "Whose images does your account launch? Look at ImageOwnerAlias in the audit-mode "
        "answer: the ones you want are all published under one alias.",
        "The criteria come first: replace_image_criteria_in_allowed_images_settings("
        "ImageCriteria=[{'ImageProviders': [...]}]). Your own images are always allowed.",
        "Then switch from reporting to refusing: enable_allowed_images_settings("
        "AllowedImagesSettingsState=...), with the state that enforces.",
        "ec2.replace_image_criteria_in_allowed_images_settings(ImageCriteria=[{'ImageProviders': "
        "['amazon']}]), then ec2.enable_allowed_images_settings("
        "AllowedImagesSettingsState='enabled').",
    ),
    solution=(
        "ec2.replace_image_criteria_in_allowed_images_settings(\n"
        "    ImageCriteria=[{'ImageProviders': ['amazon']}]\n"
        ")\n"
        "ec2.enable_allowed_images_settings(AllowedImagesSettingsState='enabled')"
    ),
)
def allowed_amis(sandbox: Any) -> str:
    settings = sandbox.client("ec2").get_allowed_images_settings()
    state = settings["State"]
    if state != allowed_images.ENABLED:
        fail(
            f"Allowed AMIs in {HOME} is {_state_in_words(state)}",
            "get_allowed_images_settings shows the state and the criteria",
        )
    base = find_image(HOME, catalog_image_id("al2023-x86_64", HOME))
    if base is not None and not allowed_images.image_allowed(base, LEARNER, HOME):
        fail(
            f"Amazon's own Amazon Linux 2023 ({base.id}) is refused too: your fleets could not "
            "launch their base image",
            "which alias does Amazon publish under? (ImageOwnerAlias in describe_images)",
        )
    lookalike = find_image(HOME, LOOKALIKE_IMAGES[HOME])
    if lookalike is not None and allowed_images.image_allowed(lookalike, LEARNER, HOME):
        fail(
            f"the stranger's look-alike {lookalike.id} (owner {lookalike.owner_id}, no alias) "
            "is still allowed: one of your criteria lets it through",
            "a name can be faked: compare the look-alike's OwnerId and ImageOwnerAlias with "
            "Amazon's (the audit-mode listing above shows both)",
        )
    criteria = settings.get("ImageCriteria") or []
    for criterion in criteria:
        providers = criterion.get("ImageProviders") or []
        if not providers:
            fail(
                "a criterion names no image provider: it allows images of any owner whose "
                "names or codes match",
                "every criterion of this exercise names whose images it allows",
            )
        # Amazon's own accounts, by ID, are Amazon too (narrower than the alias, as a name
        # pattern beside it is): only other owners are more than the exercise allows.
        extra = sorted(set(providers) - {"amazon"} - _amazon_accounts())
        if extra:
            fail(
                f"your criteria also allow images of {', '.join(extra)}: the exercise allows "
                "Amazon's images only (your own are always allowed)",
                "ImageCriteria, in get_allowed_images_settings' answer, lists what you allowed",
            )
    return (
        f"Allowed AMIs is enabled in {HOME}: Amazon's images and your own can be found and "
        f"launched, and the stranger's look-alike {LOOKALIKE_IMAGES[HOME]} cannot."
    )


# -- Exercise 9.2 -------------------------------------------------------------------------------


def _platform_key_arn(sandbox: Any) -> str | None:
    kms = sandbox.client("kms")
    for alias in kms.list_aliases()["Aliases"]:
        if alias["AliasName"] == PLATFORM_KEY and alias.get("TargetKeyId"):
            return kms.describe_key(KeyId=alias["TargetKeyId"])["KeyMetadata"]["Arn"]
    return None


def _key_in_words(sandbox: Any, arn: str | None) -> str:
    """A key by its alias where it has one (``alias/aws/ebs``, AWS's managed key), else its ARN."""
    kms = sandbox.client("kms")
    key_id = (arn or "").rsplit("/", 1)[-1]
    for alias in kms.list_aliases()["Aliases"]:
        if alias.get("TargetKeyId") == key_id:
            name = alias["AliasName"]
            return f"{name}, AWS's managed key," if name == "alias/aws/ebs" else name
    return str(arn)


def _encrypting_elsewhere() -> list[str]:
    """The other Regions where the learner's account encrypts by default."""
    return [r for r in REGIONS if r != HOME and ebs_defaults.encryption_by_default(LEARNER, r)]


@exercise(
    "governance-encrypt-by-default",
    lesson=LESSON,
    title="Encrypt by default in us-east-1 with alias/ami-lab-platform, then copy legacy-app-v1",
    answers=("image_id",),
    hints=(
        "Two account settings of the Region are involved: is EBS encryption by default on, and "
        "which key is the default EBS key? get_… calls show both.",
        "enable_ebs_encryption_by_default() switches it on; modify_ebs_default_kms_key_id("
        "KmsKeyId=...) makes a key of yours the default.",
        "Then copy legacy-app-v1 (lab.ids['legacy_image']) with copy_image and no encryption "
        "parameters at all, and keep the new ImageId.",
        "ec2.enable_ebs_encryption_by_default(); ec2.modify_ebs_default_kms_key_id(KmsKeyId="
        "lab.ids['platform_key']); my_copy_id = ec2.copy_image(SourceImageId=lab.ids["
        "'legacy_image'], SourceRegion='us-east-1', Name='legacy-app-v1-encrypted')['ImageId']",
    ),
    solution=(
        "ec2.enable_ebs_encryption_by_default()\n"
        "ec2.modify_ebs_default_kms_key_id(KmsKeyId=lab.ids['platform_key'])\n"
        "my_copy_id = ec2.copy_image(\n"
        "    SourceImageId=lab.ids['legacy_image'],\n"
        "    SourceRegion='us-east-1',\n"
        "    Name='legacy-app-v1-encrypted',\n"
        ")['ImageId']"
    ),
)
def encrypt_by_default(sandbox: Any, image_id: Any) -> str:
    if not ebs_defaults.encryption_by_default(LEARNER, HOME):
        elsewhere = _encrypting_elsewhere()
        fail(
            f"EBS encryption by default is off in {HOME}: new volumes and copies there can "
            "still be unencrypted",
            f"you switched it on in {', '.join(elsewhere)}; the setting is per Region"
            if elsewhere
            else "get_ebs_encryption_by_default shows the setting",
        )
    platform = _platform_key_arn(sandbox)
    default = ebs_defaults.default_key_arn(LEARNER, HOME)
    if default != platform:
        fail(
            f"the default EBS key in {HOME} is {_key_in_words(sandbox, default)} not your key "
            f"{PLATFORM_KEY}",
            "get_ebs_default_kms_key_id shows which key EBS uses when none is named",
        )
    image_id = require_image_id(image_id, "my_copy_id")
    image = describe_image(sandbox, image_id)
    if image is None:
        fail(f"there is no image {image_id} in {HOME} that you can see")
    legacy = image_by_name(sandbox, "learner", "legacy-app-v1")
    legacy_id = legacy["ImageId"] if legacy else None
    if image_id == legacy_id:
        fail(
            f"{image_id} is legacy-app-v1 itself: an existing image never changes its encryption",
            "copy_image answers with the new image's ID",
        )
    if image.get("SourceImageId") != legacy_id:  # type: ignore[union-attr]
        fail(f"{image_id} is not a copy of legacy-app-v1 ({legacy_id})")
    ebs = [m["Ebs"] for m in image["BlockDeviceMappings"] if "Ebs" in m]  # type: ignore[index]
    plain = [e["SnapshotId"] for e in ebs if not e.get("Encrypted")]
    if plain:
        fail(
            f"{image_id} is not encrypted (snapshot {', '.join(plain)}): it was copied before "
            "encryption by default was on",
            "copy legacy-app-v1 again, now that the setting is on",
        )
    other = sorted({e.get("KmsKeyId") for e in ebs} - {platform})
    if other:
        fail(
            f"{image_id} is encrypted with {_key_in_words(sandbox, other[0])} not with the "
            f"default key {PLATFORM_KEY}: a key named in the request wins over the default",
            "copy it once more with no encryption parameters",
        )
    return (
        f"encryption by default is on in {HOME} with {PLATFORM_KEY} as the default key, and "
        f"{image_id}, copied from the unencrypted legacy-app-v1 without a word about "
        "encryption, came out encrypted with it."
    )


# -- Exercise 9.3 -------------------------------------------------------------------------------


@exercise(
    "governance-private-snapshots",
    lesson=LESSON,
    title="Make the old public snapshot private for good, and block public snapshots in us-east-1",
    hints=(
        "Which of the two blocking modes also hides snapshots that are already public?",
        "enable_snapshot_block_public_access(State=...) sets the mode; the snapshot's own "
        "createVolumePermission still names the group all until you remove it.",
        "modify_snapshot_attribute(SnapshotId=lab.ids['legacy_snapshot'], Attribute="
        "'createVolumePermission', OperationType=..., GroupNames=['all']) changes that.",
        "ec2.enable_snapshot_block_public_access(State='block-all-sharing'); "
        "ec2.modify_snapshot_attribute(SnapshotId=lab.ids['legacy_snapshot'], "
        "Attribute='createVolumePermission', OperationType='remove', GroupNames=['all'])",
    ),
    solution=(
        "ec2.enable_snapshot_block_public_access(State='block-all-sharing')\n"
        "ec2.modify_snapshot_attribute(\n"
        "    SnapshotId=lab.ids['legacy_snapshot'],\n"
        "    Attribute='createVolumePermission',\n"
        "    OperationType='remove',\n"
        "    GroupNames=['all'],\n"
        ")"
    ),
)
def private_snapshots(sandbox: Any) -> str:
    ec2 = sandbox.client("ec2")
    legacy = image_by_name(sandbox, "learner", "legacy-app-v1")
    snapshot_id = legacy["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"] if legacy else None
    state = ec2.get_snapshot_block_public_access_state()["State"]
    # What another account sees: the seller asks for the snapshot by its ID.
    seller = sandbox.client("ec2", account="seller")
    seen = bool(snapshot_id) and bool(
        seller.describe_snapshots(SnapshotIds=[snapshot_id])["Snapshots"]
    )
    if state == "unblocked":
        fail(
            f"block public access for snapshots is off in {HOME}: anyone here may still make a "
            "snapshot public",
            "get_snapshot_block_public_access_state shows the mode",
        )
    if seen:
        fail(
            f"the old public snapshot {snapshot_id} of legacy-app-v1 is still visible to every "
            f"account (the seller finds it): {state} does not reach it",
            "one mode refuses new public shares only; the other reaches old ones too",
        )
    if state != "block-all-sharing":
        fail(
            f"block public access for snapshots is {state} in {HOME}: any other snapshot someone "
            "made public before (you may not know them all) stays public",
            "which mode treats old public snapshots as private?",
        )
    if snapshot_id:
        permissions = ec2.describe_snapshot_attribute(
            SnapshotId=snapshot_id, Attribute="createVolumePermission"
        )["CreateVolumePermissions"]
        if {"Group": "all"} in permissions:
            fail(
                f"{snapshot_id} is hidden for now, but its create volume permission still names "
                "everyone (the group all): relax the mode and it is public again",
                "describe_snapshot_attribute shows its createVolumePermission",
            )
    return (
        f"snapshots cannot be made public in {HOME} (block-all-sharing), and {snapshot_id} no "
        "longer names everyone: it stays private whatever the setting."
    )


# -- Exercise 9.4 -------------------------------------------------------------------------------


def _defaults_elsewhere(sandbox: Any) -> list[str]:
    """The other Regions where the learner's account default requires IMDSv2."""
    found = []
    for region in REGIONS:
        if region == HOME:
            continue
        defaults = sandbox.client("ec2", region=region).get_instance_metadata_defaults()
        if defaults["AccountLevel"].get("HttpTokens") == "required":
            found.append(region)
    return found


@exercise(
    "governance-imds-default",
    lesson=LESSON,
    title="Require IMDSv2 for every new instance in us-east-1 by default, with a hop limit of 2",
    hints=(
        "An instance launched tomorrow from an image that does not ask for IMDSv2 (the "
        "look-alike, say), with nothing said at launch: what decides its metadata options?",
        "One level above the image and the instance: the account's defaults for the Region. "
        "get_instance_metadata_defaults shows them; modify_instance_metadata_defaults takes "
        "the options a launch's MetadataOptions takes.",
        "ec2.modify_instance_metadata_defaults(HttpTokens=..., HttpPutResponseHopLimit=...): "
        "which value requires a token, and how many hops do containers need?",
        "ec2.modify_instance_metadata_defaults(HttpTokens='required', HttpPutResponseHopLimit=2)",
    ),
    solution=(
        "ec2.modify_instance_metadata_defaults(\n"
        "    HttpTokens='required', HttpPutResponseHopLimit=2\n"
        ")"
    ),
)
def imds_default(sandbox: Any) -> str:
    # The sandbox's own precedence rule (launch, account default, image), for a launch that
    # asks for nothing, from an image that asks for nothing: what only the default decides.
    lookalike = find_image(HOME, LOOKALIKE_IMAGES[HOME])
    options = launch_metadata_options(None, lookalike, LEARNER, HOME)
    tokens, hops = options["HttpTokens"], options["HttpPutResponseHopLimit"]
    if tokens != "required":
        elsewhere = _defaults_elsewhere(sandbox)
        fail(
            f"a new instance in {HOME} from an image that does not ask for IMDSv2 (the "
            f"look-alike, say) would still answer IMDSv1: its HttpTokens would be {tokens}",
            f"you set a default in {', '.join(elsewhere)}; defaults are per Region"
            if elsewhere
            else "when the launch and the image say nothing, the account's defaults for the "
            "Region decide",
        )
    if hops != HOP_LIMIT:
        fail(
            f"new instances in {HOME} would require IMDSv2 with a hop limit of {hops}: "
            + (
                "containers on the instance could not reach the metadata service"
                if hops < HOP_LIMIT
                else "the token could travel further than the containers on the instance need"
            ),
            "the hop limit is a default of its own, beside HttpTokens",
        )
    return (
        f"every new instance in {HOME} requires IMDSv2 (hop limit {HOP_LIMIT}) unless its "
        "launch says otherwise, whatever image it starts from."
    )
