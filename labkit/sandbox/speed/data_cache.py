"""botocore's and moto's big JSON data files, parsed once per machine instead of once per kernel.

Every lesson's kernel parses the same few megabytes of JSON: EC2's API model (4.3 MB) and moto's
instance types (4.2 MB), 25 ms each. Their parsed form is kept in Python's ``marshal`` format under
the user's cache folder, which loads two to three times faster. A cached copy is used only while
its source file is unchanged (same path, size and modification time) and for the Python that
wrote it; anything unreadable is parsed from the source again and rewritten. Where the cache
folder cannot be written, files are simply parsed each time. ``cached_value`` keeps, the same
way, what is worked out from files that change only when a library is installed again (which
services botocore has models for), keyed by what it depends on.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["MIN_BYTES", "cache_folder", "cached_parse", "cached_value"]

#: Files (as stored: often gzipped) smaller than this are parsed directly: a cache would not pay.
MIN_BYTES = 8 * 1024
_FORMAT = 1  # bump when what is stored changes


def cache_folder() -> Path:
    """Where parsed files are kept: $AMILAB_CACHE, else $XDG_CACHE_HOME/amilab, else ~/.cache."""
    if os.environ.get("AMILAB_CACHE"):
        return Path(os.environ["AMILAB_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "amilab"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _cache_file(where: str, version: str) -> Path:
    """``<where digest>-<version digest>.marshal``: one file per source, named for its version."""
    version = f"{version}/{sys.implementation.cache_tag}/{_FORMAT}"
    return cache_folder() / f"{_digest(where)}-{_digest(version)}.marshal"


def cached_parse(source: str | Path, parse: Callable[[], Any], variant: str = "") -> Any:
    """``parse()``'s result for a data file, from the cache when the file has not changed.

    ``parse`` reads and parses ``source`` (JSON: dicts, lists, strings, numbers, booleans, None);
    a ``variant`` names another form of the same file (its data re-ordered, say), kept apart.
    """
    source = Path(source)
    try:
        stat = source.stat()
        if stat.st_size < MIN_BYTES:
            return parse()
        where = f"{source.resolve()}#{variant}" if variant else str(source.resolve())
        cached = _cache_file(where, f"{stat.st_size}/{stat.st_mtime_ns}")
    except OSError:
        return parse()
    return _through(cached, parse)


def cached_value(where: str, version: str, make: Callable[[], Any]) -> Any:
    """``make()``'s result, from the cache while ``version`` (what it depends on) is the same.

    ``make`` returns what ``marshal`` keeps (dicts, lists, sets, strings, numbers, None).
    """
    try:
        cached = _cache_file(where, version)
    except OSError:
        return make()
    return _through(cached, make)


def _through(cached: Path, make: Callable[[], Any]) -> Any:
    try:
        return marshal.loads(cached.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        pass
    data = make()
    _write(cached, data)
    return data


def _write(path: Path, data: Any) -> None:
    """Write atomically (no reader sees half a file); quietly give up if the folder is not ours."""
    try:
        payload = marshal.dumps(data)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(payload)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        for older in path.parent.glob(path.name.split("-")[0] + "-*.marshal"):
            if older != path:  # the same file's parse before it changed (an upgrade)
                older.unlink(missing_ok=True)
    except (OSError, ValueError):
        return
