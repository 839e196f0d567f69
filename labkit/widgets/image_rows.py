"""The image browser's list, without a widget: one row per image an account sees, and the
console's filters over them (pure: no AWS call)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

from ._base import account_label, is_encrypted

__all__ = ["DEPRECATED", "ENCRYPTION", "SHOW", "ImageRow", "filter_rows", "parse_time"]

SHOW = (("All I can launch", "all"), ("Owned by me", "owned"), ("Shared with me", "shared"))
SHOW += (("Public images", "public"),)
ENCRYPTION = (("Encrypted or not", "any"), ("Encrypted", "yes"), ("Not encrypted", "no"))
DEPRECATED = (("Hidden (AWS's default)", "hide"), ("Included", "include"), ("Only", "only"))


@dataclass(frozen=True)
class ImageRow:
    """One image as an account sees it in one Region."""

    region: str
    image: dict[str, Any]
    owned: bool
    shared: bool
    deprecated: bool

    @property
    def image_id(self) -> str:
        return self.image["ImageId"]

    @property
    def public(self) -> bool:
        return bool(self.image.get("Public"))

    @property
    def encrypted(self) -> bool:
        return is_encrypted(self.image)

    @property
    def label(self) -> str:
        """One line for the list: ID, Region, owner, what it is to me, name."""
        if self.owned:
            flags = ["mine"]
        elif self.shared:
            flags = ["shared"]
        else:
            flags = ["public"] if self.public else []
        flags += ["encrypted"] if self.encrypted else []
        flags += ["deprecated"] if self.deprecated else []
        owner = self.image.get("ImageOwnerAlias") or account_label(self.image.get("OwnerId"))
        if owner.endswith(self.image.get("OwnerId", "-")) and " " in owner:
            owner = owner.split()[0]  # "partner 222222222222" -> "partner"
        cells = [self.image_id, self.region, owner, " ".join(flags), self.image.get("Name", "")]
        widths = [23, 16, 17, 20, 0]
        # The list is monospaced: pad with no-break spaces, which a <select> does not collapse.
        padded = (c.ljust(w) for c, w in zip(cells, widths, strict=True))
        return "".join(padded).replace(" ", "\u00a0")


def filter_rows(
    rows: list[ImageRow],
    show: str = "all",
    region: str = "",
    encryption: str = "any",
    deprecated: str = "hide",
    search: str = "",
) -> list[ImageRow]:
    """The rows the console would list with these filters (pure; no AWS call)."""
    kept = []
    needle = search.strip().lower()
    for row in rows:
        if show == "owned" and not row.owned:
            continue
        if show == "shared" and not row.shared:
            continue
        if show == "public" and not row.public:
            continue
        if region and row.region != region:
            continue
        if encryption == "yes" and not row.encrypted:
            continue
        if encryption == "no" and row.encrypted:
            continue
        # R26: an account always sees its own deprecated images; others drop out by default.
        if deprecated == "hide" and row.deprecated and not row.owned:
            continue
        if deprecated == "only" and not row.deprecated:
            continue
        text = f"{row.image_id} {row.image.get('Name', '')} {row.image.get('Description', '')}"
        if needle and needle not in text.lower():
            continue
        kept.append(row)
    return kept


def parse_time(text: str | None) -> _dt.datetime | None:
    """An API time stamp (ISO 8601, "Z" for UTC) as a datetime; None for none."""
    if not text:
        return None
    return _dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
