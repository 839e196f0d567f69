"""Checks for lesson 06, Marketplace and trust: say what three images cost and who pays; make
your own image of a Marketplace image that cannot be copied into another account (R22/R45);
choose an image you can trust and say why the others fail."""

from __future__ import annotations

import re
from typing import Any

from ..catalog import image_id as catalog_image_id
from ..scenarios import SELLER_PRODUCT_CODE, STRANGER_ACCOUNT, TRUST_DEPRECATED, TRUST_LOOKALIKE
from . import exercise, fail
from ._lineage import (
    GONE,
    image_by_name,
    instances_launched_from,
    require_image_id,
    source_images,
)

LESSON = "06-marketplace-and-trust"
HOME = "us-east-1"
SELLER_IMAGE = "northwind-analytics-v5"
DEPRECATED_ON = "2025-02-20"

#: Words that name each problem in a learner's reason (case-insensitive).
_OWNER_WORDS = re.compile(r"owner|alias|stranger|unknown|verified|publisher|\bwho\b", re.I)
_DEPRECATED_WORDS = re.compile(
    r"deprecat|\bold\b|\bolder\b|outdated|replaced|expired|\bage\b", re.I
)


def _trusted() -> str:
    return catalog_image_id("al2023-x86_64", HOME)


def _reason_problem(
    image: str, reasons: dict[Any, Any], expected: str, wrong_guess: str, words: re.Pattern
) -> None:
    """Fail unless the learner's reason for rejecting ``image`` names the expected problem."""
    reason = reasons.get(image)
    if reason is None:
        fail(
            f"my_reasons says nothing about {image}; say why you rejected it",
            f"add an entry: my_reasons['{image}'] = 'owner' or 'deprecated'",
        )
    text = str(reason)
    if words.search(text):
        return
    fail(
        f"the reason you gave for {image}, {text!r}, is not what is wrong with it: {expected}",
        wrong_guess,
    )


# -- Exercise 6.1 (what an image costs) ------------------------------------------------------------

#: The images exercise 6.1 asks about, by their lab.ids key.
KIND_IMAGES = ("marketplace_image", "seller_image", "windows_image")
#: Words that name each kind of image in a learner's answer (case-insensitive).
_KIND_WORDS = {
    "free": re.compile(r"\bfree\b", re.I),
    "paid": re.compile(r"paid|marketplace|product|rent|seller", re.I),
    "licence included": re.compile(r"licen[cs]e|windows|included", re.I),
}


def _kind(image: dict[str, Any]) -> str:
    """What an image costs beyond its instance, read from its fields as the lesson does."""
    if image.get("ProductCodes"):
        return "paid"
    if image.get("UsageOperation", "RunInstances") != "RunInstances":
        return "licence included"
    return "free"


def _kind_ids(sandbox: Any) -> dict[str, str]:
    """The three images' IDs, by lab.ids key, from the lesson's starting state."""
    ids = {
        "marketplace_image": catalog_image_id("marketplace-hardened-al2023", HOME),
        "windows_image": catalog_image_id("windows-2022-base", HOME),
    }
    seller = image_by_name(sandbox, "seller", SELLER_IMAGE)
    if seller is not None:
        ids["seller_image"] = seller["ImageId"]
    return ids


@exercise(
    "marketplace-what-it-costs",
    lesson=LESSON,
    title="Say which images are free, paid or licence included, and who pays the seller",
    answers=("kinds", "payer"),
    hints=(
        "What in an image says that it costs more than its instance? Which fields of "
        "describe_images show a product code, and a licence in the price?",
        "Describe the three images by ID: ProductCodes (paid, rented by the hour), "
        "PlatformDetails and UsageOperation (RunInstances is plain Linux; anything else has a "
        "licence in the price). The account that launches pays.",
        "my_kinds = {lab.ids['marketplace_image']: 'paid', lab.ids['seller_image']: 'paid', "
        "lab.ids['windows_image']: 'licence included'}\n"
        "my_payer = lab.account_id('partner')",
    ),
    solution=(
        "ids = [lab.ids['marketplace_image'], lab.ids['seller_image'], lab.ids['windows_image']]\n"
        "for image in ec2.describe_images(ImageIds=ids)['Images']:\n"
        "    print(image['Name'], image['ProductCodes'], image['UsageOperation'])\n"
        "my_kinds = {\n"
        "    lab.ids['marketplace_image']: 'paid',\n"
        "    lab.ids['seller_image']: 'paid',\n"
        "    lab.ids['windows_image']: 'licence included',\n"
        "}\n"
        "my_payer = lab.account_id('partner')"
    ),
)
def what_it_costs(sandbox: Any, kinds: Any, payer: Any) -> str:
    if kinds is ... or not isinstance(kinds, dict):
        found = "still ..." if kinds is ... else f"{type(kinds).__name__} {kinds!r}"
        fail(
            f"expected my_kinds to be a dict from image ID to 'free', 'paid' or 'licence "
            f"included', but it is {found}",
            "a dict from image ID to a word: {'ami-…': 'free', …}",
        )
    ids = _kind_ids(sandbox)
    ec2 = sandbox.client("ec2")
    for key in KIND_IMAGES:
        image_id = ids.get(key)
        if image_id is None:
            continue
        if image_id not in kinds:
            fail(
                f"my_kinds says nothing about {image_id} (lab.ids['{key}'])",
                "give a kind for each of the three images",
            )
        image = ec2.describe_images(ImageIds=[image_id])["Images"][0]
        expected = _kind(image)
        text = str(kinds[image_id])
        said = [kind for kind, words in _KIND_WORDS.items() if words.search(text)]
        if said != [expected]:
            fail(
                f"{image['Name']} ({image_id}) is not {text!r}: look again at what it carries",
                "compare its ProductCodes, PlatformDetails and UsageOperation with the "
                "Marketplace and Windows images above",
            )
    partner = sandbox.account_id("partner")
    if payer is ... or str(payer).strip().lower() not in (partner, "partner"):
        who = "still ..." if payer is ... else repr(payer)
        fail(
            f"my_payer is {who}: that account does not pay the seller when the partner launches "
            "your image",
            "the bill goes with the instance: which account runs it?",
        )
    return (
        "both images with a product code are paid: whoever launches them rents the software by "
        "the hour (the partner, for its own instances). Windows has its licence in the "
        "instance's price (UsageOperation RunInstances:0002), with no product code."
    )


# -- Exercise 6.2 ----------------------------------------------------------------------------------


@exercise(
    "marketplace-launch-and-create-image",
    lesson=LESSON,
    title="Make your own image of the seller's paid northwind-analytics-v5",
    hints=(
        "copy_image is refused for another account's Marketplace image. What may you still do "
        "with it, and what can you make from the result?",
        "Launch an instance from lab.ids['seller_image'] (run_instances), then create an image "
        "from that instance (create_image, lesson 2).",
        "instance_id = ec2.run_instances(ImageId=lab.ids['seller_image'], "
        "InstanceType='t3.micro', MinCount=1, MaxCount=1)['Instances'][0]['InstanceId']\n"
        "ec2.create_image(InstanceId=instance_id, Name='my-analytics-v5')",
    ),
    solution=(
        "answer = ec2.run_instances(ImageId=lab.ids['seller_image'], InstanceType='t3.micro',\n"
        "                           MinCount=1, MaxCount=1)\n"
        "instance_id = answer['Instances'][0]['InstanceId']\n"
        "my_analytics_image = ec2.create_image(InstanceId=instance_id,\n"
        "                                      Name='my-analytics-v5')['ImageId']"
    ),
)
def launch_and_create_image(sandbox: Any) -> str:
    seller = image_by_name(sandbox, "seller", SELLER_IMAGE)
    if seller is None:
        fail(
            f"the seller's {SELLER_IMAGE} is no longer shared with you",
            "start the lesson over with lab.reset()",
        )
    seller_id = seller["ImageId"]  # type: ignore[index]
    made = source_images(sandbox)
    mine = [image for image, (_i, source) in made.items() if source == seller_id]
    if mine:
        image = sandbox.client("ec2").describe_images(ImageIds=[mine[0]])["Images"][0]
        codes = [p["ProductCodeId"] for p in image.get("ProductCodes", [])]
        if SELLER_PRODUCT_CODE not in codes:
            fail(f"{mine[0]} was made from {SELLER_IMAGE} but has lost its product code")
        return (
            f"{mine[0]} is yours, made from an instance of the seller's {SELLER_IMAGE}, and it "
            f"keeps the product code {SELLER_PRODUCT_CODE}: every instance launched from it "
            "pays the seller's software charge."
        )
    launched = instances_launched_from(sandbox, seller_id, states=True)
    usable = [i for i, state in launched if state not in GONE]
    if usable:
        fail(
            f"you launched {usable[0]} from {SELLER_IMAGE} ({seller_id}); now create an image "
            "from that instance",
            "an image of an instance is made by create_image (lesson 2)",
        )
    if launched:
        instance, state = launched[0]
        fail(
            f"you launched {instance} from {SELLER_IMAGE} ({seller_id}), but it is {state}: an "
            "image can only be created from a running or stopped instance",
            "look at the state of your instances: describe_instances",
        )
    if made:
        image, (instance, source) = next(iter(made.items()))
        fail(
            f"{image} was created from {instance}, an instance of {source}, not of the seller's "
            f"{SELLER_IMAGE} ({seller_id})",
            "look at the ImageId of the instance you made the image from",
        )
    fail(
        f"you own no image made from the seller's {SELLER_IMAGE} ({seller_id}) yet",
        "copy_image is refused for another account's Marketplace image: what else may you do "
        "with an image you may launch?",
    )
    return ""


# -- Exercise 6.3 ----------------------------------------------------------------------------------


@exercise(
    "trust-choose-image",
    lesson=LESSON,
    title="Choose the Amazon Linux 2023 image you can trust, and say why the others fail",
    answers=("image_id", "reasons"),
    hints=(
        "Who published each candidate, and is it still current? Which fields of "
        "describe_images answer each question?",
        "Describe the three by ID; compare OwnerId and ImageOwnerAlias (only verified providers "
        "have an alias) and DeprecationTime (compare with lab.now()).",
        "my_trusted_image_id = lab.ids['candidate_2']\n"
        "my_reasons = {lab.ids['candidate_1']: 'owner', lab.ids['candidate_3']: 'deprecated'}",
    ),
    solution=(
        "my_trusted_image_id = lab.ids['candidate_2']\n"
        "my_reasons = {\n"
        "    lab.ids['candidate_1']: 'owner: 444455556666 has no verified alias',\n"
        "    lab.ids['candidate_3']: 'deprecated on 2025-02-20',\n"
        "}"
    ),
)
def choose_image(sandbox: Any, image_id: Any, reasons: Any) -> str:
    choice = require_image_id(image_id, "my_trusted_image_id")
    trusted = _trusted()
    candidates = (TRUST_LOOKALIKE, trusted, TRUST_DEPRECATED)
    if choice not in candidates:
        fail(
            f"{choice} is not one of the three candidates",
            "the candidates are lab.ids['candidate_1'], 'candidate_2' and 'candidate_3'",
        )
    if choice == TRUST_LOOKALIKE:
        fail(
            f"{choice} is the newest of the three and named like Amazon Linux, but its owner is "
            f"{STRANGER_ACCOUNT}, an account with no verified alias: anyone can give an image "
            "any name",
            "who published it? Compare the candidates' OwnerId and ImageOwnerAlias",
        )
    if choice == TRUST_DEPRECATED:
        fail(
            f"{choice} is Amazon's own, but it was deprecated on {DEPRECATED_ON}: Amazon has "
            "replaced it with a newer release, and it gets no more fixes",
            "is it still current? Compare each candidate's DeprecationTime with lab.now()",
        )
    if reasons is ...:
        fail(
            "my_reasons is still ... ; give a reason for each image you rejected",
            "my_reasons = {'ami-…': 'owner', 'ami-…': 'deprecated'}",
        )
    if not isinstance(reasons, dict):
        fail(
            f"expected my_reasons to be a dict from image ID to reason, but found "
            f"{type(reasons).__name__} {reasons!r}",
            "my_reasons = {'ami-…': 'owner', 'ami-…': 'deprecated'}",
        )
    _reason_problem(
        TRUST_LOOKALIKE,
        reasons,
        f"its owner {STRANGER_ACCOUNT} has no verified alias (it is not deprecated: it is the "
        "newest of the three)",
        "name the problem with its owner: 'owner'",
        _OWNER_WORDS,
    )
    _reason_problem(
        TRUST_DEPRECATED,
        reasons,
        f"it was deprecated on {DEPRECATED_ON} (its owner is fine: Amazon, alias 'amazon')",
        "name the problem with its age: 'deprecated'",
        _DEPRECATED_WORDS,
    )
    return (
        f"{trusted} is Amazon's current Amazon Linux 2023 for x86_64 (owner alias 'amazon', not "
        f"deprecated). {TRUST_LOOKALIKE} fails on its owner, and {TRUST_DEPRECATED} on its age."
    )
