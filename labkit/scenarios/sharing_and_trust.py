"""Starting states of lessons 4–6: sharing, encryption, Marketplace and trust."""

from __future__ import annotations

from typing import Any

from .baking import bake, customer_key
from .publishing import STRANGER_ACCOUNT, publish_image
from .registry import scenario

__all__ = [
    "CONTRACTOR_ACCOUNT",
    "CUSTOMER_ACCOUNT",
    "SELLER_PRODUCT_CODE",
    "TRUST_DEPRECATED",
    "TRUST_LOOKALIKE",
]

#: Lesson 4's contractor: an account outside the lab that billing-jobs-v2 is shared with, whose
#: share the learner takes back (made up, fixed; not one of the lab's accounts).
CONTRACTOR_ACCOUNT = "555566667777"

#: Lesson 4's customer: an account outside the lab that asks to try orders-app-v3 (exercise 4.2).
#: The lesson gives it as a customer writes it, 4444-5555-6666; AWS takes the 12 digits alone.
CUSTOMER_ACCOUNT = "444455556666"

#: The seller's product code on the analytics image it shares in lesson 6 (made up, fixed).
SELLER_PRODUCT_CODE = "8n3f5w1q7c2x9v4k6m0t5b7y2"

#: Lesson 6's candidate images for "Amazon Linux 2023, x86_64" besides Amazon's current one.
TRUST_LOOKALIKE = "ami-0a7d3c95e1f4b2868"  # a stranger's, named like Amazon's, and newer
TRUST_DEPRECATED = "ami-0b3f8e21d6c94a7f5"  # Amazon's own, an older release now deprecated


@scenario(
    "04-sharing",
    "three images of yours (web-server-v1, orders-app-v3, and billing-jobs-v2, shared with the "
    "partner and a contractor), and the partner's partner-tools-v2, shared with you for "
    "launching only",
)
def _sharing(sandbox: Any) -> dict[str, str]:
    web = bake(sandbox, "web-server-v1", "nginx", tags={"Team": "web", "Stage": "production"})
    app = bake(sandbox, "orders-app-v3", "nodejs20", data_volume_gib=20)
    tools = bake(sandbox, "partner-tools-v2", "git", "docker", account="partner")
    sandbox.client("ec2", account="partner").modify_image_attribute(
        ImageId=tools, LaunchPermission={"Add": [{"UserId": sandbox.account_id("learner")}]}
    )
    # Made last, so that the other images keep the IDs they had before it existed.
    jobs = bake(sandbox, "billing-jobs-v2", "python3.12", tags={"Team": "billing"})
    sandbox.client("ec2").modify_image_attribute(
        ImageId=jobs,
        LaunchPermission={
            "Add": [{"UserId": sandbox.account_id("partner")}, {"UserId": CONTRACTOR_ACCOUNT}]
        },
    )
    return {
        "web_image": web,
        "app_image": app,
        "partner_image": tools,
        "jobs_image": jobs,
        "contractor": CONTRACTOR_ACCOUNT,
    }


@scenario(
    "05-encryption",
    "an unencrypted image of yours, two customer managed keys, and an image encrypted with each",
)
def _encryption(sandbox: Any) -> dict[str, str]:
    team_key = customer_key(sandbox, "alias/ami-lab-team", "AMI Lab: the web team's images")
    reports_key = customer_key(sandbox, "alias/ami-lab-reports", "AMI Lab: the reports images")
    web = bake(sandbox, "web-server-v1", "nginx")
    payments = bake(sandbox, "payments-api-v1", "java-21-amazon-corretto", kms_key_id=team_key)
    reports = bake(sandbox, "reports-db-v1", "postgresql16", kms_key_id=reports_key)
    return {
        "web_image": web,
        "team_key": team_key,
        "payments_image": payments,
        "reports_key": reports_key,
        "reports_image": reports,
    }


@scenario(
    "06-marketplace-and-trust",
    "three candidate Amazon Linux images to judge, and the seller's paid analytics image, "
    "shared with you",
)
def _marketplace(sandbox: Any) -> dict[str, str]:
    from ..catalog import catalog_images, image_id
    from ..fidelity.images import find_image

    amazon = next(e["owner_id"] for e in catalog_images() if e["key"] == "al2023-x86_64")
    publish_image(
        STRANGER_ACCOUNT,
        TRUST_LOOKALIKE,
        "al2023-ami-2023.6.20250301.0-kernel-6.1-x86_64",
        "2025-03-01T06:14:52",
        alias=None,
        deprecated="2027-03-01T06:14:00",
    )
    publish_image(
        amazon,
        TRUST_DEPRECATED,
        "al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64",
        "2024-11-22T05:23:19",
        alias="amazon",
        deprecated="2025-02-20T05:23:00",
    )
    seller = sandbox.client("ec2", account="seller")
    analytics = bake(sandbox, "northwind-analytics-v5", "python3.12", account="seller")
    find_image(sandbox.home_region, analytics).product_codes = {SELLER_PRODUCT_CODE}
    learner = sandbox.account_id("learner")
    seller.modify_image_attribute(
        ImageId=analytics, LaunchPermission={"Add": [{"UserId": learner}]}
    )
    for mapping in seller.describe_images(ImageIds=[analytics])["Images"][0]["BlockDeviceMappings"]:
        seller.modify_snapshot_attribute(
            SnapshotId=mapping["Ebs"]["SnapshotId"],
            Attribute="createVolumePermission",
            OperationType="add",
            UserIds=[learner],
        )
    return {
        "candidate_1": TRUST_LOOKALIKE,
        "candidate_2": image_id("al2023-x86_64", sandbox.home_region),
        "candidate_3": TRUST_DEPRECATED,
        "seller_image": analytics,
        "marketplace_image": image_id("marketplace-hardened-al2023", sandbox.home_region),
        "windows_image": image_id("windows-2022-base", sandbox.home_region),
    }
