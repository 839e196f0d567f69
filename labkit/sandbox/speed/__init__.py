"""The sandbox's speedups, applied when it starts and undone when it stops.

Each speedup changes botocore, moto, xmltodict or the garbage collector only through one
``Patches`` (or a context manager) entered on the sandbox's ``ExitStack``; what they worked out
(parsed models, remembered serializer answers) stays cached in labkit's own modules, so a second
start is as fast as the first. Each has a twin test against the original in tests/sandbox/speed/.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from ...patches import Patches
from .authorizing import count_requests_without_importing_iam
from .collector import tuned_collector
from .error_shapes import list_error_shapes_from_the_model
from .key_material import make_key_pairs_on_first_use
from .loading import frozen_models, share_models, shared_loader
from .names import remember_names
from .regions import list_regions_without_sessions, region_lister
from .serializing import remember_serializer_aliases
from .xml_writing import write_xml_in_one_pass

__all__ = ["speed_patches", "speedups"]


def speed_patches() -> Patches:
    """Every speedup's change to botocore, moto and xmltodict, applied; undo with ``undo()``."""
    patches = Patches()
    try:
        share_models(patches)
        remember_serializer_aliases(patches)
        write_xml_in_one_pass(patches)
        make_key_pairs_on_first_use(patches)
        count_requests_without_importing_iam(patches)
        list_error_shapes_from_the_model(patches)
        list_regions_without_sessions(patches, region_lister(shared_loader()))
        remember_names(patches, shared_loader())
    except BaseException:
        patches.undo()
        raise
    return patches


@contextmanager
def speedups() -> Iterator[Patches]:
    """Inside the block botocore, moto and the collector run the lab's fast way; then as before."""
    with ExitStack() as stack:
        patches = speed_patches()
        stack.callback(patches.undo)
        stack.enter_context(tuned_collector())
        stack.enter_context(frozen_models())
        yield patches
