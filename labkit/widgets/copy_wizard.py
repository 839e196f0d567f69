"""The console's "Copy AMI" page: destination Region, name, tags, encryption, and the monthly cost.

The copy is made with ``copy_image`` from the destination Region, as AWS requires; the cost is
``labkit.pricing.copy_cost``: a full copy's storage every month (a first copy to a Region, R10),
plus a one-off transfer, billed to the source image's owner (R16).

>>> from labkit.widgets import CopyWizard
>>> CopyWizard(lab, image_id=lab.ids["my_image"])        # doctest: +SKIP
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import traitlets
from botocore.exceptions import ClientError

from .. import _valid, pricing
from ..accounts import REGIONS
from ._base import (
    LabWidget,
    account_label,
    check_region,
    is_encrypted,
    region_label,
    reports_errors,
    table,
)

__all__ = ["CopyWizard", "image_cost"]

_DEFAULT_KEY = ""


def image_cost(sandbox: Any, account: str, region: str, image: dict[str, Any]) -> Any:
    """The image as ``labkit.pricing`` prices it, read with the account's own clients.

    An image the account owns is read as its estate is (snapshots at their data size); any other
    image is sized from its block device mappings, as the copier sees it.
    """
    from ..sandbox.estate import estate_from_sandbox

    if image.get("OwnerId") == sandbox.account_id(account):
        try:
            return estate_from_sandbox(sandbox, account, regions=[region]).image(image["ImageId"])
        except ValueError:
            pass  # not registered in the estate (yet): price it from its mappings
    snapshots = tuple(
        pricing.SnapshotCharge(
            snapshot_id=m["Ebs"]["SnapshotId"],
            region=region,
            owner_id=image.get("OwnerId", ""),
            data_gib=float(m["Ebs"].get("VolumeSize", 0)),
            sized_from="volume",
        )
        for m in image.get("BlockDeviceMappings", [])
        if m.get("Ebs", {}).get("SnapshotId")
    )
    return pricing.ImageCost(
        image["ImageId"], image.get("Name", ""), region, image.get("OwnerId", "?"), snapshots
    )


def cost_text(cost: Any) -> str:
    """One sentence: what the copy adds each month and once, and who pays."""
    monthly = pricing.format_usd(cost.monthly_usd, per="month")
    once = pricing.format_usd(cost.transfer_usd)
    where = region_label(cost.destination)
    transfer = (
        f", plus {once} once to transfer it out of {cost.source_region}"
        if cost.transfer_usd
        else " (no transfer charge within a Region)"
    )
    if not cost.transfer_usd or cost.transfer_payer == cost.payer:
        who = f"{account_label(cost.payer)} pays, as the copy's owner."
    else:
        who = (
            f"{account_label(cost.payer)} pays the storage, as the copy's owner; the transfer is "
            f"billed to {account_label(cost.transfer_payer)}, the source image's owner."
        )
    return (
        f"The copy adds {monthly} in {where} for {cost.data_gib:g} GiB of snapshots, a full copy"
        f"{transfer}. {who}"
    )


class CopyWizard(LabWidget):
    """Copy an image to a Region, as the console's Copy AMI page does, and see what it costs.

    Args:
        lab: a labkit ``Lab`` (or ``Sandbox``).
        image_id: the source image; the account's first own image when omitted.
        account: the account that copies (and owns and pays for the copy).
    """

    image_id = traitlets.Unicode("", help="The source image's ID.")
    source_region = traitlets.Unicode("", help="The Region the source image is in.")
    destination = traitlets.Unicode(
        "", help="The Region to copy to (the call is made there); typed, so it is checked."
    )
    name = traitlets.Unicode("", help="The copy's AMI name (required).")
    description = traitlets.Unicode("", help="The copy's description (optional).")
    copy_tags = traitlets.Bool(False, help="CopyImageTags: copy the source's user tags.")
    encrypted = traitlets.Bool(False, help="Encrypt the copy's snapshots.")
    kms_key_id = traitlets.Unicode(
        _DEFAULT_KEY, help="The KMS key ARN to encrypt with; '' for the default EBS key."
    )
    new_image_id = traitlets.Unicode("", help="The ID of the last copy made.")

    def __init__(
        self, lab: Any, image_id: str = "", destination: str = "", account: str = "learner"
    ) -> None:
        """Raises ValueError for an ``image_id`` ``account`` cannot see, or an unknown Region."""
        image_id = self.image_argument(image_id)
        if destination is None:
            destination = ""
        if not isinstance(destination, str) or (destination and destination not in REGIONS):
            raise ValueError(
                f"destination must be one of the lab's Regions ({', '.join(REGIONS)}), or '' "
                f"to choose later; not {_valid.shown(destination)}"
            )
        super().__init__(lab, account)
        self._images: dict[tuple[str, str], dict[str, Any]] = {}
        self._costs: dict[tuple[str, str], Any] = {}
        labels = {"description_width": "130px"}  # the form's labels line up
        self.source_picker = widgets.Dropdown(
            description="Source AMI", style=labels, layout=widgets.Layout(width="640px")
        )
        self.destination_box = widgets.Combobox(
            options=list(REGIONS),
            placeholder="us-west-2",
            description="Destination Region",
            ensure_option=False,
            continuous_update=False,
            style=labels,
        )
        self.name_box = widgets.Text(
            description="AMI copy name",
            continuous_update=False,
            style=labels,
            layout=widgets.Layout(width="520px"),
        )
        self.description_box = widgets.Text(
            description="Description",
            continuous_update=False,
            style=labels,
            layout=widgets.Layout(width="520px"),
        )
        self.tags_checkbox = widgets.Checkbox(description="Copy tags", indent=False)
        self.encrypt_checkbox = widgets.Checkbox(
            description="Encrypt EBS snapshots of AMI copy",
            indent=False,
            layout=widgets.Layout(width="auto"),
        )
        self.key_picker = widgets.Dropdown(
            options=[("(default) aws/ebs", _DEFAULT_KEY)], description="KMS key", disabled=True
        )
        for control, trait in (
            (self.destination_box, "destination"),
            (self.name_box, "name"),
            (self.description_box, "description"),
            (self.tags_checkbox, "copy_tags"),
            (self.encrypt_checkbox, "encrypted"),
            (self.key_picker, "kms_key_id"),
        ):
            widgets.link((control, "value"), (self, trait))
        self.cost = widgets.HTML()
        self.copy_button = widgets.Button(description="Copy AMI", button_style="primary")
        self.copy_button.on_click(lambda _: self.copy())
        self.refresh_button = widgets.Button(description="Refresh", icon="refresh")
        self.refresh_button.on_click(lambda _: self.refresh())
        self.result = widgets.HTML()
        self.children = [
            self.css(),
            widgets.HTML('<span class="amilab-title">Copy AMI</span>'),
            widgets.HBox([self.source_picker, self.refresh_button]),
            self.destination_box,
            self.name_box,
            self.description_box,
            self.tags_checkbox,
            widgets.HBox([self.encrypt_checkbox, self.key_picker]),
            self.cost,
            self.copy_button,
            self.message,
            self.result,
            self.output,
        ]
        self.source_picker.observe(self._on_pick, "value")
        self.observe(self._on_destination, "destination")
        self.observe(self._on_encrypted, "encrypted")
        if destination:
            self.destination = destination
        self.refresh(image_id)
        self.require_found(
            image_id, f"{account} can see no image with this ID in the lab's Regions to copy"
        )

    # -- reading ---------------------------------------------------------------------------------

    @reports_errors
    def refresh(self, image_id: str = "") -> None:
        """Read the images the account can copy from: its own, then shared, then public."""
        wanted = image_id or self.image_id
        self._images.clear()
        self._costs.clear()
        groups: dict[str, list[Any]] = {"own": [], "shared": [], "public": []}
        for region in REGIONS:
            ec2 = self.client(region)
            shared = {i["ImageId"] for i in ec2.describe_images(ExecutableUsers=["self"])["Images"]}
            for image in ec2.describe_images()["Images"]:
                self._images[(region, image["ImageId"])] = image
                if image.get("OwnerId") == self.account_id:
                    kind = "own"
                elif image["ImageId"] in shared:
                    kind = "shared"
                else:
                    kind = "public"
                owner = account_label(image.get("OwnerId"), image.get("ImageOwnerAlias"))
                extra = "" if kind == "own" else f", {kind}, owner {owner}"
                label = f"{image.get('Name', '')} — {image['ImageId']} ({region}{extra})"
                groups[kind].append((label, (region, image["ImageId"])))
        options = [o for kind in ("own", "shared", "public") for o in sorted(groups[kind])]
        self.source_picker.options = options
        match = [value for _, value in options if value[1] == wanted]
        self._missing = wanted if wanted and not match else ""
        if wanted and not match:
            self.say(f"{self.account} cannot see {wanted} in any lab Region.", "error")
        if options:
            value = match[0] if match else options[0][1]
            if self.source_picker.value == value:
                self._show_cost()  # same source: keep the name and choices typed so far
            else:
                self.source_picker.value = value

    @reports_errors
    def _on_pick(self, change: dict[str, Any]) -> None:
        if not change["new"]:
            return
        self.source_region, self.image_id = change["new"]
        image = self._images[change["new"]]
        # The console starts the copy's name and description from the source's.
        self.name = image.get("Name", "")
        self.description = image.get("Description", "")
        if not self.destination:
            self.destination = next(r for r in REGIONS if r != self.source_region)
        if is_encrypted(image):
            self.encrypted = True  # R19: an encrypted image's copy is always encrypted
        self._show_cost()

    @reports_errors
    def _on_destination(self, _change: dict[str, Any]) -> None:
        try:
            region = check_region(self.destination)
        except ValueError as error:
            self.cost.value = ""
            self.say(str(error), "error")
            return
        self._load_keys(region)
        self._show_cost()
        self.clear_message()

    def _on_encrypted(self, _change: dict[str, Any]) -> None:
        self.key_picker.disabled = not self.encrypted
        if not self.encrypted:
            self.kms_key_id = _DEFAULT_KEY

    def _load_keys(self, region: str) -> None:
        """The destination's customer managed keys the account owns, by alias where it has one."""
        kms = self.client(region, "kms")
        aliases: dict[str, str] = {}
        for alias in kms.list_aliases()["Aliases"]:
            if alias.get("TargetKeyId") and not alias["AliasName"].startswith("alias/aws/"):
                aliases.setdefault(alias["TargetKeyId"], alias["AliasName"])
        options = [("(default) aws/ebs", _DEFAULT_KEY)]
        for key in kms.list_keys()["Keys"]:
            meta = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
            if meta.get("KeyManager") == "AWS" or meta.get("KeyState") != "Enabled":
                continue
            options.append((aliases.get(key["KeyId"], key["KeyId"]), meta["Arn"]))
        keep = self.kms_key_id if self.kms_key_id in [v for _, v in options] else _DEFAULT_KEY
        self.key_picker.options = options
        self.kms_key_id = keep

    def _show_cost(self) -> None:
        if not self.image_id or self.destination not in REGIONS:
            self.cost.value = ""
            return
        key = (self.source_region, self.image_id)
        if key not in self._costs:
            self._costs[key] = image_cost(self.sandbox, self.account, key[0], self._images[key])
        cost = pricing.copy_cost(self._costs[key], self.destination, copier=self.account_id)
        note = ""
        if any(s.sized_from == "volume" for s in self._costs[key].snapshots):
            note = " Priced at the volumes' full size: you cannot see how much data they hold."
        self.cost.value = (
            f"<b>Cost.</b> {html.escape(cost_text(cost) + note)}<br>"
            f'<span class="amilab-muted">{html.escape(pricing.prices().caption)}</span>'
        )

    # -- copying ---------------------------------------------------------------------------------

    def copy_call(self) -> dict[str, Any]:
        """The ``copy_image`` parameters the Copy AMI button sends.

        Raises:
            ValueError: for a missing source, an unknown destination Region or an empty name.
        """
        if not self.image_id:
            raise ValueError("Choose a source AMI to copy.")
        region = check_region(self.destination)
        name = self.name.strip()
        if not name:
            raise ValueError("Give the copy a name: an AMI name cannot be empty.")
        params: dict[str, Any] = {
            "SourceImageId": self.image_id,
            "SourceRegion": self.source_region,
            "Name": name,
        }
        if self.description.strip():
            params["Description"] = self.description.strip()
        if self.copy_tags:
            params["CopyImageTags"] = True
        if self.encrypted:
            params["Encrypted"] = True
            if self.kms_key_id:
                params["KmsKeyId"] = self.kms_key_id
        return {"region": region, "params": params}

    @reports_errors
    def copy(self) -> str | None:
        """Copy the image with boto3 from the destination Region; show the copy and its cost."""
        call = self.copy_call()
        region, params = call["region"], call["params"]
        ec2 = self.client(region)
        code = f'ec2 = lab.client("ec2", "{region}")\nec2.copy_image(\n' + "".join(
            f"    {k}={v!r},\n" for k, v in params.items()
        )
        code += ")"
        shown = f'<div class="amilab-code">{html.escape(code)}</div>'
        try:
            new_id = ec2.copy_image(**params)["ImageId"]
        except ClientError:
            self.result.value = shown
            raise
        self.new_image_id = new_id
        (image,) = ec2.describe_images(ImageIds=[new_id])["Images"]
        rows = [
            ("AMI ID", new_id),
            ("AMI name", image.get("Name", "")),
            ("Region", region_label(region)),
            ("Owner", account_label(image.get("OwnerId"))),
            ("State", image.get("State", "")),
            ("Encrypted", "yes" if is_encrypted(image) else "no"),
            ("Copied from", f"{image.get('SourceImageId', self.image_id)} in {self.source_region}"),
        ]
        tags = ", ".join(f"{t['Key']}={t['Value']}" for t in image.get("Tags", []))
        rows.append(("Tags", tags or "none"))
        self.result.value = shown + "<b>The new image</b>" + table(("Field", "Value"), rows)
        self.say(
            f"AWS answered: copying {self.image_id} to {region} as {new_id}. "
            "The copy is a separate image: changing or deregistering the source leaves it alone.",
            "ok",
        )
        return new_id
