"""A service's modelled errors, found without building a Shape for every shape of its model.

The first error a process answers (an ``InvalidAMIID.NotFound`` in most lessons) makes moto and
then botocore list the service's error shapes (``ServiceModel.error_shapes``): botocore builds a
``Shape`` object for each of EC2's 4,421 shapes to read one key of its metadata, twice (moto's copy
of the model and botocore's), ≈ 7 ms each. Whether a shape is an error is that same key in the
model's JSON (``"exception": true``), so only those shapes are built here: the same list, in the
same order, of the same kind of objects (tests/sandbox/speed/test_error_shapes.py).
"""

from __future__ import annotations

from typing import Any

__all__ = ["list_error_shapes_from_the_model"]


def error_shapes(self: Any) -> list[Any]:
    """``ServiceModel.error_shapes``: the shapes whose model says ``"exception": true``."""
    shapes = self._service_description.get("shapes", {})
    return [
        self.shape_for(name) for name in self.shape_names if shapes[name].get("exception", False)
    ]


def list_error_shapes_from_the_model(patches: Any) -> None:
    """Have botocore's ServiceModel find its error shapes from the model (undone with patches)."""
    from labkit.seam.botocore import ServiceModel, botocore_utils

    patches.replace(ServiceModel, "error_shapes", botocore_utils.CachedProperty(error_shapes))
