"""Keep the sandbox sealed: nothing in the process reaches AWS or reads real AWS settings.

- ``environment``: the machine's AWS_* settings are hidden while a sandbox runs and come back
  exactly on stop, whatever the learner did to them.
- ``botocore_guard``: every botocore request is answered by the sandbox or refused, from any
  client or session, whenever it was made; clients made inside a sandbox refuse after it stops.
- ``network``: lookups of and connections to AWS from any library are refused.

``docs/safety.md`` says what is guarded and how the tests prove it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from .botocore_guard import SandboxRun, guard_botocore
from .environment import masked_aws_environment, stop_moto
from .errors import SandboxConnectionError, SandboxError
from .network import aws_host, guard_sockets, is_loopback

__all__ = [
    "SandboxConnectionError",
    "SandboxError",
    "aws_host",
    "is_loopback",
    "masked_aws_environment",
    "sealed_process",
    "stop_moto",
]


@contextmanager
def sealed_process() -> Iterator[SandboxRun]:
    """Seal botocore and the sockets for one sandbox run; undo it all when the block ends.

    Only the handlers put on clients and sessions made inside the block stay afterwards: they
    refuse to send once the run is over.
    """
    from ...patches import Patches

    run = SandboxRun()
    patches = Patches()
    try:
        guard_botocore(patches, run)
        guard_sockets(patches)
        yield run
    finally:
        run.end()
        patches.undo()
