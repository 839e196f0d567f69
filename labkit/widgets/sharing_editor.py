"""The console's "Edit AMI permissions" page: private or public, shared accounts, snapshots.

It changes the sandbox with the calls a learner would make (``modify_image_attribute``, then
``modify_snapshot_attribute`` for the "Add create volume permission" box) and shows both the
calls and AWS's answer.

>>> from labkit.widgets import SharingEditor
>>> SharingEditor(lab, image_id=lab.ids["my_image"])        # doctest: +SKIP
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import traitlets

from ..accounts import REGIONS
from ._base import (
    LabWidget,
    account_label,
    aws_error_text,
    parse_account_ids,
    region_label,
    reports_errors,
    snapshot_ids,
)

__all__ = ["SharingEditor", "plan_changes"]


def plan_changes(
    current: list[dict[str, str]], public: bool, accounts: list[str]
) -> dict[str, list[dict[str, str]]]:
    """The ``LaunchPermission`` argument that turns ``current`` into the wanted permissions.

    Only account and everyone (``Group: all``) grants are planned; organization and OU grants
    are left as they are. Returns ``{}`` when nothing changes.
    """
    users = [p["UserId"] for p in current if "UserId" in p]
    is_public = {"Group": "all"} in current
    add = [{"UserId": a} for a in accounts if a not in users]
    remove = [{"UserId": u} for u in users if u not in accounts]
    if public and not is_public:
        add.append({"Group": "all"})
    if is_public and not public:
        remove.append({"Group": "all"})
    plan = {}
    if add:
        plan["Add"] = add
    if remove:
        plan["Remove"] = remove
    return plan


def _call_text(method: str, **params: Any) -> str:
    args = ",\n".join(f"    {name}={value!r}" for name, value in params.items())
    return f"ec2.{method}(\n{args},\n)"


class SharingEditor(LabWidget):
    """Edit who may launch one of an account's images, as the console's AMI permissions page does.

    Args:
        lab: a labkit ``Lab`` (or ``Sandbox``).
        image_id: the image to edit (one of the account's own); the first one when omitted.
        account: the owner whose images are edited (``"learner"`` by default).
    """

    image_id = traitlets.Unicode("", help="The image whose permissions are edited.")
    region = traitlets.Unicode("", help="The Region of that image.")
    public = traitlets.Bool(False, help="AMI availability: True for Public, False for Private.")
    shared_accounts = traitlets.List(
        traitlets.Unicode(), help="The account IDs the image will be shared with on Save."
    )
    add_volume_permission = traitlets.Bool(
        False,
        help="Also give the accounts added create volume permission on the image's snapshots.",
    )
    calls = traitlets.List(traitlets.Unicode(), help="The boto3 calls the last Save made.")

    def __init__(self, lab: Any, image_id: str = "", account: str = "learner") -> None:
        """Raises ValueError for an ``image_id`` that is not one of ``account``'s own images."""
        image_id = self.image_argument(image_id)
        super().__init__(lab, account)
        self._current: list[dict[str, str]] = []
        self.image_picker = widgets.Dropdown(
            description="AMI", layout=widgets.Layout(width="640px")
        )
        self.availability = widgets.RadioButtons(
            options=[("Private", False), ("Public", True)], description="AMI availability"
        )
        self.availability.style.description_width = "initial"
        widgets.link((self.availability, "value"), (self, "public"))
        self.block_public_access = widgets.HTML()
        self.shared_list = widgets.Select(
            options=[],
            rows=4,
            description="Shared accounts",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="440px"),
        )
        self.remove_button = widgets.Button(description="Remove selected", icon="minus")
        self.account_box = widgets.Text(
            placeholder="12-digit AWS account ID",
            description="AWS account ID",
            continuous_update=False,
            style={"description_width": "initial"},
        )
        self.add_button = widgets.Button(description="Add account ID", icon="plus")
        self.volume_checkbox = widgets.Checkbox(
            description=(
                'Add "create volume" permission to the snapshots of this AMI for the accounts '
                "added (needed to copy it, not to launch it)"
            ),
            indent=False,
            layout=widgets.Layout(width="auto"),
        )
        widgets.link((self.volume_checkbox, "value"), (self, "add_volume_permission"))
        self.save_button = widgets.Button(description="Save changes", button_style="primary")
        self.cancel_button = widgets.Button(description="Cancel", tooltip="Discard unsaved edits")
        self.refresh_button = widgets.Button(description="Refresh", icon="refresh")
        self.calls_view = widgets.HTML()
        self.add_button.on_click(lambda _: self.add_accounts())
        self.remove_button.on_click(lambda _: self.remove_selected())
        self.save_button.on_click(lambda _: self.save())
        self.cancel_button.on_click(lambda _: self.load())
        self.refresh_button.on_click(lambda _: self.refresh())
        self.image_picker.observe(self._on_pick, "value")
        self.observe(self._on_shared, "shared_accounts")
        self.children = [
            self.css(),
            widgets.HTML('<span class="amilab-title">Edit AMI permissions</span>'),
            widgets.HBox([self.image_picker, self.refresh_button]),
            widgets.HBox([self.availability, self.block_public_access]),
            widgets.HBox([self.shared_list, self.remove_button]),
            widgets.HBox([self.account_box, self.add_button]),
            self.volume_checkbox,
            widgets.HBox([self.save_button, self.cancel_button]),
            self.message,
            self.calls_view,
            self.output,
        ]
        self.refresh(image_id)
        self.require_found(
            image_id,
            f"{account} owns no image with this ID in the lab's Regions "
            "(only an image's owner can edit its permissions)",
        )

    # -- reading ---------------------------------------------------------------------------------

    @reports_errors
    def refresh(self, image_id: str = "") -> None:
        """Read the account's images again and reload the chosen one's permissions."""
        wanted = image_id or self.image_id
        self._missing = ""
        options = []
        for region in REGIONS:
            images = self.client(region).describe_images(Owners=["self"])["Images"]
            for image in sorted(images, key=lambda i: i.get("Name", "")):
                label = f"{image.get('Name', '')} — {image['ImageId']} ({region_label(region)})"
                options.append((label, (region, image["ImageId"])))
        self.image_picker.options = options
        if not options:
            self._missing = wanted
            self.image_id = self.region = ""
            self._enable(False)
            self.say(f"{self.account} owns no images yet: only an image's owner can share it.")
            return
        self._enable(True)
        match = [value for _, value in options if value[1] == wanted]
        if wanted and not match:
            self._missing = wanted
            self.say(f"{wanted} is not one of {self.account}'s images, so it cannot share it.")
        value = match[0] if match else options[0][1]
        if self.image_picker.value == value:
            self.load()
        else:
            self.image_picker.value = value  # _on_pick loads it

    def _enable(self, on: bool) -> None:
        for control in (
            self.availability,
            self.add_button,
            self.remove_button,
            self.save_button,
            self.cancel_button,
            self.account_box,
            self.volume_checkbox,
        ):
            control.disabled = not on

    def _on_pick(self, change: dict[str, Any]) -> None:
        if change["new"]:
            self.region, self.image_id = change["new"]
            self.load()

    @reports_errors
    def load(self) -> None:
        """Discard unsaved edits: show the image's permissions as AWS has them now."""
        if not self.image_id:
            return
        ec2 = self.client(self.region)
        answer = ec2.describe_image_attribute(ImageId=self.image_id, Attribute="launchPermission")
        self._current = list(answer.get("LaunchPermissions", []))
        self.public = {"Group": "all"} in self._current
        self.shared_accounts = [p["UserId"] for p in self._current if "UserId" in p]
        state = ec2.get_image_block_public_access_state()["ImageBlockPublicAccessState"]
        on = state == "block-new-sharing"
        self.block_public_access.value = (
            f'<span class="amilab-muted">Block public access for AMIs in {self.region}: '
            f"<b>{'on' if on else 'off'}</b> ({state})</span>"
        )
        self.clear_message()

    # -- editing ---------------------------------------------------------------------------------

    def _on_shared(self, _change: dict[str, Any]) -> None:
        self.shared_list.options = [(account_label(a), a) for a in self.shared_accounts]

    def add_accounts(self, text: str | None = None) -> None:
        """Add the account IDs typed in the box (or given) to the list; nothing is saved yet."""
        try:
            ids = parse_account_ids(self.account_box.value if text is None else text)
        except ValueError as error:
            self.say(str(error), "error")
            return
        if self.account_id in ids:
            self.say(
                f"{self.account_id} is your own account: as the owner it can always launch its "
                "images, so it is never in the list.",
                "error",
            )
            return
        new = [a for a in ids if a not in self.shared_accounts]
        if not new:
            self.say(f"{', '.join(ids)} is already in the list.", "error")
            return
        self.shared_accounts = [*self.shared_accounts, *new]
        self.account_box.value = ""
        self.say(f"Added {', '.join(new)} to the list: Save changes to apply it.")

    def remove_selected(self) -> None:
        """Take the selected account out of the list; nothing is saved yet."""
        chosen = self.shared_list.value
        if not chosen:
            self.say("Select an account in the list first.", "error")
            return
        self.shared_accounts = [a for a in self.shared_accounts if a != chosen]
        self.say(f"Removed {chosen} from the list: Save changes to apply it.")

    # -- saving ----------------------------------------------------------------------------------

    @reports_errors
    def save(self) -> None:
        """Apply the edits with boto3 and show AWS's answer (nothing changes if AWS refuses)."""
        if not self.image_id:
            self.say("There is no image to save permissions for.", "error")
            return
        plan = plan_changes(self._current, self.public, list(self.shared_accounts))
        added = [p["UserId"] for p in plan.get("Add", []) if "UserId" in p]
        volume_calls = []
        if self.add_volume_permission and added:
            for snapshot_id in snapshot_ids(self._image()):
                volume_calls.append(
                    {
                        "SnapshotId": snapshot_id,
                        "Attribute": "createVolumePermission",
                        "OperationType": "add",
                        "UserIds": added,
                    }
                )
        if not plan and not volume_calls:
            self.calls = []
            self._render_calls()
            self.say("Nothing to save: the permissions are already as shown.")
            return
        ec2 = self.client(self.region)
        self.calls = []
        if plan:
            self._record("modify_image_attribute", ImageId=self.image_id, LaunchPermission=plan)
            try:
                ec2.modify_image_attribute(ImageId=self.image_id, LaunchPermission=plan)
            except Exception as error:
                self._render_calls()
                self._refused(error, "Nothing changed")
                return
        for params in volume_calls:
            self._record("modify_snapshot_attribute", **params)
            try:
                ec2.modify_snapshot_attribute(**params)
            except Exception as error:
                self._render_calls()
                self.load()
                self._refused(error, "The launch permissions were saved, but not the snapshot's")
                return
        self._render_calls()
        self.load()
        shared = ", ".join(account_label(a) for a in self.shared_accounts) or "no account"
        visibility = "Public" if self.public else "Private"
        volumes = " Create volume permission added to its snapshots." if volume_calls else ""
        self.say(f"Saved. {self.image_id} is {visibility}, shared with {shared}.{volumes}", "ok")

    def _image(self) -> dict[str, Any]:
        ec2 = self.client(self.region)
        return ec2.describe_images(ImageIds=[self.image_id])["Images"][0]

    def _refused(self, error: Exception, what: str) -> None:
        from botocore.exceptions import ClientError

        if not isinstance(error, ClientError):
            raise error
        self.say(f"AWS answered {aws_error_text(error)} {what}.", "error")

    def _record(self, method: str, **params: Any) -> None:
        self.calls = [*self.calls, _call_text(method, **params)]

    def _render_calls(self) -> None:
        if not self.calls:
            self.calls_view.value = ""
            return
        where = f'ec2 = lab.client("ec2", "{self.region}")'
        if self.account != "learner":
            where = f'ec2 = lab.client("ec2", "{self.region}", account="{self.account}")'
        code = "\n".join([where, *self.calls])
        self.calls_view.value = (
            '<span class="amilab-muted">The same change in boto3:</span>'
            f'<div class="amilab-code">{html.escape(code)}</div>'
        )
