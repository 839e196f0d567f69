"""Checks for lesson 06, Marketplace and trust: make your own image of a Marketplace image that
cannot be copied into another account (R22/R45); choose an image you can trust and say why the
others fail."""

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


# -- Exercise 6.1 -------------------------------------------------------------------------------


@exercise(
    "marketplace-launch-and-create-image",
    lesson=LESSON,
    title="Make your own image of the seller's paid northwind-analytics-v5",
    hints=(
        "Try copy_image first and read the error: a copy of another account's AWS Marketplace "
        "image (or of an image made from one) is refused, even with create volume permission. "
        "AWS's error does not say what to do instead: the way round is lesson 4's.",
        "Launch an instance from lab.ids['seller_image'] with run_instances.",
        "Then create_image from that instance; look at the new image's ProductCodes.",
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
            f"ec2.create_image(InstanceId='{usable[0]}', Name='my-analytics-v5')",
        )
    if launched:
        instance, state = launched[0]
        fail(
            f"you launched {instance} from {SELLER_IMAGE} ({seller_id}), but it is {state}: an "
            "image can only be created from a running or stopped instance",
            "launch a new instance from lab.ids['seller_image'] with run_instances, then "
            "create_image from that one",
        )
    if made:
        image, (instance, source) = next(iter(made.items()))
        fail(
            f"{image} was created from {instance}, an instance of {source}, not of the seller's "
            f"{SELLER_IMAGE} ({seller_id})",
            "launch the instance from lab.ids['seller_image']",
        )
    fail(
        f"you own no image made from the seller's {SELLER_IMAGE} ({seller_id}) yet",
        "copy_image is refused for another account's Marketplace image: launch an instance "
        "from it, then create_image from that instance",
    )
    return ""


# -- Exercise 6.2 -------------------------------------------------------------------------------


@exercise(
    "trust-choose-image",
    lesson=LESSON,
    title="Choose the Amazon Linux 2023 image you can trust, and say why the others fail",
    answers=("image_id", "reasons"),
    hints=(
        "Describe the three candidates together: ec2.describe_images(ImageIds=[...]).",
        "For each one, look at OwnerId and ImageOwnerAlias (who published it?) and at "
        "DeprecationTime (is it still current? compare with lab.now()).",
        "Only one is both published under the verified alias 'amazon' and not yet deprecated. "
        "my_reasons maps each other ID to 'owner' or 'deprecated'.",
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
            "choose among lab.ids['candidate_1'], lab.ids['candidate_2'] and "
            "lab.ids['candidate_3']",
        )
    if choice == TRUST_LOOKALIKE:
        fail(
            f"{choice} is the newest of the three and named like Amazon Linux, but its owner is "
            f"{STRANGER_ACCOUNT}, an account with no verified alias: anyone can give an image "
            "any name",
            "compare OwnerId and ImageOwnerAlias: Amazon's images show the alias 'amazon'",
        )
    if choice == TRUST_DEPRECATED:
        fail(
            f"{choice} is Amazon's own, but it was deprecated on {DEPRECATED_ON}: Amazon has "
            "replaced it with a newer release, and it gets no more fixes",
            "look at each candidate's DeprecationTime and compare it with lab.now()",
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
