"""The console's AMI list: every image an account can see, across the lab's Regions, with filters.

>>> from labkit.widgets import ImageBrowser
>>> ImageBrowser(lab)                      # doctest: +SKIP
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import traitlets
from botocore.exceptions import ClientError

from .. import _valid
from ..accounts import ACCOUNTS, REGIONS
from ._base import (
    LabWidget,
    account_label,
    aws_error_text,
    region_label,
    reports_errors,
    snapshot_ids,
    table,
)
from .image_rows import DEPRECATED, ENCRYPTION, SHOW, ImageRow, filter_rows, parse_time

__all__ = ["ImageBrowser", "ImageRow", "filter_rows"]


class ImageBrowser(LabWidget):
    """The console's AMIs page for one account: filters, the list, and the selected image.

    Args:
        lab: a labkit ``Lab`` (or ``Sandbox``).
        account: whose view to show: ``"learner"`` (default), ``"partner"`` or ``"seller"``.
        show: the first filter: ``"all"``, ``"owned"``, ``"shared"`` or ``"public"``.
        region: only this Region at first (all Regions when omitted).
    """

    show = traitlets.Unicode(
        "all", help="all, owned (Owned by me), shared (Shared with me) or public."
    )
    region = traitlets.Unicode("", help="Only images in this Region; '' for all Regions.")
    encryption = traitlets.Unicode("any", help="any, yes (encrypted only) or no.")
    deprecated = traitlets.Unicode("hide", help="hide (AWS's default), include or only.")
    search = traitlets.Unicode("", help="Only images whose ID, name or description contain this.")
    selected = traitlets.Unicode("", help="The ID of the image whose details are shown.")
    selected_region = traitlets.Unicode("", help="The Region of the selected image.")

    def __init__(
        self, lab: Any, account: str = "learner", show: str = "all", region: str = ""
    ) -> None:
        """Raises ValueError for a ``show`` or ``region`` the filters do not offer."""
        _valid.choice("show", show, [value for _, value in SHOW])
        _valid.choice("region", region, ["", *REGIONS])
        super().__init__(lab, account)
        self.rows: list[ImageRow] = []
        self.shown: list[ImageRow] = []
        options = [(f"{name} ({number})", name) for name, number in ACCOUNTS.items()]
        self.account_picker = widgets.Dropdown(
            options=options, value=self.account, description="View as"
        )
        self.show_picker = widgets.ToggleButtons(options=SHOW, value=self.show, description="Show")
        self.show_picker.style.button_width = "130px"
        self.region_picker = widgets.Dropdown(
            options=[("All Regions", "")] + [(region_label(r), r) for r in REGIONS],
            description="Region",
        )
        self.encryption_picker = widgets.Dropdown(options=ENCRYPTION, description="Encryption")
        self.deprecated_picker = widgets.Dropdown(
            options=DEPRECATED, description="Deprecated", style={"description_width": "initial"}
        )
        self.search_box = widgets.Text(
            placeholder="Search by ID, name or description", description="Search"
        )
        for control, name in (
            (self.account_picker, "account"),
            (self.show_picker, "show"),
            (self.region_picker, "region"),
            (self.encryption_picker, "encryption"),
            (self.deprecated_picker, "deprecated"),
            (self.search_box, "search"),
        ):
            widgets.link((control, "value"), (self, name))
        # Through the pickers, so a value they do not offer is refused (TraitError) at once.
        self.show_picker.value, self.region_picker.value = show, region
        self.refresh_button = widgets.Button(description="Refresh", icon="refresh")
        self.refresh_button.on_click(lambda _: self.refresh())
        self.count = widgets.HTML()
        # Named by its label (a <label for> in ipywidgets 8); arrows move through the images.
        self.image_list = widgets.Select(
            options=[],
            rows=10,
            description="Images",
            layout=widgets.Layout(width="100%"),
        )
        self.image_list.add_class("amilab-list")
        self.image_list.observe(self._on_pick, "value")
        self.details = widgets.HTML()
        self.children = [
            self.css(),
            widgets.HTML('<span class="amilab-title">Amazon Machine Images (AMIs)</span>'),
            widgets.HBox([self.account_picker, self.refresh_button]),
            self.show_picker,
            widgets.HBox([self.region_picker, self.encryption_picker, self.deprecated_picker]),
            self.search_box,
            self.count,
            self.image_list,
            self.details,
            self.message,
            self.output,
        ]
        self.observe(self._on_account, "account")
        self.observe(self._on_filter, ["show", "region", "encryption", "deprecated", "search"])
        self.observe(self._on_selected, "selected")  # set selected_region first
        self.refresh()

    # -- reading the sandbox ---------------------------------------------------------------------

    def read_rows(self) -> list[ImageRow]:
        """Every image the account can launch in every lab Region, as its own clients see them."""
        now = self.sandbox.now()
        rows = []
        for region in REGIONS:
            ec2 = self.client(region)
            images = ec2.describe_images(IncludeDeprecated=True)["Images"]
            # R04: ExecutableUsers=["self"] names the images explicitly shared with the caller.
            shared = {i["ImageId"] for i in ec2.describe_images(ExecutableUsers=["self"])["Images"]}
            for image in sorted(images, key=lambda i: (i.get("Name", "").lower(), i["ImageId"])):
                owned = image.get("OwnerId") == self.account_id
                when = parse_time(image.get("DeprecationTime"))
                rows.append(
                    ImageRow(
                        region=region,
                        image=image,
                        owned=owned,
                        shared=not owned and image["ImageId"] in shared,
                        deprecated=when is not None and when <= now,
                    )
                )
        # Mine first, then shared with me, then public; Regions in the lab's order.
        rows.sort(key=lambda r: (not r.owned, not r.shared, REGIONS.index(r.region)))
        return rows

    @reports_errors
    def refresh(self) -> None:
        """Read the sandbox again (after cells that changed it) and redraw the list."""
        self.rows = self.read_rows()
        self._render_list()
        self.clear_message()

    # -- reactions -------------------------------------------------------------------------------

    def _on_account(self, _change: dict[str, Any]) -> None:
        self.selected = ""
        self.refresh()

    def _on_filter(self, _change: dict[str, Any]) -> None:
        self._render_list()

    def _on_pick(self, change: dict[str, Any]) -> None:
        value = change["new"]
        if value:
            self.selected_region, self.selected = value
        else:
            self.selected = ""

    def _on_selected(self, _change: dict[str, Any]) -> None:
        self._render_details()

    def select(self, image_id: str, region: str | None = None) -> None:
        """Show one image's details, as clicking it in the list does."""
        for row in self.rows:
            if row.image_id == image_id and region in (None, row.region):
                self.selected_region, self.selected = row.region, row.image_id
                return
        self.say(f"{image_id} is not among the images {self.account} can see", "error")

    # -- drawing ---------------------------------------------------------------------------------

    def _render_list(self) -> None:
        self.shown = filter_rows(
            self.rows, self.show, self.region, self.encryption, self.deprecated, self.search
        )
        self.image_list.options = [(row.label, (row.region, row.image_id)) for row in self.shown]
        keep = (self.selected_region, self.selected)
        self.image_list.value = keep if keep in [o[1] for o in self.image_list.options] else None
        where = region_label(self.region) if self.region else f"{len(REGIONS)} Regions"
        self.count.value = (
            f"<b>{len(self.shown)}</b> of {len(self.rows)} images that "
            f"<b>{html.escape(account_label(self.account_id))}</b> can see, in {where}"
        )
        self._render_details()

    @reports_errors
    def _render_details(self) -> None:
        row = next(
            (
                r
                for r in self.rows
                if r.image_id == self.selected and r.region == self.selected_region
            ),
            None,
        )
        if row is None:
            self.details.value = '<p class="amilab-muted">Select an image to see its details.</p>'
            return
        self.details.value = (
            self._details_html(row) + self._snapshots_html(row) + self._permissions_html(row)
        )

    def _details_html(self, row: ImageRow) -> str:
        image = row.image
        owner = account_label(image.get("OwnerId"), image.get("ImageOwnerAlias"))
        if row.owned:
            why = "you own it"
        elif row.shared:
            why = "its owner shared it with you"
        else:
            why = "it is public"
        fields = [
            ("AMI ID", row.image_id),
            ("AMI name", image.get("Name", "")),
            ("Description", image.get("Description", "")),
            ("Region", region_label(row.region)),
            ("Owner", owner),
            ("Visibility", "Public" if row.public else "Private"),
            ("You can launch it because", why),
            ("State", image.get("State", "")),
            ("Creation date", image.get("CreationDate", "")),
            ("Deprecation time", image.get("DeprecationTime", "none")),
            ("Architecture", image.get("Architecture", "")),
            ("Platform details", image.get("PlatformDetails", "")),
            ("Root device", f"{image.get('RootDeviceName', '')} ({image.get('RootDeviceType')})"),
            ("Product codes", ", ".join(p["ProductCodeId"] for p in image.get("ProductCodes", []))),
        ]
        if image.get("SourceImageId"):
            source = f"{image['SourceImageId']} in {image.get('SourceImageRegion', '?')}"
            fields.append(("Copied from", source))
        tags = ", ".join(f"{t['Key']}={t['Value']}" for t in image.get("Tags", []))
        fields.append(("Tags (yours)", tags or "none"))
        if row.deprecated:
            fields.append(("Note", "Deprecated: still launches by ID, and still billed"))
        return "<b>Details</b>" + table(("Field", "Value"), [f for f in fields if f[1] != ""])

    def _snapshots_html(self, row: ImageRow) -> str:
        ec2 = self.client(row.region)
        mappings = [m for m in row.image.get("BlockDeviceMappings", []) if "Ebs" in m]
        visible: dict[str, dict[str, Any]] = {}
        ids = snapshot_ids(row.image)
        for snapshot_id in ids:
            # R14: only the owner, and accounts it gave create-volume permission, see it; EC2
            # leaves out a snapshot the caller may not access (an unknown ID is an error).
            try:
                for snapshot in ec2.describe_snapshots(SnapshotIds=[snapshot_id])["Snapshots"]:
                    visible[snapshot_id] = snapshot
            except ClientError:
                pass  # R14, R49: the ID shows in the mappings; only the owner and accounts
                # given create-volume permission may describe the snapshot
        rows = []
        for mapping in mappings:
            ebs = mapping["Ebs"]
            snap = visible.get(ebs.get("SnapshotId", ""), {})
            rows.append(
                (
                    ebs.get("SnapshotId", ""),
                    mapping.get("DeviceName", ""),
                    f"{ebs.get('VolumeSize', '?')} GiB",
                    ebs.get("VolumeType", ""),
                    "yes" if ebs.get("Encrypted") else "no",
                    snap.get("KmsKeyId", "") if snap else "",
                    snap.get("StorageTier", "") if snap else "",
                    account_label(snap.get("OwnerId")) if snap else "not visible to you",
                )
            )
        note = ""
        if len(visible) < len(ids):
            note = (
                '<p class="amilab-muted">"Not visible to you": you see the snapshot\'s ID in the '
                "image's block device mappings, but you neither own the snapshot nor were given "
                "create volume permission on it, so you cannot describe it or make volumes from "
                "it. Launching needs no access to the snapshots; copying another account's "
                "private image does (lesson 4).</p>"
            )
        headers = ("Snapshot", "Device", "Size", "Type", "Encrypted", "KMS key", "Tier", "Owner")
        return "<b>Snapshots</b>" + table(headers, rows) + note

    def _permissions_html(self, row: ImageRow) -> str:
        ec2 = self.client(row.region)
        try:
            answer = ec2.describe_image_attribute(
                ImageId=row.image_id, Attribute="launchPermission"
            )
        except ClientError as error:
            answer = f"AWS answered <code>{html.escape(aws_error_text(error))}</code>"
            if error.response["Error"]["Code"] == "AuthFailure":
                why = "Only the owner sees who an image is shared with."
            else:  # unshared or deregistered since the list was read
                why = f"{self.account} can no longer see this image: press Refresh."
            return f"<b>Launch permissions</b><p>{why} {answer}</p>"
        rows = []
        for permission in answer.get("LaunchPermissions", []):
            if "UserId" in permission:
                rows.append(("Account", account_label(permission["UserId"])))
            elif permission.get("Group") == "all":
                rows.append(("Everyone", "public"))
            elif "OrganizationArn" in permission:
                rows.append(("Organization", permission["OrganizationArn"]))
            elif "OrganizationalUnitArn" in permission:
                rows.append(("Organizational unit", permission["OrganizationalUnitArn"]))
        if not rows:
            return "<b>Launch permissions</b><p>Private: only you (the owner) can launch it.</p>"
        return "<b>Launch permissions</b>" + table(("Shared with", "Who"), rows)
