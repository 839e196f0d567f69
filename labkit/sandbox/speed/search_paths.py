"""Which of a botocore loader's data folders can change what one of its cached calls returns.

botocore's loader caches five of its methods per loader (``instance_cache``): which services
there are, their API versions, a service's model, a data file by name. Each answer comes only
from the folders that hold files of that type for that service (or that file): a folder without
them adds nothing, so two loaders whose search paths differ only by such folders load the same
thing. The AWS CLI, run in the kernel, searches its own data folder first, which holds one
settings file (``cli.json``) and no service: without this, its session parsed EC2's model
(20 MB) a second time. speed/loading.py keys the loaders' shared results by :func:`relevant_paths`.
"""

from __future__ import annotations

import os

__all__ = ["relevant_paths"]

#: The instance-cached loader methods whose arguments name a service and a type of file.
_BY_SERVICE = {"determine_latest_version", "list_api_versions", "load_service_model"}
_EXTENSIONS = (".json", ".json.gz")


def _holds_file(folder: str, name: str) -> bool:
    """``load_data_with_path(name)``: ``folder`` has the file ``name`` (``ec2/2016-11-15/…``)."""
    path = os.path.join(folder, name)
    return any(os.path.isfile(path + extension) for extension in _EXTENSIONS)


def _holds_type(folder: str, service: str, type_name: str) -> bool:
    """``folder`` has a file of this type for the service (``ec2/<version>/service-2…``), or
    extras for one."""
    try:
        versions = [v for v in os.scandir(os.path.join(folder, service)) if v.is_dir()]
    except OSError:
        return False
    prefix = type_name + "."
    return any(f.name.startswith(prefix) for v in versions for f in os.scandir(v.path))


def _holds(folder: str, key: tuple) -> bool:
    """True if ``folder`` can add to what the call ``key`` returns (remembered per process)."""
    known = _held.get((folder, *key))
    if known is None:
        if key[0] == "load_data_with_path":
            known = _holds_file(folder, key[1])
        else:
            known = _holds_type(folder, key[1], key[2])
        _held[(folder, *key)] = known
    return known


_held: dict[tuple, bool] = {}


def relevant_paths(search_paths: tuple[str, ...], key: tuple) -> tuple[str, ...]:
    """The search paths that can hold what the cached call ``key`` reads, in their order.

    ``key`` is botocore's ``instance_cache`` key: the method's name, then its arguments. Any
    other call (listing every service, say) keeps every path.
    """
    if not key or not all(isinstance(part, str) for part in key[1:3]):
        return search_paths
    if key[0] == "load_data_with_path" and len(key) == 2:
        head = key[:2]
    elif key[0] in _BY_SERVICE and len(key) >= 3:
        head = key[:3]
    else:
        return search_paths
    relevant = tuple(p for p in search_paths if _holds(p, head))
    # None holds it (the call fails), or the arguments came by keyword: no sharing then.
    return relevant or search_paths
