"""The pieces of lesson 08's golden-image pipeline, each read from the sandbox as an ``Item``.

Every item reads the sandbox with the accounts' own boto3 clients, except whether a key lets the
partner use it, which comes from the sandbox's KMS rules (``_keys``, as lesson 5's checks do).
Items are written to stay true once later steps are done, so the final check can score them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from ..accounts import ACCOUNTS
from ..catalog import INSTALLED_TAG, catalog_images
from . import fail
from ._access import key_users_beyond
from ._keys import (
    listed,
    not_allowed,
    unusable_state,
)
from ._pipeline_reading import (
    KEY_ALIAS,
    PARTNER,
    ebs_mappings,
    encryption_problem,
    key_in_words,
    key_refusals,
    launch_beyond_partner,
    learner_key_arn,
    make_usable_code,
    own_image,
    partner_instances,
    partner_sees,
    read_once,
)

__all__ = [
    "BAKE_V1",
    "CLEAN_UP_V1",
    "COPY_V1",
    "DEPRECATE_V1",
    "LAUNCH_V1",
    "PIPELINE",
    "RELEASE_V2",
    "SHARE_V1",
    "Item",
    "baked",
    "copied",
    "copies_removed",
    "deprecated",
    "encrypted",
    "kept_for_partner",
    "keys",
    "partner_runs",
    "score",
    "shared",
    "step",
]

HOME = "us-east-1"
COPY_REGIONS = ("us-west-2", "eu-west-1")
RELEASE_REGIONS = (HOME, *COPY_REGIONS)
V1, V2 = "golden-v1", "golden-v2"
#: What each release must have installed.
SOFTWARE = {V1: ("nginx",), V2: ("nginx", "amazon-cloudwatch-agent")}


@dataclass(frozen=True)
class Item:
    """One piece of the pipeline: its short name, whether it is in place, and what is missing."""

    name: str
    ok: bool
    detail: str = ""
    hint: str | None = None


# -- the pipeline's items -----------------------------------------------------------------------


def keys(sandbox: Any) -> Item:
    arns = {r: learner_key_arn(sandbox, r) for r in RELEASE_REGIONS}
    missing = [r for r, arn in arns.items() if arn is None]
    if missing:
        return Item(
            "your keys",
            False,
            f"you have no customer managed key {KEY_ALIAS} in {listed(missing)}",
            "a KMS key lives in one Region: look at each Region's keys and aliases "
            "(kms.list_aliases with that Region's client)",
        )
    for region, arn in arns.items():
        unusable = unusable_state(arn, ACCOUNTS["learner"], region)
        if unusable:
            state, words = unusable
            return Item(
                "your keys",
                False,
                f"your key {KEY_ALIAS} in {region} is {words}: KMS lets no account use it, so "
                "nobody can launch or copy the images it encrypts there",
                f"make the key usable again: {make_usable_code(state, region)}",
            )
    return Item(f"your key {KEY_ALIAS} in {listed(RELEASE_REGIONS)}", True)


def baked(sandbox: Any, name: str) -> Item:
    label = f"{name} baked"
    image = own_image(sandbox, HOME, name)
    if image is None:
        return Item(
            label,
            False,
            f"there is no image {name} of yours in {HOME}",
            "an image is baked from a builder instance (lesson 2): look at your images' names",
        )
    tags = {t["Key"]: t["Value"] for t in image.get("Tags", [])}
    installed = [p for p in tags.get(INSTALLED_TAG, "").split(",") if p]
    lacking = [p for p in SOFTWARE[name] if p not in installed]
    if lacking:
        return Item(
            label,
            False,
            f"{name} ({image['ImageId']}) does not have {listed(lacking)} installed "
            f"(it has {', '.join(installed) or 'nothing'})",
            "software is installed on the builder before its image is created: look at what "
            "your bake function installs",
        )
    builder = image.get("SourceInstanceId")
    if builder:
        found = sandbox.client("ec2").describe_instances(
            Filters=[{"Name": "instance-id", "Values": [builder]}]
        )["Reservations"]
        base = found[0]["Instances"][0]["ImageId"] if found else None
        amazon_linux = {
            e["image_id"] for e in catalog_images(HOME) if str(e["key"]).startswith("al2023")
        }
        if base is not None and base not in amazon_linux:
            return Item(
                label,
                False,
                f"{name} was made from an instance launched from {base}, not from an Amazon "
                "Linux 2023 base image",
                "look at the ImageId your builder is launched from",
            )
    return Item(label, True)


def encrypted(sandbox: Any, name: str) -> Item:
    label = f"{name} encrypted with your key"
    image = own_image(sandbox, HOME, name)
    if image is None:
        return Item(label, False, f"there is no image {name} of yours in {HOME} to encrypt")
    problem = encryption_problem(sandbox, HOME, image)
    if problem:
        return Item(
            label,
            False,
            problem,
            "the image's snapshot takes the encryption of the builder's root volume: look at "
            "the BlockDeviceMappings your builder is launched with",
        )
    return Item(label, True)


def copied(sandbox: Any, name: str) -> Item:
    label = f"{name} copied to {listed(COPY_REGIONS)}"
    source = own_image(sandbox, HOME, name)
    if source is None:
        return Item(label, False, f"there is no {name} in {HOME} to copy")
    for region in COPY_REGIONS:
        copy = own_image(sandbox, region, name)
        hint = (
            f"a copy is made with the {region} client, and encrypted with a key of that Region: "
            "look at your copy_image call's parameters"
        )
        if copy is None and _retired(sandbox, region, name):
            continue
        if copy is None:
            return Item(label, False, f"there is no {name} in {region}", hint)
        if copy.get("SourceImageId") != source["ImageId"]:
            return Item(
                label,
                False,
                f"{name} in {region} ({copy['ImageId']}) is not a copy of {name} in {HOME} "
                f"({source['ImageId']})",
                hint,
            )
        problem = encryption_problem(sandbox, region, copy)
        if problem:
            return Item(label, False, problem, hint)
    return Item(label, True)


def shared(sandbox: Any, name: str, regions: tuple[str, ...] = RELEASE_REGIONS) -> Item:
    label = f"{name} shared with the partner, keys included"
    for region in regions:
        image = own_image(sandbox, region, name)
        if image is None and _retired(sandbox, region, name):
            continue
        if image is None:
            return Item(label, False, f"there is no {name} in {region} to share")
        if not partner_sees(sandbox, region, image["ImageId"]):
            return Item(
                label,
                False,
                f"the partner cannot see {name} in {region}: it has no launch permission there",
                f"look at the image's launchPermission attribute, with the {region} client",
            )
        too_much = launch_beyond_partner(sandbox, region, image["ImageId"])
        if too_much:
            return Item(label, False, f"{name} in {region} {too_much[0]}", too_much[1])
        arn, unusable, missing = key_refusals(region, image)
        if unusable:
            state, words = unusable
            return Item(
                label,
                False,
                f"the partner cannot use your key in {region}: "
                f"{key_in_words(sandbox, region, arn)} is {words}: "
                "KMS lets no account use it, yours included",
                f"make the key usable again: {make_usable_code(state, region)}",
            )
        if missing:
            return Item(
                label,
                False,
                f"the partner cannot use your key in {region}: "
                f"{key_in_words(sandbox, region, arn)} does not allow account {PARTNER} "
                f"{not_allowed(missing)}",
                f"the partner needs every action EBS uses on your key in {region}: look at "
                "its grants (kms.list_grants) and its key policy",
            )
        used = sorted({e["KmsKeyId"] for e in ebs_mappings(image) if e.get("Encrypted")})
        for key_arn in used:
            others = key_users_beyond(key_arn, ACCOUNTS["learner"], region, PARTNER)
            if not others:
                continue
            return Item(
                label,
                False,
                f"your key {key_in_words(sandbox, region, key_arn)} in {region} also lets "
                f"{listed(others)} use it: whoever may use the key can read {name}'s snapshots",
                "give the key to the partner alone: take the other principal out of the key "
                "policy, or revoke its grant (kms.list_grants lists them)",
            )
    return Item(label, True)


def partner_runs(sandbox: Any, name: str) -> Item:
    label = f"the partner runs {name}"
    for region in RELEASE_REGIONS:
        image = own_image(sandbox, region, name)
        if image and partner_instances(sandbox, region, {image["ImageId"]}):
            return Item(label, True)
    return Item(
        label,
        False,
        f"the partner runs no instance from {name}, in any Region",
        "the launch is made by the partner, with the partner's client for the image's Region",
    )


def deprecated(sandbox: Any, name: str) -> Item:
    label = f"{name} deprecated"
    if own_image(sandbox, HOME, name) is None:
        return Item(label, False, f"there is no {name} in {HOME} to deprecate")
    for region in RELEASE_REGIONS:
        image = own_image(sandbox, region, name)
        if image is not None and not image.get("DeprecationTime"):
            return Item(
                label,
                False,
                f"{name} in {region} ({image['ImageId']}) has no deprecation time",
                "each Region's image is deprecated on its own, with that Region's client",
            )
    return Item(label, True)


def _retired(sandbox: Any, region: str, name: str) -> bool:
    """Whether a copy of a release is gone because the pipeline retired it (exercise 8.8): the
    release that replaces it is there, and the release is deprecated in its home Region."""
    if name != V1 or region == HOME or own_image(sandbox, region, V2) is None:
        return False
    home = own_image(sandbox, HOME, name)
    return home is not None and bool(home.get("DeprecationTime"))


def copies_removed(sandbox: Any, name: str, replacement: str = V2) -> Item:
    label = f"{name}'s unused copies removed"
    for region in COPY_REGIONS:
        if own_image(sandbox, region, replacement) is None:
            return Item(
                label,
                False,
                f"there is no {replacement} in {region} yet: retire {name} there once the "
                "version that replaces it is released",
                "release the new version first (exercise 8.6)",
            )
        image = own_image(sandbox, region, name)
        hint = "removing an image takes two steps (lesson 7): deregister, and delete its snapshots"
        if image is not None:
            return Item(
                label,
                False,
                f"{name} is still registered in {region} ({image['ImageId']}), where nobody "
                "launches it: it only costs",
                hint,
            )
        ec2 = sandbox.client("ec2", region=region)
        used = {
            e["SnapshotId"]
            for i in ec2.describe_images(Owners=["self"])["Images"]
            for e in ebs_mappings(i)
        }
        left = [
            s["SnapshotId"]
            for s in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]
            if s["SnapshotId"] not in used
        ]
        if left:
            return Item(
                label,
                False,
                f"your snapshot {left[0]} in {region} belongs to no image, and is still billed",
                f"look at your snapshots in {region}: which image uses each?",
            )
    return Item(label, True)


def kept_for_partner(sandbox: Any, name: str) -> Item:
    label = f"{name} kept safe for the partner's fleet in {HOME}"
    image = own_image(sandbox, HOME, name)
    if image is None:
        return Item(
            label,
            False,
            f"{name} in {HOME} is gone, but the partner's fleet there still launches from it",
            "lab.reset() starts over; the image a fleet runs stays until the fleet has moved",
        )
    if not partner_instances(sandbox, HOME, {image["ImageId"]}):
        return Item(
            label,
            False,
            f"the partner no longer runs {name} in {HOME}: its fleet was stopped before its "
            "change freeze ended",
            "leave the partner's instances running",
        )
    share = shared(sandbox, name, (HOME,))
    if not share.ok:
        return Item(label, False, share.detail, share.hint)
    if image.get("DeregistrationProtection", "disabled") == "disabled":
        return Item(
            label,
            False,
            f"{name} in {HOME} has no deregistration protection, though the partner's fleet "
            "still launches from it",
            "how does an image say 'not this one' to whoever cleans up (lesson 7)?",
        )
    return Item(label, True)


# -- the steps: what each step's check runs, and what the final check scores ------------------

Piece = Callable[[Any], Item]


def _of(name: str, *pieces: Callable[..., Item]) -> tuple[Piece, ...]:
    """Pieces of the pipeline for one release, each ready to be called with the sandbox."""
    return tuple(partial(piece, name=name) for piece in pieces)


BAKE_V1 = _of(V1, baked, encrypted)
COPY_V1 = _of(V1, copied)
SHARE_V1 = _of(V1, shared)
LAUNCH_V1 = _of(V1, partner_runs)
RELEASE_V2 = _of(V2, baked, encrypted, copied, shared, partner_runs)
DEPRECATE_V1 = _of(V1, deprecated)
CLEAN_UP_V1 = _of(V1, copies_removed, kept_for_partner)

#: The whole pipeline, in order: what the final check scores. v1's copy, share and launch steps
#: are not in it: v2's release repeats them, and v1's copies are gone by the end.
PIPELINE: tuple[Piece, ...] = (keys, *BAKE_V1, *RELEASE_V2, *DEPRECATE_V1, *CLEAN_UP_V1)


def step(sandbox: Any, *items: Piece) -> str:
    """Run a step's items: the first one missing fails the check; else say what is in place."""
    done = []
    with read_once():
        for item in items:
            result = item(sandbox)
            if not result.ok:
                fail(result.detail, result.hint)
            done.append(result.name)
    return "; ".join(done) + "."


def score(sandbox: Any) -> tuple[int, list[Item]]:
    """How many of the pipeline's items are in place, and every item."""
    with read_once():
        results = [item(sandbox) for item in PIPELINE]
    return sum(r.ok for r in results), results
