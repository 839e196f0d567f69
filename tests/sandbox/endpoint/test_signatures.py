"""Signature Version 4 checked with botocore's signer: only the sandbox's keys, exactly signed."""

from __future__ import annotations

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from labkit.sandbox.endpoint.signatures import Refusal, issue_keys, read_authorization, verify

URL = "http://127.0.0.1:4566/"
BODY = b"Action=DescribeImages&Version=2016-11-15&Owner.1=self"


def _signed(key, body: bytes = BODY, url: str = URL, region: str = "us-east-1") -> dict[str, str]:
    """Headers botocore itself would send for this request, lower-cased."""
    request = AWSRequest(
        method="POST",
        url=url,
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    credentials = Credentials(key.access_key_id, key.secret_access_key, key.session_token)
    SigV4Auth(credentials, "ec2", region).add_auth(request)
    headers = {name.lower(): value for name, value in request.headers.items()}
    headers["host"] = "127.0.0.1:4566"
    return headers


@pytest.fixture
def keys():
    return issue_keys(["learner", "partner"])


class TestVerify:
    def test_a_request_botocore_signed_with_a_lab_key_passes(self, keys):
        """The key that signed is found, with what it signed for."""
        key = next(iter(keys.values()))
        found, signed = verify("POST", URL, _signed(key), BODY, keys)
        assert found == key
        assert (signed.service, signed.region) == ("ec2", "us-east-1")

    def test_a_changed_body_is_refused(self, keys):
        """The body is part of the signature: another body does not match."""
        key = next(iter(keys.values()))
        with pytest.raises(Refusal) as refused:
            verify("POST", URL, _signed(key), BODY.replace(b"self", b"amazon"), keys)
        assert refused.value.reason == "bad-signature"

    def test_another_secret_is_refused(self, keys):
        """The key ID alone is not enough: the secret must be the sandbox's."""
        key = next(iter(keys.values()))
        forged = type(key)(key.account, key.access_key_id, "x" * 40, key.session_token)
        with pytest.raises(Refusal, match="bad-signature"):
            verify("POST", URL, _signed(forged), BODY, keys)

    def test_another_session_token_is_refused(self, keys):
        """A right signature with a token the sandbox did not issue is refused."""
        key = next(iter(keys.values()))
        other = type(key)(key.account, key.access_key_id, key.secret_access_key, "other-token")
        with pytest.raises(Refusal, match="unknown-key"):
            verify("POST", URL, _signed(other), BODY, keys)

    def test_a_key_from_elsewhere_is_refused(self, keys):
        """Keys issued for another sandbox are unknown here."""
        elsewhere = next(iter(issue_keys(["learner"]).values()))
        with pytest.raises(Refusal, match="unknown-key"):
            verify("POST", URL, _signed(elsewhere), BODY, keys)

    def test_an_unsigned_request_is_refused(self, keys):
        """No Authorization header, or one that is not SigV4."""
        for headers in ({}, {"authorization": "AWS AKIAIOSFODNN7EXAMPLE:c2lnbmF0dXJl"}):
            with pytest.raises(Refusal, match="unsigned"):
                verify("POST", URL, headers, BODY, keys)


class TestKeys:
    def test_keys_look_like_temporary_aws_keys_and_are_new_each_time(self):
        """ASIA + 16 base32 characters, a 40-character secret, a token; never the same twice."""
        first, second = issue_keys(["learner"]), issue_keys(["learner"])
        (key,) = first.values()
        assert key.access_key_id.startswith("ASIA") and len(key.access_key_id) == 20
        assert len(key.secret_access_key) == 40 and key.session_token
        assert set(first).isdisjoint(second)

    def test_read_authorization(self):
        """The header's parts, or None for anything that is not SigV4."""
        header = (
            "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20250303/eu-west-1/kms/aws4_request, "
            "SignedHeaders=host;x-amz-date, Signature=" + "0" * 64
        )
        signed = read_authorization(header)
        assert (signed.access_key_id, signed.region, signed.service) == (
            "ASIAEXAMPLE",
            "eu-west-1",
            "kms",
        )
        assert signed.signed_headers == ("host", "x-amz-date")
        assert read_authorization("Bearer token") is None
