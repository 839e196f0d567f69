"""The endpoint's refusals, worded and shaped as each kind of AWS service answers them.

AWS checks who is asking before anything else, and each protocol answers in its own shape: EC2
with ``<Response><Errors>``, the other query services (STS, IAM) with ``<ErrorResponse>``, JSON
services (KMS) with a JSON body, S3 with ``<Error>``. The codes are those in the services' "Common
errors" pages: EC2 says ``AuthFailure`` for a key or signature it cannot validate, the others
``InvalidClientTokenId`` / ``UnrecognizedClientException`` for a key they do not know and
``SignatureDoesNotMatch`` / ``InvalidSignatureException`` for a wrong signature. A Region the lab
does not simulate is answered as AWS answers a Region the account has not enabled: the key is not
valid there. One function per code, as in ``labkit/fidelity/errors.py``; these answers are written
before moto sees the request, so they are HTTP responses rather than moto's exceptions.
"""

from __future__ import annotations

import json
import uuid
from xml.sax.saxutils import escape

from .signatures import Refusal

__all__ = ["Answer", "internal_error", "not_simulated", "refusal_response"]

#: (HTTP status, headers, body)
Answer = tuple[int, list[tuple[str, str]], bytes]

_SIGNATURE_MISMATCH = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. "
    "Consult the service documentation for details."
)
_INVALID_TOKEN = "The security token included in the request is invalid."


def _protocol(service: str | None) -> str:
    if service == "ec2":
        return "ec2"
    if service == "s3":
        return "s3"
    if service in ("json", "kms", "organizations", "ebs", "ssm", "logs", "events"):
        return "json"
    return "query"


def auth_failure() -> tuple[str, str, int]:
    """EC2's ``AuthFailure`` for a key or signature it cannot validate."""
    return "AuthFailure", "AWS was not able to validate the provided access credentials", 401


def missing_authentication_token(protocol: str) -> tuple[str, str, int]:
    """``MissingAuthenticationToken``: a request that is not signed at all."""
    if protocol == "json":
        return "MissingAuthenticationTokenException", "Missing Authentication Token", 403
    if protocol == "s3":
        return "AccessDenied", "Access Denied", 403
    if protocol == "ec2":
        return (
            "MissingAuthenticationToken",
            "The request must contain either a valid (registered) AWS access key ID "
            "or X.509 certificate.",
            401,
        )
    return "MissingAuthenticationToken", "Request is missing Authentication Token", 403


def invalid_client_token_id(protocol: str) -> tuple[str, str, int]:
    """``InvalidClientTokenId`` (and its JSON and S3 names): a key the service does not know."""
    if protocol == "json":
        return "UnrecognizedClientException", _INVALID_TOKEN, 400
    if protocol == "s3":
        return (
            "InvalidAccessKeyId",
            "The AWS Access Key Id you provided does not exist in our records.",
            403,
        )
    return "InvalidClientTokenId", _INVALID_TOKEN, 403


def signature_does_not_match(protocol: str) -> tuple[str, str, int]:
    """``SignatureDoesNotMatch`` (``InvalidSignatureException`` in JSON): a wrong signature."""
    if protocol == "json":
        return "InvalidSignatureException", _SIGNATURE_MISMATCH, 400
    return "SignatureDoesNotMatch", _SIGNATURE_MISMATCH, 403


def refusal_response(refusal: Refusal) -> Answer:
    """The HTTP answer AWS gives for this refusal, in the shape of the service's protocol."""
    protocol = _protocol(refusal.service)
    code, message, status = _refusal_code(refusal, protocol)
    return _error(protocol, code, message, status)


def not_simulated(json_target: str | None) -> Answer:
    """An action AWS has and the lab's sandbox does not: said plainly, with HTTP 501.

    In the kernel the same request raises SandboxError (labkit/safety.py). This is the sandbox
    speaking, not AWS, so the code is none of AWS's.
    """
    return _error(
        "json" if json_target else "ec2",
        "NotSimulated",
        "The lab sandbox does not simulate this action (it answers the AWS actions the lab "
        "teaches); nothing was changed.",
        501,
    )


def internal_error(json_target: str | None) -> Answer:
    """AWS's ``InternalError`` (HTTP 500), for a request the sandbox failed to answer."""
    return _error(
        "json" if json_target else "ec2",
        "InternalError",
        "An internal error has occurred. Please try again later.",
        500,
    )


def _refusal_code(refusal: Refusal, protocol: str) -> tuple[str, str, int]:
    if refusal.reason == "unsigned":
        return missing_authentication_token(protocol)
    if protocol == "ec2":
        return auth_failure()
    if refusal.reason == "bad-signature":
        return signature_does_not_match(protocol)
    return invalid_client_token_id(protocol)  # a key not issued here, or a Region not simulated


def _error(protocol: str, code: str, message: str, status: int) -> Answer:
    request_id = str(uuid.uuid4())
    if protocol == "json":
        body = json.dumps({"__type": code, "message": message}).encode()
        return status, [("Content-Type", "application/x-amz-json-1.1")], body
    code_xml, message_xml = escape(code), escape(message)
    if protocol == "ec2":
        xml = (
            f"<Response><Errors><Error><Code>{code_xml}</Code><Message>{message_xml}</Message>"
            f"</Error></Errors><RequestID>{request_id}</RequestID></Response>"
        )
    elif protocol == "s3":
        xml = (
            f"<Error><Code>{code_xml}</Code><Message>{message_xml}</Message>"
            f"<RequestId>{request_id}</RequestId></Error>"
        )
    else:
        xml = (
            f"<ErrorResponse><Error><Type>Sender</Type><Code>{code_xml}</Code>"
            f"<Message>{message_xml}</Message></Error><RequestId>{request_id}</RequestId>"
            "</ErrorResponse>"
        )
    body = ('<?xml version="1.0" encoding="UTF-8"?>\n' + xml).encode()
    return status, [("Content-Type", "text/xml"), ("x-amzn-RequestId", request_id)], body
