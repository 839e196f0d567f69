"""Each lesson's starting state, built fresh and the same way every time.

``registry`` holds the register; ``baking`` and ``publishing`` make images as the lessons need
them; the lesson modules register their builders when imported here, in lesson order.
"""

from __future__ import annotations

# Lesson order is registration order (what ``scenarios()`` lists): keep these imports in it.
from .first_images import LOOKALIKE_IMAGES, WEB_IMAGE_TAGS
from .publishing import STRANGER_ACCOUNT
from .registry import Scenario, get_scenario, scenario, scenarios
from .sharing_and_trust import (
    CONTRACTOR_ACCOUNT,
    CUSTOMER_ACCOUNT,
    SELLER_PRODUCT_CODE,
    TRUST_DEPRECATED,
    TRUST_LOOKALIKE,
)
from .storage_and_capstone import LEDGER_SNAPSHOT, STORAGE_COPIES, STORAGE_FLEETS, STORAGE_IMAGES

# isort: split
from .governance import (
    AUDIT_DESCRIPTION,
    AUDIT_SNAPSHOT,
    BACKUP_FLEETS,
    CI_REGION,
    CI_RUNNERS,
    PLATFORM_KEY,
)

# isort: split
from .with_packer import PACKER_KEY_ALIAS, PACKER_LOOKALIKE, PACKER_REGIONS

__all__ = [
    "Scenario",
    "scenario",
    "get_scenario",
    "scenarios",
    # the starting states' fixed names and IDs, which the checks and tests compare against
    "AUDIT_DESCRIPTION",
    "AUDIT_SNAPSHOT",
    "BACKUP_FLEETS",
    "CI_REGION",
    "CI_RUNNERS",
    "CONTRACTOR_ACCOUNT",
    "CUSTOMER_ACCOUNT",
    "LEDGER_SNAPSHOT",
    "LOOKALIKE_IMAGES",
    "PACKER_KEY_ALIAS",
    "PACKER_LOOKALIKE",
    "PACKER_REGIONS",
    "PLATFORM_KEY",
    "SELLER_PRODUCT_CODE",
    "STORAGE_COPIES",
    "STORAGE_FLEETS",
    "STORAGE_IMAGES",
    "STRANGER_ACCOUNT",
    "TRUST_DEPRECATED",
    "TRUST_LOOKALIKE",
    "WEB_IMAGE_TAGS",
]
