"""Services moto does not route (``rbin``, ``dlm``): the sandbox answers them itself.

moto finds a service's handler in two places: ``moto.backend_index.backend_url_patterns`` (which
service a URL belongs to) and ``moto.backends.get_backend`` (the backend, whose ``urls`` map a
URL to a response's ``dispatch``). :func:`route_service` adds an entry to both, through
``Patches``, so the route disappears when the sandbox stops. Each call wraps the ``get_backend``
in place at that moment, so several services chain.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from labkit.seam.moto import JsonRESTError, moto_backend_index, moto_backends

from .patching import Patches

__all__ = ["JsonServiceError", "route_service"]


class JsonServiceError(JsonRESTError):
    """An error of a rest-json service (``rbin``, ``dlm``): its type, message and HTTP status."""

    def __init__(self, error_type: str, message: str, status: int = 400, **fields: str) -> None:
        super().__init__(error_type, message)
        self.code = status
        if fields:  # e.g. rbin's ConflictException carries a Reason
            self.description = json.dumps({"__type": error_type, "message": message, **fields})


class _Service:
    """What moto's request router needs from a backend: the URLs it answers."""

    def __init__(self, urls: dict[str, Callable[..., Any]]) -> None:
        self.urls = urls


def route_service(patches: Patches, name: str, dispatch: Callable[..., Any]) -> None:
    """Send requests for ``https://<name>.<region>.amazonaws.com/...`` to ``dispatch``.

    Raises:
        RuntimeError: if moto already routes ``name`` (labkit would hide moto's own service;
            the fidelity layer must be looked at after a moto upgrade).
    """
    known = {service for service, _ in moto_backend_index.backend_url_patterns}
    if name in known:
        raise RuntimeError(f"moto now routes {name!r} itself; labkit's stand-in must be reviewed")
    url = rf"https?://{name}\.(.+)\.amazonaws\.com"
    service = _Service({url + "/.*": dispatch})
    previous = moto_backends.get_backend

    def get_backend(requested: str) -> Any:
        if requested == name:
            return {"global": service}
        return previous(requested)  # type: ignore[call-overload]

    patches.replace(moto_backends, "get_backend", get_backend)
    patches.replace(
        moto_backend_index,
        "backend_url_patterns",
        [*moto_backend_index.backend_url_patterns, (name, re.compile(url))],
    )
