"""One entry point: the lab's explanation of an error, or None when the lab has nothing to add."""

from __future__ import annotations

from typing import Any

from .context import Explanation, FailedCall

__all__ = ["Explanation", "explain"]


def explain(
    error: BaseException, call: FailedCall | None = None, lab: Any = None
) -> Explanation | None:
    """The explanation for a ClientError or ParamValidationError, in the context of its call.

    Args:
        error: the exception the learner's cell raised.
        call: the call that raised it (from :func:`labkit.explain.failed_call`), if known.
        lab: the running ``Lab``, to tell the learner's own resources from the lesson's.
    """
    from botocore.exceptions import ClientError, ParamValidationError

    from . import aws_errors, param_errors

    try:
        if isinstance(error, ClientError):
            return aws_errors.explain_client_error(error, call, lab)
        if isinstance(error, ParamValidationError):
            return param_errors.explain_param_error(error, call)
    except Exception:  # an explanation must never hide the error itself
        return None
    return None
