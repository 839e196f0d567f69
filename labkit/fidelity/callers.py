"""Who is asking: the account whose EC2 request is being answered, for answers rendered per account.

Its own module, below ``sharing``, ``visibility`` and ``allowed_images``, which all read it: it
imports none of them, so they need no function-level imports to reach it.
"""

from __future__ import annotations

import contextvars
from typing import Any

from labkit.seam.moto import EC2Response

__all__ = ["answer_remembering_caller", "current_caller"]

_CALLER: contextvars.ContextVar[str | None] = contextvars.ContextVar("lab_caller", default=None)
_ORIGINAL_CALL_ACTION = EC2Response.call_action


def current_caller() -> str | None:
    """The account whose EC2 request is being answered, or None outside a request."""
    return _CALLER.get()


def answer_remembering_caller(self: EC2Response) -> Any:
    """Answer an EC2 request remembering who asked (``EC2Response.call_action``, patched in)."""
    token = _CALLER.set(self.current_account)
    try:
        return _ORIGINAL_CALL_ACTION(self)
    finally:
        _CALLER.reset(token)
