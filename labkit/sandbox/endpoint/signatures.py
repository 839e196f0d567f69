"""Who is asking the endpoint: keys only this sandbox issued, and AWS Signature Version 4 checked
with botocore's own signer.

Every request an AWS SDK or the AWS CLI sends carries an ``Authorization`` header naming an access
key, the date, Region and service it signed for, the headers it signed, and the signature. The
endpoint recomputes that signature with the secret key it issued for the named access key, with
the same code botocore signs with (``botocore.auth.SigV4Auth``), and refuses anything that does
not match. A key is random for each sandbox, so a second kernel on the machine has other keys.
"""

from __future__ import annotations

import hmac
import re
import secrets
import string
from collections.abc import Mapping
from dataclasses import dataclass

from labkit.seam.botocore import AWSRequest, Credentials, S3SigV4Auth, SigV4Auth

__all__ = ["LabKey", "Refusal", "SignedBy", "issue_keys", "read_authorization", "verify"]

# "AWS4-HMAC-SHA256 Credential=AKID/20250303/us-east-1/ec2/aws4_request,
#  SignedHeaders=content-type;host;x-amz-date, Signature=<64 hex digits>"
_AUTHORIZATION = re.compile(
    r"^AWS4-HMAC-SHA256\s+"
    r"Credential=(?P<key>[^/\s,]+)/(?P<date>\d{8})/(?P<region>[^/\s,]+)/(?P<service>[^/\s,]+)"
    r"/aws4_request\s*,\s*SignedHeaders=(?P<headers>[a-z0-9\-;]+)\s*,\s*"
    r"Signature=(?P<signature>[0-9a-f]{64})\s*$"
)
_KEY_ALPHABET = string.ascii_uppercase + "234567"  # AWS key IDs: upper-case base32


@dataclass(frozen=True)
class LabKey:
    """The credentials one lab account uses at the endpoint (random, one set per sandbox)."""

    account: str
    access_key_id: str
    secret_access_key: str
    session_token: str


@dataclass(frozen=True)
class SignedBy:
    """What a request's ``Authorization`` header claims."""

    access_key_id: str
    date: str
    region: str
    service: str
    signed_headers: tuple[str, ...]
    signature: str


class Refusal(Exception):
    """A request the endpoint answers with an AWS authentication error, changing nothing.

    Args:
        reason: ``"unsigned"``, ``"unknown-key"``, ``"bad-signature"`` or ``"region"``.
        service: the service the request was signed for, when it says.
    """

    def __init__(self, reason: str, service: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.service = service


def issue_keys(accounts: list[str]) -> dict[str, LabKey]:
    """New random keys for each lab account, by access key ID (``ASIA`` + 16, like STS's)."""
    keys = {}
    for account in accounts:
        key_id = "ASIA" + "".join(secrets.choice(_KEY_ALPHABET) for _ in range(16))
        keys[key_id] = LabKey(
            account=account,
            access_key_id=key_id,
            secret_access_key=secrets.token_urlsafe(30)[:40],
            session_token=secrets.token_urlsafe(96),
        )
    return keys


def read_authorization(header: str | None) -> SignedBy | None:
    """The parts of a SigV4 ``Authorization`` header, or None when it is missing or not SigV4."""
    match = _AUTHORIZATION.match(header or "")
    if match is None:
        return None
    return SignedBy(
        access_key_id=match["key"],
        date=match["date"],
        region=match["region"],
        service=match["service"],
        signed_headers=tuple(match["headers"].split(";")),
        signature=match["signature"],
    )


class _Verifier(SigV4Auth):
    """botocore's SigV4 signer, signing exactly the headers the request says it signed."""

    def __init__(self, credentials: Credentials, service: str, region: str, signed: tuple) -> None:
        super().__init__(credentials, service, region)
        self._signed = signed

    def headers_to_sign(self, request: AWSRequest):  # noqa: ANN201 (botocore's HTTPHeaders)
        chosen = super().headers_to_sign(request)
        for name in list(chosen):
            if name not in self._signed:
                del chosen[name]
        return chosen


class _S3Verifier(_Verifier, S3SigV4Auth):
    """The same for S3, whose paths are signed as sent (not normalised)."""


def verify(
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes,
    keys: Mapping[str, LabKey],
) -> tuple[LabKey, SignedBy]:
    """The lab key that signed this request, after checking its signature.

    Args:
        method, url, body: the request as received (``url`` with its query string as sent).
        headers: the request's headers, names in lower case.
        keys: the keys this sandbox issued, by access key ID.

    Raises:
        Refusal: the request is unsigned, names a key this sandbox did not issue, carries a
            signature that does not match, or another session token than the key's.
    """
    signed = read_authorization(headers.get("authorization"))
    if signed is None:
        raise Refusal("unsigned", _service_hint(headers))
    key = keys.get(signed.access_key_id)
    if key is None:
        raise Refusal("unknown-key", signed.service)
    timestamp = headers.get("x-amz-date", "")
    missing = [name for name in signed.signed_headers if name not in headers]
    if not timestamp.startswith(signed.date) or missing:
        raise Refusal("bad-signature", signed.service)
    request = AWSRequest(
        method=method,
        url=url,
        headers={name: headers[name] for name in signed.signed_headers},
        data=body,
    )
    request.context["timestamp"] = timestamp
    credentials = Credentials(key.access_key_id, key.secret_access_key, key.session_token)
    verifier_class = _S3Verifier if signed.service == "s3" else _Verifier
    verifier = verifier_class(credentials, signed.service, signed.region, signed.signed_headers)
    if "x-amz-content-sha256" in headers and "X-Amz-Content-SHA256" not in request.headers:
        request.headers["X-Amz-Content-SHA256"] = headers["x-amz-content-sha256"]
    canonical = verifier.canonical_request(request)
    expected = verifier.signature(verifier.string_to_sign(request, canonical), request)
    if not hmac.compare_digest(expected, signed.signature):
        raise Refusal("bad-signature", signed.service)
    if not hmac.compare_digest(headers.get("x-amz-security-token", ""), key.session_token):
        raise Refusal("unknown-key", signed.service)
    return key, signed


def _service_hint(headers: Mapping[str, str]) -> str | None:
    """For an unsigned request: JSON services say who they are in ``X-Amz-Target``."""
    return "json" if headers.get("x-amz-target") else None
