"""The short error box, and the IPython handler that shows it while a Lab runs."""

from __future__ import annotations

import html
import re
import sys
import weakref
from types import TracebackType
from typing import Any

from .context import FailedCall, failed_call
from .explanations import Explanation, explain

__all__ = ["ErrorBox", "install", "installed", "uninstall"]

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_state: dict[str, Any] = {"lab": None, "shell": None, "saved": None}


class ErrorBox:
    """AWS's error as AWS sent it, the call that failed, and the lab's explanation beside it."""

    def __init__(
        self,
        error: BaseException,
        call: FailedCall | None = None,
        explanation: Explanation | None = None,
        traceback_text: str = "",
    ) -> None:
        self.error = error
        self.call = call
        self.explanation = explanation
        self.traceback_text = traceback_text

    @property
    def code(self) -> str:
        """AWS's error code, or the exception's name for an error botocore raised itself."""
        response = getattr(self.error, "response", None)
        if isinstance(response, dict):
            return str(response.get("Error", {}).get("Code", type(self.error).__name__))
        return type(self.error).__name__

    @property
    def message(self) -> str:
        """AWS's message exactly (or botocore's report, for a call it never sent)."""
        response = getattr(self.error, "response", None)
        if isinstance(response, dict):
            return str(response.get("Error", {}).get("Message", ""))
        return str(getattr(self.error, "kwargs", {}).get("report", "")) or str(self.error)

    @property
    def from_lab(self) -> bool:
        """True for the lab's own refusal (``lab.install``): no AWS call was involved."""
        return isinstance(self.error, _labkit_refusals())

    @property
    def sent(self) -> bool:
        """False for a ParamValidationError: botocore checked the call and never sent it."""
        return isinstance(getattr(self.error, "response", None), dict)

    def headline(self) -> str:
        if self.from_lab:
            return "The lab refused lab.install(): nothing was installed"
        where = ""
        if self.call:
            who = f"as {self.call.account}" if self.call.account else ""
            place = " ".join(
                p for p in (who, f"in {self.call.region}" if self.call.region else "") if p
            )
            where = f"{self.call.python_name}()" + (f" ({place})" if place else "")
        if self.sent:
            return f"Error from AWS: {where or 'the call'} was refused"
        return f"Error before sending: botocore stopped {where or 'the call'}; nothing was sent"

    def __repr__(self) -> str:
        lines = [self.headline(), f"  {self.code}: {self.message}"]
        if self.explanation:
            lines.append(f"What it means here: {self.explanation.meaning}")
            if self.explanation.next_step:
                lines.append(f"What to look at: {self.explanation.next_step}")
        lines.append("The full traceback: run %tb in a new cell.")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        parts = [
            # Text in the theme's colour on a 6% tint (AA in light and dark themes); the border
            # (3:1 or more on white and on black) repeats what the headline says in words.
            '<div class="labkit-error" role="group" aria-label="Error" style="border-left:4px '
            'solid #e5534b;padding:6px 10px;margin:4px 0;background:rgba(229,83,75,0.06)">',
            f'<p style="margin:0 0 4px"><strong>{html.escape(self.headline())}</strong></p>',
            f'<p style="margin:0 0 4px"><code>{html.escape(self.code)}</code>: '
            f"{html.escape(self.message)}</p>",
        ]
        if self.explanation:
            parts.append(
                f'<p style="margin:0 0 4px"><strong>What it means here:</strong> '
                f"{html.escape(self.explanation.meaning)}</p>"
            )
            if self.explanation.next_step:
                parts.append(
                    f'<p style="margin:0 0 4px"><strong>What to look at:</strong> '
                    f"{html.escape(self.explanation.next_step)}</p>"
                )
        parts.append(
            "<details><summary>The full traceback (or run <code>%tb</code>)</summary>"
            f"<pre>{html.escape(self.traceback_text)}</pre></details></div>"
        )
        return "".join(parts)


def _labkit_refusals() -> tuple[type[BaseException], ...]:
    """The lab's own refusals that a learner's cell meets (bad input to ``lab.install``), shown
    in the same short box: their message says what is wrong, the traceback only where in labkit."""
    from ..sandbox.provisioning import ProvisioningError

    return (ProvisioningError,)


def _remember_for_tb(etype: type, value: BaseException, tb: TracebackType | None) -> None:
    """Let %tb find the error, as IPython's own traceback display would."""
    sys.last_type, sys.last_value, sys.last_traceback = etype, value, tb
    if sys.version_info >= (3, 12):
        sys.last_exc = value


def _handler(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: Any = None) -> list:
    from IPython.display import display

    _remember_for_tb(etype, value, tb)
    try:
        full = shell.InteractiveTB.stb2text(
            shell.InteractiveTB.structured_traceback(etype, value, tb)
        )
    except Exception:
        full = f"{etype.__name__}: {value}"
    lab = _state["lab"]() if _state["lab"] is not None else None
    call = failed_call(tb)
    display(ErrorBox(value, call, explain(value, call, lab), _ANSI.sub("", full)))
    short = [f"{etype.__name__}: {value}"]
    shell._showtraceback(etype, value, short)
    return short


def install(lab: Any) -> bool:
    """Show ClientError, ParamValidationError and the lab's own refusals as a short box while
    ``lab`` runs in IPython.

    Returns:
        True if installed; False outside IPython (where nothing changes).
    """
    ipython = sys.modules.get("IPython")  # not imported for this: no IPython, no shell
    get_ipython = getattr(ipython, "get_ipython", None)
    shell = get_ipython() if get_ipython is not None else None
    if shell is None or not hasattr(shell, "set_custom_exc"):
        return False
    from botocore.exceptions import ClientError, ParamValidationError

    if _state["shell"] is not shell:
        _state["saved"] = (shell.custom_exceptions, getattr(shell, "CustomTB", None))
    shell.set_custom_exc((ClientError, ParamValidationError, *_labkit_refusals()), _handler)
    _state.update(lab=weakref.ref(lab), shell=shell)
    return True


def installed() -> bool:
    """True while the error box is installed in this process's IPython."""
    return _state["shell"] is not None


def uninstall(lab: Any = None) -> None:
    """Put IPython's own error display back (only ``lab``'s, when one is given)."""
    shell = _state["shell"]
    if shell is None:
        return
    current = _state["lab"]() if _state["lab"] is not None else None
    if lab is not None and current is not None and current is not lab:
        return
    exceptions, custom = _state["saved"]
    shell.custom_exceptions = exceptions
    if custom is not None:
        shell.CustomTB = custom
    _state.update(lab=None, shell=None, saved=None)
