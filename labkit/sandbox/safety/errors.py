"""The two ways the lab says no: a request it would not send, a connection it would not open."""

from __future__ import annotations

__all__ = ["SandboxConnectionError", "SandboxError"]


class SandboxError(RuntimeError):
    """A request that would leave the sandbox, or a sandbox used the wrong way."""


class SandboxConnectionError(SandboxError, ConnectionRefusedError):
    """A connection to AWS refused while a sandbox runs.

    It is a ``ConnectionRefusedError`` (an ``OSError``) too, so urllib, http.client, requests and
    any other library fail the way they fail when a server is unreachable, with this message.
    """
