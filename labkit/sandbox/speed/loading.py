"""Load botocore's and moto's data once per process, and keep the garbage collector off it.

A lesson's first cell used to take three times as long as importing boto3 and moto (see
docs/performance.md), almost all of it in loading the same data again and again:

* every new botocore session gets a loader of its own, and a loader parses each JSON model again:
  botocore's endpoint list and the EC2 model (4 MB) cost 0.05-0.1 s apiece. Importing moto's EC2
  models makes three sessions, moto's backends a fourth, the lab's clients a fifth, and moto parses
  the EC2 model once more for itself. botocore also parses into ``OrderedDict``s, twice as slow as
  the plain dicts that keep the same order since Python 3.7; the shared loader makes plain dicts;
* every client builds its service's model afresh (830 operations for EC2);
* moto reads instance-type offerings for 30 Regions at import; the lab simulates four;
* the ~200,000 objects all this makes are walked by every full garbage collection, 15-80 ms each;
* and, per request, moto lists its EC2 response class's 700 methods to find the action's.

``loading_models()`` wraps the import of moto's models and fixes all five while it runs (the three
sessions moto makes at import, only to list EC2's Regions, are none), then undoes its
patches; ``share_models`` applies the sharing again while a sandbox runs, and ``frozen_models``
keeps the models out of the collector's way. Nothing stays patched outside a running sandbox.
"""

from __future__ import annotations

import gc
import importlib.resources
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
import botocore.exceptions

from labkit.seam.botocore import (
    ServiceModel,
    botocore_client,
    botocore_loaders,
    botocore_session,
    botocore_version,
)

from ...accounts import REGIONS
from .data_cache import cached_parse, cached_value
from .regions import region_lister, sessions_while_loading
from .search_paths import relevant_paths

__all__ = ["frozen_models", "loading_models", "session_loader", "share_models", "shared_loader"]

_ORIGINAL_CREATE_LOADER = botocore_loaders.create_loader
_loaders: dict[str, botocore_loaders.Loader] = {}
_MOTO_LOADER = "moto"
_service_models: dict[tuple[tuple[str, ...], str, str | None], ServiceModel] = {}
_originals: dict[str, Any] = {}


class _SharedResults:
    """A loader's ``_cache``: what it loaded, shared with every loader that searches the same paths.

    Each botocore session keeps a loader of its own, with its own list of search paths, so a
    program that adds a data path to its session (the AWS CLI adds its own data folder; boto3
    its resource models) changes nothing for anyone else. What a loader loads depends only on
    the search paths that hold it (speed/search_paths.py), so loaders that agree on those share
    it: a model is parsed once.
    """

    def __init__(self, loader: botocore_loaders.Loader) -> None:
        self._loader = loader

    def _key(self, key: tuple) -> tuple:
        return (relevant_paths(tuple(self._loader.search_paths), key), key)

    def __contains__(self, key: tuple) -> bool:
        return self._key(key) in _shared_results

    def __getitem__(self, key: tuple) -> Any:
        return _shared_results[self._key(key)]

    def __setitem__(self, key: tuple, value: Any) -> None:
        _shared_results[self._key(key)] = value


_shared_results: dict[tuple, Any] = {}


class _PlainJSONFileLoader(botocore_loaders.JSONFileLoader):
    """botocore's JSON file loader, parsing into plain (still ordered) dicts, not OrderedDicts."""

    def _load_file(self, full_path: str, open_method: Any) -> Any:
        if not os.path.isfile(full_path):
            return None

        def parse() -> Any:
            with open_method(full_path, "rb") as fp:
                return json.loads(fp.read())

        return cached_parse(full_path, parse)


class _ServiceListing:
    """A loader's ``list_available_services``, from one walk of its data folders for every type.

    botocore walks ~420 service folders again for each type of file it looks for (service-2,
    endpoint-rule-set-1, waiters-2): 8 ms a walk, three walks per kernel. This walks them once,
    and botocore's own data folder once per installed botocore (the data cache keeps its walk
    while botocore's version and the folder are the same: only installing botocore changes it).
    """

    def __init__(self, loader: botocore_loaders.Loader) -> None:
        self._loader = loader

    def __call__(self, type_name: str) -> list[str]:
        paths = tuple(self._loader.search_paths)
        if paths not in _listings:
            _listings[paths] = self._walk()
        return sorted(_listings[paths].get(type_name, ()))

    def _walk(self) -> dict[str, set[str]]:
        by_type: dict[str, set[str]] = {}
        for folder in self._loader._potential_locations():
            for type_name, services in _walk_folder(folder).items():
                by_type.setdefault(type_name, set()).update(services)
        return by_type


def _walk_folder(folder: str) -> dict[str, set[str]]:
    """Which services have a file of each type in one data folder (botocore's and moto's own:
    cached while the library's version and the folder are the same)."""
    resolved = Path(folder).resolve()
    installed = _installed_data().get(resolved)
    if installed is None:
        return _walk_data(folder)
    stat = os.stat(folder)
    version = f"{installed}/{stat.st_mtime_ns}/{sorted(_JSON_EXTENSIONS)}"
    return cached_value(f"{installed}-services:{resolved}", version, lambda: _walk_data(folder))


def _walk_data(folder: str) -> dict[str, set[str]]:
    by_type: dict[str, set[str]] = {}
    for service in os.scandir(folder):
        if not service.is_dir():
            continue
        for version in os.scandir(service.path):
            if not version.is_dir():
                continue
            for entry in os.scandir(version.path):
                for extension in _JSON_EXTENSIONS:
                    if entry.name.endswith(extension) and entry.is_file():
                        type_name = entry.name[: -len(extension)]
                        by_type.setdefault(type_name, set()).add(service.name)
    return by_type


_BOTOCORE_DATA = Path(botocore_loaders.Loader.BUILTIN_DATA_PATH).resolve()


def _installed_data() -> dict[Path, str]:
    """The data folders that change only when their library is installed again, each with the
    library's name and version (moto's is looked up when first asked: moto loads late)."""
    from labkit.seam.moto import moto_core_loaders, moto_version

    return {
        _BOTOCORE_DATA: f"botocore-{botocore_version}",
        Path(moto_core_loaders.moto_root).resolve(): f"moto-{moto_version}",
    }


_JSON_EXTENSIONS = tuple(botocore_loaders._JSON_OPEN_METHODS)
_listings: dict[tuple[str, ...], dict[str, set[str]]] = {}


def session_loader(search_path_string: str | None = None) -> botocore_loaders.Loader:
    """A new session's botocore loader (what botocore's ``create_loader`` makes), sharing results.

    Loaded models are read-only to botocore, which already shares them between the clients of one
    session; this shares them between sessions that search the same data paths too.
    """
    loader = _ORIGINAL_CREATE_LOADER(search_path_string)
    loader.file_loader = _PlainJSONFileLoader()
    loader.list_available_services = _ServiceListing(loader)
    loader._cache = _SharedResults(loader)
    return loader


def shared_loader() -> botocore_loaders.Loader:
    """The loader moto's models are read through: botocore's data and boto3's, as a boto3
    session searches them, so it shares what every boto3 session's loader loads."""
    if _MOTO_LOADER not in _loaders:
        loader = session_loader()
        loader.search_paths.append(str(Path(boto3.__file__).parent / "data"))
        _loaders[_MOTO_LOADER] = loader
    return _loaders[_MOTO_LOADER]


def _client_service_model(
    self: botocore_client.ClientCreator, service_name: str, api_version: str | None = None
) -> ServiceModel:
    """One ``ServiceModel`` per loader and service, so a client's operations are modelled once."""
    original = _originals["client_service_model"]
    if not isinstance(self._loader._cache, _SharedResults):
        return original(self, service_name, api_version)
    key = (tuple(self._loader.search_paths), service_name, api_version)
    if key not in _service_models:
        _service_models[key] = original(self, service_name, api_version)
    return _service_models[key]


_client_classes: dict[tuple[int, str, int], tuple[Any, ServiceModel, type]] = {}


def _client_class(
    self: botocore_client.ClientCreator, service_name: str, service_model: ServiceModel
) -> type:
    """One client class per session and service model: botocore built one per client (2 ms).

    The class is what botocore's handlers of ``creating-client-class`` made of the model's
    operations; the same session and model make the same class, so it is made once.
    """
    emitter = self._event_emitter
    key = (id(emitter), service_name, id(service_model))
    known = _client_classes.get(key)
    if known is None or known[0] is not emitter or known[1] is not service_model:
        cls = _originals["client_class"](self, service_name, service_model)
        known = _client_classes[key] = (emitter, service_model, cls)
    return known[2]


def _merged(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """botocore's ``deep_merge(base, extra)``, copying the path it changes instead of mutating."""
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merged(out[key], value)
        else:
            out[key] = value
    return out


def _moto_service_model(service_name: str, model_name: str) -> dict[str, Any]:
    """moto's copy of a model: botocore's parsed one plus moto's extras, botocore's left intact.

    Falls back to moto's own loading wherever botocore's copy differs from the file (sdk extras)
    or the model is not botocore's.
    """
    from labkit.seam.moto import moto_core_loaders

    shared = shared_loader()
    moto_loader = moto_core_loaders.create_loader()
    try:
        version = shared.determine_latest_version(service_name, model_name)
        sdk_extras = next(shared._find_extras(service_name, model_name, version), None)
        if sdk_extras is not None or version != moto_loader.determine_latest_version(
            service_name, model_name
        ):
            return _moto_own_loading(service_name, model_name)
        model = shared.load_service_model(service_name, model_name, version)
    except botocore.exceptions.BotoCoreError:
        return _moto_own_loading(service_name, model_name)
    for extras in moto_loader._find_extras(service_name, model_name, version):
        model = _merged(model, extras.get("merge", {}))
    return model


def _moto_own_loading(service_name: str, model_name: str) -> dict[str, Any]:
    """moto's own loading (its loader: the file and moto's extras, never botocore's sdk extras),
    with the file read through the data cache, not parsed again (S3's model: 30 ms)."""
    from labkit.seam.moto import moto_core_loaders

    loader = moto_core_loaders.create_loader()
    loader.file_loader = _PlainJSONFileLoader()
    # Which services it has: one walk of its folders per process (moto's, like botocore's, kept
    # by the data cache), not botocore's walk of ~600 folders for every model (S3's: 10 ms).
    loader.list_available_services = _ServiceListing(loader)
    return loader.load_service_model(service_name, model_name)


#: Instance families the lessons launch: listed first in a Region's offerings (see below).
_LESSON_FAMILIES = ("t3", "t2", "t4g", "t3a")


def _lab_regions_only(load_resource: Any) -> Any:
    """moto's ``load_resource``: instance-type offerings only for the lab's Regions; cached.

    RunInstances searches the Region's ~1,300 offerings in order for the requested type (2.5 ms
    for ``t3.micro``, near the end), so the families the lessons use come first. EC2 promises
    no order for DescribeInstanceTypeOfferings, and no lesson lists them.
    """
    offerings = "ec2/resources/instance_type_offerings/"

    def load(resource: str) -> Any:
        if resource.startswith(offerings) and Path(resource).name.split(".")[0] not in REGIONS:
            return []
        if not resource.startswith(offerings):
            return _cached_resource(load_resource, resource)

        def load_sorted(name: str) -> Any:
            return _lesson_families_first(load_resource(name))

        return _cached_resource(load_sorted, resource, _FIRST)

    return load


def _lesson_families_first(offerings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    offerings.sort(key=lambda o: o.get("InstanceType", "").split(".")[0] not in _LESSON_FAMILIES)
    return offerings


_FIRST = "first:" + ",".join(_LESSON_FAMILIES)  # the data cache keeps the sorted form apart


def _cached_resource(load_resource: Any, resource: str, variant: str = "") -> Any:
    """``load_resource(resource)``, through the data cache when the file is on disk."""
    folder = importlib.resources.files("moto")
    for name in (resource, resource + ".gz") if not resource.endswith(".gz") else (resource,):
        path = folder / name
        if isinstance(path, Path) and path.is_file():
            return cached_parse(path, lambda: load_resource(resource), variant)
    return load_resource(resource)


_action_names: dict[tuple[type, tuple[int, ...]], list[str]] = {}


def _method_names_from_class(clazz: type) -> list[str]:
    """moto's list of a response class's methods, made once per shape of the class, not per call.

    moto lists ~700 methods of its EC2 response class with ``inspect.getmembers`` for every
    request it answers (a sixth of a call's time). The key changes whenever a method is added to
    or removed from any class in the hierarchy (the fidelity rules add and remove some).
    """
    key = (clazz, tuple(len(vars(c)) for c in clazz.__mro__))
    if key not in _action_names:
        _action_names[key] = _originals["method_names_from_class"](clazz)
    return _action_names[key]


def share_models(patches: Any) -> None:
    """Make every botocore session, every client and moto use the shared models (undone with
    ``patches``: what was parsed stays in labkit's caches, the patches go)."""
    from labkit.seam.moto import moto_core_responses, moto_core_utils

    if not _originals:  # botocore's and moto's own functions, read (not changed) once
        _originals["client_service_model"] = botocore_client.ClientCreator._load_service_model
        _originals["client_class"] = botocore_client.ClientCreator._create_client_class
        _originals["method_names_from_class"] = moto_core_responses.method_names_from_class
    patches.replace(botocore_session, "create_loader", session_loader)
    client_creator = botocore_client.ClientCreator
    patches.replace(client_creator, "_load_service_model", _client_service_model)
    patches.replace(client_creator, "_create_client_class", _client_class)
    patches.replace(moto_core_utils, "_load_service_model", _moto_service_model)
    patches.replace(moto_core_responses, "method_names_from_class", _method_names_from_class)


@contextmanager
def loading_models() -> Iterator[None]:
    """Import moto's service models inside this block: shared, trimmed, and kept out of the GC.

    The models are shared (``share_models``), moto's instance-type offerings trimmed to the lab's
    Regions, ``boto3.Session()`` a Region lister and the collector off while they load; all of it is
    undone when the block ends, so importing the sandbox changes nothing in botocore, moto or the
    collector's settings. What was loaded stays in labkit's caches and moto's modules, and goes
    straight to the collector's oldest generation (unless someone froze objects: then it is
    left young), so no young collection walks it on the way (≈ 20 ms, once per kernel).
    """
    from labkit.seam.moto import moto_utilities_utils

    from ...patches import Patches

    patches = Patches()
    enabled = gc.isenabled()
    gc.disable()
    try:
        share_models(patches)
        load_resource = moto_utilities_utils.load_resource
        patches.replace(moto_utilities_utils, "load_resource", _lab_regions_only(load_resource))
        lister = region_lister(shared_loader())
        patches.replace(boto3, "Session", sessions_while_loading(lister))
        yield
    finally:
        patches.undo()
        if gc.get_freeze_count() == 0:
            # What was loaded lives as long as the process: straight to the oldest generation
            # (two list splices), not a young collection walking all of it (≈ 20 ms) on the way.
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()


@contextmanager
def frozen_models() -> Iterator[None]:
    """Keep everything the process holds now out of the collector's walks, until the block ends.

    A sandbox starts inside this block: moto's and botocore's models (~200,000 objects that live
    as long as the process) are frozen (``gc.freeze``), so full collections no longer walk them;
    on stop they are unfrozen and the collector is as the process had it.
    """
    frozen_before = gc.get_freeze_count()
    gc.freeze()
    try:
        yield
    finally:
        if frozen_before == 0:
            gc.unfreeze()
