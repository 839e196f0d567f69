"""The sandbox on loopback: the AWS CLI, ``!aws`` and any SDK or tool, against the lab.

``Sandbox.serve()`` enters an ``Endpoint`` into the sandbox's life: an HTTP server on 127.0.0.1
that answers only this sandbox's keys (``server.py``, ``signatures.py``, ``refusals.py``), the
settings files and variables that point programs at it (``environment.py``), and, while it
serves, the kernel's environment pointing subprocesses at it as the learner. ``cli.py`` runs the
AWS CLI in the kernel's process; ``magic.py`` is ``%aws``. docs/endpoint.md shows how other tools
reach the sandbox.
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any

from ...accounts import ACCOUNTS, HOME_REGION, REGIONS
from .environment import SettingsFiles, account_environ, pointing_subprocesses
from .server import EndpointServer, PortTaken

__all__ = ["Endpoint", "PortTaken", "check_port"]


def check_port(port: object) -> int | None:
    """``port`` as given to ``serve()``: None (a free port) or a number from 1 to 65535.

    Raises:
        ValueError: for anything else.
    """
    if port is None:
        return None
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise ValueError(
            f"serve() takes port=None (a free port) or a port from 1 to 65535, not {port!r}"
        )
    return port


class Endpoint:
    """A running sandbox, served on 127.0.0.1 while this is entered (see ``Sandbox.serve``)."""

    def __init__(self, sandbox: Any, port: int | None = None) -> None:
        self._server = EndpointServer(sandbox, check_port(port))
        self._stack = ExitStack()
        self._files: SettingsFiles | None = None

    @property
    def url(self) -> str:
        return self._server.url

    @property
    def port(self) -> int | None:
        return self._server.port

    def __enter__(self) -> Endpoint:
        stack = self._stack
        try:
            self._server.start()
            stack.callback(self._server.stop)
            self._files = SettingsFiles(self.url, self._server.keys)
            stack.callback(self._files.remove)
            stack.enter_context(pointing_subprocesses(self.environ("learner")))
        except BaseException:
            stack.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def prepare(self) -> None:
        """Make now what the first request would otherwise wait for (EndpointServer.prepare)."""
        self._server.prepare()

    def environ(self, account: str = "learner", region: str | None = None) -> dict[str, str]:
        """The variables that make a program act as a lab account at this endpoint.

        Raises:
            ValueError: for an account or Region the lab does not have.
        """
        if not isinstance(account, str) or account not in ACCOUNTS:
            raise ValueError(
                f"environ() takes a lab account's name ({', '.join(map(repr, ACCOUNTS))}), "
                f"not {account!r}"
            )
        region = HOME_REGION if region is None else region
        if not isinstance(region, str) or region not in REGIONS:
            raise ValueError(
                f"The lab simulates the Regions {', '.join(REGIONS)}; region={region!r} is not one"
            )
        assert self._files is not None, "the endpoint is not serving"
        return account_environ(self.url, self._server.key_for(account), region, self._files)
