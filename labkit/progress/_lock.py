"""One writer at a time: an exclusive lock that two kernels (or a hub's processes) both honour.

On POSIX the lock is ``flock`` on the progress file's folder: no lock file is left behind, and a
read-only folder can still be locked (it then fails later, at the write, with a clear warning).
On Windows, where a folder cannot be locked, it is ``msvcrt.locking`` on a ``.<name>.lock`` file
beside the progress file. Both block until the other writer is done (a write takes milliseconds).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["locked"]


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the lock of the progress file ``path`` (whose folder must exist) inside the block.

    Raises:
        OSError: if the folder cannot be opened or locked.
    """
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        with _windows_lock(path):
            yield
        return
    import fcntl

    handle = os.open(path.parent, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        os.close(handle)


@contextmanager
def _windows_lock(path: Path) -> Iterator[None]:  # pragma: no cover - Windows only
    import msvcrt

    lock_file = path.parent / f".{path.name}.lock"
    with open(lock_file, "a+b") as stream:
        while True:
            try:
                stream.seek(0)
                msvcrt.locking(stream.fileno(), msvcrt.LK_LOCK, 1)  # retries for ~10 s itself
                break
            except OSError:
                time.sleep(0.05)
        try:
            yield
        finally:
            stream.seek(0)
            msvcrt.locking(stream.fileno(), msvcrt.LK_UNLCK, 1)
