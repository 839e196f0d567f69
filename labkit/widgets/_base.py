"""What every lab widget shares: the sandbox it reads, a message line, input checks, AWS errors.

A widget reads and changes the sandbox only through the boto3 clients of one lab account, as a
learner would; it never reaches into moto.
"""

from __future__ import annotations

import functools
import html
import re
import traceback
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import ipywidgets as widgets
import traitlets
from botocore.exceptions import BotoCoreError, ClientError, ParamValidationError

from .. import _valid
from ..accounts import ACCOUNTS, REGIONS
from ..sandbox.safety import SandboxError

__all__ = [
    "REGION_NAMES",
    "LabWidget",
    "account_label",
    "aws_error_text",
    "check_region",
    "is_encrypted",
    "parse_account_ids",
    "region_label",
    "reports_errors",
    "sandbox_of",
]

#: The console's names for the lab's Regions.
REGION_NAMES = {
    "us-east-1": "N. Virginia",
    "us-west-2": "Oregon",
    "eu-west-1": "Ireland",
    "ap-southeast-2": "Sydney",
}

#: What a widget says when its sandbox is gone (a newer ``Lab(...)`` stops the older one).
STOPPED = (
    "This widget's sandbox has stopped (running a Lab(...) cell again starts a new one): "
    "run the cell that made the widget again."
)

_ACCOUNT_ID = re.compile(r"^\d{12}$")

F = TypeVar("F", bound=Callable[..., Any])

# One small stylesheet for all lab widgets (shown once per widget; browsers ignore repeats).
# Text keeps the theme's own colours (JupyterLab's light and dark themes both meet WCAG AA with
# them); a message's kind is said in words, and colour only marks its border.
_CSS = """<style>
.amilab-widget .widget-html-content { line-height: 1.45; }
.amilab-message { min-height: 1.6em; }
.amilab-ok, .amilab-error { padding-left: 6px; border-left: 4px solid; }
.amilab-ok { border-color: #2da44e; }
.amilab-error { border-color: #e5534b; }
.amilab-list select { font-family: var(--jp-code-font-family, monospace); font-size: 12px; }
.amilab-table { border-collapse: collapse; font-size: 12px; margin: 2px 0 8px 0; }
.amilab-table th, .amilab-table td { padding: 2px 8px; text-align: left; vertical-align: top;
  border-bottom: 1px solid var(--jp-border-color2, #ddd); }
.amilab-table th { background: var(--jp-layout-color2, #eee);
  color: var(--jp-ui-font-color1, #000); }
.amilab-code { font-family: var(--jp-code-font-family, monospace); font-size: 12px;
  background: var(--jp-cell-editor-background, #f5f5f5); color: var(--jp-content-font-color1, #000);
  padding: 4px 8px; white-space: pre-wrap; margin: 2px 0; }
.amilab-title { font-weight: 600; font-size: 14px; }
.amilab-muted { color: var(--jp-content-font-color2, #555); }
.amilab-widget :focus-visible, .amilab-widget input:focus, .amilab-widget textarea:focus {
  outline: 2px solid var(--jp-brand-color1, #1976d2) !important; outline-offset: 1px; }
</style>"""

#: Two gaps upstream, closed in the page the widget is drawn in (by the stylesheet widget's 1-pixel
#: image; it touches only this widget's own controls):
#: - ipywidgets 8 draws a slider with noUiSlider, whose handle (``role="slider"``) gets no name
#:   (ipywidgets passes no ``handleAttributes``): each handle is named after its slider's visible
#:   label, so a screen reader says "Number of images, slider, 10".
#: - JupyterLab's notebook takes the arrow keys (and other command-mode keys) pressed on a
#:   drop-down, a list or a slider to move between cells, so the control never gets them:
#:   ``data-lm-suppress-shortcuts`` (Lumino's own opt-out) leaves those keys to the control.
_KEYBOARD_AND_NAMES = (
    "var w=this.closest('.amilab-widget');if(!w)return;"
    "var f=function(){w.querySelectorAll('.widget-slider').forEach(function(s){"
    "var h=s.querySelector('.noUi-handle'),l=s.querySelector('.widget-label');"
    "if(h&&l&&!h.getAttribute('aria-label'))h.setAttribute('aria-label',l.textContent)});"
    "w.querySelectorAll('select,.noUi-handle').forEach(function(c){"
    "if(!c.hasAttribute('data-lm-suppress-shortcuts'))"
    "c.setAttribute('data-lm-suppress-shortcuts','true')})};"
    "f();new MutationObserver(f).observe(w,{childList:true,subtree:true})"
)
_PIXEL = "data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEAAAAALAAAAAABAAEAAAIBAAA="


def sandbox_of(lab: Any) -> Any:
    """The sandbox behind a ``Lab`` (or a ``Sandbox`` itself).

    Raises:
        TypeError: for anything else.
    """
    sandbox = getattr(lab, "sandbox", lab)
    if not (hasattr(sandbox, "client") and hasattr(sandbox, "account_id")):
        raise TypeError(
            f"lab: a lab widget is built on a labkit Lab or Sandbox, not {_valid.shown(lab)}"
        )
    return sandbox


def region_label(region: str) -> str:
    """``eu-west-1 (Ireland)``."""
    name = REGION_NAMES.get(region)
    return f"{region} ({name})" if name else region


def account_label(account_id: str | None, alias: str | None = None) -> str:
    """``partner 222222222222``, ``amazon 137112412989`` or just the ID."""
    if not account_id:
        return "?"
    for name, number in ACCOUNTS.items():
        if number == account_id:
            return f"{name} {account_id}"
    return f"{alias} {account_id}" if alias else account_id


def check_region(region: Any) -> str:
    """The Region, if the lab simulates it.

    Raises:
        ValueError: naming the lab's Regions, for an empty or unknown one.
    """
    text = str(region or "").strip()
    if not text:
        raise ValueError(f"Choose a Region: one of {', '.join(REGIONS)}")
    if text not in REGIONS:
        raise ValueError(
            f"{text!r} is not a Region the lab simulates; choose one of {', '.join(REGIONS)}"
        )
    return text


def parse_account_ids(text: Any) -> list[str]:
    """Account IDs from text such as ``"222222222222, 333333333333"`` (spaces or commas).

    Raises:
        ValueError: if there is none, or any of them is not 12 digits (then none is returned).
    """
    items = [item for item in re.split(r"[\s,;]+", str(text or "")) if item]
    if not items:
        raise ValueError("Type an AWS account ID: 12 digits, such as 222222222222")
    bad = [item for item in items if not _ACCOUNT_ID.match(item)]
    if bad:
        quoted = ", ".join(repr(item) for item in bad)
        verb = "is not an AWS account ID" if len(bad) == 1 else "are not AWS account IDs"
        raise ValueError(
            f"{quoted} {verb}: an account ID is exactly 12 digits, such as 222222222222"
        )
    return list(dict.fromkeys(items))


def aws_error_text(error: ClientError) -> str:
    """``Code: message``, as AWS answered."""
    details = error.response.get("Error", {})
    code = details.get("Code", "Error")
    message = details.get("Message", str(error))
    return f"{code}: {message}"


def is_encrypted(image: dict[str, Any]) -> bool:
    """True if any EBS volume of the image's block device mappings is encrypted."""
    return any(m.get("Ebs", {}).get("Encrypted") for m in image.get("BlockDeviceMappings", []))


def snapshot_ids(image: dict[str, Any]) -> list[str]:
    """The EBS snapshot IDs in an image's block device mappings."""
    found = []
    for mapping in image.get("BlockDeviceMappings", []):
        snapshot_id = mapping.get("Ebs", {}).get("SnapshotId")
        if snapshot_id:
            found.append(snapshot_id)
    return found


def table(headers: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    """A small HTML table; every cell is escaped."""
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    return f'<table class="amilab-table"><tr>{head}</tr>{body}</table>'


def reports_errors(method: F) -> F:
    """Run a callback; show AWS's answer or the problem in the widget instead of raising.

    Expected problems (an AWS error, bad input, a stopped sandbox) become the widget's message;
    anything else also leaves its traceback in the widget's ``output``.
    """

    @functools.wraps(method)
    def wrapper(self: LabWidget, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except ClientError as error:
            self.say(f"AWS answered {aws_error_text(error)}", "error")
        except ParamValidationError as error:
            # boto3 checks a request's shape before sending it (a name too short, say).
            reason = str(error).split(":", 1)[-1].strip()
            self.say(f"boto3 refused to send the request: {reason}", "error")
        except SandboxError:
            self.say(STOPPED, "error")
        except BotoCoreError as error:
            self.say(f"boto3 could not make the call: {error}", "error")
        except ValueError as error:
            self.say(str(error), "error")
        except Exception as error:  # noqa: BLE001 - a callback must never fail silently
            self.say(f"{type(error).__name__}: {error}", "error")
            self.output.append_stderr(traceback.format_exc())
        return None

    return wrapper  # type: ignore[return-value]


class LabWidget(widgets.VBox):
    """A composite widget on one lab account's view of the sandbox.

    Args:
        lab: a labkit ``Lab`` (or ``Sandbox``).
        account: the lab account whose clients the widget uses.
    """

    account = traitlets.Unicode(
        "learner", help="The lab account (learner, partner or seller) whose view is shown."
    )
    message_text = traitlets.Unicode(
        "", help="The widget's last message: what AWS answered, or what is wrong with the input."
    )
    message_kind = traitlets.Unicode("info", help="info, ok or error.")

    #: False for a widget that also works without a sandbox (its ``lab`` may be None).
    needs_lab = True

    def __init__(self, lab: Any, account: str = "learner", **kwargs: Any) -> None:
        #: An image ID asked for (by the constructor or refresh) that the account cannot use.
        self._missing = ""
        if not isinstance(account, str) or account not in ACCOUNTS:
            raise ValueError(
                f"account: there is no account called {_valid.shown(account)} in the lab; "
                f"choose one of {', '.join(repr(a) for a in ACCOUNTS)}"
            )
        self.sandbox = sandbox_of(lab) if lab is not None or self.needs_lab else None
        self.message = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.message.add_class("amilab-message")
        #: Tracebacks of unexpected errors inside callbacks land here, visible to the learner.
        self.output = widgets.Output()
        super().__init__(**kwargs)
        self.add_class("amilab-widget")
        self.account = account

    @traitlets.validate("account")
    def _valid_account(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"]
        if not isinstance(value, str) or value not in ACCOUNTS:
            raise traitlets.TraitError(
                f"There is no account called {value!r} in the lab; "
                f"choose one of {', '.join(repr(a) for a in ACCOUNTS)}"
            )
        return value

    # -- helpers for subclasses ------------------------------------------------------------------

    @staticmethod
    def image_argument(image_id: Any) -> str:
        """A constructor's ``image_id``: '' (or None) for "not chosen", else an ID string.

        Raises:
            ValueError: for anything but a string.
        """
        if image_id is None:
            return ""
        if not isinstance(image_id, str):
            raise ValueError(
                f"image_id must be an AMI ID such as 'ami-0123456789abcdef0', not "
                f"{_valid.shown(image_id)}"
            )
        if image_id and not image_id.strip():
            raise ValueError(f"image_id must be an AMI ID or '' (not chosen), not {image_id!r}")
        return image_id.strip()

    def require_found(self, image_id: str, what: str) -> None:
        """After the constructor's refresh: raise if ``image_id`` was asked for but not found.

        A widget must never open another image in its place: saving would change that one.

        Raises:
            ValueError: naming the ID, the account and what the widget could open.
        """
        if image_id and self._missing == image_id:
            raise ValueError(
                f"image_id {_valid.shown(image_id)}: {what}. Check the ID (lab.ids lists the "
                "lesson's images; describe_images lists what an account can see)."
            )

    @property
    def account_id(self) -> str:
        """The 12-digit ID of the widget's account."""
        return ACCOUNTS[self.account]

    def client(self, region: str, service: str = "ec2") -> Any:
        """The widget's account's (cached) boto3 client in a Region."""
        if self.sandbox is None:
            raise SandboxError("This widget was made without a lab, so it cannot call AWS")
        return self.sandbox.client(service, region=region, account=self.account)

    def say(self, text: str, kind: str = "info") -> None:
        """Show a message under the widget (``kind``: info, ok or error)."""
        self.message_kind = kind
        self.message_text = text
        # The kind in words as well as a mark and a colour (WCAG 1.4.1): "Done", "Problem".
        icon = {"ok": "✔ Done: ", "error": "✖ Problem: "}.get(kind, "")
        css = {"ok": "amilab-ok", "error": "amilab-error"}.get(kind, "amilab-muted")
        shown = f"{icon}{html.escape(text)}" if text else ""
        # role=status: a screen reader reads a new message out without moving the focus.
        self.message.value = f'<span class="{css}" role="status">{shown}</span>'

    def clear_message(self) -> None:
        self.say("", "info")

    @staticmethod
    def css() -> widgets.HTML:
        """The lab widgets' stylesheet, as a widget to put among the children."""
        pixel = f'<img src="{_PIXEL}" alt="" width="1" height="1" onload="{_KEYBOARD_AND_NAMES}">'
        return widgets.HTML(_CSS + pixel, layout=widgets.Layout(display="none"))
