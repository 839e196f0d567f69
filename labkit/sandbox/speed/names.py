"""botocore's two name translations, worked out once instead of once per session or per kernel.

* Every botocore session registers ~130 event handlers, and each client copies them: every
  event name is translated through botocore's aliases (``EventAliaser._alias_event_name``,
  splitting the name once per alias) and remembered only by that session or client. The
  translation depends only on the name and the alias table, so while a sandbox runs it is
  remembered for every emitter that uses botocore's own table (a session: 5 ms -> 1.6 ms).
* A client names its methods after the API's operations (``DescribeImages`` ->
  ``describe_images``: ``botocore.xform_name``, two regular expressions a name, 830 names for
  EC2, and the AWS CLI's ``describe-images`` too). botocore remembers them per process; the lab
  keeps them per installed botocore in the data cache and hands them to botocore's own memory
  (``botocore._xform_cache``) when a sandbox starts: the same strings botocore would work out.

Both have twin tests in tests/sandbox/speed/test_names.py.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError

from labkit.seam.botocore import (
    EVENT_ALIASES,
    EventAliaser,
    botocore_version,
    xform_cache,
    xform_name,
)

from .data_cache import cached_value

__all__ = ["LAB_SERVICES", "remember_names"]

#: The services the lessons' clients and the AWS CLI call: their operations' names are kept.
LAB_SERVICES = ("ec2", "sts", "kms", "s3", "ssm", "dlm", "rbin", "iam")

_ORIGINAL_ALIAS = EventAliaser._alias_event_name
_aliased: dict[str, str] = {}


def _alias_event_name(self: Any, event_name: str) -> str:
    """``EventAliaser._alias_event_name``, remembered across emitters with botocore's table."""
    aliases = self._event_aliases
    if aliases is not EVENT_ALIASES and aliases != EVENT_ALIASES:
        return _ORIGINAL_ALIAS(self, event_name)
    known = _aliased.get(event_name)
    if known is None:
        known = _aliased[event_name] = _ORIGINAL_ALIAS(self, event_name)
    return known


def operation_names(loader: Any) -> dict[tuple[str, str], str]:
    """``botocore.xform_name``'s answers for the lab services' operations, with ``_`` and ``-``."""
    names: dict[tuple[str, str], str] = {}
    for service in LAB_SERVICES:
        try:
            model = loader.load_service_model(service, "service-2")
        except BotoCoreError:  # a botocore without this service: its names are not needed
            continue
        for operation in model["operations"]:
            for sep in ("_", "-"):
                names[(operation, sep)] = xform_name(operation, sep)
    return names


def remember_names(patches: Any, loader: Any) -> None:
    """Event names translated once per process (undone with ``patches``); operation names from
    the data cache, in botocore's memory of them (kept: they are botocore's own answers)."""
    patches.replace(EventAliaser, "_alias_event_name", _alias_event_name)
    version = f"{botocore_version}/{','.join(LAB_SERVICES)}"
    known = cached_value("botocore-operation-names", version, lambda: operation_names(loader))
    xform_cache.update(known)
