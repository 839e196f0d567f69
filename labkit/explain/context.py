"""Which call failed (its operation, parameters, Region and lab account, from the traceback), and
the shape of an explanation: what ``aws_errors`` and ``param_errors`` make and ``explanations``
hands out, here so that none of them imports another to share it."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

__all__ = ["Explanation", "FailedCall", "failed_call"]


@dataclass(frozen=True)
class FailedCall:
    """An API call as the learner made it (``account`` is a lab account name, or None)."""

    service: str
    operation: str
    params: dict[str, Any] = field(default_factory=dict)
    region: str | None = None
    account: str | None = None

    @property
    def python_name(self) -> str:
        """The method the learner called: ``CopyImage`` -> ``copy_image``."""
        from labkit.seam.botocore import xform_name

        return xform_name(self.operation)


@dataclass(frozen=True)
class Explanation:
    """What an error means here (one or two sentences), and what to look at or do next."""

    meaning: str
    next_step: str = ""

    def __str__(self) -> str:
        return f"{self.meaning} {self.next_step}".strip()


def _account_of(client: Any) -> str | None:
    """The lab account whose sandbox keys a client carries, if any."""
    from ..sandbox.sandbox import active_sandbox

    sandbox = active_sandbox()
    credentials = getattr(client, "_request_signer", None)
    credentials = getattr(credentials, "_credentials", None)
    key = getattr(credentials, "access_key", None)
    if sandbox is None or key is None:
        return None
    for name, keys in sandbox._credentials.items():
        if keys.get("aws_access_key_id") == key:
            return name
    return None


def failed_call(tb: TracebackType | None) -> FailedCall | None:
    """The botocore call a traceback went through (its innermost ``_make_api_call``), if any."""
    found = None
    while tb is not None:
        frame = tb.tb_frame
        if frame.f_code.co_name == "_make_api_call" and "operation_name" in frame.f_locals:
            found = frame.f_locals
        tb = tb.tb_next
    if found is None:
        return None
    client = found.get("self")
    meta = getattr(client, "meta", None)
    params = found.get("api_params")
    return FailedCall(
        service=getattr(getattr(meta, "service_model", None), "service_name", "") or "",
        operation=str(found["operation_name"]),
        params=dict(params) if isinstance(params, dict) else {},
        region=getattr(meta, "region_name", None),
        account=_account_of(client),
    )
