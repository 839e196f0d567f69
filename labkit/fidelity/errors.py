"""AWS errors the fidelity layer raises, shaped as EC2 returns them (code and message)."""

from __future__ import annotations

from collections.abc import Iterable

from labkit.seam.moto import EC2ClientError

__all__ = [
    "AwsError",
    "auth_failure",
    "image_not_found",
    "malformed_image_id",
    "invalid_parameter",
    "missing_parameter",
]


class AwsError(EC2ClientError):
    """An EC2 error with AWS's code and a message that says what went wrong."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)


def image_not_found(image_ids: str | Iterable[str]) -> AwsError:
    """``InvalidAMIID.NotFound``, worded as EC2 words it."""
    ids = [image_ids] if isinstance(image_ids, str) else list(image_ids)
    return AwsError("InvalidAMIID.NotFound", f"The image id '[{', '.join(ids)}]' does not exist")


def malformed_image_id(image_id: str) -> AwsError:
    """``InvalidAMIID.Malformed``, worded as EC2 words it."""
    return AwsError("InvalidAMIID.Malformed", f'Invalid id: "{image_id}" (expecting "ami-...")')


def auth_failure(message: str) -> AwsError:
    """``AuthFailure``: the caller may not act on a resource it can see."""
    return AwsError("AuthFailure", message)


def invalid_parameter(message: str) -> AwsError:
    """``InvalidParameterValue`` with a plain explanation."""
    return AwsError("InvalidParameterValue", message)


def missing_parameter(name: str) -> AwsError:
    """``MissingParameter``: a required parameter was not given."""
    return AwsError("MissingParameter", f"The request must contain the parameter {name}")
