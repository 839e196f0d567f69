"""moto's Region lists, read from botocore's endpoint data without making a boto3 session.

moto asks a boto3 ``Session`` only which partitions and which Regions a service has: three
argument-less sessions while its EC2 models import (the EC2 Regions), and one more when the first
backend is made (every service's Regions). A session registers ~130 event handlers to be made
(about 10 ms); the answer comes from botocore's ``endpoints`` file and the service's model, both
already loaded through the shared loader. :class:`RegionLister` answers those two questions
exactly as ``botocore.session.Session`` does, from the same data; anything else asked of it goes to
a real session, made on first need. tests/sandbox/speed/test_regions.py holds it to a real session
for every service and partition.
"""

from __future__ import annotations

from typing import Any

import boto3
import botocore.exceptions

from labkit.seam.botocore import EndpointResolver
from labkit.seam.moto import AccountSpecificBackend

__all__ = [
    "RegionLister",
    "list_regions_without_sessions",
    "region_lister",
    "sessions_while_loading",
]


class RegionLister:
    """The part of a boto3 ``Session`` moto uses: ``get_available_partitions`` and
    ``get_available_regions``, answered from a loader's data."""

    def __init__(self, loader: Any, make_session: Any) -> None:
        self._loader = loader
        self._make_session = make_session
        self._resolver: Any = None
        self._session: Any = None

    def _endpoints(self) -> Any:
        if self._resolver is None:
            endpoints, path = self._loader.load_data_with_path("endpoints")
            uses_builtin = self._loader.is_builtin_path(path)
            self._resolver = EndpointResolver(endpoints, uses_builtin_data=uses_builtin)
        return self._resolver

    def get_available_partitions(self) -> list[str]:
        """The partitions botocore knows (``aws``, ``aws-cn``, ``aws-us-gov``…)."""
        return self._endpoints().get_available_partitions()

    def get_available_regions(
        self, service_name: str, partition_name: str = "aws", allow_non_regional: bool = False
    ) -> list[str]:
        """A service's Regions in a partition, as ``Session.get_available_regions`` lists them."""
        try:
            model = self._loader.load_service_model(service_name, "service-2")
        except botocore.exceptions.UnknownServiceError:
            return []
        prefix = model["metadata"].get("endpointPrefix", service_name)
        return self._endpoints().get_available_endpoints(prefix, partition_name, allow_non_regional)

    def __getattr__(self, name: str) -> Any:
        """Anything else a real session answers (made once, when first needed)."""
        if name.startswith("_"):
            raise AttributeError(name)
        if self._session is None:
            self._session = self._make_session()
        return getattr(self._session, name)


_original_session_class = boto3.Session
_listers: list[RegionLister] = []


def region_lister(loader: Any) -> RegionLister:
    """The process's lister, made the first time with ``loader`` (the shared loader)."""
    if not _listers:
        _listers.append(RegionLister(loader, _original_session_class))
    return _listers[0]


def sessions_while_loading(lister: RegionLister) -> Any:
    """``boto3.Session`` for moto's modules: while they load, ``Session()`` is ``lister``.

    moto's EC2 Regions module makes three argument-less sessions at import only to list EC2's
    Regions. Afterwards (this function stays bound in moto's module), and for any call with
    arguments, this makes sessions as usual.
    """

    def session(*args: Any, **kwargs: Any) -> Any:
        if args or kwargs or boto3.Session is _original_session_class:
            return _original_session_class(*args, **kwargs)
        return lister

    return session


def list_regions_without_sessions(patches: Any, lister: RegionLister) -> None:
    """moto's backends list their Regions through ``lister``, not a session of their own
    (undone with ``patches``)."""
    patches.replace(AccountSpecificBackend, "get_session", classmethod(lambda cls: lister))
