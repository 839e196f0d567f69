"""What the property tests allow: clear errors (what they compare is tests/sandbox_snapshot.py)."""

from __future__ import annotations

from botocore.exceptions import ClientError, ParamValidationError, UnknownServiceError
from traitlets import TraitError

from labkit import SandboxError

#: Errors a learner can act on: each names what was wrong. Anything else (KeyError,
#: AttributeError, TypeError, NotImplementedError, OverflowError…) is a Python error from inside
#: labkit or moto.
CLEAR_ERRORS = (
    ValueError,  # labkit's own refusals, ProvisioningError among them
    SandboxError,
    ClientError,  # AWS's answer, as real boto3 raises it
    ParamValidationError,  # botocore's check of the request, before it is sent
    UnknownServiceError,  # boto3's answer to a service name it does not know
    TraitError,  # a widget's trait given a value of the wrong type
)


def assert_clear(error: BaseException) -> None:
    """A refusal is one of the clear errors, and says something."""
    assert isinstance(error, CLEAR_ERRORS), f"{type(error).__module__}.{type(error).__name__}"
    assert str(error).strip(), f"{type(error).__name__} with no message"
